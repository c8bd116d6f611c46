"""EV vs NV on the authors' heteroscedastic protocol, for us and for the authors' algorithm.

The paper reports CoLiDE-NV ahead of CoLiDE-EV on heteroscedastic graphs; this script
checks it on the data protocol of the authors' code (per-node noise *variances*
U(0.5, 10), n = 1000) with our estimator and with the numpy transcription of the
authors' loop kept in ``bench_colide.py``. Mean SHD over seeds 1-5.

Run::

    python benchmarks/colide_ev_vs_nv.py 2 50          # ER2, d = 50
    python benchmarks/colide_ev_vs_nv.py 4 50          # ER4, d = 50
    python benchmarks/colide_ev_vs_nv.py 2 50 --std    # standard deviations U(0.5, 10)
"""

import argparse
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

from bench_colide import _postprocess, colide_numpy
from sparsestat.dag import CoLiDE
from sparsestat.datasets import make_dag, make_linear_sem
from sparsestat.metrics import dag_metrics


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("k", type=int, help="ER graph with k * d edges")
    parser.add_argument("d", type=int, help="number of nodes")
    parser.add_argument("--std", action="store_true",
                        help="draw the noise standard deviations (not variances) from U(0.5, 10)")
    parser.add_argument("--ours-only", action="store_true", help="skip the numpy anchor")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    contenders = ("ours",) if args.ours_only else ("ours", "authors")
    shd = {(v, c): [] for v in ("equal", "non-equal") for c in contenders}
    with threadpool_limits(limits=1):
        for seed in range(1, 6):
            B = make_dag(args.d, args.k * args.d, graph_type="ER", random_state=seed)
            var = np.random.default_rng(seed).uniform(0.5, 10.0, size=args.d)
            X, _ = make_linear_sem(B, 1000, noise_variance=var ** 2 if args.std else var,
                                   random_state=seed)
            for variance in ("equal", "non-equal"):
                est = CoLiDE(variance=variance).fit(X)
                shd[variance, "ours"].append(dag_metrics(B, est.adjacency_)["shd"])
                if not args.ours_only:
                    W, _, _ = colide_numpy(X, variance=variance)
                    shd[variance, "authors"].append(dag_metrics(B, _postprocess(W))["shd"])
            print(f"seed {seed}: " + ", ".join(f"{v} {c} {s[-1]}" for (v, c), s in shd.items()),
                  flush=True)
    for (variance, who), values in shd.items():
        print(f"{who:<8} {variance:<10} mean SHD {np.mean(values):6.1f}  {values}")


if __name__ == "__main__":
    main()
