"""
=====================================================================
Engel food expenditure: aggregation, noncrossing and calibration
=====================================================================

Engel's data (statsmodels' bundled ``engel``: household income and food expenditure,
235 households) is the classic quantile-regression example: the spread of food
expenditure grows with income. We fit the default aggregator and its three base models
at levels 0.05..0.95, compare the weighted interval score of each on held-out
households, and draw the aggregate's fan chart and the calibration of every model.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import statsmodels.api as sm
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from sparsestat.metrics import (interval_coverage, quantile_calibration_error,
                                weighted_interval_score)
from sparsestat.quantile import (QuantileAggregator, QuantileCalibrationDisplay,
                                 QuantileFanDisplay)

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
# :class:`~sparsestat.quantile.QuantileFanDisplay` draws the aggregate's predicted
# quantiles as nested bands (0.05-0.95 outermost) against log income;
# :class:`~sparsestat.quantile.QuantileCalibrationDisplay` plots the observed coverage of
# every level on the held-out households against its nominal level, one curve per model.
grid = np.linspace(X.min(), X.max(), 200)[:, None]
fig, axes = plt.subplots(1, 2, figsize=(8, 3.6))
fan = QuantileFanDisplay.from_estimator(agg, grid, feature=0, ax=axes[0])
axes[0].scatter(X_test[:, 0], y_test, s=10, color="k", label="test", zorder=3)
axes[0].set_xlabel("log income")
axes[0].set_ylabel("log food expenditure")
axes[0].get_legend().remove()  # nine bands: the colour depth says it

for i, (name, model) in enumerate(zip(agg.estimator_names_, agg.base_estimators_)):
    QuantileCalibrationDisplay.from_predictions(
        y_test, np.sort(model.predict(X_test), axis=1), taus, name=name, ax=axes[1],
        ref_line=i == 0)
QuantileCalibrationDisplay.from_predictions(y_test, Q_agg, taus, name="aggregate",
                                            ax=axes[1], ref_line=False)
fig.tight_layout()
plt.show()
