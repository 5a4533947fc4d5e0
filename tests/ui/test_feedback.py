"""What the window says and draws when training stops, diverges or starts again: the iteration, a sane cost axis,
plain messages with their plurals, short axis numbers, picture cards flagged while the network is untrained."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFileDialog

from visualtrainer.ui.axes import short_number
from visualtrainer.ui.status import plain

from .helpers import drop

COMPILE_MS = 180_000
SAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.png"))


def _train(qtbot, window, iterations=None):
    if iterations is not None:
        window.controls.iterations.setValue(iterations)
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def test_a_divergence_says_where_it_happened_and_keeps_a_sane_cost_axis(qtbot, window):
    window.controls.dataset.setCurrentText("house")
    window.controls.learning_rate.spin.setValue(90.0)
    _train(qtbot, window, 50)
    net = window.session.net
    assert net.stop_reason_ == "diverged" and net.n_iter_ == 0  # the parameters of before are kept
    assert window.iteration_label.text() == "diverged at 1"
    assert "kept iteration 0" in window.status_label.text()
    message = window.message_label.text()
    assert message.startswith("Diverged: the cost rose from") and "Kept the parameters of iteration 0" in message
    low, high = window.cost_plot.cost_view.viewRange()[1]
    assert low <= net.costs_[0] and high >= net.costs_[1] and high - low < 3 * net.costs_[1]  # both costs shown
    x, y = window.cost_plot.divergence.getData()
    assert list(x) == [1] and y[0] == net.costs_[1]
    qtbot.waitUntil(lambda: window.surface_panel.surface_job is not None
                    and window.surface_panel.surface_job.iteration == 0 and not window.surface_panel.busy,
                    timeout=COMPILE_MS)
    np.testing.assert_allclose(window.surface_panel.surface.centre, net.theta_, rtol=1e-6)


def test_one_cost_alone_gets_a_range_around_it_not_a_sliver(window):
    plot = window.cost_plot
    plot.set_history([2683.05])
    low, high = plot.cost_view.viewRange()[1]
    assert low < 2683.05 < high and high - low > 100  # the axis read 2683.0 … 2683.1
    assert len(plot.points.data) == 1  # drawn as a dot: a curve of one point draws nothing


def test_a_reset_leaves_no_old_range(qtbot, window):
    plot = window.cost_plot
    plot.set_history(np.linspace(200_000, 10, 500))
    assert plot.cost_view.viewRange()[1][1] > 150_000
    window.reset()
    assert plot.cost_view.viewRange()[1][1] <= 1 and plot.cost_view.viewRange()[0][1] <= 1


def test_axis_numbers_are_short_and_clear_of_the_label():
    assert [short_number(v, s) for v, s in ((0.25, 0.05), (20000, 5000), (3e-5, 1e-5), (2683.02, 0.02),
                                            (1500, 500), (6.7e10, 1e10))] == \
        ["0.25", "20k", "3e-5", "2683.02", "1500", "67G"]


def test_an_axis_label_set_again_as_it_is_is_not_laid_out_again(qtbot, monkeypatch):
    """A new cost surface sets its axes' labels every few seconds: the same text must not be laid out again (5 ms
    of the window's thread each time), a new text is shown."""
    import pyqtgraph as pg

    from visualtrainer.ui.axes import ShortAxis

    plot = pg.PlotWidget(axisItems={"bottom": ShortAxis("bottom")})
    qtbot.addWidget(plot)
    axis = plot.getAxis("bottom")
    layouts = []
    monkeypatch.setattr(pg.AxisItem, "_updateLabel", lambda self: layouts.append(self.labelText))
    plot.setLabel("bottom", "α: PC1")
    plot.setLabel("bottom", "α: PC1")
    plot.setLabel("bottom", "α: W[1] random")
    assert layouts == ["α: PC1", "α: W[1] random"] and axis.labelText == "α: W[1] random"
    from visualtrainer.ui.axes import short_colour_bar

    bar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False)
    short_colour_bar(bar)  # the colour bar's axis is pyqtgraph's own: the same rule
    layouts.clear()
    for text in ("J", "J", "log₁₀ J"):
        bar.setLabel("right", text)
    assert layouts == ["J", "log₁₀ J"]
    monkeypatch.undo()
    plot.setLabel("bottom", "α: PC1")
    assert axis.label.toPlainText().strip() == "α: PC1" and axis.label.isVisible()


