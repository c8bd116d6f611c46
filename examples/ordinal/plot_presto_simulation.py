"""
====================================================================
PRESTO against proportional odds and logistic regression: simulation
====================================================================

The sparse design of Faletto and Bien (2023): ``n = 2500``, ``p = 10``, four classes with
intercepts ``(0, 3, 5)`` (the top class has about 1% of the samples), ``beta_1`` and each
difference between adjacent thresholds nonzero with probability 1/2. We compare the mean
squared error of ``P(y = 4 | x)`` against the truth on fresh data for a few repetitions
(the slow test in ``tests/ordinal`` runs more).
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from sparsestat.ordinal import PRESTOClassifierCV, ProportionalOddsClassifier
from sparsestat.ordinal._simulation import make_presto_simulation

n_reps = 6
mse = np.empty((n_reps, 3))
for rep in range(n_reps):
    X, y, _, _, X_test, P_test = make_presto_simulation(2500, 10, n_test=2500,
                                                        random_state=rep)
    truth = P_test[:, -1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        presto = PRESTOClassifierCV().fit(X, y)
        po = ProportionalOddsClassifier().fit(X, y)
        logit = LogisticRegression(C=np.inf, max_iter=5000).fit(X, y == 3)
    mse[rep] = [np.mean((presto.predict_proba(X_test)[:, -1] - truth) ** 2),
                np.mean((po.predict_proba(X_test)[:, -1] - truth) ** 2),
                np.mean((logit.predict_proba(X_test)[:, 1] - truth) ** 2)]

names = ["PRESTO (CV)", "proportional odds", "logistic on rare"]
for name, column in zip(names, mse.T):
    print(f"{name:<20} mean MSE {column.mean():.2e}")

fig, ax = plt.subplots(figsize=(6, 4))
ax.boxplot(1e4 * mse, tick_labels=names)
ax.set_ylabel("MSE of P(y = 4 | x)  (x 1e-4)")
ax.set_title("Rare-class probability error, 6 repetitions")
fig.tight_layout()
plt.show()
