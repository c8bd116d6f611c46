"""Command line: ``python -m sparsestat demo`` and ``python -m sparsestat warmup``."""

import argparse


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sparsestat")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="fit every estimator on built-in data and print a report")
    demo.add_argument("--family", action="append", help="only this family (repeatable)")
    warm = sub.add_parser("warmup", help="compile or load every numba kernel")
    warm.add_argument("--family", action="append", help="only this family (repeatable)")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from ._demo import run_demo

        run_demo(args.family)
    else:
        from ._warmup import warmup

        warmup(args.family, verbose=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
