"""Small random problems for the core's tests: inputs X (n_x, m) and labels Y that fit an output layer."""

import numpy as np


def random_problem(output, n_y, seed=0, n_x=3, m=9, pixels=False):
    """X (n_x, m) (uint8 pixels when ``pixels``) and Y: class indices (1, m) for softmax, 0/1 (n_y, m) for
    sigmoid, real targets (n_y, m) for a linear output."""
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 256, (n_x, m)).astype(np.uint8) if pixels else rng.randn(n_x, m)
    if output == "softmax":
        Y = rng.randint(0, n_y, (1, m))
    elif output == "sigmoid":
        Y = rng.randint(0, 2, (n_y, m))
    else:
        Y = rng.randn(n_y, m)
    return X, Y
