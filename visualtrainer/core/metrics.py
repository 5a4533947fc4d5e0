"""How a classifier does on labelled examples: the confusion matrix and the examples it gets wrong."""

import numpy as np


def predicted_classes(AL, output):
    """Class per example (m,) from ŷ = A[L]: σ > 0.5 for a sigmoid (1 × m), the argmax for a softmax (K × m)."""
    AL = np.asarray(AL)
    return (AL[0] > 0.5).astype(np.int64) if output == "sigmoid" else np.argmax(AL, axis=0)


def class_probabilities(AL, output):
    """(K, m) probability of each class: a sigmoid's p gives the rows 1 − p and p."""
    AL = np.asarray(AL, dtype=np.float64)
    return np.vstack([1 - AL[0], AL[0]]) if output == "sigmoid" else AL


def confusion_matrix(y_true, y_pred, n_classes):
    """C (K, K) with C[i, j] the number of examples of class i predicted as class j."""
    y_true, y_pred = np.ravel(y_true).astype(np.int64), np.ravel(y_pred).astype(np.int64)
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def misclassified(y_true, y_pred, confidence):
    """Indices of the wrong predictions, the most confident first (``confidence`` (m,): the predicted class's
    probability)."""
    wrong = np.flatnonzero(np.ravel(y_true) != np.ravel(y_pred))
    return wrong[np.argsort(-np.asarray(confidence)[wrong], kind="stable")]
