"""File > Save session and Open session: the window comes back as it was; a bad file changes nothing."""

import json

import numpy as np
import pytest

from visualtrainer.app.session_io import _kept
from visualtrainer.core import iter_training
from visualtrainer.data.session_file import load_session, save_session

from .helpers import drop

COMPILE_MS = 180_000


@pytest.fixture
def window(make_window):
    return make_window("first", iterations=150)


@pytest.fixture
def other(make_window):
    """A second window, as after a new launch, on another dataset and network."""
    return make_window("second", dataset="moons", hidden=[(3, "relu"), (2, "tanh")], iterations=40)


def _train(qtbot, window):
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def _state(window):
    """What a session must bring back: settings, predictions, runs, the view."""
    s, net, data = window.session.settings, window.session.net, window.session.data
    return {"settings": s.to_dict(), "n_iter": net.n_iter_, "costs": net.costs_.copy(),
            "proba": net.predict_proba(data.X_train), "X": data.X_train.copy(),
            "runs": [(r.number, r.name, r.pinned, r.costs.copy(), list(r.path)) for r in window.runs_view.runs],
            "tab": window.lower_tabs.tabText(window.lower_tabs.currentIndex()),
            "log": window.cost_plot.log_box.isChecked(), "grid": window.surface_panel.grid.value(),
            "plot": window.cost_plot.curve()[1]}


def _assert_same(a, b):
    assert a["settings"] == b["settings"] and a["n_iter"] == b["n_iter"] and a["tab"] == b["tab"]
    assert (a["log"], a["grid"]) == (b["log"], b["grid"])
    np.testing.assert_array_equal(a["costs"], b["costs"])
    np.testing.assert_array_equal(a["proba"], b["proba"])
    np.testing.assert_array_equal(a["X"], b["X"])
    np.testing.assert_array_equal(a["plot"], b["plot"])
    # a: opened from b's file, where each path is kept evenly thinned to PATH_BYTES in float32
    assert [r[:3] + (len(r[4]),) for r in a["runs"]] == \
           [r[:3] + (len(_kept(r[4])) if r[4] else 0,) for r in b["runs"]]
    for ra, rb in zip(a["runs"], b["runs"]):
        np.testing.assert_array_equal(ra[3], rb[3])


def test_a_saved_session_opens_in_a_new_window_as_it_was(qtbot, window, other, tmp_path):
    _train(qtbot, window)
    window.runs_view.set_pinned(1)
    window.controls.optimizer.setCurrentText("adam")
    window.reset()
    _train(qtbot, window)
    window.lower_tabs.setCurrentWidget(window.runs_view)
    window.cost_plot.set_log_scale(True)
    window.surface_panel.grid.setValue(31)
    saved = _state(window)
    path = window.save_session(str(tmp_path / "lesson"))
    assert path.name == "lesson.vtsession" and "Saved the session" in window.message_label.text()
    assert other.open_session(str(path)), other.message_label.text()
    _assert_same(_state(other), saved)
    assert other.controls.optimizer.currentText() == "adam" and other.network_view.layer_dims == (2, 4, 1)
    assert "iteration 150" in other.iteration_label.text() and other.message_label.text().startswith(f"Opened {path}: iteration 150, 2 runs")
    assert [name for name, *_ in other.surface_panel.other_runs] == [saved["runs"][0][1]]  # the pinned run's path
    # training goes on from where it was, exactly as the saved network would have gone on
    net, data = window.session.net, window.session.data
    for _ in iter_training(net, data.X_train, data.Y_train, 30):
        pass
    other.controls.iterations.setValue(30)
    _train(qtbot, other)
    np.testing.assert_allclose(other.session.net.costs_, net.costs_, rtol=1e-6)


def test_a_dataset_made_in_the_app_travels_inside_the_session(qtbot, window, other, tmp_path):
    from PIL import Image

    from visualtrainer.data.shapes import make_shape_pictures

    pictures, labels = make_shape_pictures(16, seed=4)
    for i, (picture, label) in enumerate(zip(pictures, labels)):
        folder = tmp_path / "set" / ("disc" if label else "other")
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(picture).save(folder / f"{i}.png")
    drop(window, [tmp_path / "set"], qtbot)
    window.controls.iterations.setValue(10)
    _train(qtbot, window)
    saved = _state(window)
    path = window.save_session(str(tmp_path / "shapes.vtsession"))
    for picture in (tmp_path / "set").rglob("*.png"):
        picture.unlink()  # the session does not need the pictures any more
    drop(other, [path])  # dropping a session file opens it
    _assert_same(_state(other), saved)
    assert other.session.data.X_train.dtype == np.uint8 and other.session.data.classes == ("disc", "other")


def _rewrite(path, change):
    """The session at ``path`` with ``change(state, arrays)`` applied, written again."""
    state, arrays, data = load_session(path)
    change(state, arrays)
    return save_session(path, state, arrays, data)


@pytest.mark.parametrize("spoil, message", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "not a readable session file"),
    (lambda p: p.write_bytes(b"{}"), "not a readable session file"),
    (lambda p: _header(p, format="visualtrainer-session", version=7), "written by a newer visualtrainer"),
    (lambda p: _header(p, format="visualtrainer-model", version=1), "not a visualtrainer session"),
    (lambda p: _rewrite(p, lambda s, a: a.pop("net_W1")), "damaged or incomplete"),
    (lambda p: _rewrite(p, lambda s, a: s["dataset"].update(kind="file", path=str(p.parent / "gone.h5"))),
     "gone.h5 is not there any more"),
    (lambda p: _rewrite(p, lambda s, a: s["network"]["spec"].update(layer_dims=[5, 4, 1]) or a.update(
        net_W1=np.zeros((4, 5)), net_velocity=np.zeros(29), net_squares=np.zeros(29))), "does not fit its dataset"),
])
def test_a_bad_session_file_says_what_is_wrong_and_changes_nothing(qtbot, window, other, tmp_path, spoil,
                                                                   message):
    _train(qtbot, window)
    path = window.save_session(str(tmp_path / "s.vtsession"))
    spoil(path)
    _train(qtbot, other)
    before = _state(other)
    assert not other.open_session(str(path))
    assert message in other.message_label.text()
    _assert_same(_state(other), before)


def _header(path, **header):
    with open(path, "wb") as handle:
        np.savez(handle, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8))
