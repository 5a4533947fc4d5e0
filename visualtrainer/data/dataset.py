"""A dataset in the course's layout: one column per example, labels in a (1, m) row."""

from dataclasses import dataclass

import numpy as np


class DatasetError(ValueError):
    """Bad data or a bad request for data: the message says what was expected, what was found, what to do."""


@dataclass(frozen=True)
class Dataset:
    """Training (and optional test) examples.

    Attributes
    ----------
    name : str
    X_train : ndarray (n_x, m)
        float64 features, or uint8 pixels (an F-ordered view of (m, n_x) pixels: the engine reads them as they
        are and scales by 1/255 itself).
    Y_train : ndarray (1, m)
        int64 labels 0 … K−1 for classification; float64 targets for regression.
    X_test, Y_test : ndarray (n_x, m_test), (1, m_test), or None
    classes : tuple of str
        Class names, in label order (empty for regression).
    task : {"binary", "multiclass", "regression"}
    image_shape : tuple or None
        (height, width, channels) of image sets.
    """

    name: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None
    classes: tuple = ()
    task: str = "binary"
    image_shape: tuple | None = None

    @property
    def n_x(self):
        return self.X_train.shape[0]

    @property
    def m(self):
        return self.X_train.shape[1]

    @property
    def m_test(self):
        return 0 if self.X_test is None else self.X_test.shape[1]

    @property
    def n_classes(self):
        return len(self.classes)


def task_for(n_classes):
    """"binary" for two classes, "multiclass" for more, "regression" for none."""
    return "regression" if n_classes == 0 else "binary" if n_classes == 2 else "multiclass"
