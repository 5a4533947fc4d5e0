"""The diagram and the plots, each on its own: what they show after they are given data."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from visualtrainer.ui.network.activation_plot import ActivationPlot
from visualtrainer.ui.colours import region_colours
from visualtrainer.ui.pictures.drop_classifier import DropClassifier
from visualtrainer.ui.training.boundary_plot import BoundaryPlot
from visualtrainer.ui.training.cost_plot import CostPlot, PeakBins
from visualtrainer.ui.training.curve import Curve
from visualtrainer.ui.training.series import peak_curve
from visualtrainer.ui.network.network_view import NetworkView
from visualtrainer.ui.network.neuron_detail import NeuronDetail, weights_picture

from .helpers import Paints, pixels

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.png"))


def _params(dims, seed=0):
    rng = np.random.RandomState(seed)
    out = {}
    for l in range(1, len(dims)):
        out[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        out[f"b{l}"] = rng.randn(dims[l], 1)
    return out


@pytest.fixture
def view(qtbot):
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    return widget


def test_small_network_draws_every_neuron_link_and_shape(view):
    view.set_architecture((2, 4, 1), ["tanh", "sigmoid"])
    assert [len(view.neuron_items(l)) for l in range(3)] == [2, 4, 1]
    assert len(view.link_items(1)) == 8 and len(view.link_items(2)) == 4
    assert view.shape_labels() == ["W[1]: 4×2", "b[1]: 4×1", "W[2]: 1×4", "b[2]: 1×1"]


def test_picture_input_is_one_block_and_wide_layers_are_elided(view):
    view.set_architecture((12288, 50, 7, 1), ["relu", "relu", "sigmoid"], image_shape=(64, 64, 3))
    assert view.neuron_items(0) == [] and "12288" in view.input_block_text() and "64×64×3" in view.input_block_text()
    units = [j for j, _ in view.neuron_items(1)]
    assert units == [0, 1, 2, 3, 4, 45, 46, 47, 48, 49]
    assert all(k == -1 for _, k, _ in view.link_items(1)) and len(view.link_items(1)) == 10
    assert "W[1]: 50×12288" in view.shape_labels()


def test_links_follow_the_sign_and_size_of_their_weights(view):
    dims = (2, 3, 1)
    view.set_architecture(dims, ["relu", "sigmoid"])
    params = _params(dims)
    params["W1"][:] = [[0.1, -2.0], [1.0, 0.5], [-0.3, 0.2]]
    view.set_params(params)
    links = {(j, k): line for j, k, line in view.link_items(1)}
    big, small = links[(0, 1)], links[(0, 0)]
    assert big.pen().color().blue() > big.pen().color().red()  # negative: blue
    assert links[(1, 0)].pen().color().red() > links[(1, 0)].pen().color().blue()  # positive: orange
    assert big.pen().widthF() > small.pen().widthF()
    assert "-2" in big.toolTip()
    params["W1"][0, 1] = 2.0
    view.set_params(params)
    assert big.pen().color().red() > big.pen().color().blue()


def test_clicking_a_hidden_neuron_reports_it(qtbot, view):
    view.set_architecture((2, 4, 1), ["tanh", "sigmoid"])
    with qtbot.waitSignal(view.neuron_clicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.neuron_center(1, 2))
    assert blocker.args == [1, 2] and view.selected_neuron == (1, 2)


def test_example_activations_show_in_tooltips(view):
    view.set_architecture((2, 2, 1), ["tanh", "sigmoid"])
    view.set_params(_params((2, 2, 1)))
    view.set_example_activations([np.array([0.5, -1.0]), np.array([0.25, -0.75]), np.array([0.9])])
    tip = view.neuron_items(1)[1][1].toolTip()
    assert "a = -0.75" in tip and "b[1](2)" in tip


def test_cost_plot_keeps_every_chunk_in_order_and_skips_nan(qtbot):
    plot = CostPlot()
    qtbot.addWidget(plot)
    chunks = [np.random.RandomState(k).rand(37) for k in range(10)]
    start = 0
    for chunk in chunks:
        plot.append_costs(start, chunk)
        start += len(chunk)
    plot.append_costs(start, np.array([np.nan, np.inf]))
    plot.refresh()
    iterations, costs = plot.curve()  # a point an iteration while there are at most 512, non-finite ones NaN
    np.testing.assert_array_equal(costs[:-2], np.concatenate(chunks))
    assert np.isnan(costs[-2:]).all()
    np.testing.assert_array_equal(iterations, np.arange(start + 2))
    x, y = plot.cost_curve.getData()
    np.testing.assert_array_equal(y[np.isfinite(y)], np.concatenate(chunks))  # one point an iteration, so far
    np.testing.assert_array_equal(x[np.isfinite(y)], np.arange(start))
    plot.set_log_scale(True)
    assert plot.cost_view.getAxis("left").logMode and plot.log_box.isChecked()
    x, y = plot.cost_curve.getData()
    np.testing.assert_allclose(y[np.isfinite(y)], np.log10(np.concatenate(chunks)))


def test_every_curve_of_the_cost_plot_is_named_in_its_legend_with_its_own_pen(qtbot):
    """A learner reads each line of the cost plot from the legend: every curve the two plots draw has an entry, its
    sample drawn with that curve's pen."""
    plot = CostPlot()
    qtbot.addWidget(plot)
    curves = [item for view in (plot.cost_view, plot.accuracy_view) for item in view.items
              if isinstance(item, Curve)]
    named = {id(sample.item): label.text for sample, label in plot.legend.items}
    assert len(curves) == 4 and all(id(curve) in named for curve in curves)
    assert named[id(plot.cost_curve)] == "train cost" and len(set(named.values())) == 4
    pens = [sample.item.opts["pen"] for sample, _ in plot.legend.items]
    assert len({(p.color().name(), p.style()) for p in pens}) == 4  # no two entries look alike


