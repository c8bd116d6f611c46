"""Metrics for the sparsestat estimators (DAG recovery, quantile forecasts, ...)."""

__all__ = []
