"""The confusion matrix and the misclassified examples, against counting by hand."""

import numpy as np

from visualtrainer.core.metrics import class_probabilities, confusion_matrix, misclassified, predicted_classes


def test_confusion_matrix_counts_each_true_predicted_pair():
    rng = np.random.RandomState(0)
    y_true, y_pred = rng.randint(0, 3, 200), rng.randint(0, 3, 200)
    C = confusion_matrix(y_true, y_pred, 3)
    for i in range(3):
        for j in range(3):
            assert C[i, j] == sum(1 for t, p in zip(y_true, y_pred) if t == i and p == j)
    assert C.sum() == 200 and np.trace(C) == np.sum(y_true == y_pred)


def test_predictions_and_probabilities_from_the_output_layer():
    AL = np.array([[0.2, 0.7, 0.5]])
    assert predicted_classes(AL, "sigmoid").tolist() == [0, 1, 0]
    np.testing.assert_allclose(class_probabilities(AL, "sigmoid"), [[0.8, 0.3, 0.5], [0.2, 0.7, 0.5]])
    soft = np.array([[0.1, 0.6], [0.7, 0.3], [0.2, 0.1]])
    assert predicted_classes(soft, "softmax").tolist() == [1, 0]
    assert class_probabilities(soft, "softmax") is not None


def test_misclassified_puts_the_most_confident_mistakes_first():
    y_true = np.array([0, 1, 1, 0, 2])
    y_pred = np.array([0, 0, 2, 1, 2])
    confidence = np.array([0.9, 0.6, 0.95, 0.7, 0.8])
    assert misclassified(y_true, y_pred, confidence).tolist() == [2, 3, 1]
