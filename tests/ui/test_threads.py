"""The network being trained belongs to the training thread: while it trains, the window reads snapshots and sends
changes through the mailbox; it never calls the network itself. A save in the middle of training pauses it first."""

import threading

import numpy as np
import pytest

from visualtrainer.core import Network

from .helpers import drop

COMPILE_MS = 180_000
CALLS = ("predict_proba", "predict", "score", "cost", "forward_layers", "set_params", "get_params", "set_weights",
         "initialize", "trains_on_all_cores")


@pytest.fixture
def calls_from_the_window(monkeypatch, window):
    """[(method, iteration)] of the calls the window's thread makes on the network while a job trains it."""
    found, main = [], threading.main_thread()

    def watch(name):
        method = getattr(Network, name)

        def watched(self, *args, **kwargs):
            if self is window.session.net and window.training.training and threading.current_thread() is main:
                found.append(name)
            return method(self, *args, **kwargs)
        return watched

    for name in CALLS:
        monkeypatch.setattr(Network, name, watch(name))
    return found


def test_the_window_never_calls_the_network_another_thread_trains(qtbot, window, calls_from_the_window):
    from pathlib import Path

    window.controls.dataset.setCurrentText("shapes")
    window.controls.iterations.setValue(10_000_000)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.session.iteration > 0, timeout=COMPILE_MS)
    samples = sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.png"))
    drop(window, samples, qtbot)  # classified while it trains
    window.network_view.neuron_clicked.emit(1, 0)  # a unit's weights as a picture
    window.show_tab("Graph")
    window.example.setValue(3)
    window.controls.learning_rate.spin.setValue(0.001)  # a live change, through the mailbox
    qtbot.waitUntil(lambda: window.presenter.frames_drawn > 5, timeout=COMPILE_MS)
    assert window.training.training and calls_from_the_window == []
    with qtbot.waitSignal(window.training_finished, timeout=10_000):
        window.toggle_training()
    assert window.session.net.learning_rate == 0.001  # the change reached the network
    assert len(window.drop_classifier.cards) == len(samples)


def test_saving_while_training_pauses_first_and_saves_the_paused_network(qtbot, window, tmp_path):
    window.controls.iterations.setValue(10_000_000)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.session.iteration > 0, timeout=COMPILE_MS)
    path = window.save_session(tmp_path / "mid.vtsession")
    assert path is not None and not window.training.training  # paused (a warm-up may still wait its turn)
    assert "Saved the session" in window.message_label.text()
    net = window.session.net
    assert window.save_model(tmp_path / "mid.npz")
    from visualtrainer.core import load_model

    saved, _ = load_model(tmp_path / "mid.npz")
    assert saved.n_iter_ == net.n_iter_ > 0
    np.testing.assert_array_equal(saved.params_["W1"], net.params_["W1"])
