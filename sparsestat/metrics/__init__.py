"""Metrics for the sparsestat estimators (DAG recovery, quantile forecasts, ...)."""

from ._dag import dag_metrics
from ._quantile import (interval_coverage, pinball_loss, quantile_calibration_error,
                        weighted_interval_score)
from ._survival import concordance_index

__all__ = ["dag_metrics", "pinball_loss", "weighted_interval_score", "interval_coverage",
           "quantile_calibration_error", "concordance_index"]
