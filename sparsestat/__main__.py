"""Command line: ``python -m sparsestat [--version] demo | warmup | cache``."""

import argparse
import os


def _print_cache_info():
    from ._engine._numba import cache_info

    info = cache_info()
    print(f"cache root: {info['root']}")
    print(f"this version: {info['current']}")
    if not info["versions"]:
        print("(empty)")
    for name, size, count, current in info["versions"]:
        mark = "  <- current" if current else ""
        print(f"  {name:<48} {size / 2**20:8.1f} MiB  {count:5d} kernels{mark}")
    if info["legacy"]:
        size = sum(os.path.getsize(p) for p in info["legacy"] if os.path.exists(p))
        print(f"old in-package numba cache files (never read): {len(info['legacy'])}, "
              f"{size / 2**20:.1f} MiB")


def main(argv=None):
    from . import __version__
    from ._demo import demo_families
    from ._warmup import public_families

    parser = argparse.ArgumentParser(prog="python -m sparsestat")
    parser.add_argument("--version", action="version", version=f"sparsestat {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="fit every estimator on built-in data and print a report")
    demo.add_argument("--family", action="append", choices=demo_families(),
                      help="only this family (repeatable)")
    demo.add_argument("--list", action="store_true",
                      help="list the families the demo runs, and exit")
    demo.add_argument("--format", choices=("table", "csv", "json"), default="table",
                      help="an aligned table (default), CSV rows, or one JSON list")
    demo.add_argument("--quick", action="store_true",
                      help="smaller data and fewer fits: every family in seconds "
                           "(once the kernels are cached)")
    demo.add_argument("--jobs", type=int, default=None,
                      help="processes for the warm-up before the fits (default: all CPUs; "
                           "with --quick no separate warm-up)")
    warm = sub.add_parser("warmup", help="compile or load every numba kernel")
    warm.add_argument("--family", action="append", choices=public_families(),
                      help="only this family (repeatable)")
    warm.add_argument("--jobs", type=int, default=1, help="number of processes (default 1)")
    cache = sub.add_parser("cache", help="where compiled kernels are kept; clear old ones")
    cache.add_argument("--info", action="store_true", help="show the cache folders and sizes")
    cache.add_argument("--clear", action="store_true",
                       help="delete the kernels of other sparsestat versions / sources")
    cache.add_argument("--all", action="store_true", help="with --clear: this version's too")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from ._demo import run_demo

        if args.list:
            print("\n".join(demo_families()))
            return 0
        jobs = args.jobs if args.jobs is not None else (
            1 if args.quick else os.cpu_count() or 1)
        run_demo(args.family, jobs=jobs, fmt=args.format, quick=args.quick)
    elif args.command == "warmup":
        from ._warmup import warmup

        warmup(args.family, verbose=True, jobs=args.jobs)
    else:
        if args.all and not args.clear:
            parser.error("--all goes with --clear")
        if args.clear:
            from ._engine._numba import clear_cache

            removed = clear_cache(everything=args.all)
            print(f"removed {len(removed)} cache folders / files")
        if args.info or not args.clear:
            _print_cache_info()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
