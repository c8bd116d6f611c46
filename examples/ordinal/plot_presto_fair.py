"""
===========================================================
PRESTO on marriage ratings: predicting the rare "very poor"
===========================================================

statsmodels ships the ``fair`` data (6366 women, Redbook survey 1974): ``rate_marriage``
runs from 1 (very poor) to 5 (very good), and only 1.6% answered "very poor". We order
the classes so that this rare level comes last (``classes=[5, 4, 3, 2, 1]``) and compare
three ways of predicting it:

* :class:`~sparsestat.ordinal.ProportionalOddsClassifier`: one weight vector for all
  thresholds (stable, but the rare threshold cannot differ);
* logistic regression on ``1{y = very poor}``: its own weights, estimated from about 70
  events only;
* :class:`~sparsestat.ordinal.PRESTOClassifierCV`: separate weights per threshold, with an
  L1 penalty on the *differences* between adjacent thresholds, chosen by 5-fold CV.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from statsmodels.datasets import fair

from sparsestat.ordinal import PRESTOClassifierCV, ProportionalOddsClassifier

data = fair.load_pandas().data
features = [c for c in data.columns if c != "rate_marriage"]
X = data[features].to_numpy(dtype=float)
y = data["rate_marriage"].to_numpy().astype(int)
order = [5, 4, 3, 2, 1]  # "very good" first, the rare "very poor" last
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, stratify=y,
                                                    random_state=0)

presto = PRESTOClassifierCV(alphas=20, eps=1e-3, classes=order).fit(X_train, y_train)
po = ProportionalOddsClassifier(classes=order).fit(X_train, y_train)
logit = LogisticRegression(C=np.inf, max_iter=5000).fit(X_train, y_train == 1)

# %%
# Held-out scores for the rare class
# ----------------------------------
# Brier score and log loss of ``P(very poor | x)``; lower is better.
rare = (y_test == 1).astype(float)
preds = {
    "PRESTO (CV)": presto.predict_proba(X_test)[:, -1],
    "proportional odds": po.predict_proba(X_test)[:, -1],
    "logistic on rare": logit.predict_proba(X_test)[:, 1],
}
for name, p in preds.items():
    p = np.clip(p, 1e-12, 1 - 1e-12)
    brier = np.mean((p - rare) ** 2)
    logloss = -np.mean(rare * np.log(p) + (1 - rare) * np.log(1 - p))
    print(f"{name:<20} Brier {brier:.5f}   log loss {logloss:.4f}")

# %%
# Cross-validation curve and the fitted differences
# -------------------------------------------------
# ``psi_[0]`` is the common weight vector of the first threshold; the next rows are the
# differences between adjacent thresholds. Zero differences mean proportional odds holds
# for that feature and threshold.
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3.6))
ax1.semilogx(presto.alphas_, presto.mean_brier_, marker="o")
ax1.axvline(presto.alpha_, color="k", linestyle="--", label="chosen alpha")
ax1.set_xlabel("alpha")
ax1.set_ylabel("mean held-out Brier score")
ax1.legend()
limit = np.abs(presto.psi_).max()
im = ax2.imshow(presto.psi_, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
ax2.set_yticks(range(4), ["beta_1", "beta_2 - beta_1", "beta_3 - beta_2", "beta_4 - beta_3"])
ax2.set_xticks(range(len(features)), features, rotation=45, ha="right")
ax2.set_title("PRESTO psi at the chosen alpha")
fig.colorbar(im, ax=ax2)
fig.tight_layout()
plt.show()
