"""The window, driven as a user would: open, train, pause, step, reset, edit layers, diverge, save and load."""

import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from visualtrainer.ui.main_window import MainWindow
from visualtrainer.app.settings import Settings

from .helpers import LayoutRequests, drop as _drop

COMPILE_MS = 180_000  # the first run in a fresh environment compiles the kernels


def _train(qtbot, window, iterations):
    window.controls.iterations.setValue(iterations)
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def test_opens_on_the_flower_set_with_four_tanh_units(qtbot, window):
    assert window.session.settings.dataset == "flower"
    assert tuple(window.session.net.layer_dims) == (2, 4, 1)
    assert window.session.net.activations == ["tanh", "sigmoid"]
    assert "W[1]: 4×2" in " ".join(window.network_view.shape_labels())
    qtbot.waitUntil(lambda: "Space" in window.message_label.text(), timeout=COMPILE_MS)  # kernels ready


def test_the_first_boundary_is_the_networks_own_output(window):
    """Before training the boundary is drawn with numpy (no compiled kernel in the window's thread, where the
    first call would load it at launch): it shows what the network's kernels compute."""
    drawn = []
    window.boundary_plot.set_probabilities = drawn.append
    window.reset()
    net, (grid_X, shape) = window.session.net, window.session.grid_points()
    np.testing.assert_allclose(drawn[-1], net.predict_proba(grid_X).reshape((-1, *shape)), atol=1e-6)


def test_kernels_and_the_first_surface_wait_until_the_window_shows(qtbot, make_window):
    from PySide6.QtWidgets import QApplication

    window = make_window(show=False)
    QApplication.processEvents()  # whatever the window posted to itself has run
    assert window.surface_panel.surfaces_computed == 0 and window.surface_panel.busy  # held, waiting
    assert not window.training.worker.busy and "Preparing" not in window.message_label.text()  # no warm-up yet
    window.show()
    qtbot.waitUntil(lambda: window.surface_panel.surfaces_computed == 1, timeout=COMPILE_MS)
    qtbot.waitUntil(lambda: "Space" in window.message_label.text(), timeout=COMPILE_MS)  # kernels ready


def test_while_the_window_is_up_a_thread_waits_a_millisecond_at_most_for_the_gil(qtbot, make_window):
    """The window's thread takes the GIL back after every call into Qt: with Python's 5 ms switch interval a worker
    busy in Python made it wait that long each time. Set once the window is up, put back as it closes."""
    import sys

    from visualtrainer.ui.gil import SWITCH_SECONDS

    before = sys.getswitchinterval()
    assert before != SWITCH_SECONDS
    window = make_window()
    qtbot.waitUntil(lambda: sys.getswitchinterval() == SWITCH_SECONDS, timeout=COMPILE_MS)
    window.close()
    assert sys.getswitchinterval() == before


def test_train_lowers_the_cost_and_counts_iterations(qtbot, window):
    _train(qtbot, window, 400)
    iterations, costs = window.cost_plot.curve()
    assert len(costs) == 400 and iterations[0] == 0 and iterations[-1] == 399
    assert costs[-1] < 0.9 * costs[0]
    assert window.session.net.n_iter_ == 400
    assert "400" in window.iteration_label.text()
    assert "cost" in window.status_label.text() and "train" in window.status_label.text()


def test_pause_step_and_reset(qtbot, window):
    window.controls.iterations.setValue(10_000_000)
    window.toggle_training()
    qtbot.waitUntil(lambda: len(window.cost_plot.curve()[1]) > 0, timeout=COMPILE_MS)
    with qtbot.waitSignal(window.training_finished, timeout=10_000) as blocker:
        window.toggle_training()  # pause
    assert blocker.args[0].paused
    paused_at = window.session.net.n_iter_
    assert 0 < paused_at < 10_000_000
    assert "Paused" in window.message_label.text()
    with qtbot.waitSignal(window.training_finished, timeout=10_000):
        window.step()
    assert window.session.net.n_iter_ == paused_at + 1
    before = window.session.net.params_["W1"].copy()
    window.controls.seed.setValue(5)  # a new seed redraws the parameters
    assert window.session.net.n_iter_ == 0
    assert not np.allclose(before, window.session.net.params_["W1"])
    assert len(window.cost_plot.curve()[1]) == 0


