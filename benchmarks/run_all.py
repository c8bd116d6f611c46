"""Run every benchmark and regenerate ``benchmarks/RESULTS.rst`` and the README's table.

Usage::

    python benchmarks/run_all.py [--quick] [--only lasso multitask ...] [--no-write]

Each ``bench_<name>.py`` contributes its own section. A bench module that defines
``rows(quick=False)`` (a list of dicts, one per table row; optional ``TITLE``, ``NOTES``
and ``readme_rows(rows)`` giving ``(problem, ours, versus)`` lines for the README) is
imported and called; any other bench runs as a script (``python bench_<name>.py``, with
``--quick`` when asked) and its printed output becomes its section. The results of every
bench run so far are kept in ``benchmarks/results.json`` (with the date, machine, CPU,
load average and the versions of every contender), so ``--only`` refreshes some sections
and leaves the others as they were.

In RESULTS.rst a generated section sits between the comment lines
``.. run_all:begin <name>`` and ``.. run_all:end <name>``; text outside these markers
(hand-written analysis, sections other scripts maintain) is left alone. A bench whose
markers are missing gets a new section at the end of the file. In the README, the table
between ``<!-- run_all:begin speed table -->`` and ``<!-- run_all:end speed table -->``
is rebuilt from the ``readme_rows`` of every bench in results.json.
"""

import argparse
import datetime
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS_RST = os.path.join(HERE, "RESULTS.rst")
RESULTS_JSON = os.path.join(HERE, "results.json")
README_NAMES = ("README.rst", "README.md")
CONTENDERS = ("sparsestat", "numpy", "scipy", "numba", "scikit-learn", "skglm", "celer",
              "glum", "lifelines", "scikit-survival", "cvxpy", "dask-ml", "dagma")
# a bench run as a script longer than this is stopped (its section says so)
SCRIPT_TIMEOUT = 3600
# with --quick, scripts without a --quick option of their own get these arguments
QUICK_ARGS = {
    "compile": ["linear_model", "--only", "fit"],
    "interrupt": ["--repeat", "1", "--repeat-signal", "1"],
    "presto": ["--repeat", "1"],
    "quantile": ["--shapes", "--cap", "10"],
    "scaleout": ["--rows", "2e5", "--block-rows", "50000", "--no-anchor"],
}


def bench_names():
    return sorted(f[len("bench_"):-3] for f in os.listdir(HERE)
                  if f.startswith("bench_") and f.endswith(".py"))


def environment():
    """Date, machine, CPU, load and the versions of every contender installed."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = {}
    for name in CONTENDERS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.node()} ({platform.system()} {platform.machine()}, "
                   f"{os.cpu_count()} cores)",
        "cpu": cpu, "python": platform.python_version(), "versions": versions,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def run_bench(name, quick):
    """``{"kind": "rows" | "text", ...}`` for one bench."""
    start = time.perf_counter()
    env = environment()
    module_name = f"bench_{name}"
    # importing a bench must not run it: only modules that define rows() are imported
    with open(os.path.join(HERE, module_name + ".py")) as fh:
        has_rows = "\ndef rows(" in fh.read()
    if has_rows:
        sys.path.insert(0, HERE)
        module = importlib.import_module(module_name)
        table = module.rows(quick=quick)
        out = {"kind": "rows", "rows": table,
               "title": getattr(module, "TITLE", name),
               "notes": getattr(module, "NOTES", ""),
               "readme": [list(r) for r in module.readme_rows(table)]
               if hasattr(module, "readme_rows") else []}
    else:
        cmd = [sys.executable, os.path.join(HERE, module_name + ".py")]
        if quick:
            cmd += ["--quick"] if _accepts_quick(name) else QUICK_ARGS.get(name, [])
        try:
            done = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True,
                                  timeout=SCRIPT_TIMEOUT)
            text = done.stdout + (f"\n(exit status {done.returncode})\n{done.stderr[-2000:]}"
                                  if done.returncode else "")
        except subprocess.TimeoutExpired:
            text = f"(stopped after {SCRIPT_TIMEOUT} s)"
        out = {"kind": "text", "text": text, "title": name,
               "command": " ".join(["python", f"benchmarks/{module_name}.py"] + cmd[2:])}
    out.update(env=env, quick=quick, seconds=round(time.perf_counter() - start, 1))
    return out


def _accepts_quick(name):
    with open(os.path.join(HERE, f"bench_{name}.py")) as fh:
        return "--quick" in fh.read()


def rst_table(rows):
    columns = list(rows[0])
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    rule = "  ".join("=" * w for w in widths)
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa
    return "\n".join([rule, line(columns), rule] + [line(r) for r in cells] + [rule])


def render_section(name, result):
    env = result["env"]
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    quick = " ``--quick`` (smaller problems: a smoke test, not the claim)," \
        if result["quick"] else ""
    head = (f"``python benchmarks/run_all.py --only {name}``,{quick} {env['date']}, "
            f"{env['machine']}, {env['cpu']}, load average {env['load']} at the start, "
            f"Python {env['python']}; {versions}.")
    parts = [f".. run_all:begin {name}", "", head, ""]
    if result["kind"] == "rows":
        if result.get("notes"):
            parts += [result["notes"], ""]
        parts += [rst_table(result["rows"]) if result["rows"] else "(no rows)", ""]
    else:
        parts += [f"``{result['command']}`` printed::", ""]
        parts += ["    " + line for line in result["text"].rstrip().splitlines()] or ["    -"]
        parts.append("")
    parts.append(f".. run_all:end {name}")
    return "\n".join(parts)


def update_rst(text, name, result):
    """Replace the section between ``name``'s markers, or append a new section."""
    begin, end = f".. run_all:begin {name}", f".. run_all:end {name}"
    body = render_section(name, result)
    if begin in text and end in text:
        i, j = text.index(begin), text.index(end) + len(end)
        return text[:i] + body + text[j:]
    title = f"{result['title']} (generated)"
    return text.rstrip("\n") + f"\n\n{title}\n{'-' * len(title)}\n\n{body}\n"


