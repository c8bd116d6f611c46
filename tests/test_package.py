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