@pytest.mark.parametrize("side", ["left", "bottom"])
def test_an_axis_label_lies_within_its_axis_cut_short_where_it_is_longer(qtbot, side):
    """A label set after a shorter one lies within its axis (pyqtgraph placed it for the old text: the cost
    surface's "PC2 (under 1% of the path)" ran off the plot's top), cut short with "…" while the axis is too short
    for it, whole again when the axis grows."""
    import pyqtgraph as pg

    from visualtrainer.ui.axes import ShortAxis

    plot = pg.PlotWidget(axisItems={side: ShortAxis(side)})
    qtbot.addWidget(plot)
    plot.resize(220, 220)
    plot.show()
    qtbot.waitExposed(plot)
    axis = plot.getAxis(side)
    along = "height" if side == "left" else "width"

    def within():  # the label's text, without the item's blank margins
        margin = axis.label.document().documentMargin()
        r = axis.mapRectFromItem(axis.label, axis.label.boundingRect().adjusted(margin, margin, -margin, -margin))
        low, high = (r.top(), r.bottom()) if side == "left" else (r.left(), r.right())
        return 0 <= low and high <= getattr(axis.size(), along)()

    plot.setLabel(side, "β")
    text = "PC2 (under 1% of the path), a label longer than its axis"
    plot.setLabel(side, text)
    shown = axis.label.toPlainText().strip()
    assert within() and shown.endswith("…") and text.startswith(shown[:-1]) and len(shown) > 10
    plot.resize(900, 900)
    qtbot.waitUntil(lambda: axis.label.toPlainText().strip() == text)
    assert within()


def test_an_axis_label_too_long_for_its_axis_takes_its_shorter_form(qtbot):
    import pyqtgraph as pg

    from visualtrainer.ui.axes import ShortAxis

    plot = pg.PlotWidget(axisItems={"left": ShortAxis("left")})
    qtbot.addWidget(plot)
    plot.resize(200, 90)
    plot.show()
    qtbot.waitExposed(plot)
    axis = plot.getAxis("left")
    axis.shorter["accuracy of the model (%)"] = "acc. (%)"
    plot.setLabel("left", "accuracy of the model (%)")
    assert axis.label.toPlainText().strip() == "acc. (%)"
    plot.resize(200, 600)
    qtbot.waitUntil(lambda: axis.label.toPlainText().strip() == "accuracy of the model (%)")


@pytest.mark.parametrize("log", [False, True])
def test_an_axis_writes_two_levels_of_numbers_the_same_as_three_would(qtbot, log):
    """Axes are laid out again at each new cost surface: a linear axis no longer formats and measures the numbers of
    its third level of ticks (too close to be written at the window's sizes), and writes the numbers an axis with
    all three levels writes; a log axis keeps its levels (with fewer, pyqtgraph marks 2 … 9 in every decade)."""
    import pyqtgraph as pg
    from PySide6.QtGui import QImage, QPainter

    from visualtrainer.ui.axes import ShortAxis, short_colour_bar

    def written(axis, low, high):
        axis.setRange(low, high)
        image = QImage(200, 400, QImage.Format_ARGB32)
        painter = QPainter(image)
        try:
            _, ticks, texts = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        return sorted(text for *_, text in texts), len(ticks)

    plots = []
    for side, length in (("bottom", 380), ("left", 420)):
        axes = [ShortAxis(side) for _ in range(2)]
        formatted = [0, 0]
        for k, axis in enumerate(axes):
            plot = pg.PlotWidget(axisItems={side: axis})
            qtbot.addWidget(plot)
            plot.resize(length, length)
            plot.show()
            plots.append(plot)
            axis.setLogMode(log)
            if k == 1:
                axis.setStyle(maxTickLevel=2, maxTextLevel=2)  # pyqtgraph's own levels
            strings = axis.tickStrings
            axis.tickStrings = lambda values, scale, spacing, k=k, strings=strings: (
                formatted.__setitem__(k, formatted[k] + len(values)) or strings(values, scale, spacing))
        for low, high in ((0.0, 1.0), (-3.3, 2.9), (0.12, 0.41), (1.0, 2.7), (-0.55, 0.53), (-150, 150)):
            ours, full = written(axes[0], low, high), written(axes[1], low, high)
            assert ours[0] == full[0] and ours[0] and ours[1] <= full[1]
        assert formatted[0] == formatted[1] if log else formatted[0] < formatted[1]
    bar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False)
    short_colour_bar(bar)
    assert bar.axis.style["maxTickLevel"] == bar.axis.style["maxTextLevel"] == 1


