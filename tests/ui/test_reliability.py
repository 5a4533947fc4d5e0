"""Every open is all or nothing, and every error ends as one sentence: a bad file or value changes nothing in the
window (tests/ui/state.py compares all of it); an unexpected error anywhere (a command, a slot, a worker's job) is
said in the status bar with its details in the log, and the window goes on working."""

import json

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from visualtrainer.core import load_model, save_model

from .helpers import drop
from .state import differences, window_state

COMPILE_MS = 180_000


@pytest.fixture
def window(make_window, qtbot):
    win = make_window(iterations=150)
    _train(qtbot, win)
    return win


def _train(qtbot, window):
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def _one_sentence(text):
    return "\n" not in text and text.endswith(".") and "Traceback" not in text


def _model_with_settings(window, path, settings):
    """The window's model saved to ``path``, its settings replaced by ``settings`` (any JSON value)."""
    window.save_model(path)
    net, extra = load_model(path)
    return save_model(net, path, extra=extra | {"settings": settings})


@pytest.mark.parametrize("change, message", [
    (lambda s: s.update(learning_rate=-5), "learning_rate must be a number > 0; got -5."),
    (lambda s: s.update(batch_size=-3), "batch_size must be an integer in 0 … 2147483647; got -3."),
    (lambda s: s.update(dtype="float16"), "dtype must be one of float32, float64; got 'float16'."),
    (lambda s: s.update(learning_rate="x"), "learning_rate must be a finite number; got 'x'."),
    (lambda s: s.update(batch_size=2**63), "batch_size must be an integer"),
    (lambda s: s.update(hidden=[[5, "tanh"]]), "does not fit the data and settings"),
    (lambda s: s.update(dataset=str(s["gone"])), "no such file"),
])
def test_a_model_whose_settings_the_window_cannot_use_is_refused_and_changes_nothing(window, tmp_path, change,
                                                                                   message):
    settings = window.session.settings.to_dict() | {"gone": tmp_path / "train_gone.h5"}
    change(settings)
    settings.pop("gone")
    path = _model_with_settings(window, tmp_path / "model.npz", settings)
    window.reset()  # another network than the model's
    before = window_state(window)
    assert not window.load_model(path)
    text = window.message_label.text()
    assert message in text and text.startswith(str(path)) and _one_sentence(text)
    assert differences(before, window_state(window)) == []


def test_a_model_whose_settings_are_not_a_mapping_is_refused(window, tmp_path):
    path = _model_with_settings(window, tmp_path / "model.npz", ["flower"])
    before = window_state(window)
    assert not window.load_model(path)
    assert window.message_label.text() == f"{path}: its settings are not a mapping."
    assert differences(before, window_state(window)) == []


@pytest.mark.parametrize("error", [TypeError("unhashable"), KeyError("W9"), AttributeError("no spec"),
                                   OverflowError("int too large"), MemoryError()])
def test_load_model_says_any_error_in_one_sentence_with_the_log(window, tmp_path, monkeypatch, log_here, error):
    from visualtrainer.ui.files import commands

    window.save_model(tmp_path / "model.npz")

    def failing(path):
        raise error

    monkeypatch.setattr(commands, "load_model", failing)
    before = window_state(window)
    assert not window.load_model(tmp_path / "model.npz")
    text = window.message_label.text()
    assert text.startswith(f"{tmp_path / 'model.npz'}: ") and text.endswith(f"details in {log_here}.")
    assert _one_sentence(text) and type(error).__name__ in log_here.read_text()
    assert differences(before, window_state(window)) == []


def test_a_view_failing_while_a_new_network_is_shown_puts_the_window_back(window, qtbot, monkeypatch, log_here):
    """The dataset changes, a view raises while it shows the new network: the session goes back, and every view
    shows the old network again (the same state, under a new generation); then the window trains as before."""
    calls = []
    clear = window.mistakes_view.clear

    def failing_once():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the view broke")
        clear()

    monkeypatch.setattr(window.mistakes_view, "clear", failing_once)
    before = window_state(window)
    window.controls.dataset.setCurrentText("moons")
    text = window.message_label.text()
    assert "the view broke" in text and "RuntimeError" not in text and text.endswith(f"details in {log_here}.") and _one_sentence(text)
    assert differences(before, window_state(window)) == ["generation"] and len(calls) >= 2
    assert window.controls.dataset.currentText() == "flower"
    n_iter = window.session.net.n_iter_
    window.controls.iterations.setValue(n_iter + 20)
    _train(qtbot, window)
    assert window.session.net.n_iter_ == n_iter + 20