def test_every_curve_of_the_cost_plot_is_drawn_on_the_log_scale_where_its_values_are(qtbot):
    """The test cost and the accuracies are drawn as given, the test cost as log10 J on the log scale (a curve that
    took the view's log mode itself would take the log twice: the test cost vanished from the log scale so); a curve
    with nothing to draw is skipped by the view, one with points is not."""
    plot = CostPlot()
    qtbot.addWidget(plot)
    plot.resize(500, 400)
    plot.show()
    costs = 0.7 * np.exp(-np.arange(400) / 80) + 0.05
    assert plot.test_cost_curve.flags() & QGraphicsItem.ItemHasNoContents  # nothing yet: never painted
    plot.append_costs(0, costs)
    for at in (99, 199, 299):
        plot.add_test_cost(at, 1.2 * costs[at])
        plot.add_accuracy(at, 100 - 40 * costs[at], 90 - 40 * costs[at])
    plot.refresh()
    assert not plot.test_cost_curve.flags() & QGraphicsItem.ItemHasNoContents
    at = np.array([99, 199, 299])
    for log in (False, True):
        plot.set_log_scale(log)
        plot.grab()
        x, y = plot.test_cost_curve.getData()
        np.testing.assert_array_equal(x, at)
        np.testing.assert_allclose(y, np.log10(1.2 * costs[at]) if log else 1.2 * costs[at], rtol=1e-12)
        rect, shown = plot.test_cost_curve.boundingRect(), plot.cost_view.getViewBox().viewRect()
        assert shown.contains(rect.center()) and rect.height() > 0  # within the view: drawn where it shows
        np.testing.assert_allclose(plot.train_curve.getData()[1], 100 - 40 * costs[at])
        np.testing.assert_allclose(plot.test_curve.getData()[1], 90 - 40 * costs[at])

