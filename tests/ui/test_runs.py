"""Runs side by side: each kept with its own costs, pinned curves overlaid, pinned paths on the surface."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from visualtrainer.core.surface import flat_parameters, project

COMPILE_MS = 180_000


@pytest.fixture
def window(make_window):
    return make_window(iterations=150)


def _train(qtbot, window):
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def test_runs_keep_their_own_costs_and_pinned_ones_are_overlaid(qtbot, window):
    view = window.runs_view
    _train(qtbot, window)
    first_costs = window.session.net.costs_.copy()
    view.table.item(0, 0).setCheckState(Qt.Checked)  # pin the first run
    window.controls.learning_rate.spin.setValue(0.3)
    window.reset()  # a second run from the same start with another α
    _train(qtbot, window)
    second_costs = window.session.net.costs_.copy()
    assert [run.number for run in view.runs] == [1, 2] and view.runs[0].pinned and not view.runs[1].pinned
    np.testing.assert_array_equal(view.runs[0].costs, first_costs)
    np.testing.assert_array_equal(view.runs[1].costs, second_costs)
    assert not np.allclose(first_costs, second_costs)
    assert view.runs[0].settings["learning_rate"] == 1.2 and view.runs[1].settings["learning_rate"] == 0.3
    for run in view.runs:
        x, y = view.curves[run.number].getData()
        np.testing.assert_array_equal(y, run.costs)
    assert view.table.item(0, 1).text().startswith("#2") and view.table.item(1, 1).text().startswith("#1")
    assert view.runs[0].train_accuracy is not None and "%" in view.table.item(1, 7).text()


def test_pinned_runs_paths_are_drawn_on_the_surface(qtbot, window):
    panel = window.surface_panel
    window.lower_tabs.setCurrentWidget(panel)
    _train(qtbot, window)
    window.runs_view.set_pinned(1)
    window.controls.optimizer.setCurrentText("momentum")
    window.reset()
    _train(qtbot, window)
    qtbot.waitUntil(lambda: panel.surface is not None and panel.surface_job.iteration == 150
                    and not panel.busy, timeout=COMPILE_MS)
    overlays = panel.view.overlays
    assert len(overlays) == 1 and overlays[0][0].startswith("#1")
    first = window.runs_view.runs[0]
    s = panel.surface
    expected = project(first.path, s.centre, s.plane) + np.asarray(s.origin)
    x, y = overlays[0][1].getData()
    np.testing.assert_allclose(np.column_stack([x, y]), expected, atol=1e-9)
    window.runs_view.set_pinned(1, False)
    assert panel.view.overlays == []


def test_a_sweep_trains_one_run_per_value_in_the_background(qtbot, window):
    from visualtrainer.core import Network

    window.controls.iterations.setValue(40)
    sweep = window.sweep_view
    sweep.kind.setCurrentText("learning rate")
    assert sweep.values.text() == "0.01, 0.001, 0.0001"
    sweep.values.setText("1.2, 0.1, 0.01")
    with qtbot.waitSignal(window.sweep_finished, timeout=COMPILE_MS) as blocker:
        sweep.start_button.click()
    assert blocker.args == [3] and "Sweep done: 3 of 3" in sweep.status.text()
    assert window.lower_tabs.currentWidget() is sweep and sweep.start_button.isEnabled()
    view = window.runs_view
    swept = [run for run in view.runs if run.from_sweep]
    assert [run.settings["learning_rate"] for run in swept] == [1.2, 0.1, 0.01] and all(r.pinned for r in swept)
    assert [run.name.split(" ", 1)[1] for run in swept] == ["learning rate 1.2", "learning rate 0.1",
                                                            "learning rate 0.01"]
    data = window.session.data
    for run in swept:  # each run's own costs: the same training done apart
        alone = Network((2, 4, 1), hidden_activation="tanh", init="small", learning_rate=run.settings["learning_rate"],
                        random_state=1).fit(data.X_train, data.Y_train, 40)
        np.testing.assert_allclose(run.costs, alone.costs_, rtol=1e-6)
        assert run.train_accuracy == pytest.approx(alone.score(data.X_train, data.Y_train))
        assert len(run.path) > 30  # θ along the way, ending at the trained θ
        np.testing.assert_allclose(run.path[-1], flat_parameters(alone.params_, alone.L), rtol=1e-5, atol=1e-7)
    x, y = sweep.train_curve.getData()
    assert list(x) == [0, 1, 2] and list(y) == pytest.approx([run.train_accuracy for run in swept])
    table = sweep.table
    assert [table.item(row, 0).text() for row in range(3)] == ["1.2", "0.1", "0.01"]
    assert [table.item(row, 3).text() for row in range(3)] == [f"{run.costs[-1]:.4f}" for run in swept]
    assert view.current is not None and not view.current.from_sweep
    assert [name for name, *_ in window.surface_panel.other_runs] == [run.name for run in swept]


def test_a_sweep_over_hidden_units_or_activations_changes_the_network(qtbot, window):
    window.controls.iterations.setValue(20)
    sweep = window.sweep_view
    for kind, values, check in [("hidden units", "1, 3", lambda run: run.layer_dims[1]),
                                ("activation", "relu, sigmoid", lambda run: run.settings["hidden"][0][1])]:
        sweep.kind.setCurrentText(kind)
        sweep.values.setText(values)
        with qtbot.waitSignal(window.sweep_finished, timeout=COMPILE_MS):
            sweep.start_button.click()
        swept = [run for run in window.runs_view.runs if run.from_sweep][-2:]
        assert [str(check(run)) for run in swept] == values.split(", ")


def test_a_sweep_can_be_cancelled_and_closing_the_window_ends_it(qtbot, window):
    window.controls.iterations.setValue(200_000)
    sweep = window.sweep_view
    sweep.values.setText("0.5, 1, 2")
    worker = window.sweeps.worker
    with qtbot.waitSignal(window.sweep_finished, timeout=COMPILE_MS) as blocker:
        sweep.start_button.click()
        assert sweep.cancel_button.isVisible() and not sweep.start_button.isEnabled()
        qtbot.waitUntil(lambda: worker.current is not None, timeout=COMPILE_MS)  # the first run trains
        sweep.cancel_button.click()
    assert blocker.args == [0] and "stopped after 0 of 3" in sweep.status.text()
    sweep.start_button.click()
    qtbot.waitUntil(lambda: worker.current is not None, timeout=COMPILE_MS)
    window.close()  # while the sweep trains: its thread ends, nothing is left running
    assert window.sweeps.worker.thread.isFinished()


def test_a_sweep_with_bad_values_says_what_is_allowed(qtbot, window):
    sweep = window.sweep_view
    sweep.kind.setCurrentText("hidden units")
    sweep.values.setText("3, zero")
    sweep.start_button.click()
    assert "'zero' is not a value for a hidden units sweep" in window.message_label.text()
    sweep.kind.setCurrentText("activation")
    sweep.values.setText("")
    sweep.start_button.click()
    assert "needs values separated by commas" in window.message_label.text()
    sweep.values.setText("tanh, swish")
    sweep.start_button.click()
    assert "'swish' is not a value for an activation sweep" in window.message_label.text()
    assert sweep.start_button.isEnabled() and not [run for run in window.runs_view.runs if run.from_sweep]


def test_the_runs_view_shows_its_run_list_and_a_tick_pins_a_run(qtbot):
    from visualtrainer.app.runs import RunList
    from visualtrainer.app.settings import Settings
    from visualtrainer.ui.learn.runs import RunsView

    runs = RunList()
    view = RunsView(runs)
    qtbot.addWidget(view)
    settings = Settings().to_dict()
    runs.start_run(settings, (2, 4, 1))
    runs.update_current(np.linspace(0.7, 0.3, 50), 88.0, 80.0)
    runs.start_run(dict(settings, learning_rate=0.3), (2, 4, 1))
    runs.add_run(settings, (2, 3, 1), np.linspace(0.7, 0.5, 20), 70.0, None, label="hidden units 3")
    assert [view.table.item(row, 1).text() for row in range(3)] == ["#3 hidden units 3", "#2 flower α=0.3 gd",
                                                                    "#1 flower α=1.2 gd"]
    assert view.table.item(2, 6).text() == "0.3000" and view.table.item(2, 7).text() == "88.0%"
    assert sorted(view.curves) == [2, 3]  # the current run and the pinned sweep run
    pins = []
    runs.pins_changed.connect(lambda: pins.append([run.number for run in runs.pinned()]))
    view.table.item(2, 0).setCheckState(Qt.Checked)  # pin run #1 in the table
    assert runs.runs[0].pinned and pins == [[1, 3]] and sorted(view.curves) == [1, 2, 3]
    x, y = view.curves[1].getData()
    np.testing.assert_array_equal(y, runs.runs[0].costs)


def test_a_long_run_is_drawn_in_bins_and_keeps_every_cost(qtbot):
    from visualtrainer.app.runs import RunList
    from visualtrainer.app.settings import Settings
    from visualtrainer.ui.learn.runs import RunsView

    runs = RunList()
    view = RunsView(runs)
    qtbot.addWidget(view)
    costs = 0.7 * np.exp(-np.arange(3_000_000) / 400_000) + 0.01 * np.random.RandomState(0).rand(3_000_000)
    costs[1_234_567] = 9.0  # a spike
    runs.start_run(Settings().to_dict(), (2, 4, 1))
    runs.update_current(costs, 90.0, 85.0)
    np.testing.assert_array_equal(runs.current.costs, costs)
    x, y = view.curves[runs.current.number].getData()
    assert len(x) <= 1024 and x[0] == 0 and x[-1] < len(costs) <= x[-1] + 2 * (x[-1] - x[-3])
    assert y.max() == 9.0 and y.min() == costs.min()  # every bin's lowest and highest: the spike shows
    drawn = view._drawn[runs.current.number][1]
    runs.changed.emit()  # redrawn with the same costs: the binned curve is kept
    assert view._drawn[runs.current.number][1] is drawn
