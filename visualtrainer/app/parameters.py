"""One weight or bias set by hand (TensorFlow Playground's click on a link or a neuron): written into the paused
network, and the session's latest parameters follow, so that every view shows the network as it now is."""

import math

import numpy as np

from visualtrainer.core.snapshot import frozen_copy


def set_parameter(session, key, j, k, value):
    """Set W[l][j, k] (``key`` "W<l>") or b[l][j] (``key`` "b<l>", ``k`` 0) of ``session``'s network, which must
    not be training, to ``value``; returns the value it had. ValueError for a parameter the network lacks or a
    value that is not a finite number."""
    params = session.net.params_
    if key not in params or not (0 <= j < params[key].shape[0] and 0 <= k < params[key].shape[1]):
        shapes = ", ".join(f"{name} {array.shape}" for name, array in params.items())
        raise ValueError(f"{key}[{j}, {k}] is not a parameter of this network ({shapes}); pick one in the diagram.")
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"a weight or bias must be a finite number; got {value!r}. Type a number such as 0.5.")
    before = float(params[key][j, k])
    params[key][j, k] = value  # a view into theta_: the network's own parameters
    session.params = {name: frozen_copy(array) for name, array in params.items()}
    return before


def accuracy(session):
    """The training set's accuracy (0 … 1) with the session's latest parameters, by a numpy forward pass (the
    window's thread must not wait for compiled kernels); None for regression."""
    spec, data = session.spec, session.data
    if spec.output == "linear":
        return None
    A = spec.forward_layers(data.X_train, session.params)[-1][1]
    predicted = (A[0] > 0.5).astype(int) if A.shape[0] == 1 else np.argmax(A, axis=0)
    return float(np.mean(predicted == data.Y_train[0]))
