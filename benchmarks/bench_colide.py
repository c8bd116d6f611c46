"""CoLiDE: one compiled path-following call vs the authors' algorithm run as numpy code.

The anchor is :func:`colide_numpy`, a faithful numpy transcription of the algorithm the
spec describes (the authors' published loop: Adam on W with the closed-form scale update,
domain backtracking, stage restarts, the relative-objective test every 1000 steps), with
the authors' settings. It is kept here, not in the package, because it is only the anchor.

Run::

    python benchmarks/bench_colide.py            # d = 20 and 50 ratios, d = 100 and 200 ER4
    python benchmarks/bench_colide.py --quick    # d = 20 only

Every contender sees the same data; SHD is computed on the thresholded (0.3) and
acyclicity-repaired graph of each. Threads are pinned to one.
"""

import argparse
import statistics
import time

import numpy as np
import scipy.linalg as sla
from threadpoolctl import threadpool_limits

# ---------------------------------------------------------------------------------------
# The anchor: the authors' algorithm as numpy code (their published loop: the spec's
# description, with the code's domain tolerance -1e-6 and scale refresh on backtracking)
# ---------------------------------------------------------------------------------------


def _score(cov, W, sigma, variance, Id):
    dif = Id - W
    rhs = cov @ dif
    if variance == "equal":
        d = W.shape[0]
        loss = 0.5 * np.trace(dif.T @ rhs) / sigma + 0.5 * d * sigma
    else:
        loss = 0.5 * np.sum(np.diag(dif.T @ rhs) / sigma) + 0.5 * np.sum(sigma)
    return loss


def _h(W, s, Id):
    M = s * Id - W * W
    return -np.linalg.slogdet(M)[1] + W.shape[0] * np.log(s)


def _func(cov, W, sigma, mu, lam, s, variance, Id):
    return mu * (_score(cov, W, sigma, variance, Id) + lam * np.abs(W).sum()) + _h(W, s, Id)


def _minimize(cov, W, sigma, mu, lam, max_iter, s, lr, variance, Id, tol=1e-6,
              beta_1=0.99, beta_2=0.999, checkpoint=1000, free_diagonal=True):
    d = W.shape[0]
    obj_prev = 1e16
    opt_m, opt_v = 0.0, 0.0
    grad = np.zeros_like(W)
    n_steps = 0
    for it in range(1, max_iter + 1):
        n_steps = it
        M = sla.inv(s * Id - W * W) + 1e-16
        while np.any(M < -1e-6):
            if it == 1 or s <= 0.9:
                return W, sigma, False, n_steps
            W += lr * grad
            lr *= 0.5
            if lr <= 1e-16:
                return W, sigma, True, n_steps
            W -= lr * grad
            dif = Id - W
            rhs = cov @ dif
            if variance == "equal":
                sigma = np.sqrt(np.trace(dif.T @ rhs) / d)
            else:
                sigma = np.sqrt(np.diag(dif.T @ rhs))
            M = sla.inv(s * Id - W * W) + 1e-16
        if variance == "equal":
            G_score = -mu * cov @ (Id - W) / sigma
        else:
            G_score = -mu * cov @ (Id - W) / sigma[None, :]
        Gobj = G_score + mu * lam * np.sign(W) + 2 * W * M.T
        if not free_diagonal:  # sparsestat's estimator: no self loops
            np.fill_diagonal(Gobj, 0.0)
        opt_m = opt_m * beta_1 + (1 - beta_1) * Gobj
        opt_v = opt_v * beta_2 + (1 - beta_2) * Gobj ** 2
        m_hat = opt_m / (1 - beta_1 ** it)
        v_hat = opt_v / (1 - beta_2 ** it)
        grad = m_hat / (np.sqrt(v_hat) + 1e-8)
        W -= lr * grad
        dif = Id - W
        rhs = cov @ dif
        if variance == "equal":
            sigma = np.sqrt(np.trace(dif.T @ rhs) / d)
        else:
            sigma = np.sqrt(np.diag(dif.T @ rhs))
        if it % checkpoint == 0 or it == max_iter:
            obj_new = _func(cov, W, sigma, mu, lam, s, variance, Id)
            if np.abs((obj_prev - obj_new) / obj_prev) <= tol:
                break
            obj_prev = obj_new
    return W, sigma, True, n_steps