@pytest.mark.parametrize("log", [False, True])
def test_a_falling_cost_moves_the_y_axis_a_few_times_a_run_and_always_shows_every_cost(qtbot, log):
    """The cost axis is redrawn whenever its range changes (a long gap in the window's events): a cost falling for
    20,000 iterations and a test cost rising meanwhile move it a few times, not every second, with every cost inside
    it and never room under 0 for costs that cannot go there; once the run stops, the range fits the costs."""
    plot = CostPlot()
    qtbot.addWidget(plot)
    plot.set_log_scale(log)
    costs = 0.66 * np.exp(-np.arange(20_000) / 2500) + 0.02 * np.exp(-np.arange(20_000) / 20_000)
    tests = 0.7 + 0.6 * np.arange(20_000) / 20_000  # the test set's cost rises: the network overfits
    ranges = []
    for start in range(0, len(costs), 40):  # frames of 40 iterations, as at 1,200 iterations a second
        plot.append_costs(start, costs[start : start + 40])
        if start % 400 == 0:
            plot.add_test_cost(start, tests[start])
        plot.refresh()
        low, high = plot.cost_view.viewRange()[1]
        every = np.r_[costs[: start + 40], tests[: start + 1 : 400]]
        shown = np.log10(every) if log else every
        assert low <= shown.min() and shown.max() <= high
        assert log or low >= -0.05 * (shown.max() - shown.min()) - 1e-12
        if not ranges or ranges[-1] != (low, high):
            ranges.append((low, high))
    assert len(ranges) <= 8  # the first fit and a few steps (every 0.5-2 s before: 27 on the linear scale)
    plot.fit_to_data()
    first, last = plot.cost_view.viewRange()[0]
    assert first < 0 < 19_999 < last < 19_999 * 1.05  # every iteration run, with a little room
    low, high = plot.cost_view.viewRange()[1]
    every = np.r_[costs, tests[::400]]
    shown = np.log10(every) if log else every
    assert low < shown.min() and low > shown.min() - 0.1 * (shown.max() - shown.min())
    assert shown.max() < high < shown.max() + 0.1 * (shown.max() - shown.min())

def test_a_step_of_the_cost_plots_ranges_lays_its_axes_out_in_an_event_before_the_paint(qtbot):
    """While training runs the ranges step (the x range doubling every few hundred milliseconds in a run's first
    seconds): each step's axes are worked out in an event of their own, between the frame's and the paint's (the three
    at once took 5-11 ms beside the training), and the plot looks as one drawn at once."""
    plots = [CostPlot(), CostPlot()]
    costs = 0.7 * np.exp(-np.arange(4000) / 800) + 0.05
    for plot in plots:
        qtbot.addWidget(plot)
        plot.resize(500, 400)
        plot.show()
        plot.append_costs(0, costs[:100])
        plot.refresh()
    qtbot.wait(50)
    stepped, at_once = plots
    axes = [view.getAxis(side) for view in (stepped.cost_view, stepped.accuracy_view) for side in ("left", "bottom")]
    paints = Paints(stepped.graphics.viewport(), lambda: all(axis.picture is not None for axis in axes))
    for plot in plots:
        plot.append_costs(100, costs[100:])  # past the x range: it steps
    at_once.refresh()
    stepped.refresh(staged=True)
    assert not stepped.graphics.updatesEnabled() and any(axis.picture is None for axis in axes)
    qtbot.waitUntil(lambda: len(paints.seen) > 0, timeout=2000)
    assert paints.seen[0] and stepped.graphics.updatesEnabled()
    qtbot.wait(50)
    np.testing.assert_array_equal(pixels(stepped), pixels(at_once))


def test_the_cost_curve_is_drawn_within_its_bounds_and_a_pixel_more(qtbot):
    """The cost curve's item bounds what Qt repaints when it changes: its points' extent, grown by one pixel of the
    view each way (the pen's width), also after the view's range changes and on the log scale; a NaN breaks the line."""
    plot = CostPlot()
    qtbot.addWidget(plot)
    plot.resize(500, 400)
    plot.show()
    qtbot.waitExposed(plot)
    costs = 0.7 * np.exp(-np.arange(300) / 60) + 0.05
    costs[100] = np.nan
    plot.append_costs(0, costs)
    plot.refresh()
    view = plot.cost_view.getViewBox()

    def expected():
        x, y = plot.cost_curve.getData()
        shown, size = view.viewRect(), view.size()
        px, py = shown.width() / size.width(), shown.height() / size.height()
        finite = np.isfinite(y)
        return (x[finite].min() - px, y[finite].min() - py, x[finite].max() + px, y[finite].max() + py)

    for change in (lambda: None, lambda: plot.cost_view.setXRange(0, 3000, padding=0), lambda: plot.set_log_scale(True)):
        change()
        plot.grab()  # a paint: the view takes its new range's transform, as before every paint
        rect = plot.cost_curve.boundingRect()
        np.testing.assert_allclose((rect.left(), rect.top(), rect.right(), rect.bottom()), expected(), rtol=1e-9)
    path = plot.cost_curve._path
    starts = [i for i in range(path.elementCount()) if path.elementAt(i).isMoveTo()]
    assert len(starts) == 2 and path.elementAt(starts[1]).x == 101  # the line stops at 99 and starts again at 101


