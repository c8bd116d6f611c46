"""Package-level promises: cheap import, warmup, demo, numba cache fallback, discovery."""

import io
import subprocess
import sys

import pytest

import sparsestat
from sparsestat.utils import all_estimators


def test_import_does_not_load_heavy_dependencies():
    code = (
        "import sys, sparsestat\n"
        "from sparsestat._warmup import public_families\n"
        "import importlib\n"
        "for name in public_families(): importlib.import_module('sparsestat.' + name)\n"
        "heavy = [m for m in ('cvxpy', 'matplotlib', 'networkx', 'torch', 'dask', "
        "'distributed') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"importing sparsestat's families loaded {out}"


def test_warmup_reports_timings():
    timings = sparsestat.warmup(["linear_model"])
    assert set(timings) == {"linear_model"}
    assert timings["linear_model"] >= 0


def test_demo_prints_a_table_for_linear_models():
    from sparsestat._demo import run_demo

    buffer = io.StringIO()
    rows = run_demo(["linear_model"], file=buffer)
    text = buffer.getvalue()
    assert len(rows) >= 2
    assert "Lasso" in text and "fit (s)" in text
    assert all(0 < row["score"] <= 1 for row in rows)


def test_all_estimators_filters():
    names = [name for name, _ in all_estimators(type_filter="regressor")]
    assert "Lasso" in names
    with pytest.raises(ValueError, match="type_filter"):
        all_estimators(type_filter="nonsense")


def test_command_line_demo_runs():
    out = subprocess.run(
        [sys.executable, "-m", "sparsestat", "demo", "--family", "linear_model"],
        capture_output=True, text=True, check=True).stdout
    assert "sparsestat demo" in out and "ElasticNet" in out


def test_subpackages_load_lazily_on_attribute_access():
    from sparsestat._warmup import public_families

    assert set(sparsestat._SUBPACKAGES) == set(public_families())
    code = (
        "import sys, sparsestat\n"
        "assert 'sparsestat.linear_model' not in sys.modules\n"
        "Lasso = sparsestat.linear_model.Lasso\n"
        "assert 'sparsestat.linear_model' in sys.modules and 'sparsestat.dag' not in sys.modules\n"
        "assert 'dag' in dir(sparsestat)\n"
        "try:\n"
        "    sparsestat.nope\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "module 'sparsestat' has no attribute 'nope'"


def test_cli_version_list_and_family_check(capsys):
    from sparsestat.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sparsestat {sparsestat.__version__}"
    assert main(["demo", "--list"]) == 0
    listed = capsys.readouterr().out.split()
    assert "linear_model" in listed and "dag" in listed
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--family", "nope"])
    assert exit_info.value.code == 2  # argparse's usage error, not a traceback
    assert "invalid choice: 'nope'" in capsys.readouterr().err


def test_demo_csv_and_json_formats_carry_the_rows():
    import csv
    import json

    from sparsestat._demo import run_demo

    buffer = io.StringIO()
    rows = run_demo(["privacy"], file=buffer, fmt="csv")
    parsed = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert parsed[0] == ["estimator", "data", "metric", "score", "fit_time"]
    assert [r[0] for r in parsed[1:]] == [row["estimator"] for row in rows]
    buffer = io.StringIO()
    rows = run_demo(["privacy"], file=buffer, fmt="json")
    assert [r["score"] for r in json.loads(buffer.getvalue())] == [row["score"] for row in rows]


def test_demo_quick_runs_the_smaller_rows(capsys):
    from sparsestat.__main__ import main

    assert main(["demo", "--quick", "--family", "privacy", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4  # header + the three protocols
    assert all("1e5 users" in line for line in lines[1:])  # the quick data, not 1e6
    # a family without a ``quick`` argument runs its usual rows
    from sparsestat._demo import _family_rows

    assert len(list(_family_rows("ordinal", quick=True))) >= 2


def test_demo_table_wraps_long_cells_and_keeps_numbers_aligned():
    from sparsestat._demo import _table_lines

    short = _table_lines(dict(estimator="Lasso", data="diabetes", metric="R^2", score=0.5,
                              fit_time=0.01))
    long = _table_lines(dict(estimator="GeneralizedLinearEstimator",
                             data="simulated 400x2000, 10 active (y > median) and more text",
                             metric="a rather long metric name here", score=12.25,
                             fit_time=1.5))
    assert len(short) == 1 and len(long) >= 2
    # the score column ends at the same place in both rows: no overflow pushes it right
    assert len(short[0]) == len(long[0])
    assert long[0].endswith("12.2500     1.50")
    assert "median)" in " ".join(long)


def test_warmup_counter_counts_only_families_with_kernels():
    buffer = io.StringIO()
    timings = sparsestat.warmup(["datasets", "linear_model", "metrics"], verbose=True,
                                file=buffer)
    assert list(timings) == ["linear_model"]
    # was "[1/3]": the families without a warm-up hook were counted but never reported
    assert "[1/1] linear_model" in buffer.getvalue()


def test_demo_prints_each_row_as_its_fit_ends(monkeypatch):
    import sparsestat.privacy._demo as family_demo
    from sparsestat._demo import run_demo

    def rows(quick=False):
        yield dict(estimator="First", data="d", metric="m", score=1.0, fit_time=0.1)
        raise RuntimeError("the second fit failed")

    monkeypatch.setattr(family_demo, "demo_rows", rows)
    buffer = io.StringIO()
    with pytest.raises(RuntimeError):
        run_demo(["privacy"], file=buffer)
    # the first row was printed before the family's second fit started
    assert any(line.startswith("First ") for line in buffer.getvalue().splitlines())