def readme_table(results):
    lines = ["| problem | ours | their time / ours (> 1: we are faster) |", "|---|---|---|"]
    for name in sorted(results):
        for problem, ours, versus in results[name].get("readme", []):
            lines.append(f"| {problem} | {ours} | {versus} |")
    runs = [f"bench_{name} {r['env']['date']}, load average {r['env']['load']}"
            + (", --quick: smaller problems, not the claims" if r["quick"] else "")
            for name, r in sorted(results.items()) if r.get("readme")]
    lines.append("")
    lines.append("(generated by `benchmarks/run_all.py`, as in benchmarks/RESULTS.rst: "
                 + "; ".join(runs) + ")")
    return "\n".join(lines)


def update_readme(results, root=ROOT):
    for fname in README_NAMES:
        begin, end = "<!-- run_all:begin speed table -->", "<!-- run_all:end speed table -->"
        path = os.path.join(root, fname)
        if not os.path.exists(path):
            continue
        with open(path) as fh:
            text = fh.read()
        if fname.endswith(".rst"):
            begin, end = ".. run_all:begin speed table", ".. run_all:end speed table"
        if begin not in text or end not in text:
            print(f"{fname}: no speed-table markers, left alone")
            continue
        i, j = text.index(begin) + len(begin), text.index(end)
        text = text[:i] + "\n" + readme_table(results) + "\n" + text[j:]
        with open(path, "w") as fh:
            fh.write(text)
        print(f"rewrote the speed table of {fname}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller problems (each bench's --quick), a smoke test")
    parser.add_argument("--only", nargs="+", choices=bench_names(), metavar="NAME",
                        help=f"these benches only, of: {' '.join(bench_names())}")
    parser.add_argument("--no-write", action="store_true",
                        help="print, do not rewrite RESULTS.rst / README / results.json")
    args = parser.parse_args()
    names = args.only or bench_names()
    stored = {}
    if os.path.exists(RESULTS_JSON):
        with open(RESULTS_JSON) as fh:
            stored = json.load(fh)
    with open(RESULTS_RST) as fh:
        rst = fh.read()
    for name in names:
        print(f"== bench_{name}", flush=True)
        result = run_bench(name, args.quick)
        print(render_section(name, result), flush=True)
        stored[name] = result
        rst = update_rst(rst, name, result)
    if args.no_write:
        return
    with open(RESULTS_JSON, "w") as fh:
        json.dump(stored, fh, indent=1, sort_keys=True)
        fh.write("\n")
    with open(RESULTS_RST, "w") as fh:
        fh.write(rst)
    update_readme(stored)


if __name__ == "__main__":
    main()