def test_a_divergence_to_an_infinite_cost_is_marked_above_the_highest_cost(qtbot):
    plot = CostPlot()
    qtbot.addWidget(plot)
    plot.append_costs(0, [0.7, 0.9, np.nan, 0.5])
    plot.mark_divergence(4, np.inf)
    x, y = plot.divergence.getData()
    assert list(x) == [4] and list(y) == [1.8]


def _direct_bins(y, width):
    """Each bin's (nanmin, nanmax) of the finite values, computed directly."""
    y = np.where(np.isfinite(y), y, np.nan)
    out = []
    for s in range(0, len(y), width):
        part = y[s : s + width]
        out.append((np.nanmin(part), np.nanmax(part)) if np.isfinite(part).any() else (np.nan, np.nan))
    return np.array(out).reshape(-1, 2)


def test_peak_bins_keep_every_bins_lowest_and_highest_cost():
    rng = np.random.RandomState(4)
    y = rng.rand(10_000)
    y[rng.randint(0, len(y), 50)] = np.nan
    y[rng.randint(0, len(y), 5)] = np.inf
    y[3000:3040] = np.nan  # a bin of nothing drawable
    y[7777] = 42.0  # a spike
    bins = PeakBins(max_bins=100)
    start = 0
    while start < len(y):  # chunks of every size, as the worker sends them
        k = rng.randint(1, 700)
        bins.extend(np.arange(start, min(start + k, len(y))), y[start : start + k])
        start += k
    assert bins.width == 128 and bins.n == int(np.ceil(len(y) / 128))  # 10,000 / 100 bins rounds up to 2^7
    expected = _direct_bins(y, bins.width)
    np.testing.assert_array_equal(bins.lo[: bins.n], expected[:, 0])
    np.testing.assert_array_equal(bins.hi[: bins.n], expected[:, 1])
    x, drawn = bins.curve()
    assert len(x) == 2 * bins.n and x[0] == 0 and np.all(np.diff(x) >= 0)
    assert np.nanmax(drawn) == 42.0 and np.nanmin(drawn) == np.nanmin(np.where(np.isfinite(y), y, np.nan))
    assert bins.y_range() == (np.nanmin(expected[:, 0]), 42.0)
    bins.clear()
    assert bins.y_range() is None and len(bins.curve()[0]) == 0


@pytest.mark.parametrize("n", [0, 1, 512, 513, 10_000, 100_003])
def test_a_whole_series_is_drawn_as_peak_bins_draw_it_chunk_by_chunk(n):
    rng = np.random.RandomState(n)
    y = rng.rand(n)
    y[rng.randint(0, max(n, 1), n // 50)] = np.inf
    y[2048:6144] = np.nan  # whole bins of nothing drawable (in the longest series)
    bins = PeakBins()
    for start in range(0, n, 997):
        bins.extend(np.arange(start, min(start + 997, n)), y[start : start + 997])
    x, drawn = peak_curve(y)
    expected_x, expected = bins.curve()
    np.testing.assert_array_equal(x, expected_x)
    np.testing.assert_array_equal(drawn, expected)
    assert len(x) <= 2 * 512
    if n > 512:
        np.testing.assert_array_equal(drawn.reshape(-1, 2), _direct_bins(y, bins.width))


def test_boundary_colours_follow_the_probabilities(qtbot):
    P = np.zeros((1, 10, 20))
    P[0, :, 10:] = 1.0  # class 1 on the right half
    rgba = region_colours(P)
    assert rgba.shape == (10, 20, 4)
    assert rgba[5, 15, 2] > rgba[5, 15, 0] and rgba[5, 5, 0] > rgba[5, 5, 2]  # blue right, red left
    plot = BoundaryPlot()
    qtbot.addWidget(plot)
    xx, yy = np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-2, 2, 10))
    plot.set_grid(xx, yy)
    X = np.random.RandomState(0).randn(2, 30)
    plot.set_data(X, (X[0:1] > 0).astype(int), X[:, :5], np.zeros((1, 5), int))
    plot.set_probabilities(P)
    assert plot.image_colours().shape == (10, 20, 4)
    assert len(plot.train_points.data) == 30 and len(plot.test_points.data) == 5
    rect = plot.image.mapRectToView(plot.image.boundingRect())
    assert rect.left() == pytest.approx(-1 - 1 / 19, abs=1e-6) and rect.bottom() == pytest.approx(2 + 2 / 9, abs=1e-6)
    x, y = plot.boundary.getData()  # the line P = 0.5, in the data's coordinates: halfway between columns 9 and 10
    np.testing.assert_allclose(x, (xx[0, 9] + xx[0, 10]) / 2)
    assert y.min() == -2 and y.max() == 2 and len(x) == 2 * 9
    plot.set_probabilities(np.stack([P[0], 1 - P[0]]))  # two classes' probabilities: no line
    assert len(plot.boundary.getData()[0]) == 0


