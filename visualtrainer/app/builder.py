"""Choices and data → a Network: the one place that turns hidden layers, activations and an output into a network,
for the window and the command line alike."""

from visualtrainer.core import Network
from visualtrainer.core.activations import OUTPUT_FOR_TASK


def output_for(task, output=None):
    """The output layer: ``output`` when chosen (not None or "auto"), else the one the task needs."""
    return OUTPUT_FOR_TASK[task] if output in (None, "auto") else output


def layer_dims(n_x, hidden_sizes, output, n_classes):
    """(n_x, n[1], …, n_y): one output unit, or one per class for softmax."""
    n_y = n_classes if output == "softmax" else 1
    return (n_x, *hidden_sizes, n_y)


def build_network(data, hidden_sizes, hidden_activation, output=None, loss=None, **training):
    """An untrained Network for the Dataset ``data``.

    Parameters
    ----------
    data : Dataset
        Gives n_x, the task (which output fits) and the number of classes.
    hidden_sizes : sequence of int
        n[1], …, n[L−1]; empty for logistic regression.
    hidden_activation : str or sequence of str
        One activation for every hidden layer, or one per layer.
    output, loss : str or None
        None or "auto" picks what the task needs (the Network's default loss for that output).
    **training
        The Network's other arguments (init, learning_rate, optimizer, batch_size, l2, l1, tol, dtype,
        random_state, shuffle_seed).
    """
    output = output_for(data.task, output)
    return Network(layer_dims=layer_dims(data.n_x, hidden_sizes, output, data.n_classes),
                   hidden_activation=hidden_activation, output=output, loss=None if loss == "auto" else loss,
                   **training)


def network_for(settings, data):
    """The untrained Network that ``settings`` (app Settings) describe for ``data``; its seed draws the weights."""
    s = settings
    return build_network(data, [n for n, _ in s.hidden], [a for _, a in s.hidden], s.output, s.loss, init=s.init,
                         learning_rate=s.learning_rate, optimizer=s.optimizer, batch_size=s.batch_size, l2=s.l2, l1=s.l1,
                         tol=s.tol, dtype=s.dtype, random_state=s.seed)
