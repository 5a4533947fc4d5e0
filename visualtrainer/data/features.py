"""Features derived from two-dimensional points, as TensorFlow Playground offers them: x₁, x₂, x₁², x₂², x₁x₂,
sin x₁, sin x₂. A network given x₁² and x₂² separates the circles with one neuron; the plots keep showing the points
(x₁, x₂) themselves (``FeaturedDataset.plane``)."""

from dataclasses import dataclass

import numpy as np

from .dataset import Dataset, DatasetError

#: Each feature's name (as settings store it), what the window writes for it, and how it is computed from X (2, m).
FEATURES = {
    "x1": ("x₁", lambda X: X[0]),
    "x2": ("x₂", lambda X: X[1]),
    "x1^2": ("x₁²", lambda X: X[0] ** 2),
    "x2^2": ("x₂²", lambda X: X[1] ** 2),
    "x1*x2": ("x₁x₂", lambda X: X[0] * X[1]),
    "sin x1": ("sin x₁", lambda X: np.sin(X[0])),
    "sin x2": ("sin x₂", lambda X: np.sin(X[1])),
}
PLAIN = ("x1", "x2")  # the points as they are: no derived feature


def check_features(features):
    """The features in the order of ``FEATURES`` (each once); DatasetError for an unknown one or none."""
    chosen = [name for name in FEATURES if name in set(features)]
    unknown = [name for name in features if name not in FEATURES]
    if unknown or not chosen:
        raise DatasetError(f"features must be one or more of {', '.join(FEATURES)}; got {list(features)!r}.")
    return tuple(chosen)


def derive(X, features):
    """The features (k, m) of the points X (2, m), in float64, one row per name of ``features``."""
    X = np.asarray(X, dtype=np.float64)
    return np.stack([FEATURES[name][1](X) for name in check_features(features)])


def labels(features):
    """What the window writes for each feature: ["x₁", "x₁²", …]."""
    return [FEATURES[name][0] for name in check_features(features)]


@dataclass(frozen=True, eq=False)
class FeaturedDataset(Dataset):
    """A Dataset whose X rows are features of the 2-D points of ``plane`` (a Dataset), named by ``features``."""

    plane: Dataset | None = None
    features: tuple = PLAIN


def with_features(data, features):
    """``data`` (2-D points) as the features named, or ``data`` itself when they are the points as they are or the
    data are not 2-D points."""
    features = check_features(features)
    if data.n_x != 2 or data.image_shape is not None or features == PLAIN:
        return data
    X_test = None if data.X_test is None else derive(data.X_test, features)
    return FeaturedDataset(data.name, derive(data.X_train, features), data.Y_train, X_test, data.Y_test,
                           data.classes, data.task, None, plane=data, features=features)


def plane_of(data):
    """The 2-D points a dataset's features come from (``data`` itself when it has no derived features)."""
    return data.plane if isinstance(data, FeaturedDataset) else data


def feature_names(data):
    """What the window writes for each input of ``data``: the features' names, else x₁ … xₙ (None for pictures)."""
    if isinstance(data, FeaturedDataset):
        return labels(data.features)
    if data.image_shape is not None:
        return None
    return [f"x{''.join('₀₁₂₃₄₅₆₇₈₉'[int(d)] for d in str(j + 1))}" for j in range(data.n_x)]


def input_count(settings, n_x):
    """n_x of the network the window's ``settings`` (a dict) make for 2-D points (``n_x`` = 2), else ``n_x``."""
    features = settings.get("features")
    if n_x != 2 or not isinstance(features, (list, tuple)):
        return n_x
    return len(check_features(features))
