"""A new network, however it comes (a reset, another dataset, a loaded model, an opened session), leaves no view
showing the old one: the Neuron tab forgets the old network's unit, and picture cards are classified again by the
new network (or cleared when it does not take pictures)."""

from pathlib import Path

import numpy as np
import pytest

from visualtrainer.core.metrics import class_probabilities

from .helpers import drop

COMPILE_MS = 180_000
SAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.png"))
HINT = "Click a neuron in the diagram to see what it computes."


def _train(qtbot, window, iterations):
    window.controls.iterations.setValue(iterations)
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def _model_and_session(qtbot, window, tmp_path):
    """Train, save the model and the session, then start again: a change to make is left to each case."""
    _train(qtbot, window, 40)
    assert window.save_model(tmp_path / "model.npz")
    assert window.save_session(tmp_path / "trained.vtsession")
    window.reset()


CHANGES = {
    "reset": lambda window, tmp_path: window.reset(),
    "dataset": lambda window, tmp_path: window.controls.dataset.setCurrentText("moons"),
    "model": lambda window, tmp_path: window.load_model(tmp_path / "model.npz"),
    "session": lambda window, tmp_path: window.open_session(tmp_path / "trained.vtsession"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_neuron_tab_forgets_the_old_networks_unit(qtbot, window, tmp_path, change):
    _model_and_session(qtbot, window, tmp_path)
    window.network_view.neuron_clicked.emit(1, 2)
    assert window.neuron_detail.title.text() == "A[1] unit 3: its output over the plane"
    assert window.neuron_detail.image.image is not None
    assert CHANGES[change](window, tmp_path) is not False
    assert window.neuron_detail.title.text() == HINT and window.neuron_detail.image.image is None


def _shown(window):
    return np.array([card.probabilities for card in window.drop_classifier.cards])


def _expected(window):
    """Each card's class probabilities by the session's network, computed apart from the cards."""
    net = window.session.net
    pixels = np.stack([card.pixels.reshape(-1) for card in window.drop_classifier.cards], axis=1)
    return class_probabilities(net.predict_proba(pixels), net.output).T


@pytest.mark.parametrize("change", ["reset", "model", "session"])
def test_picture_cards_are_classified_again_by_a_new_network(qtbot, window, tmp_path, change):
    window.controls.dataset.setCurrentText("shapes")
    _model_and_session(qtbot, window, tmp_path)
    _train(qtbot, window, 15)  # the cards come from a network that differs from the one to come
    drop(window, SAMPLES, qtbot)
    before = _shown(window)
    assert len(before) == len(SAMPLES)
    np.testing.assert_allclose(before, _expected(window), rtol=1e-6)
    assert CHANGES[change](window, tmp_path) is not False
    after = _shown(window)
    assert np.abs(after - before).max() > 1e-4  # the new network sees them otherwise …
    np.testing.assert_allclose(after, _expected(window), rtol=1e-6)  # … and the cards say so
    classes = window.session.data.classes
    assert [card.predicted for card in window.drop_classifier.cards] == [classes[k] for k in after.argmax(axis=1)]


def test_picture_cards_go_when_the_network_no_longer_takes_pictures(qtbot, window):
    window.controls.dataset.setCurrentText("shapes")
    drop(window, SAMPLES, qtbot)
    assert len(window.drop_classifier.cards) == len(SAMPLES)
    window.controls.dataset.setCurrentText("flower")
    assert window.drop_classifier.cards == []


def test_picture_cards_follow_the_training(qtbot, window):
    window.controls.dataset.setCurrentText("shapes")
    drop(window, SAMPLES, qtbot)
    before = _shown(window)
    _train(qtbot, window, 15)
    np.testing.assert_allclose(_shown(window), _expected(window), rtol=1e-6)
    assert np.abs(_shown(window) - before).max() > 1e-4
