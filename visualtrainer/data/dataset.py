"""A dataset in the course's layout: one column per example, labels in a (1, m) row."""

from dataclasses import dataclass

import numpy as np

TASKS = ("binary", "multiclass", "regression")
#: The most classes a dataset may have (one softmax unit each; ImageNet has 1000).
MAX_CLASSES = 1000
_BLOCK = 1 << 20  # values checked at a time: the check's own memory stays small on a large float set
_CLASSES_NEEDED = {"binary": "2 class names", "multiclass": "3 or more class names", "regression": "no class names"}


class DatasetError(ValueError):
    """Bad data or a bad request for data: the message says what was expected, what was given, how to fix it."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Training examples, and test examples when there are some, with what they mean.

    Columns are examples (the course's notation). The arrays are kept as given (never copied or converted):
    image sets keep their uint8 pixels, which the training engine scales by 1/255 itself.

    Parameters
    ----------
    name : str
        Short name: "flower", "catvnoncat", ...
    X_train : ndarray (n_x, m)
        float64 features, or uint8 pixels for image sets: ``x.reshape(m, -1).T``, an F-contiguous view of
        C-contiguous (m, n_x) pixels.
    Y_train : ndarray (1, m)
        int64 labels 0 … K−1 for classification; float64 targets for regression.
    X_test : ndarray (n_x, m_test) or None
        Test features, laid out as ``X_train``.
    Y_test : ndarray (1, m_test) or None
        Test labels or targets; None exactly when ``X_test`` is None.
    classes : tuple of str
        Class names in label order (label k is ``classes[k]``); empty for regression.
    task : {"binary", "multiclass", "regression"}
        "binary" with 2 classes, "multiclass" with more, "regression" with none.
    image_shape : tuple of int or None
        (height, width, channels) of each image, e.g. (64, 64, 3); None for sets that are not images.

    Raises
    ------
    DatasetError
        When the arrays, classes, task and image shape do not fit together, X holds something other than finite
        numbers, or a label is not a whole number naming a class (a regression target: not a finite number).
    """

    name: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None
    classes: tuple[str, ...] = ()
    task: str = "binary"
    image_shape: tuple[int, ...] | None = None

    def __post_init__(self):
        _check_pair("X_train", self.X_train, "Y_train", self.Y_train)
        if (self.X_test is None) != (self.Y_test is None):
            raise DatasetError("X_test and Y_test must both be arrays or both be None; "
                               f"got {type(self.X_test).__name__} and {type(self.Y_test).__name__}.")
        if self.X_test is not None:
            _check_pair("X_test", self.X_test, "Y_test", self.Y_test)
            if self.X_test.shape[0] != self.X_train.shape[0]:
                raise DatasetError(f"X_test must have the n_x = {self.X_train.shape[0]} rows of X_train; "
                                   f"got X_test {self.X_test.shape}.")
        if self.task not in TASKS:
            raise DatasetError(f"task must be one of {', '.join(TASKS)}; got {str(self.task)[:40]!r}.")
        if not isinstance(self.classes, tuple) or len(self.classes) > MAX_CLASSES or \
                not all(isinstance(name, str) for name in self.classes):
            count = len(self.classes) if isinstance(self.classes, (tuple, list)) else type(self.classes).__name__
            raise DatasetError(f"classes must be a tuple of at most {MAX_CLASSES} names (str); got {count}.")
        if task_for(len(self.classes)) != self.task:
            raise DatasetError(f"a {self.task} dataset needs {_CLASSES_NEEDED[self.task]}; "
                               f"got classes {self.classes!r}.")
        if self.image_shape is not None and int(np.prod(self.image_shape, dtype=object)) != self.X_train.shape[0]:
            raise DatasetError(f"image_shape {self.image_shape} holds {int(np.prod(self.image_shape, dtype=object))} "
                               f"values but X_train has n_x = {self.X_train.shape[0]} rows.")
        for x_name, y_name in (("X_train", "Y_train"), ("X_test", "Y_test")):
            if getattr(self, x_name) is not None:
                _check_values(x_name, getattr(self, x_name))
                _check_labels(y_name, getattr(self, y_name), self.classes)

    @property
    def n_x(self):
        """Number of features (rows of X)."""
        return self.X_train.shape[0]

    @property
    def m(self):
        """Number of training examples (columns of X_train)."""
        return self.X_train.shape[1]

    @property
    def m_test(self):
        """Number of test examples (0 without a test set)."""
        return 0 if self.X_test is None else self.X_test.shape[1]

    @property
    def n_classes(self):
        """Number of classes K (0 for regression)."""
        return len(self.classes)


def _check_pair(x_name, X, y_name, Y):
    """X must be (n_x, m) and Y (1, m), both ndarrays."""
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        raise DatasetError(f"{x_name} must be a 2-D array (n_x, m); got {_describe(X)}.")
    if not isinstance(Y, np.ndarray) or Y.ndim != 2 or Y.shape[0] != 1:
        raise DatasetError(f"{y_name} must be a (1, m) array; got {_describe(Y)}.")
    if X.shape[1] != Y.shape[1]:
        raise DatasetError(f"{x_name} and {y_name} must have the same number of examples (columns); "
                           f"got {x_name} {X.shape} and {y_name} {Y.shape}.")


def _check_values(name, X):
    """X must hold numbers (uint8 pixels, integers or floats), and floats must be finite."""
    if X.dtype.kind not in "uif":
        raise DatasetError(f"{name} must hold numbers (uint8 pixels or floats); got {X.dtype}.")
    if X.dtype.kind == "f":
        step = max(1, _BLOCK // max(X.shape[0], 1))
        for start in range(0, X.shape[1], step):
            if not np.isfinite(X[:, start : start + step]).all():
                raise DatasetError(f"{name} holds NaN or infinite values; clean or drop those examples first.")


def _check_labels(name, Y, classes):
    """Classification labels must be whole numbers 0 … K−1; regression targets finite numbers."""
    if Y.dtype.kind not in "biuf":
        raise DatasetError(f"{name} must hold numbers; got {Y.dtype}.")
    if not classes:
        if Y.dtype.kind == "f" and not np.isfinite(Y).all():
            raise DatasetError(f"{name} holds NaN or infinite targets; clean or drop those examples first.")
        return
    if Y.dtype.kind == "f":
        finite = np.isfinite(Y)
        whole = finite & (Y == np.round(np.where(finite, Y, 0)))
        if not whole.all():
            raise DatasetError(f"{name} must hold whole-number labels 0 … {len(classes) - 1}; got "
                               f"{Y[~whole][:3].tolist()}.")
    if Y.size and (Y.min() < 0 or Y.max() > len(classes) - 1):
        bad = Y[(Y < 0) | (Y > len(classes) - 1)]
        raise DatasetError(f"{name} labels must be in 0 … {len(classes) - 1} (one per class: "
                           f"{_names(classes)}); got {bad[:3].tolist()}.")


def _names(classes):
    shown = ", ".join(name[:30] for name in classes[:5])
    return shown + (f" and {len(classes) - 5} more" if len(classes) > 5 else "")


def _describe(value):
    return f"shape {value.shape}" if isinstance(value, np.ndarray) else type(value).__name__


def task_for(n_classes):
    """The task for ``n_classes`` class names: "regression" for 0, "binary" for 2, "multiclass" for more.

    Parameters
    ----------
    n_classes : int

    Returns
    -------
    str or None
        None for 1 class, which is no task at all.
    """
    if n_classes == 0:
        return "regression"
    if n_classes == 1:
        return None
    return "binary" if n_classes == 2 else "multiclass"