def test_a_session_that_fails_while_it_is_shown_puts_the_window_back(window, make_window, qtbot, monkeypatch,
                                                                   tmp_path):
    path = window.save_session(tmp_path / "s.vtsession")
    other = make_window("other", dataset="moons", iterations=40)
    _train(qtbot, other)
    monkeypatch.setattr(other.surface_panel, "set_network", lambda *args: 1 / 0)
    before = window_state(other)
    assert not other.open_session(path)
    assert other.message_label.text().startswith(f"{path}: An unexpected error (division by zero)")
    after = window_state(other)
    assert differences(before, after) == ["generation"]


def test_live_settings_the_network_cannot_take_are_refused(window):
    window.controls.settings.learning_rate = -5.0
    before = window_state(window)
    window.controls.changed.emit("learning_rate")
    assert window.message_label.text() == "the settings: learning_rate must be a number > 0; got -5.0."
    assert window.session.settings.learning_rate == 1.2 and window.session.net.learning_rate == 1.2
    assert window.controls.settings.learning_rate == 1.2
    assert differences(before, window_state(window)) == ["controls"]  # the panel shows the session's again


def test_an_error_in_a_slot_is_said_and_logged_and_the_window_goes_on(window, qtbot, monkeypatch, log_here, capfd):
    from visualtrainer.ui.errors import ErrorHook

    hook = ErrorHook(window.show_message, window).install()
    try:
        monkeypatch.setattr(window.training, "step", lambda: {}["no such key"])
        window.step_action.trigger()  # a slot raising inside Qt's event handling
        monkeypatch.undo()
        text = window.message_label.text()
        assert text.startswith("An unexpected error ('no such key')") and _one_sentence(text)
        assert text.endswith(f"details in {log_here}.") and "KeyError" in log_here.read_text()
        n_iter = window.session.net.n_iter_
        with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
            window.step_action.trigger()
        assert window.session.net.n_iter_ == n_iter + 1
    finally:
        hook.uninstall()
    assert "Traceback" not in capfd.readouterr().err


def test_an_unexpected_error_in_the_training_thread_is_said_with_the_log(window, qtbot, monkeypatch, log_here):
    from visualtrainer.ui.training import controller

    def out_of_memory(mailbox, plan, control):
        raise MemoryError("cannot allocate 9 GB")
        yield

    monkeypatch.setattr(controller, "train", out_of_memory)
    with qtbot.waitSignal(window.training.failed, timeout=COMPILE_MS):
        window.step()
    text = window.message_label.text()
    assert text.startswith("Out of memory (cannot allocate 9 GB)") and text.endswith(f"details in {log_here}.")
    assert "MemoryError" in log_here.read_text() and not window.toolbar.train_action.isChecked()


def test_remembered_settings_the_window_cannot_use_give_the_defaults(make_window, tmp_path):
    store = QSettings(str(tmp_path / "bad.ini"), QSettings.IniFormat)
    store.setValue("session/settings", json.dumps({"learning_rate": -5, "dataset": "moons"}))
    store.sync()
    window = make_window("bad", settings=None)
    assert window.session.settings.dataset == "flower" and window.session.settings.learning_rate == 1.2


def test_a_remembered_dataset_that_is_gone_opens_the_defaults_and_says_so(make_window, tmp_path):
    store = QSettings(str(tmp_path / "gone.ini"), QSettings.IniFormat)
    store.setValue("session/settings", json.dumps({"dataset": str(tmp_path / "train_gone.h5")}))
    store.sync()
    window = make_window("gone", settings=None)
    assert window.session.net is not None and window.session.settings.dataset == "flower"
    text = window.message_label.text()
    assert text.startswith("The remembered settings: ") and "train_gone.h5: no such file" in text
    assert text.endswith("; the window opened on the defaults.")


def test_a_picture_folder_that_cannot_be_opened_leaves_nothing_behind(window, qtbot, tmp_path, monkeypatch):
    from PIL import Image

    from visualtrainer.core import validation

    for name, colour in (("red", "red"), ("green", "green")):
        (tmp_path / "set" / name).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (32, 32), colour).save(tmp_path / "set" / name / f"{i}.png")
    monkeypatch.setattr(validation, "available_memory", lambda: 2**20)  # too little for any picture network
    before = window_state(window)
    drop(window, [tmp_path / "set"], qtbot)
    assert "would need about" in window.message_label.text() and _one_sentence(window.message_label.text())
    assert differences(before, window_state(window)) == [] and window.session.preloaded == {}


