"""
=====================================================================
Engel food expenditure: aggregation, noncrossing and calibration
=====================================================================

Engel's data (statsmodels' bundled ``engel``: household income and food expenditure,
235 households) is the classic quantile-regression example: the spread of food
expenditure grows with income. We fit the default aggregator and its three base models
at levels 0.05..0.95, compare the weighted interval score of each on held-out
households, and show the calibrated 80% interval and the calibration of every model.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import statsmodels.api as sm
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from sparsestat.metrics import (interval_coverage, quantile_calibration_error,
                                weighted_interval_score)
from sparsestat.quantile import QuantileAggregator

warnings.simplefilter("ignore", ConvergenceWarning)

data = sm.datasets.engel.load_pandas().data
X = np.log(data[["income"]].to_numpy())
y = np.log(data["foodexp"].to_numpy())
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
taus = np.round(np.arange(1, 20) * 0.05, 2)

agg = QuantileAggregator(quantiles=taus, noncrossing="isotonic", random_state=0)
agg.fit(X_train, y_train)
print(f"{'model':<12} {'test WIS':>9} {'calib. error':>13}")
for name, model in zip(agg.estimator_names_, agg.base_estimators_):
    Q = np.sort(model.predict(X_test), axis=1)
    print(f"{name:<12} {weighted_interval_score(y_test, Q, taus):>9.4f} "
          f"{quantile_calibration_error(y_test, Q, taus):>13.3f}")
Q_agg = agg.predict(X_test)
print(f"{'aggregate':<12} {weighted_interval_score(y_test, Q_agg, taus):>9.4f} "
      f"{quantile_calibration_error(y_test, Q_agg, taus):>13.3f}")
print("80% interval coverage:",
      round(interval_coverage(y_test, agg.predict_interval(X_test, 0.8)), 3))
print("weights of level 0.5 (linear, hgb, knn):",
      agg.weights_[taus.size // 2].round(2))

# %%
grid = np.linspace(X.min(), X.max(), 200)[:, None]
band = agg.predict_interval(grid, 0.8)
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
ax = axes[0]
ax.scatter(X_train[:, 0], y_train, s=8, color="grey", label="train")
ax.scatter(X_test[:, 0], y_test, s=10, color="k", label="test")
ax.fill_between(grid[:, 0], band[:, 0], band[:, 1], alpha=0.3, label="80% interval")
ax.plot(grid[:, 0], agg.predict(grid)[:, taus.size // 2], label="median")
ax.set_xlabel("log income")
ax.set_ylabel("log food expenditure")
ax.legend()

ax = axes[1]
for name, model in zip(agg.estimator_names_, agg.base_estimators_):
    Q = np.sort(model.predict(X_test), axis=1)
    ax.plot(taus, (y_test[:, None] <= Q).mean(axis=0), marker=".", label=name)
ax.plot(taus, (y_test[:, None] <= Q_agg).mean(axis=0), marker="o", color="k",
        label="aggregate")
ax.plot([0, 1], [0, 1], ls="--", color="grey")
ax.set_xlabel("nominal level tau")
ax.set_ylabel("observed P(y <= q_tau)")
ax.legend()
fig.tight_layout()
plt.show()
