"""SparseMLPClassifier and SparseMLPRegressor: masked MLPs on compiled kernels."""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.multiclass import _check_partial_fit_first_call, type_of_target
from sklearn.utils.validation import (_check_sample_weight, check_is_fitted,
                                      check_random_state, validate_data)

from .._engine.families._mlp import ACTIVATIONS, OUTPUTS, forward, run_epoch_in_chunks
from ..exceptions import caller_stacklevel
from ._device import resolve_device

__all__ = ["SparseMLPClassifier", "SparseMLPRegressor"]


def _flatten(arrays):
    return np.ascontiguousarray(np.concatenate([np.ravel(a) for a in arrays]), dtype=np.float64)


def _views(flat, shapes):
    out, pos = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        out.append(flat[pos:pos + size].reshape(shape))
        pos += size
    return out


class _BaseSparseMLP(BaseEstimator):
    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", Interval(numbers.Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "solver": [StrOptions({"sgd", "adam"})],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate_init": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(numbers.Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
        "beta_1": [Interval(numbers.Real, 0, 1, closed="left")],
        "beta_2": [Interval(numbers.Real, 0, 1, closed="left")],
        "epsilon": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "pruner": [HasMethods(["_training_plan"]), None],
        "device": [StrOptions({"auto", "cpu", "cuda"})],
    }

    def __init__(
        self, hidden_layer_sizes=(100,), *, activation="relu", solver="adam", alpha=1e-4,
        batch_size="auto", learning_rate_init=1e-3, max_iter=200, shuffle=True,
        random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
        nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
        beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, pruner=None,
        device="auto",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.pruner = pruner
        self.device = device

    # ------------------------------------------------------------------ helpers
    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral):
            sizes = [sizes]
        sizes = [int(s) for s in sizes]
        if any(s < 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be > 0, got {self.hidden_layer_sizes}.")
        return sizes

    def _initialize(self, n_features, n_outputs, rng):
        layer_units = [n_features] + self._hidden_sizes() + [n_outputs]
        factor = 2.0 if self.activation == "logistic" else 6.0
        self.coefs_, self.intercepts_, self.masks_ = [], [], []
        for a, b in zip(layer_units[:-1], layer_units[1:]):
            bound = np.sqrt(factor / (a + b))
            self.coefs_.append(rng.uniform(-bound, bound, (a, b)))
            self.intercepts_.append(rng.uniform(-bound, bound, b))
            self.masks_.append(np.ones((a, b), dtype=bool))
        self.n_layers_ = len(layer_units)
        self.n_outputs_ = n_outputs
        self.n_iter_ = 0
        self.t_ = 0
        self.loss_curve_ = []
        self._opt_state = None

    def _layer_sizes(self):
        return np.array([c.shape[0] for c in self.coefs_] + [self.coefs_[-1].shape[1]],
                        dtype=np.int64)

    def _batch(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is "
                          "going to be clipped", UserWarning, stacklevel=caller_stacklevel())
        return int(np.clip(self.batch_size, 1, n_samples))

    def _hyper(self):
        return np.array([self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon,
                         self.alpha, self.momentum, float(self.nesterovs_momentum)])

    def _forward(self, X, n_run=None):
        sizes = self._layer_sizes()
        n_layers = sizes.size - 1
        coef = _flatten([c * m for c, m in zip(self.coefs_, self.masks_)])
        out = forward(np.ascontiguousarray(X, dtype=np.float64), coef,
                      _flatten(self.intercepts_), sizes, ACTIVATIONS[self.activation],
                      OUTPUTS[self.out_activation_], n_layers if n_run is None else n_run)
        return out

    @property
    def sparsity_(self):
        """Fraction of pruned (masked) weights over all weight matrices."""
        check_is_fitted(self, "masks_")
        total = sum(m.size for m in self.masks_)
        return 1.0 - sum(int(m.sum()) for m in self.masks_) / total

    def transform_hidden(self, X, layer=-1):
        """Activations of a hidden layer (default: the last) for ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.
        layer : int, default=-1
            Hidden layer index (0-based; negative counts from the last hidden layer).

        Returns
        -------
        H : ndarray of shape (n_samples, n_units)
            Activations of that layer, computed with the masked weights (X itself for
            a network without hidden layer).
        """
        check_is_fitted(self, "coefs_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        n_hidden = len(self.coefs_) - 1
        if n_hidden == 0:
            return X.copy()
        idx = layer % n_hidden
        return self._forward(X, n_run=idx + 1)

    # ------------------------------------------------------------------ training
    def _fit(self, X, Y, sample_weight, incremental, classes_for_split=None):
        if self.early_stopping and incremental:  # scikit-learn's rule and message
            raise ValueError("partial_fit does not support early_stopping=True")
        n_samples, n_features = X.shape
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64,
                                  ensure_non_negative=True)
        if n_samples < 1:
            raise ValueError("Found array with 0 sample(s) while a minimum of 1 is required.")
        first = (not hasattr(self, "coefs_")) or (not self.warm_start and not incremental)
        if not first and self.coefs_[0].shape[0] != n_features:
            raise ValueError(f"X has {n_features} features, but {type(self).__name__} is "
                             f"expecting {self.coefs_[0].shape[0]} features as input.")
        if incremental and hasattr(self, "_rng"):
            rng = self._rng
        else:
            rng = check_random_state(self.random_state)
            self._rng = rng
        if first:
            self._initialize(n_features, Y.shape[1], rng)
        self.device_ = resolve_device(self.device)

        X_val = Y_val = None
        if self.early_stopping and not incremental:
            # stratified for single-output classifiers, as scikit-learn (which raises when
            # a class has a single member)
            X, X_val, Y, Y_val, sw, sw_val = train_test_split(
                X, Y, sw, random_state=rng, test_size=self.validation_fraction,
                stratify=classes_for_split)
            if X_val.shape[0] < 2:
                raise ValueError("The validation set is too small. Increase "
                                 "'validation_fraction' or the size of your dataset.")
            if X.shape[0] < 1:
                raise ValueError("The training set is empty after the validation split; "
                                 "lower validation_fraction or pass more samples.")
        n_train = X.shape[0]
        batch = self._batch(n_train)
        steps_per_epoch = -(-n_train // batch)
        n_epochs = 1 if incremental else self.max_iter

        sizes = self._layer_sizes()
        shapes = [c.shape for c in self.coefs_]
        coef = _flatten(self.coefs_)
        intercept = _flatten(self.intercepts_)
        mask = _flatten(self.masks_)
        aux = np.ones_like(coef)
        keep_state = incremental and self._opt_state is not None
        if keep_state and self._opt_state[0].size == coef.size:
            mom_w, sq_w, mom_b, sq_b, step = self._opt_state
        else:
            mom_w, sq_w = np.zeros_like(coef), np.zeros_like(coef)
            mom_b, sq_b = np.zeros_like(intercept), np.zeros_like(intercept)
            step = np.zeros(1, dtype=np.int64)
        coef_views, mask_views = _views(coef, shapes), _views(mask, shapes)
        plan = None
        if self.pruner is not None and not incremental:
            plan = self.pruner._training_plan(
                shapes, n_epochs=n_epochs, steps_per_epoch=steps_per_epoch,
                learning_rate=self.learning_rate_init, random_state=rng)
            plan.start(coef_views, mask_views)
            if self.device_ == "cuda" and not plan.gpu_ok:
                warnings.warn(
                    f"{type(self.pruner).__name__} has no CUDA training hook; training on "
                    "the CPU (device_='cpu').", UserWarning, stacklevel=caller_stacklevel())
                self.device_ = "cpu"
        coef *= mask

        X = np.ascontiguousarray(X, dtype=np.float64)
        Y = np.ascontiguousarray(Y, dtype=np.float64)
        hp = self._hyper()
        hidden = ACTIVATIONS[self.activation]
        out_act = OUTPUTS[self.out_activation_]
        solver = 1 if self.solver == "adam" else 0
        if not incremental:
            self.n_iter_ = 0  # epochs of this fit, also when warm-started (scikit-learn)
            self._no_improvement_count = 0
            self.best_loss_ = np.inf if not self.early_stopping else None
            self.validation_scores_ = [] if self.early_stopping else None
            self.best_validation_score_ = -np.inf if self.early_stopping else None
        best = None
        epoch_fn = run_epoch_in_chunks  # returns to Python often: Ctrl-C (one GPU call)
        if self.device_ == "cuda":
            from .._engine.families._cuda import run_epoch_cuda as epoch_fn
        converged = False
        order = np.arange(n_train, dtype=np.int64)
        for epoch in range(n_epochs):
            mode, mp = (0, np.zeros(4)) if plan is None else plan.before_epoch(
                epoch, coef_views, mask_views)
            if self.shuffle:  # scikit-learn's reshuffle of the previous order
                perm = np.arange(n_train)
                rng.shuffle(perm)
                order = order[perm]
            loss = epoch_fn(X, Y, sw, order.astype(np.int64), coef, intercept, mask, aux, sizes,
                            hidden, out_act, solver, hp, mom_w, sq_w, mom_b, sq_b, step,
                            batch, mode, np.asarray(mp, dtype=np.float64))
            if not np.isfinite(loss) or not np.all(np.isfinite(coef)):
                raise ValueError(
                    "Training diverged: the loss or the weights became non-finite. Lower "
                    "learning_rate_init or scale the features.")
            self.n_iter_ += 1
            self.t_ += n_train
            self.loss_curve_.append(float(loss))
            self.loss_ = float(loss)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {loss:.8f}")
            if incremental:
                continue
            settled = plan is None or plan.settled(epoch)
            if not settled:
                continue
            if self.early_stopping:
                self._store(coef, intercept, mask, shapes)
                # X_val is the validated ndarray part of X: score it without the check of
                # the feature names (it would warn that they are missing). Not by
                # catch_warnings: fits run in joblib worker threads (SparseModelSoup), where
                # it is not thread-safe and can leave the process-wide filters changed.
                names = self.__dict__.pop("feature_names_in_", None)
                try:
                    score = self.score(X_val, self._decode(Y_val), sample_weight=sw_val)
                finally:
                    if names is not None:
                        self.feature_names_in_ = names
                self.validation_scores_.append(float(score))
                if score < self.best_validation_score_ + self.tol:
                    self._no_improvement_count += 1
                else:
                    self._no_improvement_count = 0
                if score > self.best_validation_score_:
                    self.best_validation_score_ = float(score)
                    best = (coef.copy(), intercept.copy(), mask.copy())
            else:
                if loss > self.best_loss_ - self.tol:
                    self._no_improvement_count += 1
                else:
                    self._no_improvement_count = 0
                self.best_loss_ = min(self.best_loss_, float(loss))
            if self._no_improvement_count > self.n_iter_no_change:
                converged = True
                if self.verbose:
                    print(f"Training did not improve more than tol={self.tol} for "
                          f"{self.n_iter_no_change} consecutive epochs. Stopping.")
                break
        if best is not None:
            coef[:], intercept[:], mask[:] = best
        self.pruning_log_ = None if plan is None else plan.log
        if plan is not None:
            plan.finish(coef_views, mask_views)
            coef *= mask != 0
        self._store(coef, intercept, mask, shapes)
        self._opt_state = (mom_w, sq_w, mom_b, sq_b, step)
        if not incremental and not converged and self.n_iter_no_change <= n_epochs:
            warnings.warn(
                f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and "
                "the optimization hasn't converged yet.", ConvergenceWarning,
                stacklevel=caller_stacklevel())
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _store(self, coef, intercept, mask, shapes):
        self.coefs_ = [c.copy() for c in _views(coef, shapes)]
        self.intercepts_ = [b.copy() for b in _views(intercept, [(s[1],) for s in shapes])]
        self.masks_ = [m != 0 for m in _views(mask, shapes)]

_PARAMS_DOC = """\
    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        Number of units of each hidden layer, e.g. ``(64, 32)``; an int means one
        hidden layer.
    activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
        Activation of the hidden layers.
    solver : {"adam", "sgd"}, default="adam"
        Minibatch optimizer: Adam, or SGD with (Nesterov) momentum. Both use a constant
        step ``learning_rate_init`` (scikit-learn's ``learning_rate="constant"``).
    alpha : float, default=1e-4
        Strength of the L2 penalty on the weights (not the intercepts), with
        scikit-learn's scaling: each batch adds ``alpha / (2 sum(sw_batch)) ||W||^2``,
        ``sum(sw_batch)`` being the batch size for unit weights.
    batch_size : int or "auto", default="auto"
        Samples per minibatch; "auto" means ``min(200, n_samples)``. Larger values are
        clipped to n_samples with a warning.
    learning_rate_init : float, default=1e-3
        The (constant) step size of Adam or SGD.
    max_iter : int, default=200
        Maximum number of epochs (passes over the training samples). With a ``pruner``
        its schedule is laid out over these epochs.
    shuffle : bool, default=True
        Reshuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the batch order, the validation split and random
        masks. Pass an int for reproducible fits.
    tol : float, default=1e-4
        Improvement threshold of the stopping rule: training stops when the training
        loss (or, with ``early_stopping``, the validation score) has not improved by at
        least ``tol`` for more than ``n_iter_no_change`` consecutive epochs.
    verbose : bool, default=False
        Print the training loss after each epoch, and why training stopped.
    warm_start : bool, default=False
        Start from the previous ``coefs_``, ``intercepts_`` and ``masks_`` (and keep
        counting ``n_iter_``) instead of a fresh random initialization.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``, in [0, 1].
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``solver="sgd"``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified when
        possible, for a classifier) and stop when its score (SCORE_NAME) has not
        improved by ``tol`` for more than ``n_iter_no_change`` epochs; the weights of
        the best validation score are kept.
    validation_fraction : float, default=0.1
        Share of the training data held out when ``early_stopping=True``, in (0, 1).
    beta_1 : float, default=0.9
        Decay rate of Adam's first-moment estimates, in [0, 1).
    beta_2 : float, default=0.999
        Decay rate of Adam's second-moment estimates, in [0, 1).
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int, default=10
        Number of epochs without an improvement of ``tol`` tolerated before stopping.
        With a ``pruner`` the count starts once its schedule is over.
    pruner : pruner object or None, default=None
        A pruner of :mod:`sparsestat.nn` (e.g. :class:`MagnitudePruner`) that drives
        pruning during ``fit``: its schedule sets the masks, which are frozen at the end.
        The stopping rule waits until the schedule is over. ``partial_fit`` trains with
        the current masks fixed. None trains a dense network.
    device : {"auto", "cpu", "cuda"}, default="auto"
        Where training runs: "auto" trains on a CUDA GPU when numba finds a real one,
        else on the CPU; "cuda" requires one (and raises otherwise). Prediction always
        runs on the CPU.
"""

_ATTRS_DOC = """
    Attributes
    ----------CLASSES
    coefs_ : list of ndarray
        ``coefs_[l]`` of shape ``(n_in, n_out)``: the weights from layer l to layer
        l + 1; pruned weights are exactly 0.
    intercepts_ : list of ndarray
        ``intercepts_[l]`` of shape ``(n_out,)``: the biases of layer l + 1.
    masks_ : list of ndarray of bool
        Same shapes as ``coefs_``, ``True`` where a weight is kept.
    sparsity_ : float
        Fraction of pruned (masked) weights over all weight matrices.
    loss_ : float
        Training loss of the last epoch (mean over its minibatches, L2 term included).
    loss_curve_ : list of float
        Training loss of each epoch.
    best_loss_ : float or None
        Smallest training loss reached; None with ``early_stopping=True``.
    validation_scores_ : list of float or None
        Score on the held-out part after each epoch (once a pruner's schedule is over);
        None without ``early_stopping``.
    best_validation_score_ : float or None
        Best of ``validation_scores_``; None without ``early_stopping``.
    n_iter_ : int
        Number of epochs run (accumulated over calls with ``warm_start`` or
        ``partial_fit``).
    t_ : int
        Number of training samples seen by the optimizer (epochs times training
        samples).
    n_layers_ : int
        Number of layers, input and output layers included.
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        OUT_ACTIVATION
    device_ : {"cpu", "cuda"}
        Where the last ``fit`` or ``partial_fit`` trained.
    pruning_log_ : list of dict or None
        What the pruner recorded per epoch (target sparsity, SAD, nonzero groups); None
        without a pruner.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.
"""


class SparseMLPClassifier(ClassifierMixin, _BaseSparseMLP):
    __doc__ = """Multilayer perceptron classifier with weight masks and pruning during training.

    scikit-learn's ``MLPClassifier`` (same parameters, defaults and fitted attributes,
    ``coefs_[l]`` of shape ``(n_in, n_out)``) trained by compiled kernels that run one
    whole epoch per call. Every weight matrix carries a mask (``masks_``); Adam moments
    are masked with the weights. A ``pruner`` (e.g. :class:`MagnitudePruner`) prunes
    during training.

""" + _PARAMS_DOC.replace("SCORE_NAME", "accuracy") + _ATTRS_DOC.replace(
        "CLASSES", """
    classes_ : ndarray of shape (n_classes,)
        Class labels (for a multilabel target, one per output).""").replace(
        "OUT_ACTIVATION", '''"softmax" for a multiclass target, "logistic" for a
        binary or multilabel one.''') + """
    See Also
    --------
    SparseMLPRegressor
    MagnitudePruner

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sparsestat.nn import MagnitudePruner, SparseMLPClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = SparseMLPClassifier((32,), max_iter=30, random_state=0,
    ...                           pruner=MagnitudePruner(0.8)).fit(X / 16, y)
    >>> round(clf.sparsity_, 2)
    0.8
    >>> clf.score(X / 16, y) > 0.7
    True
    """

    def _decode(self, Y):
        return self._label_binarizer.inverse_transform(Y)

    def _encode(self, y, reset, classes=None):
        if reset:
            self._label_binarizer = LabelBinarizer()
            if classes is not None:
                self._label_binarizer.fit(classes)
            else:
                self._label_binarizer.fit(y)
            self.classes_ = self._label_binarizer.classes_
        if not set(np.unique(y)) <= set(self.classes_) \
                and self._label_binarizer.y_type_ != "multilabel-indicator":
            raise ValueError(f"`y` has classes not in `self.classes_`. self.classes_ has "
                             f"{self.classes_}. 'y' has {np.unique(y)}.")
        Y = self._label_binarizer.transform(y).astype(np.float64)
        ytype = self._label_binarizer.y_type_
        self.out_activation_ = "softmax" if ytype == "multiclass" else "logistic"
        return Y

    def _validate_xy(self, X, y, reset):
        X, y = validate_data(self, X, y, reset=reset, multi_output=True, dtype=np.float64,
                             y_numeric=False)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        ttype = type_of_target(y, input_name="y")
        if ttype not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(f"Unknown label type: {ttype}. SparseMLPClassifier needs "
                             "binary, multiclass or multilabel-indicator targets.")
        return X, y

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Fit the model (with pruning during training when ``pruner`` is set).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels, or a binary indicator matrix for multilabel classification.
        sample_weight : array-like of shape (n_samples,), default=None
            Each batch's loss and gradient are weighted means (scikit-learn's rule).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = self._validate_xy(X, y, reset=True)
        warm = self.warm_start and hasattr(self, "classes_")
        if warm:
            Y = self._encode(y, reset=False)
        else:
            Y = self._encode(y, reset=True)
        strat = y if y.ndim == 1 else None
        return self._fit(X, Y, sample_weight, incremental=False, classes_for_split=strat)

    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``(X, y)``, keeping the optimizer state between calls.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data of this call.
        y : array-like of shape (n_samples,)
            Class labels, among ``classes``.
        sample_weight : array-like of shape (n_samples,), default=None
            Each batch's loss and gradient are weighted means.
        classes : array-like of shape (n_classes,), default=None
            Every class that may appear; required on the first call, ignored after.

        Returns
        -------
        self : object
            The updated estimator.
        """
        first = _check_partial_fit_first_call(self, classes)
        X, y = self._validate_xy(X, y, reset=first)
        Y = self._encode(y, reset=first, classes=classes if first else None)
        return self._fit(X, Y, sample_weight, incremental=True)

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class (columns in the order of ``classes_``); for a
            multilabel target, the probability of each label.
        """
        check_is_fitted(self, "coefs_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        P = self._forward(X)
        if P.shape[1] == 1 and self._label_binarizer.y_type_ == "binary":
            return np.hstack([1.0 - P, P])
        return P

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, probabilities clipped at 1e-300 first.
        """
        return np.log(np.clip(self.predict_proba(X), 1e-300, None))

    def predict(self, X):
        """Predicted classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Predicted class labels (an indicator matrix for a multilabel target).
        """
        check_is_fitted(self, "coefs_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        P = self._forward(X)
        if self._label_binarizer.y_type_ == "multiclass":
            return self.classes_[np.argmax(P, axis=1)]
        return self._label_binarizer.inverse_transform(P)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        return tags


class SparseMLPRegressor(RegressorMixin, _BaseSparseMLP):
    __doc__ = """Multilayer perceptron regressor with weight masks and pruning during training.

    scikit-learn's ``MLPRegressor`` (squared loss, identity output) on the compiled
    kernels of :class:`SparseMLPClassifier`, with masks and ``pruner=``.

""" + _PARAMS_DOC.replace("SCORE_NAME", "R^2") + _ATTRS_DOC.replace("CLASSES", "").replace(
        "OUT_ACTIVATION", '"identity" (squared loss).') + """
    See Also
    --------
    SparseMLPClassifier

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.nn import SparseMLPRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, (200, 3))
    >>> y = np.sin(2 * X[:, 0]) + X[:, 1]
    >>> reg = SparseMLPRegressor((32,), max_iter=300, learning_rate_init=0.01,
    ...                          random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.9
    True
    """

    out_activation_ = "identity"

    def _decode(self, Y):
        return Y.ravel() if self._y_1d else Y

    def _validate_xy(self, X, y, reset):
        X, y = validate_data(self, X, y, reset=reset, multi_output=True, dtype=np.float64,
                             y_numeric=True)
        if reset:
            self._y_1d = y.ndim == 1
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        return X, np.asarray(Y, dtype=np.float64)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Fit the model (with pruning during training when ``pruner`` is set).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Each batch's loss and gradient are weighted means (scikit-learn's rule).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, Y = self._validate_xy(X, y, reset=True)
        self._fit(X, Y, sample_weight, incremental=False)
        self._warn_if_worse_than_mean(Y, sample_weight)
        return self

    def _warn_if_worse_than_mean(self, Y, sample_weight):
        # The plateau rule (scikit-learn's) calls a run converged when the loss stops
        # moving, even when badly scaled data leave it far above what predicting the
        # mean would cost: say so instead of returning a useless model silently.
        if not self.loss_curve_:
            return
        sw = np.ones(Y.shape[0]) if sample_weight is None else np.asarray(sample_weight,
                                                                          dtype=float)
        mean = np.average(Y, axis=0, weights=sw)
        baseline = 0.5 * np.sum(np.average((Y - mean) ** 2, axis=0, weights=sw))
        final = self.loss_curve_[-1]
        if np.isfinite(baseline) and baseline > 0 and final > 2.0 * baseline:
            warnings.warn(
                f"Training stopped with a loss of {final:.3g}, above the {baseline:.3g} of "
                "predicting the mean: the optimizer diverged or stalled. Scale X and y "
                "(e.g. StandardScaler) or lower learning_rate_init.",
                ConvergenceWarning, stacklevel=caller_stacklevel())

    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``(X, y)``, keeping the optimizer state between calls.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data of this call.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Each batch's loss and gradient are weighted means.

        Returns
        -------
        self : object
            The updated estimator.
        """
        first = not hasattr(self, "coefs_")
        X, Y = self._validate_xy(X, y, reset=first)
        return self._fit(X, Y, sample_weight, incremental=True)

    def predict(self, X):
        """Predicted values.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Output of the network (1-d when it was fitted on a 1-d y).
        """
        check_is_fitted(self, "coefs_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        P = self._forward(X)
        return P.ravel() if self._y_1d else P
