"""Long fits of every solver family, for the Ctrl-C rows of bench_interrupt.py.

Each entry is ``name -> (warm, fit)``: ``warm()`` compiles or loads the kernels on a tiny
problem, ``fit()`` runs for many seconds (minutes before the chunked kernel calls) unless
interrupted. Also used by ``tests/test_interrupt_families.py`` through ``scale``.
"""

import warnings

import numpy as np

warnings.filterwarnings("ignore")


def _ar(n, p, rho, rng):
    X = np.empty((n, p))
    X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho ** 2) * rng.standard_normal(n)
    return X


def problems(scale=1.0):
    """The long fits; ``scale`` shrinks the data (tests use a fit of a few seconds)."""
    rng = np.random.default_rng(0)

    def size(k):
        return max(int(k * scale), 4)

    def colide():
        from sparsestat.dag import CoLiDE

        X = rng.standard_normal((500, size(60)))
        return (lambda: CoLiDE(max_iter=5, max_iter_last=5).fit(X[:, :5]),
                lambda: CoLiDE(max_iter=20000, max_iter_last=20000, tol=0).fit(X))

    def presto():
        from sparsestat.ordinal import PRESTOClassifier

        n, p = size(20000), size(400)
        X = rng.standard_normal((n, p))
        y = np.digitize(X[:, :10].sum(axis=1) + rng.logistic(size=n), [-2, 0, 2])
        return (lambda: PRESTOClassifier(alpha=1e-2, max_iter=2).fit(X[:50, :5], y[:50]),
                lambda: PRESTOClassifier(alpha=1e-6, tol=1e-14, max_iter=10 ** 6).fit(X, y))

    def multinomial():
        from sparsestat.linear_model import SparseLogisticRegression

        n, p = size(4000), size(500)
        X = rng.standard_normal((n, p))
        y = np.digitize(X[:, :10].sum(axis=1) + rng.standard_normal(n), [-1, 1])
        return (lambda: SparseLogisticRegression(alpha=1e-3, max_iter=2).fit(X[:50], y[:50]),
                lambda: SparseLogisticRegression(alpha=1e-6, tol=1e-14, max_iter=10 ** 7)
                .fit(X, y))

    def group():
        from sparsestat.linear_model import GroupLasso

        n, p = size(2000), size(2000)
        X = _ar(n, p, 0.95, rng)
        y = X[:, :20].sum(axis=1) + rng.standard_normal(n)
        return (lambda: GroupLasso(alpha=0.1, groups=2, max_iter=2).fit(X[:50, :8], y[:50]),
                lambda: GroupLasso(alpha=1e-6, groups=4, tol=1e-16, max_iter=10 ** 7)
                .fit(X, y))

    def multitask():
        from sparsestat.linear_model import MultiTaskLasso

        n, p = size(1000), size(2000)
        X = _ar(n, p, 0.95, rng)
        Y = X[:, :20] @ rng.standard_normal((20, 4)) + rng.standard_normal((n, 4))
        return (lambda: MultiTaskLasso(alpha=0.1, max_iter=2).fit(X[:50, :8], Y[:50]),
                lambda: MultiTaskLasso(alpha=1e-7, tol=1e-16, max_iter=10 ** 7).fit(X, Y))

    def greedy():
        from sparsestat._engine import Quadratic, L1
        from sparsestat.linear_model import GeneralizedLinearEstimator

        n, p = size(2000), size(2000)
        X = _ar(n, p, 0.95, rng)
        y = X[:, :20].sum(axis=1) + rng.standard_normal(n)

        def est(alpha, tol, max_iter):
            return GeneralizedLinearEstimator(Quadratic(), L1(alpha=alpha), solver="greedy",
                                              tol=tol, max_iter=max_iter)
        return (lambda: est(0.1, 1e-4, 2).fit(X[:50, :8], y[:50]),
                lambda: est(1e-7, 1e-16, 10 ** 7).fit(X, y))

    def burer_monteiro():
        from sparsestat.cluster import SDPKMeans

        n = size(6000)
        X = np.r_[rng.standard_normal((n // 2, 5)), rng.standard_normal((n - n // 2, 5)) + 1]
        return (lambda: SDPKMeans(2, n_init=1, max_iter=2, sketch_size=None,
                                  random_state=0).fit(X[:40]),
                lambda: SDPKMeans(2, n_init=1, tol=1e-14, max_iter=10 ** 5, sketch_size=None,
                                  random_state=0).fit(X))

    def mlp():
        from sparsestat.nn import SparseMLPClassifier

        n = size(200000)
        X = rng.standard_normal((n, 100))
        y = (X[:, 0] + X[:, 1] > 0).astype(int)
        return (lambda: SparseMLPClassifier((8,), max_iter=1, device="cpu").fit(X[:50], y[:50]),
                lambda: SparseMLPClassifier((512, 512), max_iter=1, batch_size=200,
                                            device="cpu").fit(X, y))

    def gram():
        from sparsestat._engine import L1, solve_gram

        p = size(3000)
        X = _ar(2 * p, p, 0.95, rng)
        G = X.T @ X / X.shape[0]
        b = X.T @ (X[:, :20].sum(axis=1)) / X.shape[0]
        return (lambda: solve_gram(G[:5, :5], b[:5], L1(alpha=0.1), max_iter=2),
                lambda: solve_gram(G, b, L1(alpha=1e-8), tol=1e-16, max_iter=10 ** 7))

    def path():
        from sparsestat._engine import L1, Quadratic, alpha_max_l1, solve_path

        n, p = size(2000), size(2000)
        X = np.asfortranarray(_ar(n, p, 0.9, rng))
        y = X[:, :50].sum(axis=1) + rng.standard_normal(n)
        amax = alpha_max_l1(X, y)
        # many alphas, each solved within one kernel call's budget: the kernel must
        # return to Python between alphas
        alphas = np.geomspace(amax, amax * 1e-4, 5000)
        return (lambda: solve_path(X[:50, :8], y[:50], Quadratic(), L1(1.0), alphas[:3]),
                lambda: solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=1e-12))

    return {"CoLiDE (_colide)": colide, "PRESTO (_cumulative_logit)": presto,
            "multinomial (_multinomial)": multinomial, "GroupLasso (_group_cd)": group,
            "MultiTaskLasso (_multitask)": multitask, "greedy CD (_greedy_cd)": greedy,
            "SDPKMeans (_burer_monteiro)": burer_monteiro, "MLP epoch (_mlp)": mlp,
            "solve_gram (solvers)": gram, "lasso path (_path)": path}