def test_adding_a_layer_and_changing_units_redraw_the_diagram(window):
    window.controls.hidden.add_button.click()
    assert tuple(window.session.net.layer_dims) == (2, 4, 4, 1)
    assert "W[2]: 4×4" in " ".join(window.network_view.shape_labels())
    window.controls.hidden.units_box(1).setValue(6)
    assert tuple(window.session.net.layer_dims) == (2, 4, 6, 1)
    labels = " ".join(window.network_view.shape_labels())
    assert "W[2]: 6×4" in labels and "W[3]: 1×6" in labels


def test_a_divergent_learning_rate_says_so(qtbot, window):
    window.controls.dataset.setCurrentText("house")
    window.controls.learning_rate.spin.setValue(9.0)
    assert window.session.net.learning_rate == 9.0
    _train(qtbot, window, 2000)
    assert window.session.net.stop_reason_ == "diverged"
    assert "diverged" in window.message_label.text().lower()
    assert "learning rate" in window.message_label.text()


def test_saved_model_loads_with_the_same_predictions(qtbot, window, tmp_path):
    _train(qtbot, window, 200)
    grid_X, _ = window.session.grid_points()
    trained = window.session.net.predict_proba(grid_X)
    assert window.save_model(tmp_path / "model.npz")
    window.reset()
    assert not np.allclose(window.session.net.predict_proba(grid_X), trained)
    assert window.load_model(tmp_path / "model.npz")
    np.testing.assert_allclose(window.session.net.predict_proba(grid_X), trained)
    # the whole window shows the loaded network: its cost history, its θ on the cost surface, its iteration
    loaded = window.session.net
    np.testing.assert_array_equal(window.cost_plot.curve()[1], loaded.costs_)
    np.testing.assert_array_equal(window.session.path.latest, loaded.theta_)
    assert window.iteration_label.text() == "iteration 200"


def test_closing_while_training_ends_the_worker(qtbot, tmp_path):
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(store=store, settings=Settings(iterations=10_000_000))
    qtbot.addWidget(win)
    win.show()
    win.toggle_training()
    qtbot.waitUntil(lambda: len(win.cost_plot.curve()[1]) > 0, timeout=COMPILE_MS)
    win.close()
    assert win.worker.thread.isFinished()
    assert not win.worker.busy


def test_settings_are_remembered_between_launches(qtbot, tmp_path):
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    first = MainWindow(store=store, settings=Settings())
    qtbot.addWidget(first)
    first.controls.hidden.add_button.click()
    first.controls.learning_rate.spin.setValue(0.5)
    first.close()
    second = MainWindow(store=store)
    qtbot.addWidget(second)
    assert second.session.settings.hidden == [(4, "tanh"), (4, "tanh")]
    assert second.session.settings.learning_rate == 0.5
    second.close()


def test_clicking_a_hidden_unit_shows_its_output_over_the_plane(qtbot, window):
    window.network_view.neuron_clicked.emit(1, 2)
    assert window.lower_tabs.currentWidget() is window.neuron_detail
    xx, yy = window.session.grid
    shown = window.neuron_detail.image.image
    expected = np.tanh(window.session.net.params_["W1"][2].astype(float) @ np.vstack([xx.ravel(), yy.ravel()])
                       + window.session.net.params_["b1"][2, 0]).reshape(xx.shape)
    np.testing.assert_allclose(shown, expected, rtol=1e-5, atol=1e-6)


def test_the_cat_set_shows_a_picture_input_and_weight_pictures(qtbot, window, cat_train_path):
    assert window.open_dataset(str(cat_train_path))
    net = window.session.net
    assert net.layer_dims[0] == 12288 and "12288" in window.network_view.input_block_text()
    assert not window.boundary_plot.isVisible()
    window.network_view.neuron_clicked.emit(1, 0)
    assert window.neuron_detail.image.image.shape == (64, 64, 3)


def test_a_bad_file_keeps_the_current_dataset(qtbot, window, tmp_path):
    (tmp_path / "train_junk.h5").write_text("not hdf5")
    assert not window.open_dataset(str(tmp_path / "train_junk.h5"))
    assert window.session.settings.dataset == "flower" and window.session.net.layer_dims[0] == 2
    assert "not a readable HDF5 file" in window.message_label.text()