def colide_numpy(X, lam=0.05, variance="equal", T=4, mu_init=1.0, mu_factor=0.1,
                 s=(1.0, 0.9, 0.8, 0.7), warm_iter=20000, max_iter=70000, lr=3e-4,
                 free_diagonal=True):
    """The authors' CoLiDE loop in numpy. Returns (raw W, sigma, total Adam steps).

    ``free_diagonal=False`` fixes diag(W) at zero, as sparsestat's estimator does (the
    authors' code leaves it free).
    """
    X = X - X.mean(axis=0, keepdims=True)  # (the authors centre in place: we do not)
    n, d = X.shape
    Id = np.eye(d)
    cov = X.T @ X / n
    W = np.zeros((d, d))
    if variance == "equal":
        sigma = np.min(np.linalg.norm(X, axis=0) / np.sqrt(n))
    else:
        sigma = np.linalg.norm(X, axis=0) / np.sqrt(n)
    s = list(s)
    mu = mu_init
    total = 0
    for i in range(T):
        lr_adam, success = lr, False
        inner = int(max_iter) if i == T - 1 else int(warm_iter)
        while not success:
            W_temp, sig_temp, success, steps = _minimize(
                cov, W.copy(), np.copy(sigma), mu, lam, inner, s[i], lr_adam, variance, Id,
                free_diagonal=free_diagonal)
            total += steps
            if not success:
                lr_adam *= 0.5
                s[i] += 0.1
        W, sigma = W_temp, sig_temp
        mu *= mu_factor
    return W, sigma, total


def colide_authors_compiled(X, lam=0.05, variance="equal", warm_iter=20000, max_iter=70000):
    """The authors' variant (diagonal of W free, no scale floor) run by our compiled engine.

    Step for step the same as :func:`colide_numpy` (tests/dag/test_engine.py checks it),
    at the speed of ``CoLiDE.fit``. Returns (raw W, sigma, total Adam steps).
    """
    from sparsestat._engine.families._colide import EQUAL_VARIANCE, NON_EQUAL_VARIANCE, colide_path

    Xc = X - X.mean(axis=0)
    n, d = X.shape
    C = Xc.T @ Xc / n
    scale = np.sqrt(np.diag(C))
    equal = variance == "equal"
    sigma = np.full(d, scale.min()) if equal else scale.copy()
    W = np.zeros((d, d))
    ones = np.ones((d, d))  # mask: every entry free, the diagonal included
    _, n_iter, _, _ = colide_path(
        C, W, sigma, EQUAL_VARIANCE if equal else NON_EQUAL_VARIANCE, lam, ones, ones, 1.0,
        0.1, np.array([1.0, 0.9, 0.8, 0.7]), 3e-4, 0.99, 0.999, 1e-8, warm_iter, max_iter,
        1e-6, 1000, np.zeros(d), False, 1000)
    return W, (sigma[0] if equal else sigma), n_iter


# ---------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------


def _postprocess(W, threshold=0.3):
    from sparsestat.dag._colide import threshold_to_dag

    return threshold_to_dag(W, threshold)


