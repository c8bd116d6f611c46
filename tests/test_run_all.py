"""benchmarks/run_all.py rewrites only its own sections of RESULTS.rst and the README."""

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "run_all", os.path.join(ROOT, "benchmarks", "run_all.py"))
run_all = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_all)

ENV = {"date": "2026-12-07 19:00 UTC", "machine": "m", "cpu": "c", "python": "3",
       "versions": {"skglm": "0.5"}, "load": "1.0 1.0 1.0"}


def _result(value, quick=False):
    return {"kind": "rows", "title": "Lasso", "notes": "", "quick": quick, "env": ENV,
            "rows": [{"problem": "p", "solver": "ours", "median s": value}],
            "readme": [["Lasso p", f"{value} s", "skglm 2.00x"]]}


def test_rst_section_replaced_between_markers_only():
    text = ("Title\n-----\n\nhand analysis\n\n.. run_all:begin lasso\nold table\n"
            ".. run_all:end lasso\n\nmore prose\n\n.. run_all:begin cv\nkept\n"
            ".. run_all:end cv\n")
    new = run_all.update_rst(text, "lasso", _result("0.123"))
    assert "old table" not in new and "0.123" in new and "skglm 0.5" in new
    assert new.startswith("Title\n-----\n\nhand analysis\n\n.. run_all:begin lasso\n")
    assert new.endswith("more prose\n\n.. run_all:begin cv\nkept\n.. run_all:end cv\n")
    # again: the same section, not a second one
    again = run_all.update_rst(new, "lasso", _result("0.456"))
    assert again.count(".. run_all:begin lasso") == 1 and "0.123" not in again


def test_rst_section_appended_when_missing():
    new = run_all.update_rst("Intro\n", "multitask", _result("0.5"))
    assert new.startswith("Intro\n\nLasso (generated)\n")
    assert ".. run_all:begin multitask" in new and new.rstrip().endswith(
        ".. run_all:end multitask")


@pytest.mark.parametrize("quick", [False, True])
def test_readme_table_between_markers(tmp_path, quick):
    (tmp_path / "README.md").write_text(
        "head\n<!-- run_all:begin speed table -->\nstale\n<!-- run_all:end speed table -->\n"
        "tail\n")
    run_all.update_readme({"lasso": _result("0.1", quick)}, root=str(tmp_path))
    text = (tmp_path / "README.md").read_text()
    assert "stale" not in text and "| Lasso p | 0.1 s | skglm 2.00x |" in text
    assert text.startswith("head\n") and text.endswith("tail\n")
    assert ("--quick" in text) == quick
