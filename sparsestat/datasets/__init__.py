"""Simulators and small bundled data sets."""

from ._dag import load_sachs, make_dag, make_linear_sem

__all__ = ["load_sachs", "make_dag", "make_linear_sem"]
