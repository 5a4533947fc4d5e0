"""The network as an estimator: settings in, ``fit`` to learn W[l], b[l], ``predict`` and ``score`` to use them."""

import numpy as np

from . import compiling
from .activations import CODES, REGISTRY
from .engine import Engine, Problem, members_for
from .kernels.bundles import Optimizer
from .optimizers import CODES as OPTIMIZER_CODES
from .optimizers import OptimizerState
from .layout import Layout
from .metrics import predicted_classes
from .training import iter_training
from .validation import check_network, check_X, check_Y, hidden_activations



class Network:
    """A fully connected network in the course's notation: A[0] = X, Z[l] = W[l]·A[l-1] + b[l], A[l] = g[l](Z[l]).

    Parameters
    ----------
    layer_dims : sequence of int
        (n_x, n[1], …, n_y): the input size, the hidden layer sizes, the output size. (n_x, 1) is logistic
        regression, a one-neuron network.
    hidden_activation : str or sequence of str
        One of sigmoid, tanh, relu, leaky_relu for every hidden layer, or one name per hidden layer.
    output : {"sigmoid", "softmax", "linear"}
    loss : {"cross_entropy", "mse"} or None
        None picks cross-entropy for a sigmoid or softmax output and mse = ½·mean((ŷ − y)²) for a linear one.
    init : {"zeros", "small", "xavier", "he", "large"}
        W[l] = 0, randn·0.01, randn/√n[l-1], randn·√(2/n[l-1]) or randn·10; biases start at zero. The draws
        come from ``np.random.RandomState(random_state).randn(n[l], n[l-1])`` for W[1], W[2], … in order, in
        float64, as the course's numpy code draws them.
    learning_rate : float
        α in θ ← θ − α·∇J.
    optimizer : {"gd", "momentum", "rmsprop", "adam"}
    batch_size : int
        0 for full-batch gradient descent; otherwise mini-batches of this size, in an order shuffled every epoch
        with ``RandomState(shuffle_seed + 1 + epoch).permutation(m)``. An iteration is one epoch.
    l2 : float
        λ of the L2 term λ/(2m)·Σ‖W[l]‖²_F.
    l1 : float
        λ of the L1 term λ/m·Σ|W[l]| (the last argument, so that positional calls stay as they were).
    tol : float
        Stop when ‖∇J‖ < tol (0 = never).
    dtype : {"float32", "float64"}
        float32 is fast; float64 reproduces the course's published figures.
    random_state : int or None
    beta1, beta2, epsilon : float
        Momentum's and Adam's β1, RMSProp's and Adam's β2, and the ε that keeps their division finite.
    shuffle_seed : int or None
        Seed of the mini-batch order (None: random_state): epoch e is shuffled with
        ``RandomState(shuffle_seed + 1 + e)``, as the course's model does starting from its ``seed = 10``.

    Attributes
    ----------
    params_ : dict of str to ndarray
        "W1" (n[1], n[0]), "b1" (n[1], 1), …: views into the flat parameter vector ``theta_``.
    costs_ : ndarray (n_iter_,)
        The cost before each iteration's update; ``costs_[0]`` is J at the initial parameters.
    grad_norms_ : ndarray (n_iter_,)
    n_iter_ : int
    stop_reason_, stop_message_ : str
    optimizer_state_ : OptimizerState
        The optimiser's moving averages and step count (``core/optimizers.py``).
    """

    def __init__(self, layer_dims=(2, 4, 1), hidden_activation="tanh", output="sigmoid", loss=None, init="xavier",
                 learning_rate=0.0075, optimizer="gd", batch_size=0, l2=0.0, tol=0.0, dtype="float32",
                 random_state=None, beta1=0.9, beta2=0.999, epsilon=1e-8, shuffle_seed=None, l1=0.0):
        self.layer_dims = layer_dims
        self.hidden_activation = hidden_activation
        self.output = output
        self.loss = loss
        self.init = init
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.batch_size = batch_size
        self.l2 = l2
        self.tol = tol
        self.dtype = dtype
        self.random_state = random_state
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.shuffle_seed = shuffle_seed
        self.l1 = l1

    # -- settings -------------------------------------------------------------------------------------------
    def get_params(self):
        """The constructor's arguments, as given (plain Python values, for saving)."""
        names = self.__init__.__code__.co_varnames[1 : self.__init__.__code__.co_argcount]
        spec = {name: getattr(self, name) for name in names}
        spec["layer_dims"] = [int(n) for n in spec["layer_dims"]]
        if not isinstance(spec["hidden_activation"], str):
            spec["hidden_activation"] = list(spec["hidden_activation"])
        return spec

    def set_params(self, **params):
        """Change settings; those that shape the network take effect at the next ``initialize``."""
        for name, value in params.items():
            if not hasattr(self, name) or name.endswith("_"):
                raise ValueError(f"Network has no setting {name!r}; settings are {sorted(self.get_params())}.")
            setattr(self, name, value)
        return self

    @property
    def L(self):
        """The number of layers with parameters (hidden layers + the output)."""
        return len(self.layer_dims) - 1

    @property
    def activations(self):
        """g[1], …, g[L] by name (the last is the output's)."""
        return hidden_activations(self.hidden_activation, self.L - 1) + [self.output]

    @property
    def is_fitted(self):
        return hasattr(self, "theta_")

    # -- parameters -----------------------------------------------------------------------------------------
    @property
    def layout(self):
        """Where each W[l] and b[l] lives in ``theta_`` (``Layout``)."""
        return Layout.of(self.layer_dims)

    def _layout(self):
        layout = self.layout
        return layout.dims, layout.w_off, layout.b_off, layout.size

    def initialize(self):
        """Draw W[l] (biases at zero), forget the costs and the optimiser's state; returns self."""
        check_network(self)
        layout = self.layout
        theta = np.zeros(layout.size, dtype=np.dtype(self.dtype))
        rng = np.random.RandomState(self.random_state)
        for l in range(1, layout.L + 1):
            n, n_prev = int(layout.dims[l]), int(layout.dims[l - 1])
            if self.init == "zeros":
                continue
            draw = rng.randn(n, n_prev)
            if self.init == "small":
                W = draw * 0.01
            elif self.init == "xavier":
                W = draw / np.sqrt(n_prev)
            elif self.init == "he":
                W = draw * np.sqrt(2.0 / n_prev)
            else:
                W = draw * 10
            theta[layout.weight_slice(l)] = W.ravel()
        self._set_theta(theta)
        self._shuffle_seed = self._seed_for_shuffles(rng)
        return self

    def _seed_for_shuffles(self, rng):
        for seed in (self.shuffle_seed, self.random_state):
            if seed is not None:
                return int(seed)
        return int(rng.randint(2**31 - 1))

    def _set_theta(self, theta):
        layout = self.layout
        if theta.shape != (layout.size,):
            raise ValueError(f"the parameters do not fit layer_dims {tuple(self.layer_dims)}: {theta.shape}.")
        self.theta_ = theta
        self.params_ = layout.views(theta)
        self.costs_ = np.zeros(0)
        self.grad_norms_ = np.zeros(0)
        self.n_iter_ = 0
        self.stop_reason_ = None
        self.stop_message_ = ""
        self.optimizer_state_ = OptimizerState.zeros_like(theta)

    def set_weights(self, params):
        """Load W[l], b[l] from a dict like ``params_`` (shapes must match layer_dims); returns self."""
        check_network(self)
        self._set_theta(self.layout.flatten(params, np.dtype(self.dtype)))
        self._shuffle_seed = self._seed_for_shuffles(np.random.RandomState(self.random_state))
        return self

    # -- learning -------------------------------------------------------------------------------------------
    def fit(self, X, Y, n_iterations=1000):
        """Learn from X (n_x, m) and Y (1, m) from freshly drawn parameters; returns self.

        uint8 X is taken as pixel intensities: the kernels scale it by 1/255 as they read it, with no copy.
        """
        self.initialize()
        for _ in iter_training(self, X, Y, n_iterations, chunk_seconds=0.25):
            pass
        return self

    # -- using ----------------------------------------------------------------------------------------------
    def _check_fitted(self):
        if not self.is_fitted:
            raise ValueError("Network is not trained yet; call fit() or load weights before predict().")

    def trains_on_all_cores(self, n_examples):
        """Whether training on ``n_examples`` shares each step out to every core: then whatever else the machine
        does, drawing included, slows the training."""
        return members_for(min(n_examples, self.batch_size or n_examples), self.layout.size) > 1

    def _codes(self):
        return np.asarray([CODES[name] for name in self.activations], dtype=np.int64)

    def optimizer_settings(self):
        """The optimiser's settings as the kernels take them (read afresh at every chunk of training)."""
        return Optimizer(OPTIMIZER_CODES[self.optimizer], float(self.learning_rate), float(self.beta1),
                         float(self.beta2), float(self.epsilon), float(self.l2), float(self.l1))

    def engine(self, X, Y=None, dtype=None, repeated=False):
        """The kernels' calls on X (n_x, m) and Y (checked), or on X alone for predictions; in the network's
        dtype unless ``dtype`` is given; ``repeated`` for an engine that will make many passes (``Problem``)."""
        loss = check_network(self)
        X = check_X(X, int(self.layer_dims[0]))
        if Y is not None:
            Y = check_Y(Y, X, self.output, int(self.layer_dims[-1]))
        return Engine(self.layout, self._codes(), loss, Problem(X, Y, dtype or self.dtype, self.layer_dims, repeated))

    def runner(self, X, Y=None):
        """``engine(X, Y)``, or its numpy twin while its kernels compile in the background (``core.compiling``)."""
        engine = self.engine(X, Y)
        if compiling.in_background() and not compiling.ready(compiling.training_kind(engine)):
            return engine.reference()
        return engine

    def predict_proba(self, X):
        """ŷ = A[L] (n_y, m) for X (n_x, m): probabilities for sigmoid and softmax outputs."""
        self._check_fitted()
        return self.runner(X).evaluate(self.theta_)[0].astype(np.float64)

    def predict(self, X):
        """Classes (1, m): σ > 0.5 gives 1 (sigmoid), the argmax (softmax); ŷ itself for a linear output."""
        return self._classes(self.predict_proba(X))

    def _classes(self, AL):
        if self.output == "linear":
            return AL
        return predicted_classes(AL, self.output).reshape(1, -1)

    def score(self, X, Y):
        """Accuracy in percent for classification; the RMSE of ŷ for regression."""
        return self._score(self.predict_proba(X), Y)

    def cost(self, X, Y):
        """J(θ) on X (n_x, m), Y, with the L2 term: the cost the training reports, at the current parameters."""
        self._check_fitted()
        return self.runner(X, Y).evaluate(self.theta_, self.l2, with_cost=True, l1=self.l1)[1]

    def score_and_cost(self, X, Y):
        """(``score(X, Y)``, ``cost(X, Y)``) from one forward pass."""
        self._check_fitted()
        AL, J = self.runner(X, Y).evaluate(self.theta_, self.l2, with_cost=True, l1=self.l1)
        return self._score(AL.astype(np.float64), Y), J

    def _score(self, AL, Y):
        Y = np.asarray(Y)
        Y = Y.reshape(1, -1) if Y.ndim == 1 else Y
        if self.output == "linear":
            return float(np.sqrt(np.mean((AL - Y) ** 2)))
        if self.output == "softmax" and Y.shape[0] > 1:
            Y = np.argmax(Y, axis=0).reshape(1, -1)
        return float(np.mean(self._classes(AL) == Y) * 100.0)

    def forward_layers(self, X, params=None):
        """[(Z[1], A[1]), …, (Z[L], A[L])] for X (n_x, m), in float64 numpy: for showing activations.

        ``params`` (like ``params_``, e.g. a snapshot's copies) replaces the network's own parameters.
        """
        if params is None:
            self._check_fitted()
            params = self.params_
        X = check_X(X, int(self.layer_dims[0]))
        A = X / 255.0 if X.dtype == np.uint8 else X.astype(np.float64)
        out = []
        for l, name in enumerate(self.activations, start=1):
            Z = np.asarray(params[f"W{l}"], dtype=np.float64) @ A + params[f"b{l}"]
            A = REGISTRY[name].g(Z)
            out.append((Z, A))
        return out