def test_pictures_none_of_which_can_be_read_change_nothing(window, qtbot, tmp_path):
    window.controls.dataset.setCurrentText("shapes")
    (tmp_path / "a.png").write_text("not a picture")
    (tmp_path / "b.jpg").write_bytes(b"")
    before = window_state(window)
    drop(window, [tmp_path / "a.png", tmp_path / "b.jpg"], qtbot)
    text = window.message_label.text()
    assert text.startswith("2 pictures could not be read: ") and _one_sentence(text)
    assert differences(before, window_state(window)) == []
    (tmp_path / "empty").mkdir()
    drop(window, [tmp_path / "empty"])
    assert window.message_label.text().startswith(f"{tmp_path / 'empty'}: no pictures there")
    assert differences(before, window_state(window)) == []


def test_a_window_state_tells_a_changed_window_apart(window):
    """The comparison these tests rely on sees what a reset changes."""
    before = window_state(window)
    window.reset()
    changed = differences(before, window_state(window))
    assert {"generation", "net", "params", "costs", "runs", "iteration_label"} <= set(changed)
    assert np.all(np.isfinite(window.session.costs.values()))


def test_saves_and_exports_that_cannot_be_written_say_so_in_one_sentence(window, tmp_path):
    missing = tmp_path / "no-such-folder"
    for command, name in ((window.save_model, "m.npz"), (window.export_plot, "cost.png"),
                          (window.export_plot, "cost.svg"), (window.save_dataset, "d.npz")):
        assert not command(missing / name)
        text = window.message_label.text()
        assert text.startswith(str(missing / name)) and _one_sentence(text), text
    assert not missing.exists()
    if not window.export_plot(tmp_path / "cost.svg"):  # pyqtgraph's SVG exporter fails on some plots: said, logged
        assert "could not export the plot; an unexpected error" in window.message_label.text()
    assert window.export_plot(tmp_path / "cost.png") and (tmp_path / "cost.png").stat().st_size > 1000
    assert window.message_label.text() == f"Exported the cost plot to {tmp_path / 'cost.png'}."


@pytest.mark.parametrize("tamper, message", [
    (lambda run: run["settings"].pop("dataset"), "run 1's settings have no dataset"),
    (lambda run: run["settings"].update(learning_rate="x"), "learning_rate must be a finite number; got 'x'"),
])
def test_a_session_with_a_bad_run_is_refused_and_cannot_poison_later_resets_or_opens(window, qtbot, tmp_path,
                                                                                     tamper, message):
    from visualtrainer.data.session_file import load_session, save_session

    good = window.save_session(tmp_path / "good.vtsession")
    bad = tmp_path / "bad.vtsession"
    state, arrays, data = load_session(good)
    tamper(state["runs"][0])
    save_session(bad, state, arrays, data)
    window.reset()
    before = window_state(window)
    assert not window.open_session(bad)
    text = window.message_label.text()
    assert message in text and text.startswith(str(bad)) and _one_sentence(text)
    assert differences(before, window_state(window)) == []
    assert window.reset() and len(window.session.runs.runs) == len(before["runs"]) + 1  # resets go on working …
    _train(qtbot, window)
    assert window.open_session(good) and window.session.runs.runs[0].settings["dataset"] == "flower"  # … and opens


def test_an_svg_export_that_fails_inside_pyqtgraph_is_said_and_logged_and_writes_nothing(window, tmp_path,
                                                                                       monkeypatch, log_here):
    from pyqtgraph import exporters

    def failing(self, path):
        raise ValueError("not enough values to unpack (expected 2, got 0)")

    monkeypatch.setattr(exporters.SVGExporter, "export", failing)
    before = window_state(window)
    assert not window.export_plot(tmp_path / "cost.svg")
    text = window.message_label.text()
    assert text.startswith(f"{tmp_path / 'cost.svg'}: could not export the plot; an unexpected error (not enough "
                           "values to unpack") and text.endswith(f"details in {log_here}.")
    assert _one_sentence(text) and "SVGExporter" not in text and "failing" in log_here.read_text()
    assert not (tmp_path / "cost.svg").exists() and differences(before, window_state(window)) == []
