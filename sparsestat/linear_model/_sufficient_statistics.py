"""The public, picklable, mergeable sufficient statistics of weighted least squares."""

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length

from .._engine._sufficient_stats import (
    block_moments,
    empty_moments,
    gram_form,
    merge_moments,
    weighted_sq_errors,
)

__all__ = ["SufficientStatistics", "MAX_FEATURES_OUT_OF_CORE"]

#: Largest number of features the out-of-core path (``partial_fit``, dask input,
#: :class:`SufficientStatistics`) accepts: it holds the dense ``p x p`` cross-product
#: matrix (800 MB in float64 at 10 000 features), one copy per block being merged.
MAX_FEATURES_OUT_OF_CORE = 10_000


def check_out_of_core_features(n_features, estimator_name=None):
    """Raise a ValueError, up front, when ``p x p`` statistics would not fit in memory."""
    if n_features > MAX_FEATURES_OUT_OF_CORE:
        who = f"{estimator_name}: " if estimator_name else ""
        gb = 8.0 * n_features ** 2 / 1e9
        raise ValueError(
            f"{who}X has {n_features} features; fitting from accumulated statistics "
            f"(partial_fit, dask input) holds a dense {n_features} x {n_features} matrix "
            f"({gb:.1f} GB per copy) and supports at most {MAX_FEATURES_OUT_OF_CORE} "
            "features. Fit the in-memory estimator on a numpy array or scipy.sparse matrix "
            "instead (its solvers never form the Gram matrix), or reduce the features.")