@pytest.mark.parametrize("discrete", [False, True])
def test_one_outputs_region_colours_from_the_table_are_the_formulas_to_a_level_and_the_class_is_exact(discrete):
    """One output's probabilities are coloured from a table of P_STEPS + 1: every channel within one level of the
    colour worked out for each probability itself, and the class (which side of 0.5) never taken from a step."""
    from visualtrainer.ui.colours import CLASS_COLOURS, P_STEPS

    rng = np.random.RandomState(3)
    near = 0.5 + np.array([-1e-9, 1e-9, -0.4 / P_STEPS, 0.4 / P_STEPS, 0.0, 0.6 / P_STEPS])
    p = np.concatenate([rng.rand(997), near, [0.0, 1.0, 1.3, -0.2]])
    got = region_colours(p.reshape(1, 1, -1), discrete)[0].astype(float)
    clipped = np.clip(p, 0, 1)
    strength = np.full(p.shape, 0.45) if discrete else 0.12 + 0.38 * np.abs(clipped - 0.5) * 2
    cls = (clipped > 0.5).astype(int)
    expected = 255.0 * (1 - strength[:, None]) + CLASS_COLOURS[cls] * strength[:, None]
    assert np.abs(got[:, :3] - expected).max() <= 1.1 and (got[:, 3] == 255).all()  # a level, and a step: 0.05
    # the class's hue (blue over red for class 1, red over blue for class 0), right beside 0.5 too
    assert (got[p > 0.5, 2] > got[p > 0.5, 0]).all() and (got[p <= 0.5, 0] > got[p <= 0.5, 2]).all()


def test_the_boundary_plots_points_kept_as_pictures_look_as_drawn_anew_and_follow_new_points(qtbot):
    """The points and the legend are kept as pictures while the output under them changes every frame (1.5 of the
    paint's 4.5 ms); the plot looks as one that draws them anew each time (to antialiasing's rounding), also after
    new points and a new output."""
    plots = [BoundaryPlot(), BoundaryPlot()]
    kept, drawn = plots
    for item in (drawn.train_points, drawn.test_points, drawn.legend):
        item.setCacheMode(QGraphicsItem.NoCache)
    assert kept.train_points.cacheMode() == QGraphicsItem.DeviceCoordinateCache
    xx, yy = np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-2, 2, 10))
    rng = np.random.RandomState(0)
    for plot in plots:
        qtbot.addWidget(plot)
        plot.resize(420, 380)
        plot.show()
        plot.set_grid(xx, yy)
    for step in range(3):
        X = rng.randn(2, 30) * 0.6
        P = rng.rand(1, 10, 20)
        for plot in plots:
            if step != 1:  # step 1: the same points, a new output under them
                plot.set_data(X, (X[0:1] > 0).astype(int), X[:, :5], np.zeros((1, 5), int))
            plot.set_probabilities(P)
        qtbot.wait(20)
        differ = np.abs(pixels(kept) - pixels(drawn)).max(axis=2)
        assert differ.max() <= 8


def test_activation_plot_draws_each_function_and_its_derivative(qtbot):
    plot = ActivationPlot()
    qtbot.addWidget(plot)
    plot.set_activations(["tanh", "relu", "tanh", "sigmoid"])
    assert plot.names == ["tanh", "relu", "sigmoid"]
    z, g, dg = plot.curve_data("tanh")
    np.testing.assert_allclose(g, np.tanh(z))
    np.testing.assert_allclose(dg, 1 - np.tanh(z) ** 2)
    z, g, dg = plot.curve_data("relu")
    np.testing.assert_allclose(g, np.maximum(z, 0))
    np.testing.assert_allclose(dg, (z > 0).astype(float))
    assert "can die" in plot.notes.text() and "centred" in plot.notes.text()