def test_the_cost_axis_has_room_for_its_numbers_and_its_label(window):
    plot = window.cost_plot
    plot.set_history(np.linspace(65_851, 6.8, 300))
    axis = plot.cost_view.getAxis("left")
    values = [v for _, ticks in axis.tickValues(*plot.cost_view.viewRange()[1], 200) for v in ticks]
    strings = axis.tickStrings(values, 1.0, values[1] - values[0])
    metrics = QFontMetrics(axis.style.get("tickFont") or window.font())
    widest = max(metrics.horizontalAdvance(text) for text in strings)
    assert widest + metrics.height() + 5 + 6 <= axis.width()  # numbers, the tick, the label's line


def test_the_runs_plot_writes_costs_without_a_factor(window):
    axis = window.runs_view.plot_item.getAxis("left")
    assert axis.tickStrings([0.0003, 0.0005, 0.0007], 1.0, 0.0002) == ["3e-4", "5e-4", "7e-4"]
    assert not axis.autoSIPrefix


def test_step_and_the_iteration_limit_are_said_in_words(qtbot, window):
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.step()
    assert window.message_label.text().startswith("One step: iteration 1, J = ")
    _train(qtbot, window, 21)
    assert window.message_label.text().startswith("Stopped at iteration 21: the iterations set are done")


def test_internal_exception_names_are_kept_out_of_messages(window):
    assert plain("x.png: not a readable image (UnidentifiedImageError); use .png") == \
        "x.png: not a readable image; use .png"
    window.show_message("a.npz: OSError: no space left")
    assert window.message_label.text() == "a.npz: no space left"


def test_cards_of_an_untrained_network_say_so_and_can_be_cleared(qtbot, window):
    window.controls.dataset.setCurrentText("shapes")
    drop(window, SAMPLES, qtbot)
    cards = window.drop_classifier
    assert len(cards.cards) == len(SAMPLES) and "untrained" in cards.hint.text()
    _train(qtbot, window, 5)
    assert "untrained" not in cards.hint.text()
    window.reset()
    assert "untrained" in cards.hint.text()
    cards.clear_button.click()
    assert cards.cards == [] and "Drop pictures" in cards.hint.text() and not cards.clear_button.isEnabled()


def test_dialogs_open_at_home_then_where_the_last_file_was_picked(qtbot, window, tmp_path, monkeypatch):
    asked = []

    def pick(parent, title, where, filters):
        asked.append(where)
        return str(tmp_path / "picked" / "model.npz"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", pick)
    (tmp_path / "picked").mkdir()
    assert window.save_model()
    assert asked[0] == str(Path.home() / "model.npz")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    window.load_model()
    assert asked[1] == str(tmp_path / "picked")


def test_the_test_cost_is_drawn_beside_the_training_cost(qtbot, window):
    _train(qtbot, window, 300)
    iterations, costs = window.cost_plot.test_costs()
    assert len(costs) >= 2 and iterations[-1] == 300
    net, data = window.session.net, window.session.data
    a = net.forward_layers(data.X_test)[-1][1].ravel()  # J of the final parameters on the test set, by hand
    y = data.Y_test.ravel()
    expected = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert costs[-1] == pytest.approx(expected, rel=1e-4)
    x, shown = window.cost_plot.test_cost_curve.getData()
    np.testing.assert_array_equal(shown, costs)
    assert "test cost" in [label.text for _, label in window.cost_plot.legend.items]


@pytest.mark.parametrize("height", [260, 420, 900])
def test_a_log_cost_axis_writes_no_two_numbers_on_top_of_each_other(qtbot, height):
    """Under two decades the log axis marks each decade's 1 … 9; it writes only those with room (they ran into one
    another: '0.09 0.08 0.07 0.06'), and always the decades themselves."""
    from visualtrainer.ui.training.cost_plot import CostPlot

    plot = CostPlot()
    qtbot.addWidget(plot)
    plot.resize(500, height)
    plot.show()
    plot.set_log_scale(True)
    plot.set_history(0.66 * np.exp(-np.arange(8000) / 2500) + 0.02)
    plot.grab()
    axis = plot.cost_view.getAxis("left")
    low, high = plot.cost_view.viewRange()[1]
    pixels = axis.geometry().height()
    written = []
    for spacing, values in axis.tickValues(low, high, pixels):
        for value, text in zip(values, axis.tickStrings(values, 1.0, spacing)):
            if text:
                written.append((pixels * (value - low) / (high - low), text))
    written.sort()
    line = QFontMetrics(axis.style.get("tickFont") or plot.font()).height()
    assert "0.1" in [text for _, text in written]
    assert len(written) >= 3 or pixels / (high - low) < 55  # 1, 2 and 5 of a decade where they fit
    assert all(b - a >= line for (a, _), (b, _) in zip(written, written[1:]))
