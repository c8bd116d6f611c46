"""PRESTOClassifierCV: metadata routing to the splitter and the 1-SE rule (issue 14)."""

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GroupKFold

from sparsestat.ordinal import PRESTOClassifierCV


def _data(n=240):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(n, 4))
    y = np.digitize(2 * X[:, 0] + rng.logistic(size=n), [-1.0, 1.0, 2.5])
    return X, y


def test_presto_cv_routes_groups():
    X, y = _data()
    groups = np.arange(X.shape[0]) % 3
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        PRESTOClassifierCV(alphas=5, cv=GroupKFold(3)).fit(X, y, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        routed = PRESTOClassifierCV(alphas=5, cv=GroupKFold(3)).fit(X, y, groups=groups)
    by_hand = PRESTOClassifierCV(
        alphas=5, cv=list(GroupKFold(3).split(X, y, groups))).fit(X, y)
    np.testing.assert_allclose(routed.brier_path_, by_hand.brier_path_)


def test_presto_cv_one_se_rule():
    X, y = _data()
    m = PRESTOClassifierCV(alphas=10, cv=3).fit(X, y)
    mean, folds = m.mean_brier_, m.brier_path_.T
    best = int(np.argmin(mean))
    se = folds.std(axis=1, ddof=1) / np.sqrt(folds.shape[1])
    assert m.alpha_ == m.alpha_min_ == m.alphas_[best]
    assert m.alpha_1se_ == np.max(m.alphas_[mean <= mean[best] + se[best]])
    s = PRESTOClassifierCV(alphas=10, cv=3, alpha_select="1se").fit(X, y)
    assert s.alpha_ == s.alpha_1se_ == m.alpha_1se_