class SufficientStatistics:
    """Weighted least-squares statistics of a set of rows, additive over row blocks.

    Holds, in float64, the row count, the weight sum ``W``, the weighted means of the
    columns and of the target, and the centered cross products
    ``Cxx = sum_i w_i (x_i - mx)(x_i - mx)^T``, ``Cxy`` and ``Cyy``: everything the
    squared-error estimators need to fit (through the Gram solver) and to score a fit on
    these rows. Two blocks combine with the pairwise update of Chan, Golub and LeVeque
    (``a.merge(b)`` or ``a + b``; ``sum(parts)`` works too), which keeps the precision of
    a single pass even when the columns have large means. Objects pickle, so partial
    statistics computed on many workers can be shipped and added up.

    The raw moments are available as :attr:`xtx` (``X^T W X``), :attr:`xty`,
    :attr:`yty`, :attr:`x_sum` and :attr:`y_sum`.

    Parameters
    ----------
    n_features : int
        Number of columns (an empty set of statistics: the identity of ``merge``).

    Attributes
    ----------
    n_samples : int
        Rows seen (zero-weight rows included).
    weight_sum : float
        ``W``, the sum of the sample weights (``n_samples`` without weights).
    n_features : int
        Number of columns.
    x_mean : ndarray of shape (n_features,)
        Weighted column means ``mx = X^T w / W``.
    y_mean : float
        Weighted target mean ``my = y^T w / W``.
    xx_centered : ndarray of shape (n_features, n_features)
        ``Cxx = sum_i w_i (x_i - mx)(x_i - mx)^T``.
    xy_centered : ndarray of shape (n_features,)
        ``Cxy = sum_i w_i (x_i - mx)(y_i - my)``.
    yy_centered : float
        ``Cyy = sum_i w_i (y_i - my)^2``.
    xtx : ndarray of shape (n_features, n_features)
        ``X^T W X``, the raw (uncentered) weighted cross products.
    xty : ndarray of shape (n_features,)
        ``X^T W y``.
    yty : float
        ``y^T W y``.
    x_sum : ndarray of shape (n_features,)
        ``X^T w``, the weighted column sums.
    y_sum : float
        ``y^T w``, the weighted target sum.

    See Also
    --------
    sparsestat.linear_model.Lasso.partial_fit : accumulates these block by block.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import Lasso, SufficientStatistics
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 3))
    >>> y = X @ np.array([1.0, 0.0, -2.0]) + 0.1 * rng.standard_normal(100)
    >>> parts = [SufficientStatistics.from_data(X[i:i + 25], y[i:i + 25])
    ...          for i in range(0, 100, 25)]
    >>> stats = sum(parts)
    >>> stats.n_samples
    100
    >>> np.allclose(stats.xtx, X.T @ X)
    True
    >>> Lasso(alpha=0.1).fit(stats, None).coef_.round(2)
    array([ 0.91,  0.  , -1.91])
    """

    def __init__(self, n_features):
        self._set(empty_moments(n_features))

    def _set(self, moments):
        (self.n_samples, self.weight_sum, self.x_mean, self.y_mean, self.xx_centered,
         self.xy_centered, self.yy_centered) = moments
        self.n_samples = int(self.n_samples)
        self.weight_sum = float(self.weight_sum)
        self.y_mean = float(self.y_mean)
        self.yy_centered = float(self.yy_centered)
        self._cache = {}
        return self

    @classmethod
    def _from_moments(cls, moments):
        out = cls.__new__(cls)
        return out._set(moments)

    @classmethod
    def from_data(cls, X, y, sample_weight=None):
        """Statistics of the rows ``X, y`` (dense or scipy.sparse ``X``; not modified).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The rows, dense or CSR / CSC; accumulated in float64.
        y : array-like of shape (n_samples,)
            Their targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Nonnegative weights (not rescaled: ``weight_sum`` is their sum).

        Returns
        -------
        stats : SufficientStatistics
            The statistics of these rows.
        """
        X = check_array(X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32],
                        ensure_min_samples=0)
        y = check_array(y, ensure_2d=False, dtype=np.float64, ensure_min_samples=0)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-d, got shape {y.shape}.")
        check_consistent_length(X, y)
        check_out_of_core_features(X.shape[1])
        sw = None
        if sample_weight is not None:
            sw = check_array(sample_weight, ensure_2d=False, dtype=np.float64,
                             ensure_min_samples=0)
            if sw.shape != y.shape:
                raise ValueError(f"sample_weight has shape {sw.shape}, expected {y.shape}.")
            if np.any(sw < 0):
                raise ValueError("sample_weight must be nonnegative.")
        return cls._from_moments(block_moments(X, y, sw))

    @property
    def n_features(self):
        """Number of columns."""
        return self.x_mean.shape[0]

    def _moments(self):
        return (self.n_samples, self.weight_sum, self.x_mean, self.y_mean,
                self.xx_centered, self.xy_centered, self.yy_centered)

    def merge(self, other):
        """The statistics of the union of both sets of rows (a new object).

        Parameters
        ----------
        other : SufficientStatistics
            Statistics of other rows, with the same number of features.

        Returns
        -------
        merged : SufficientStatistics
            The statistics of both sets of rows; ``self`` and ``other`` are unchanged.
        """
        if not isinstance(other, SufficientStatistics):
            raise TypeError(f"can only merge SufficientStatistics, not "
                            f"{type(other).__name__}.")
        if other.n_features != self.n_features:
            raise ValueError(f"cannot merge statistics of {self.n_features} and "
                             f"{other.n_features} features.")
        return SufficientStatistics._from_moments(
            merge_moments(self._moments(), other._moments()))

    def __add__(self, other):
        if isinstance(other, SufficientStatistics):
            return self.merge(other)
        return NotImplemented

    def __radd__(self, other):
        if isinstance(other, int) and other == 0:  # sum(parts) starts from 0
            return self
        return NotImplemented

    # raw moments -------------------------------------------------------------------
    @property
    def xtx(self):
        """``X^T W X`` (raw, uncentered)."""
        return self.xx_centered + self.weight_sum * np.outer(self.x_mean, self.x_mean)

    @property
    def xty(self):
        """``X^T W y``."""
        return self.xy_centered + self.weight_sum * self.x_mean * self.y_mean

    @property
    def yty(self):
        """``y^T W y``."""
        return self.yy_centered + self.weight_sum * self.y_mean ** 2

    @property
    def x_sum(self):
        """``X^T w``, the weighted column sums."""
        return self.weight_sum * self.x_mean

    @property
    def y_sum(self):
        """``y^T w``."""
        return self.weight_sum * self.y_mean

    def gram(self, fit_intercept=True):
        """``(G, b, yy)``: the least-squares problem these rows define, per unit weight.

        ``1/(2W) sum_i w_i (y_i - x_i^T w - c)^2`` equals ``yy/2 - b^T w + w^T G w/2``
        at the best intercept ``c`` (with ``fit_intercept``; the centered moments) or at
        ``c = 0`` (the raw ones).

        Parameters
        ----------
        fit_intercept : bool, default=True
            Use the centered moments (the intercept profiled out) rather than the raw ones.

        Returns
        -------
        G : ndarray of shape (n_features, n_features)
            ``X^T W X / W`` (centered with ``fit_intercept``).
        b : ndarray of shape (n_features,)
            ``X^T W y / W`` (centered with ``fit_intercept``).
        yy : float
            ``y^T W y / W`` (centered with ``fit_intercept``).
        """
        return gram_form(self._moments(), fit_intercept)

    def sq_errors(self, coef, intercept=0.0):
        """``sum_i w_i (y_i - x_i^T coef - intercept)^2`` over these rows, from the statistics.

        Parameters
        ----------
        coef : ndarray of shape (n_features,) or (n_features, n_models)
            Coefficients of one model, or one column per model.
        intercept : float or ndarray of shape (n_models,), default=0.0
            The intercept of each model.

        Returns
        -------
        errors : ndarray of shape (n_models,)
            The weighted residual sum of squares of each model on these rows.
        """
        return weighted_sq_errors(self._moments(), coef, intercept)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_cache"] = {}  # derived (factorizations): rebuilt where needed
        return state

    def __repr__(self):
        return (f"SufficientStatistics(n_samples={self.n_samples}, "
                f"n_features={self.n_features}, weight_sum={self.weight_sum:.6g})")