def test_dropped_pictures_are_classified_as_cards(qtbot, window, cat_train_path, tmp_path):
    from PIL import Image

    assert window.open_dataset(str(cat_train_path))
    _train(qtbot, window, 100)
    data, net = window.session.data, window.session.net
    paths = []
    for i in range(5):
        paths.append(tmp_path / f"test_{i}.png")
        Image.fromarray(data.X_test[:, i].reshape(64, 64, 3)).save(paths[-1])
    (tmp_path / "junk.png").write_text("no picture")
    (tmp_path / "empty.jpg").write_bytes(b"")
    _drop(window, paths + [tmp_path / "junk.png", tmp_path / "empty.jpg"], qtbot)
    cards = window.drop_classifier.cards
    assert len(cards) == 5 and window.lower_tabs.currentWidget() is window.drop_classifier
    expected = net.predict(data.X_test[:, :5])[0]
    assert [c.predicted for c in cards] == [data.classes[k] for k in expected]
    text = window.message_label.text()  # every bad file named, and no exception's name
    assert "2 pictures could not be read: " in text and "junk.png (not a readable image)" in text
    assert "empty.jpg (empty)" in text and "Error" not in text
    cards[2].clicked.emit(cards[2])
    assert "the diagram shows its activations" in window.message_label.text()


def test_pictures_on_a_two_feature_network_get_a_message(qtbot, window, tmp_path):
    from PIL import Image

    Image.new("RGB", (64, 64), "red").save(tmp_path / "red.png")
    _drop(window, [tmp_path / "red.png"])
    assert window.drop_classifier.cards == [] and "open a course .h5 file" in window.message_label.text()


def test_the_builtin_picture_set_and_its_samples_work_without_any_file(qtbot, window):
    from pathlib import Path

    window.controls.dataset.setCurrentText("shapes")
    assert window.session.data.image_shape == (64, 64, 3) and "12288" in window.network_view.input_block_text()
    assert window.controls.test_fraction.isEnabled()
    samples = sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.png"))
    assert len(samples) == 6
    _drop(window, samples, qtbot)
    assert len(window.drop_classifier.cards) == 6


def test_picture_sets_show_the_first_layer_weights_as_pictures(qtbot, window):
    window.controls.dataset.setCurrentText("shapes")
    window.controls.hidden.units_box(0).setValue(3)
    assert window.weight_pictures.isVisibleTo(window) and not window.boundary_plot.isVisibleTo(window)
    images = window.weight_pictures.images
    assert len(images) == 3 and images[0].image.shape == (64, 64, 3)
    W1 = window.session.net.params_["W1"]
    expected = 0.5 + 0.5 * W1[1] / np.abs(W1[1]).max()
    np.testing.assert_allclose(images[1].image.reshape(-1) / 255, expected, atol=1 / 255 + 1e-9)
    before = images[0].image.copy()
    _train(qtbot, window, 30)
    assert not np.array_equal(before, images[0].image)


def test_a_dropped_folder_of_class_folders_becomes_the_dataset(qtbot, window, tmp_path):
    from PIL import Image

    from visualtrainer.data.shapes import make_shape_pictures

    pictures, labels = make_shape_pictures(20, seed=2)
    for i, (picture, label) in enumerate(zip(pictures, labels)):
        (tmp_path / "set" / ("disc" if label else "other")).mkdir(parents=True, exist_ok=True)
        Image.fromarray(picture).save(tmp_path / "set" / ("disc" if label else "other") / f"{i}.png")
    _drop(window, [tmp_path / "set"], qtbot)
    data = window.session.data
    assert data.classes == ("disc", "other") and data.m + data.m_test == 20 and data.image_shape == (64, 64, 3)
    assert window.controls.test_fraction.isEnabled() and not window.controls.noise.isEnabled()
    _train(qtbot, window, 20)
    assert window.session.net.n_iter_ == 20


def test_save_dataset_then_open_it_again(qtbot, window, tmp_path):
    window.controls.dataset.setCurrentText("spiral")
    data = window.session.data
    assert window.save_dataset(str(tmp_path / "mine.npz"))
    assert "Saved" in window.message_label.text() and (tmp_path / "mine.npz").exists()
    window.controls.dataset.setCurrentText("flower")
    assert window.open_dataset(str(tmp_path / "mine.npz"))
    again = window.session.data
    assert again.classes == data.classes and again.m == data.m and again.m_test == data.m_test
    np.testing.assert_array_equal(again.X_train, data.X_train)
    np.testing.assert_array_equal(again.Y_test, data.Y_test)
    assert window.session.net.layer_dims[-1] == 3  # three classes: a softmax output


