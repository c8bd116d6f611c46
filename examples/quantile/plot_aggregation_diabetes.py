"""
=====================================================
Quantile aggregation vs its base models (diabetes)
=====================================================

:class:`~sparsestat.quantile.QuantileAggregator` cross-fits three quantile models (sparse
linear, gradient boosting, k nearest neighbours), learns simplex weights per level
("medium") on their out-of-fold predictions, sorts the levels so they never cross, and
calibrates the intervals conformally (CQR) on a held-out split. We compare its weighted
interval score (WIS, lower is better) and the coverage of its 80% interval with those of
each base model on scikit-learn's diabetes data (30% held out), then look at the
intervals and at a calibration plot.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from sparsestat.metrics import interval_coverage, weighted_interval_score
from sparsestat.quantile import QuantileAggregator

warnings.simplefilter("ignore", ConvergenceWarning)  # tied integer targets

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
taus = np.round(np.arange(1, 20) * 0.05, 2)
agg = QuantileAggregator(quantiles=taus, weights="medium", random_state=0)
agg.fit(X_train, y_train)

lo, hi = np.flatnonzero(np.isclose(taus, 0.1))[0], np.flatnonzero(np.isclose(taus, 0.9))[0]
print(f"{'model':<12} {'test WIS':>9} {'80% coverage':>13}")
scores = {}
for name, model in zip(agg.estimator_names_, agg.base_estimators_):
    Q = np.sort(model.predict(X_test), axis=1)
    scores[name] = weighted_interval_score(y_test, Q, taus)
    print(f"{name:<12} {scores[name]:>9.2f} "
          f"{interval_coverage(y_test, Q[:, lo], Q[:, hi]):>13.3f}")
Q_agg = agg.predict(X_test)
scores["aggregate"] = weighted_interval_score(y_test, Q_agg, taus)
print(f"{'aggregate':<12} {scores['aggregate']:>9.2f} "
      f"{interval_coverage(y_test, agg.predict_interval(X_test, 0.8)):>13.3f}")

# %%
# Intervals on the test set, sorted by the predicted median
order = np.argsort(Q_agg[:, taus.size // 2])
interval = agg.predict_interval(X_test, coverage=0.8)[order]
# one figure per section: the gallery draws a section's figures when the section ends
fig, ax = plt.subplots(figsize=(6, 4))
ax.fill_between(np.arange(order.size), interval[:, 0], interval[:, 1], alpha=0.3,
                label="calibrated 80% interval")
ax.plot(Q_agg[order, taus.size // 2], color="C0", label="median")
ax.scatter(np.arange(order.size), y_test[order], s=8, color="k", label="held-out y")
ax.set_xlabel("test sample (sorted by predicted median)")
ax.set_ylabel("disease progression")
ax.legend(loc="upper left")
fig.tight_layout()

# %%
# Calibration: observed frequency of ``y <= q_tau`` against ``tau``
fig, ax = plt.subplots(figsize=(6, 4))
for name, model in zip(agg.estimator_names_, agg.base_estimators_):
    Q = np.sort(model.predict(X_test), axis=1)
    ax.plot(taus, (y_test[:, None] <= Q).mean(axis=0), marker=".", label=name)
ax.plot(taus, (y_test[:, None] <= Q_agg).mean(axis=0), marker="o", color="k",
        label="aggregate (calibrated)")
ax.plot([0, 1], [0, 1], ls="--", color="grey")
ax.set_xlabel("nominal level tau")
ax.set_ylabel("observed P(y <= q_tau)")
ax.legend()
fig.tight_layout()
plt.show()