def _time(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _problem(d, k, seed, variance="equal"):
    from sparsestat.datasets import make_dag, make_linear_sem

    B = make_dag(d, k * d, graph_type="ER", random_state=seed)
    rng = np.random.default_rng(seed)
    var = 1.0 if variance == "equal" else rng.uniform(0.5, 10.0, size=d)
    X, _ = make_linear_sem(B, 1000, noise_variance=var, random_state=seed)
    return B, X


def compare(d, k, seeds, variance="equal"):
    """Interleave ours and the anchor on the same problems; one row of the table."""
    from sparsestat.dag import CoLiDE
    from sparsestat.metrics import dag_metrics

    ours_t, anchor_t, ratios, ours_shd, anchor_shd, ours_steps, anchor_steps = ([] for _ in
                                                                             range(7))
    for seed in seeds:
        B, X = _problem(d, k, seed, variance)
        est = CoLiDE(variance=variance)
        t_ours, _ = _time(lambda: est.fit(X))
        t_anchor, (W_np, _, steps) = _time(lambda: colide_numpy(X, variance=variance))
        ours_t.append(t_ours)
        anchor_t.append(t_anchor)
        ratios.append(t_anchor / t_ours)
        ours_shd.append(dag_metrics(B, est.adjacency_)["shd"])
        anchor_shd.append(dag_metrics(B, _postprocess(W_np))["shd"])
        ours_steps.append(est.n_iter_)
        anchor_steps.append(steps)
    return {
        "problem": f"ER{k} d={d} {variance[:3]}",
        "ours": statistics.median(ours_t), "ours_min": min(ours_t),
        "anchor": statistics.median(anchor_t), "anchor_min": min(anchor_t),
        "ratio": statistics.median(ratios),
        "shd_ours": float(np.mean(ours_shd)), "shd_anchor": float(np.mean(anchor_shd)),
        "steps_ours": int(np.median(ours_steps)), "steps_anchor": int(np.median(anchor_steps)),
    }


def ours_only(d, k, seeds, variance="equal"):
    from sparsestat.dag import CoLiDE
    from sparsestat.metrics import dag_metrics

    times, shds = [], []
    for seed in seeds:
        B, X = _problem(d, k, seed, variance)
        est = CoLiDE(variance=variance)
        t, _ = _time(lambda: est.fit(X))
        times.append(t)
        shds.append(dag_metrics(B, est.adjacency_)["shd"])
    return {"problem": f"ER{k} d={d} {variance[:3]}", "ours": statistics.median(times),
            "ours_min": min(times), "shd_ours": float(np.mean(shds)),
            "shd_sd": float(np.std(shds))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="d = 20 only")
    parser.add_argument("--large", action="store_true", help="also d = 200 (slow)")
    args = parser.parse_args()
    from sparsestat.dag import CoLiDE

    with threadpool_limits(limits=1):
        # warm up: compile or load the kernels before timing
        CoLiDE().fit(np.random.default_rng(0).standard_normal((50, 4)))
        settings = [(20, 2, "equal")]
        if not args.quick:
            settings += [(20, 2, "non-equal"), (50, 4, "equal")]
        print(f"{'problem':<18} {'ours (s)':>9} {'numpy (s)':>10} {'ratio':>6} "
              f"{'SHD ours':>9} {'SHD numpy':>10} {'steps ours':>11} {'steps numpy':>12}",
              flush=True)
        for d, k, variance in settings:
            r = compare(d, k, seeds=[1, 2, 3], variance=variance)
            print(f"{r['problem']:<18} {r['ours']:>9.2f} {r['anchor']:>10.2f} "
                  f"{r['ratio']:>6.1f} {r['shd_ours']:>9.1f} {r['shd_anchor']:>10.1f} "
                  f"{r['steps_ours']:>11d} {r['steps_anchor']:>12d}", flush=True)
        if not args.quick:
            big = [(100, "equal"), (100, "non-equal")] + ([(200, "equal")] if args.large else [])
            print()
            print("ours only (EV data for CoLiDE-EV, NV data for CoLiDE-NV), seed 1")
            print(f"{'problem':<18} {'ours (s)':>9} {'SHD ours':>9}", flush=True)
            for d, variance in big:
                r = ours_only(d, 4, seeds=[1], variance=variance)
                print(f"{r['problem']:<18} {r['ours']:>9.2f} {r['shd_ours']:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
