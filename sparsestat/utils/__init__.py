"""Utilities: estimator discovery and shared validation helpers."""

from ._discovery import all_estimators

__all__ = ["all_estimators"]