def test_neuron_detail_pictures_weights_in_the_inputs_shape(qtbot):
    detail = NeuronDetail()
    qtbot.addWidget(detail)
    w = np.zeros(4 * 5 * 3)
    w[0] = 1.0  # row 0, column 0, red
    picture = weights_picture(w, (4, 5, 3))
    assert picture.shape == (4, 5, 3) and picture[0, 0, 0] == 1.0 and picture[1, 1, 1] == 0.5
    detail.show_weights(w, (4, 5, 3), "A[1] unit 1")
    assert detail.image.image.shape == (4, 5, 3)
    xx, yy = np.meshgrid(np.linspace(0, 1, 6), np.linspace(0, 2, 3))
    detail.show_plane(xx, yy, xx + yy, "A[1] unit 2")
    assert detail.image.image.shape == (3, 6) and "unit 2" in detail.title.text()


def test_the_staged_plots_are_freed_when_let_go_not_left_to_the_garbage_collector(qtbot):
    """A plot whose staged paints held a reference back to it was kept by a reference cycle until the garbage
    collector ran, which then deleted it at any moment, in the middle of Qt's work."""
    import gc
    import weakref

    from visualtrainer.ui.surface.surface_view import SurfaceView

    gc.collect()
    gc.disable()
    try:
        for cls in (SurfaceView, CostPlot):
            plot = cls()
            freed = weakref.ref(plot)
            del plot
            assert freed() is None, cls.__name__
    finally:
        gc.enable()


@pytest.mark.parametrize("width", [300, 440, 800])
def test_the_pictures_hint_has_the_lines_its_width_needs(qtbot, width):
    """At a small window the hint above the picture cards wraps to more lines: its row grows to hold them (it kept
    the height of fewer lines, its text cut at the top and bottom)."""
    view = DropClassifier()
    qtbot.addWidget(view)
    view.resize(width, 400)
    view.show()
    qtbot.waitExposed(view)
    for untrained in (False, True):  # the long warning too: an untrained network's cards
        if untrained:
            view.set_untrained(True)
            view.add_cards([str(SAMPLES[0])], np.zeros((1, 64 * 64 * 3), np.uint8), np.array([[0.5, 0.5]]),
                           ["non-cat", "cat"], (64, 64, 3))
            assert "untrained" in view.hint.text()
        qtbot.waitUntil(lambda: view.hint.height() >= view.hint.heightForWidth(view.hint.width()), timeout=2_000)
        assert view.hint.geometry().right() <= view.viewport().width()




@pytest.mark.parametrize("width", [340, 560, 1000])
def test_picture_cards_take_as_many_columns_as_the_width_holds(qtbot, width):
    """No card is cut off at the right (the view scrolls only up and down): at a small window fewer columns, up to
    three, in the order the pictures came, and back to three as the view widens."""
    view = DropClassifier()
    qtbot.addWidget(view)
    view.resize(width, 500)
    view.show()
    qtbot.waitExposed(view)
    k = len(SAMPLES)
    pixels = np.random.default_rng(0).integers(0, 256, (k, 64 * 64 * 3), dtype=np.uint8)
    view.add_cards([str(p) for p in SAMPLES], pixels, np.tile([[0.3, 0.7]], (k, 1)), ["non-cat", "cat"],
                   (64, 64, 3))

    def columns():
        places = [view._grid.getItemPosition(view._grid.indexOf(card))[:2] for card in view.cards]
        count = 1 + max(c for _, c in places)
        assert places == [(i // count, i % count) for i in range(k)]  # in the order they came
        return count

    spacing, margins = view._grid.horizontalSpacing(), view.widget().layout().contentsMargins()
    room = view.viewport().width() - margins.left() - margins.right()
    fit = min(3, (room + spacing) // (view.cards[0].sizeHint().width() + spacing))  # whole cards side by side
    assert k > 3 and fit >= 1
    qtbot.waitUntil(lambda: all(card.geometry().right() < view.viewport().width() for card in view.cards))
    assert columns() >= fit  # no fewer than fit
    view.resize(1400, 500)
    qtbot.waitUntil(lambda: columns() == 3)