def test_reading_many_pictures_shows_progress_and_cancel_changes_nothing(qtbot, window, tmp_path):
    from PIL import Image

    import shutil

    window.controls.dataset.setCurrentText("shapes")
    Image.new("RGB", (3000, 3000), "blue").save(tmp_path / "big.png")  # large: reading 40 takes seconds
    paths = []
    for i in range(40):
        paths.append(tmp_path / f"{i}.png")
        shutil.copy(tmp_path / "big.png", paths[-1])
    _drop(window, paths[:3], qtbot)
    assert len(window.drop_classifier.cards) == 3
    with qtbot.waitSignal(window.pictures_done, timeout=60_000) as blocker:
        _drop(window, paths)
        assert window.load_bar.isVisible() and window.cancel_button.isVisible()
        assert "Reading 40 pictures" in window.message_label.text()
        window.cancel_button.click()
    assert blocker.args == [0] and "Cancelled: nothing was changed" in window.message_label.text()
    assert len(window.drop_classifier.cards) == 3 and not window.load_bar.isVisible()
    _drop(window, paths, qtbot)  # and without Cancel, all of them
    assert len(window.drop_classifier.cards) == 43


def test_a_dropped_folder_with_an_unreadable_picture_says_what_was_left_out(qtbot, window, tmp_path):
    from PIL import Image

    for name, colour in (("red", "red"), ("green", "green")):
        (tmp_path / "set" / name).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (32, 32), colour).save(tmp_path / "set" / name / f"{i}.png")
    (tmp_path / "set" / "red" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    _drop(window, [tmp_path / "set"], qtbot)
    assert window.session.data.classes == ("green", "red") and window.session.data.m + window.session.data.m_test == 6
    text = window.message_label.text()
    assert "1 picture could not be read: broken.png (" in text and text.endswith("It was left out.")


def test_mistakes_show_the_misclassified_test_pictures_and_a_confusion_matrix(qtbot, window):
    window.controls.dataset.setCurrentText("shapes")
    _train(qtbot, window, 30)
    view, data, net = window.mistakes_view, window.session.data, window.session.net
    wrong = int(np.sum(net.predict(data.X_test)[0] != data.Y_test[0]))
    assert f"{wrong} of {data.m_test} test examples misclassified" in view.summary.text()
    assert len(view.cards) == min(wrong, 60) and view.matrix is None  # two classes: no matrix
    window.controls.dataset.setCurrentText("spiral")
    assert view.cards == [] and "Train a network" in view.summary.text()
    _train(qtbot, window, 200)
    data, net = window.session.data, window.session.net
    predicted = np.argmax(net.predict_proba(data.X_test), axis=0)
    for i in range(3):
        for j in range(3):
            assert view.matrix[i, j] == np.sum((data.Y_test[0] == i) & (predicted == j))
    assert view.matrix_plot.isVisibleTo(view) and view.cards == []  # points, not pictures


def test_export_run_as_a_script_that_trains_with_numpy_alone(qtbot, window, tmp_path):
    import subprocess
    import sys

    window.controls.iterations.setValue(50)
    window.controls.dtype.setCurrentText("float64")
    assert window.export_script(str(tmp_path / "flower_run.py"))
    assert (tmp_path / "flower_run.py").exists() and (tmp_path / "flower_run.data.npz").exists()
    assert "trains it with numpy alone" in window.message_label.text()
    out = subprocess.run([sys.executable, "-I", str(tmp_path / "flower_run.py")], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    _train(qtbot, window, 50)
    np.testing.assert_allclose(np.load(tmp_path / "flower_run.costs.npy"), window.session.net.costs_, rtol=1e-9)


def test_the_graph_tab_shows_one_step_and_step_updates_it(qtbot, window):
    from visualtrainer.core.graph import example_graph, layer_graph

    window.lower_tabs.setCurrentWidget(window.graph_view)
    net, data = window.session.net, window.session.data
    layers, J = layer_graph(net, data.X_train, data.Y_train)
    assert f"J = {J:.6g}" in window.graph_view.nodes["J"]
    assert "dW[1]: 4×2" in window.graph_view.nodes["Z1"] and "Z[2] = W[2]A[1] + b[2]" in window.graph_view.nodes["Z2"]
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.graph_view.step_button.click()
    layers, J_after = layer_graph(window.session.net, data.X_train, data.Y_train)
    assert J_after != J and f"J = {J_after:.6g}" in window.graph_view.nodes["J"]
    window.controls.dataset.setCurrentText("tumor")  # one feature: logistic regression's own graph
    window.controls.hidden.set_layers([])
    window.controls.hidden.changed.emit()
    window.example.setValue(3)
    net, data = window.session.net, window.session.data
    g = example_graph(net, data.X_train[:, 3], float(data.Y_train[0, 3]))
    assert f"dz = a − y = {g['dz']:.4g}" in window.graph_view.nodes["z"]
    assert f"z = wᵀx + b = {g['z']:.4g}" in window.graph_view.nodes["z"]
    assert "example 3" in window.graph_view.title.text()


def test_export_model_as_onnx_agrees_with_the_window_model(qtbot, window, tmp_path):
    import onnxruntime

    window.controls.dataset.setCurrentText("shapes")  # uint8 pictures: the exported model scales them itself
    _train(qtbot, window, 15)
    net, data = window.session.net, window.session.data
    assert window.export_onnx(str(tmp_path / "shapes.onnx"))
    assert "uint8 pixels" in window.message_label.text()
    session = onnxruntime.InferenceSession(str(tmp_path / "shapes.onnx"), providers=["CPUExecutionProvider"])
    (proba,) = session.run(None, {"X": np.ascontiguousarray(data.X_test.T)})
    assert proba.shape == (data.m_test, net.layer_dims[-1])
    np.testing.assert_allclose(proba, net.predict_proba(data.X_test).T, atol=1e-5)
    assert not window.export_onnx(str(tmp_path / "no-such-folder" / "m.onnx"))
    assert "could not export the model" in window.message_label.text()


def _running(progress):
    """``progress`` as if training were still running (its snapshot not the last)."""
    from dataclasses import replace

    return replace(progress, snapshot=replace(progress.snapshot, stop_reason=None))


def test_the_diagram_is_drawn_between_two_frames_in_an_event_of_its_own_and_at_once_at_the_end(qtbot, window,
                                                                                                 monkeypatch):
    """The plots' frame and the diagram's slower redraw are drawn in separate events, the diagram
    DETAILS_DELAY_MS after the frame, so the window's thread never works long enough at once to delay its events
    by a frame; new progress is drawn a frame after the last whatever the diagram's timer."""
    from visualtrainer.ui.training.presenter import DETAILS_DELAY_MS, REDRAW_MS

    _train(qtbot, window, 30)
    presenter, clock, drawn = window.presenter, [time.perf_counter() + 1000.0], []
    presenter.clock = lambda: clock[0]
    presenter.timer.stop()
    monkeypatch.setattr(window.network, "show_params", lambda final=False: drawn.append(final))
    monkeypatch.setattr(window.network, "show_pictures", lambda final=False: None)
    progress = _running(window.session.latest)
    frames = presenter.frames_drawn
    presenter.show(progress)  # a frame, and the diagram is due: not in this call
    assert presenter.frames_drawn == frames + 1 and drawn == []
    assert presenter.details_timer.isActive() and presenter.details_timer.remainingTime() <= DETAILS_DELAY_MS
    qtbot.waitUntil(lambda: drawn == [False], timeout=2000)
    clock[0] += REDRAW_MS / 1000 + 0.001
    presenter.show(progress)  # the next frame: the diagram is not due for a while
    assert presenter.frames_drawn == frames + 2 and presenter.details_timer.remainingTime() > REDRAW_MS
    presenter.show(progress)  # new progress arrives: drawn a frame after the last
    assert presenter.next_frame_ms() <= REDRAW_MS * 1.1 + 2  # (a coarse timer may add 5%)
    presenter.finish(window.session.latest)  # the run's last progress: everything at once
    assert drawn == [False, True]


def test_while_other_programs_crowd_the_machine_the_window_draws_fewer_frames(qtbot, window, monkeypatch):
    """With a program on the one core the flower's training leaves, every frame comes out of the training's time:
    the window then draws 20 frames a second and the job hands its progress over as often; back to 30 when the
    other program ends."""
    from visualtrainer.app.machine import CROWDED, FULL
    from visualtrainer.ui.training import presenter as module

    _train(qtbot, window, 30)
    presenter, clock, others = window.presenter, [time.perf_counter() + 1000.0], [1.0]
    presenter.clock = lambda: clock[0]
    presenter.timer.stop()
    monkeypatch.setattr(module, "machine_cores", lambda: 2)
    monkeypatch.setattr(presenter.load, "cores", lambda: others[0])
    progress, frames = _running(window.session.latest), presenter.frames_drawn
    presenter._latest = progress
    presenter.draw_details()  # measures the load with the counters
    assert presenter.pace == CROWDED and window.session.mailbox.pace == CROWDED
    assert "Other programs keep the cores busy" in window.status.message.text()
    presenter.show(progress)
    clock[0] += 0.034  # a frame's time at 30 a second, not at 20
    presenter.show(progress)
    assert presenter.frames_drawn == frames + 1 and 10 <= presenter.next_frame_ms() <= 17
    clock[0] += 0.017
    presenter.draw_frame()
    assert presenter.frames_drawn == frames + 2
    others[0] = 0.0
    presenter._latest = progress
    presenter.draw_details()
    assert presenter.pace == FULL and window.session.mailbox.pace == FULL
    assert window.status.message.text() == "Training…"
    window.session.mailbox.pace = CROWDED  # (a new network's mailbox, say) is told at the next start
    presenter.start()
    assert window.session.mailbox.pace == FULL


def test_while_other_programs_crowd_the_machine_the_windows_thread_keeps_off_the_trainings_core(qtbot, window,
                                                                                                 monkeypatch):
    """Woken by the training's thread, the window's thread ran on the training's core and took every frame from it
    (a program kept the other core): while the machine is crowded it keeps off that core, wherever the training
    moves, and gets every core back when training stops."""
    import os

    from visualtrainer.app.machine import PROCESS_CPUS, thread_cpu
    from visualtrainer.ui.training import presenter as module

    if PROCESS_CPUS is None or len(PROCESS_CPUS) < 2 or thread_cpu(threading.get_native_id()) is None:
        pytest.skip("one core, or no affinity, here")
    _train(qtbot, window, 30)
    presenter, others, where = window.presenter, [1.0], [min(PROCESS_CPUS)]
    assert presenter.training_thread() == window.training.worker.native_id is not None
    monkeypatch.setattr(module, "machine_cores", lambda: len(PROCESS_CPUS))
    monkeypatch.setattr(presenter.load, "cores", lambda: others[0] * len(PROCESS_CPUS))
    monkeypatch.setattr(module, "thread_cpu", lambda native_id: where[0])
    presenter._latest = _running(window.session.latest)
    try:
        presenter.draw_details()
        assert os.sched_getaffinity(0) == set(PROCESS_CPUS) - {where[0]}
        where[0] = max(PROCESS_CPUS)  # the training moved
        presenter.draw_details()
        assert os.sched_getaffinity(0) == set(PROCESS_CPUS) - {where[0]}
        presenter.finish(window.session.latest)
        assert os.sched_getaffinity(0) == set(PROCESS_CPUS)
        presenter._latest = _running(window.session.latest)  # training again, still crowded
        presenter.draw_details()
        assert os.sched_getaffinity(0) == set(PROCESS_CPUS) - {where[0]}
        others[0] = 0.0  # the other programs went quiet
        presenter.draw_details()
        assert presenter.pace == module.FULL and os.sched_getaffinity(0) == set(PROCESS_CPUS)
    finally:
        presenter.placement.release()


def test_the_boundary_plots_output_is_drawn_after_the_frame_in_an_event_of_its_own(qtbot, window, monkeypatch):
    """The flower's every frame drew the cost plot and the boundary plot's new output at once (8-9 ms of the
    window's thread); the output now comes OUTPUT_DELAY_MS after the frame, in an event of its own, and at once
    with a run's last progress."""
    from visualtrainer.ui.training.presenter import OUTPUT_DELAY_MS, REDRAW_MS

    _train(qtbot, window, 30)
    presenter, drawn, clock = window.presenter, [], [time.perf_counter() + 1000.0]
    presenter.clock = lambda: clock[0]  # a frame's time has passed: drawn at once
    presenter.timer.stop()
    monkeypatch.setattr(window.network, "show_output", lambda grid: drawn.append(grid))
    progress = _running(window.session.latest)
    assert progress.grid is not None  # the flower's output over the boundary plot's grid
    frames = presenter.frames_drawn
    presenter.show(progress)
    assert presenter.frames_drawn == frames + 1 and drawn == []  # the frame, without the output
    assert presenter.output_timer.isActive() and presenter.output_timer.remainingTime() <= OUTPUT_DELAY_MS
    qtbot.waitUntil(lambda: len(drawn) == 1, timeout=2000)
    assert drawn[0] is progress.grid
    clock[0] += REDRAW_MS / 1000 + 0.001
    presenter.show(window.session.latest)  # the run's last progress: its output at once
    assert len(drawn) == 2 and drawn[1] is window.session.latest.grid


def _slow_frames(qtbot, window, monkeypatch, seconds, step=0.2):
    """Draw the slow frame every ``step`` s of a fake clock for ``seconds``, as while training flat out; returns how
    many of them redrew the diagram, the cost surface's path and the counters."""
    _train(qtbot, window, 5)
    presenter, clock = window.presenter, [time.perf_counter() + 1000.0]
    drawn = {"diagram": [], "pictures": [], "path": [], "counters": []}
    presenter.clock = lambda: clock[0]
    presenter.timer.stop()
    presenter.show(_running(window.session.latest))
    presenter.draw_details()  # draws the path now
    monkeypatch.setattr(window.surface_panel, "refresh", lambda finished=False: drawn["path"].append(clock[0]))
    monkeypatch.setattr(window.network, "show_params", lambda final=False: drawn["diagram"].append(clock[0]))
    monkeypatch.setattr(window.network, "show_pictures", lambda final=False: drawn["pictures"].append(clock[0]))
    show_counters = window.status.show_counters
    monkeypatch.setattr(window.status, "show_counters",
                        lambda *args: (drawn["counters"].append(clock[0]), show_counters(*args)))
    clock[0] += 10.0
    for _ in range(int(seconds / step)):
        presenter.draw_details()
        if presenter.path_timer.isActive():  # drawn in an event of its own
            qtbot.waitUntil(lambda: not presenter.path_timer.isActive(), timeout=2000)
        clock[0] += step
    return drawn


def test_the_diagram_and_the_path_are_drawn_once_a_second_while_a_picture_network_takes_every_core(
        qtbot, window, monkeypatch):
    """While the training takes every core, what the window draws is taken from it: the diagram and the path
    (several milliseconds each) are drawn BUSY_SECONDS apart, the counters at every slow frame."""
    window.controls.dataset.setCurrentText("shapes")  # 12288 inputs: the first layer shared out across the cores
    assert window.session.spec.trains_on_all_cores(window.session.data.m)
    drawn = _slow_frames(qtbot, window, monkeypatch, 2.0)
    # at 0 and 1.0 (or 1.2) s of slow frames 0.2 s apart; the weight pictures half a second after the diagram (their
    # paint and the diagram's in one event made the window's longest pauses)
    assert {name: len(times) for name, times in drawn.items()} == {"diagram": 2, "pictures": 2, "path": 2,
                                                                   "counters": 10}
    for diagram, pictures in zip(drawn["diagram"], drawn["pictures"]):
        assert 0.5 <= pictures - diagram < 1.0


def test_the_diagram_and_the_path_follow_every_slow_frame_of_a_small_network(qtbot, window, monkeypatch):
    assert not window.session.spec.trains_on_all_cores(window.session.data.m)  # the flower: one core is enough
    drawn = _slow_frames(qtbot, window, monkeypatch, 2.0)
    assert {name: len(times) for name, times in drawn.items()} == {"diagram": 10, "pictures": 10, "path": 10,
                                                                   "counters": 10}


def test_background_work_starts_once_the_first_paint_is_through(qtbot):
    """The kernels' warm-up and the first surface are started after the window's first repaint, children and all
    (a zero timer started at show time fired before any of it)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    from visualtrainer.ui.first_paint import AfterFirstPaint

    painted, calls = [], []

    class Paints(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                painted.append(watched)
            return False

    window = QWidget()
    child = QLabel("a child that paints")
    QVBoxLayout(window).addWidget(child)
    recorder = Paints()
    child.installEventFilter(recorder)
    qtbot.addWidget(window)
    AfterFirstPaint(window, lambda: calls.append(list(painted)))
    window.show()
    qtbot.waitUntil(lambda: bool(calls), timeout=10_000)
    painted_before = len(painted)
    child.update()
    qtbot.waitUntil(lambda: len(painted) > painted_before, timeout=10_000)  # painted again …
    assert len(calls) == 1 and child in calls[0]  # … but called once, and after the child's first paint


def test_the_window_keeps_numpys_blas_to_one_thread_beside_the_training_team(make_window):
    from threadpoolctl import threadpool_info, threadpool_limits

    threadpool_limits(2, user_api="blas")  # as a 2-core machine starts
    make_window()
    blas = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
    assert blas and all(n == 1 for n in blas)


def test_the_window_borrows_a_core_from_the_team_to_draw_a_frame_and_paint_it_until_its_loop_waits(qtbot, window):
    """A frame's drawing and its paint each lend the window's thread a core of the training team
    (``core.team.lend``), and the loan ends when the event loop has nothing left to do."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from visualtrainer.core import team

    _train(qtbot, window, 5)
    qtbot.waitUntil(lambda: not team.lent() and not window.surface_panel.busy, timeout=10_000)
    presenter = window.presenter
    presenter.timer.stop()
    presenter._last_frame = -1e9  # a frame is due: drawn as the progress arrives
    loaned = team.loaned_seconds()
    presenter.show(_running(window.session.latest))
    assert team.lent()
    qtbot.waitUntil(lambda: not team.lent(), timeout=2000)  # the loop waits for events: the loan ends
    assert team.loaned_seconds() > loaned
    QApplication.sendEvent(window, QEvent(QEvent.UpdateRequest))  # the platform asks the window to paint
    assert team.lent()
    qtbot.waitUntil(lambda: not team.lent(), timeout=2000)


def test_a_loan_lasts_through_the_events_ready_at_once_and_ends_when_the_loop_waits(qtbot, window):
    """Qt says its loop is about to wait (``aboutToBlock``) at every turn, also when more events are ready: the loan
    must not end there (the lent member, woken, would take the window thread's core in the middle of its work)."""
    from PySide6.QtCore import QAbstractEventDispatcher, QTimer

    from visualtrainer.core import team
    from visualtrainer.ui import loans

    if "Glib" not in QAbstractEventDispatcher.instance().metaObject().className():
        pytest.skip("the loop is not GLib's: there the loan ends at every turn, as Qt says")
    qtbot.waitUntil(lambda: not team.lent() and not window.worker.busy and not window.surface_panel.busy,
                    timeout=30_000)
    seen = []

    def chain(left):  # an event that borrows, then events each ready as the one before ends
        if left == 3:
            loans.borrow_a_core()
        seen.append(team.lent())
        if left:
            QTimer.singleShot(0, lambda: chain(left - 1))

    QTimer.singleShot(0, lambda: chain(3))
    qtbot.waitUntil(lambda: len(seen) == 4, timeout=2000)
    assert seen == [True] * 4
    qtbot.waitUntil(lambda: not team.lent(), timeout=2000)  # nothing more to do: the loan ends


def test_a_window_closing_gives_back_the_core_its_thread_borrowed(qtbot, make_window):
    """A loan lasts while the loop has events ready; a window closed in the middle of such a burst (a test's end, the
    application quitting) must not leave the training a core short."""
    from visualtrainer.core import team
    from visualtrainer.ui import loans

    window = make_window()
    qtbot.waitUntil(lambda: not team.lent() and not window.worker.busy and not window.surface_panel.busy,
                    timeout=30_000)
    loans.borrow_a_core()
    assert team.lent()
    window.close()
    assert not team.lent()


def test_a_window_closed_with_a_frames_diagram_and_path_still_to_draw_draws_nothing_after(qtbot, make_window):
    """The diagram and the path come in events after the frame: closing the window in between stops them (they
    drew on deleted views: "Internal C++ object already deleted")."""
    window = make_window()
    _train(qtbot, window, 5)
    presenter = window.presenter
    presenter.timer.stop()
    presenter._last_frame = presenter._slow_drawn = -1e9  # a frame and the diagram due
    presenter.show(_running(window.session.latest))
    assert presenter.details_timer.isActive()
    presenter.draw_details()  # the path and the unit maps due too
    assert presenter.path_timer.isActive() and presenter.pictures_timer.isActive() and presenter.output_timer.isActive()
    window.close()
    assert not any(timer.isActive() for timer in (presenter.details_timer, presenter.path_timer,
                                                  presenter.pictures_timer, presenter.output_timer))
    qtbot.wait(50)  # an exception raised in the event loop would fail the test here


def test_new_counters_do_not_lay_the_window_out_again(qtbot, window):
    """The iteration and the counters change five times a second while training: their labels keep one size, so a
    new number repaints them alone (a label free to change height made the window lay out its toolbar, docks and
    status bar each time)."""
    window.show()
    qtbot.waitExposed(window)
    watcher = LayoutRequests(window, window.toolbar, window.statusBar())
    requests = watcher.seen
    quiet = 0
    for _ in range(150):  # until the window has settled: its first messages, the kernels' warm-up (whose end says so
        requests.clear()  # in the status bar and hides its busy bar), the first cost surface and its captions (which
        qtbot.wait(100)  # may need a line more), each a layout of its own, not the counters'
        settled = (not window.worker.busy and not window.status.busy.isVisible()
                   and window.surface_panel.surface is not None and not window.surface_panel.busy)
        quiet = quiet + 1 if settled and not requests else 0
        if quiet == 3:
            break
    for k, iteration in enumerate((9, 1_234, 98_765_432, 7)):
        window.toolbar.set_iteration(iteration)
        window.status.show_counters(iteration, 0.5 / (k + 1), (99.5, 72.0) if k % 2 else (None, None), 10.0 ** k)
        qtbot.wait(20)
    assert requests == []
    assert window.toolbar.iteration_label.text() == "iteration 7"
