"""What the window holds and shows, as one comparable value: the session (settings, dataset, network, its iteration
and costs, accuracies, path, runs, view, the sets it holds) and what its views show of it. Two windows, or one
window before and after a command, are in the same state exactly when ``window_state`` gives equal values."""

import hashlib

import numpy as np


def digest(*arrays):
    """A short fingerprint of arrays' shapes, dtypes and bytes (None for None)."""
    h = hashlib.sha1()
    for array in arrays:
        if array is None:
            h.update(b"none")
            continue
        array = np.ascontiguousarray(array)
        h.update(f"{array.shape}{array.dtype}".encode())
        h.update(array.tobytes())
    return h.hexdigest()[:16]


def _data(data):
    if data is None:
        return None
    return (data.name, digest(data.X_train, data.Y_train, data.X_test, data.Y_test), data.classes, data.task,
            data.image_shape)


def _net(net):
    if net is None:
        return None
    params = [net.params_[key] for key in sorted(net.params_)] if net.params_ else []
    return (tuple(net.layer_dims), tuple(net.activations), net.get_params()["learning_rate"], int(net.n_iter_),
            digest(*params), digest(np.asarray(net.costs_)))


def session_state(session):
    """The session's state (no widgets)."""
    s = session
    return {
        "generation": s.generation, "settings": s.settings.to_dict(), "data": _data(s.data), "net": _net(s.net),
        "params": digest(*(s.params[key] for key in sorted(s.params))) if s.params else None,
        "iteration": s.iteration, "costs": digest(s.costs.values()), "accuracy": digest(*s.accuracy.arrays()),
        "path": digest(*s.path.frozen()[1]),
        "runs": [(r.number, r.name, r.pinned, r.from_sweep, digest(r.costs), len(r.path), r.train_accuracy,
                  r.test_accuracy) for r in s.runs.runs],
        "view": s.view.to_dict(), "preloaded": sorted(s.preloaded),
    }


def window_state(window):
    """The session's state and what the window shows of it."""
    plot_x, plot_y = window.cost_plot.curve()
    return session_state(window.session) | {
        "controls": window.controls.settings.to_dict(), "plot": digest(np.asarray(plot_x), np.asarray(plot_y)),
        "iteration_label": window.iteration_label.text(), "diagram": tuple(window.network_view.layer_dims),
        "cards": [card.path for card in window.drop_classifier.cards],
        "runs_table": [window.runs_view.table.item(row, 1).text() for row in range(window.runs_view.table.rowCount())],
        "tab": window.lower_tabs.tabText(window.lower_tabs.currentIndex()),
    }


def differences(before, after):
    """The keys whose values differ between two states."""
    return sorted(key for key in before if before[key] != after.get(key))
