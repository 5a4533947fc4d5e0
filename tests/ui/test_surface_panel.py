"""The cost surface panel: the surface through the network's θ, the path while training, planes, controls; built
on a session alone where it can, in the window where the diagram picks the plane or the tabs hide the panel."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from visualtrainer.app.session import Session
from visualtrainer.app.settings import Settings
from visualtrainer.app.training import Progress
from visualtrainer.core import iter_training
from visualtrainer.core.surface import PATH_POINTS, CostSlicer
from visualtrainer.ui.surface.surface_panel import SurfacePanel
from visualtrainer.ui.axes import nice_step
from visualtrainer.ui.surface.surface_view import colour_range, display_values, steady_levels

from .helpers import LayoutRequests, Paints, pixels

COMPILE_MS = 180_000  # the first run in a fresh environment compiles the kernels


@pytest.fixture
def make_panel(qtbot):
    """``make_panel(**settings)``: (session, a shown SurfacePanel that follows the session's network)."""
    panels = []

    def make(**fields):
        session = Session(Settings(**fields))
        session.reset(reload=True)
        panel = SurfacePanel(session.view.surface)
        qtbot.addWidget(panel)
        panel.resize(700, 520)
        panel.show()
        session.network_changed.connect(lambda: panel.set_network(session.spec, session.data, session.path))
        panel.set_network(session.spec, session.data, session.path)
        panels.append(panel)
        return session, panel

    yield make
    for panel in panels:
        assert panel.close_thread()


@pytest.fixture
def window(make_window):
    win = make_window()
    win.lower_tabs.setCurrentWidget(win.surface_panel)
    return win


def _settle(qtbot, panel):
    """Wait until no surface is being computed or waits its turn."""
    qtbot.waitUntil(lambda: not panel.busy and panel.surface is not None, timeout=COMPILE_MS)


def _train(qtbot, window, iterations):
    window.controls.iterations.setValue(iterations)
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def _train_session(session, panel, iterations):
    """Train the session's network here, its progress taken by the session and drawn as the window draws it."""
    data = session.data
    for snap in iter_training(session.net, data.X_train, data.Y_train, iterations,
                              trace_every=max(1, iterations // PATH_POINTS)):
        session.accept(session.generation, Progress(snap, None, None, None))
        panel.refresh(finished=snap.stop_reason is not None)


def test_the_surface_is_drawn_at_launch_through_the_networks_parameters(qtbot, window):
    panel = window.surface_panel
    assert window.lower_tabs.tabText(window.lower_tabs.currentIndex()) == "Cost surface"
    _settle(qtbot, panel)
    assert panel.view.surface.plane.kind == "pca" and panel.kind.currentData() == "pca"


def test_the_surface_goes_through_the_networks_parameters(qtbot, make_panel):
    session, panel = make_panel()
    _settle(qtbot, panel)
    surface = panel.view.surface
    data, net = session.data, session.net
    j, i = np.argmin(abs(surface.betas)), np.argmin(abs(surface.alphas))
    assert surface.alphas[i] == 0 and surface.betas[j] == 0  # an odd grid has the centre on it
    assert surface.costs[j, i] == pytest.approx(net.cost(data.X_train, data.Y_train), abs=1e-6)
    assert panel.view.image.image is not None and panel.view.image.image.shape == (51, 51)


def test_training_draws_the_path_and_ends_centred_on_the_last_parameters(qtbot, make_panel):
    session, panel = make_panel()
    _settle(qtbot, panel)
    _train_session(session, panel, 600)
    qtbot.waitUntil(lambda: panel.surface_job is not None and panel.surface_job.iteration == 600,
                    timeout=COMPILE_MS)
    _settle(qtbot, panel)
    path = panel.view.path_xy
    assert len(path) > 100  # θ traced every few iterations, not once a snapshot
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=1e-9)
    assert np.linalg.norm(path[0]) > 0.5  # it started somewhere else
    # the path is the recorded parameters, projected: its start is the initial θ's projection
    slicer_free = panel.surface
    start = session.path.points[0]
    expected = (start - slicer_free.centre) @ np.stack([slicer_free.plane.d1, slicer_free.plane.d2]).T
    np.testing.assert_allclose(path[0], expected, atol=1e-9)  # PCA directions are orthonormal
    assert "principal components" in panel.info.text() and "600" in panel.info.text()


def test_clicking_two_links_picks_two_weights(qtbot, window):
    panel, view = window.surface_panel, window.network_view
    _settle(qtbot, panel)
    links = {(j, k): line for j, k, line in view.link_items(2)}
    first = view.link_items(1)[3]  # W[1][1, 1]
    for (l, j, k, line) in ((1, first[0], first[1], first[2]), (2, 0, 2, links[(0, 2)])):
        middle = view.mapFromScene(line.line().center())
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=middle)
    qtbot.waitUntil(lambda: panel.surface is not None and panel.surface.plane.kind == "weights",
                    timeout=COMPILE_MS)
    _settle(qtbot, panel)
    assert panel.kind.currentData() == "weights"
    assert panel.view.surface.plane.labels == (f"W1[{first[0]},{first[1]}]", "W2[0,2]")
    assert panel.view.plot_widget.getPlotItem().getAxis("bottom").labelText == f"W1[{first[0]},{first[1]}]"
    # the axes show the weights' values: the centre is where the network's weights are
    net = window.session.net
    assert panel.view.surface.origin == (pytest.approx(net.params_["W1"][first[0], first[1]]),
                                         pytest.approx(net.params_["W2"][0, 2]))


def test_clicking_a_neuron_on_the_surface_tab_picks_its_bias(qtbot, window):
    panel, view = window.surface_panel, window.network_view
    _settle(qtbot, panel)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.neuron_center(1, 0))
    assert window.lower_tabs.currentWidget() is window.neuron_detail  # the path's plane: a click shows the unit
    window.lower_tabs.setCurrentWidget(panel)
    panel.kind.setCurrentIndex(panel.kind.findData("weights"))
    assert panel.picking
    for layer, unit in ((1, 2), (2, 0)):
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.neuron_center(layer, unit))
    qtbot.waitUntil(lambda: panel.surface is not None and panel.surface.plane.kind == "weights",
                    timeout=COMPILE_MS)
    _settle(qtbot, panel)
    assert panel.view.surface.plane.labels == ("b1[2]", "b2[0]")
    assert window.lower_tabs.currentWidget() is panel  # still the surface, not the neuron's detail


def test_random_plane_and_log_colours(qtbot, make_panel):
    session, panel = make_panel()
    _settle(qtbot, panel)
    _train_session(session, panel, 50)
    panel.kind.setCurrentIndex(panel.kind.findData("random"))
    qtbot.waitUntil(lambda: panel.surface.plane.kind == "random", timeout=COMPILE_MS)
    assert panel.view.surface.plane.labels == ("random direction 1", "random direction 2")
    assert "random directions" in panel.info.text()
    logged = panel.view.image.image.copy()
    panel.log.setChecked(False)
    np.testing.assert_allclose(10 ** logged, panel.view.image.image, rtol=1e-9)
    assert "log" not in panel.view.colour_bar.axis.labelText


def test_a_plane_that_cannot_be_drawn_says_why(qtbot, make_panel):
    session, panel = make_panel(init="zeros")  # every weight zero: random directions have nothing to scale to
    _settle(qtbot, panel)
    panel.kind.setCurrentIndex(panel.kind.findData("random"))
    qtbot.waitUntil(lambda: "every weight is zero" in panel.info.text(), timeout=COMPILE_MS)


def test_grid_and_span_controls_recompute(qtbot, make_panel):
    session, panel = make_panel()
    _settle(qtbot, panel)
    panel.grid.setValue(21)
    qtbot.waitUntil(lambda: panel.surface.costs.shape == (21, 21), timeout=COMPILE_MS)
    panel.span.setValue(3.0)
    qtbot.waitUntil(lambda: panel.surface.alphas[-1] == 3.0, timeout=COMPILE_MS)
    assert panel.surface.betas[0] == -3.0
    assert (session.view.surface.grid, session.view.surface.span) == (21, 3.0)  # the choices kept in the session


def test_two_parameter_model_shows_the_exact_bowl(qtbot, make_panel):
    session, panel = make_panel(dataset="tumor", hidden=[])
    assert session.net.theta_.size == 2
    _settle(qtbot, panel)
    assert panel.kind.currentData() == "weights"
    assert panel.view.surface.plane.labels == ("w = W1[0,0]", "b = b1[0]")
    assert "exactly" in panel.info.text()


def test_display_values_and_colour_range():
    costs = np.array([[1.0, 10.0], [np.inf, 0.0]])
    np.testing.assert_array_equal(display_values(costs, False), [[1.0, 10.0], [np.nan, 0.0]])
    np.testing.assert_array_equal(display_values(costs, True), [[0.0, 1.0], [np.nan, np.nan]])
    assert colour_range(np.array([np.nan, 2.0, 5.0])) == (2.0, 5.0)
    assert colour_range(np.array([3.0, 3.0])) == (2.5, 3.5)
    assert colour_range(np.array([np.nan])) == (0.0, 1.0)


def test_slicer_is_independent_of_the_window(qtbot, make_panel):
    # the panel's surface equals one computed apart, from the same network and data
    session, panel = make_panel()
    _settle(qtbot, panel)
    s = panel.view.surface
    data, net = session.data, session.net
    costs = CostSlicer(net, data.X_train, data.Y_train).costs(s.centre, s.plane, s.alphas, s.betas)
    np.testing.assert_allclose(s.costs, costs, rtol=1e-12)


def test_three_d_without_opengl_keeps_the_2d_view_and_says_why(qtbot, make_panel):
    session, panel = make_panel()
    _settle(qtbot, panel)
    panel.three_d.setChecked(True)  # offscreen: no OpenGL
    assert not panel.three_d.isChecked() and panel.stack.currentWidget() is panel.view
    assert "3-D needs OpenGL" in panel.info.text()


def test_three_d_mesh_data_matches_the_2d_colours_and_heights(qtbot, make_panel):
    from visualtrainer.ui.surface.surface_3d import HEIGHT, mesh_data, path_heights

    session, panel = make_panel()
    _settle(qtbot, panel)
    _train_session(session, panel, 200)
    _settle(qtbot, panel)
    surface = panel.view.surface
    x, y, z, colours = mesh_data(surface, log=True)
    na, nb = len(surface.alphas), len(surface.betas)
    assert z.shape == (na, nb) and colours.shape == (na * nb, 4)  # pyqtgraph 0.14 wants (N, 4) colours
    assert x[0] == -1 and x[-1] == 1 and y[0] == -1 and y[-1] == 1
    values = np.log10(surface.costs)
    low, high = values.min(), values.max()
    np.testing.assert_allclose(z, (values.T - low) / (high - low) * HEIGHT, atol=1e-12)
    j, i = np.unravel_index(np.argmin(surface.costs), surface.costs.shape)
    assert z[i, j] == 0 and z.max() == pytest.approx(HEIGHT)
    # grid nodes give the node's height back; the colour of the lowest point is the colour map's first
    nodes = np.array([[surface.alphas[3], surface.betas[5]], [surface.alphas[-1], surface.betas[0]]])
    np.testing.assert_allclose(path_heights(surface, nodes, z), [z[3, 5], z[-1, 0]], atol=1e-12)
    import pyqtgraph as pg

    np.testing.assert_allclose(colours.reshape(na, nb, 4)[i, j], pg.colormap.get("viridis").map(0.0, mode="float"))


def test_training_that_ends_before_the_first_surface_still_gets_its_final_surface(qtbot, make_panel):
    session, panel = make_panel()
    _settle(qtbot, panel)
    session.reset()  # a new network: its first surface is requested; its answer is not in yet
    last = list(iter_training(session.net, session.data.X_train, session.data.Y_train, 40))[-1]
    session.path.add_snapshot(last)
    panel.refresh(finished=True)  # training ended before the first surface came back
    assert panel.surface is None
    qtbot.waitUntil(lambda: panel.surface_job is not None and panel.surface_job.iteration == 40,
                    timeout=COMPILE_MS)
    _settle(qtbot, panel)
    np.testing.assert_allclose(panel.view.path_xy[-1], [0.0, 0.0], atol=1e-9)


def test_a_hidden_surface_tab_draws_no_path_until_it_is_shown(qtbot, window):
    """Projecting and drawing the path is skipped while another tab is shown (it cost the training speed); the
    tab catches up when shown again, centred on where training ended."""
    panel = window.surface_panel
    _settle(qtbot, panel)
    drawn = panel.view.path_xy.copy()
    window.show_tab("Activations")
    assert not panel.isVisible()
    _train(qtbot, window, 300)
    np.testing.assert_array_equal(panel.view.path_xy, drawn)  # nothing projected or drawn while hidden
    assert window.session.path.iterations[-1] == 300  # but the path was recorded
    assert panel.surface_job.iteration == 0
    window.show_tab("Cost surface")
    qtbot.waitUntil(lambda: panel.surface_job.iteration == 300, timeout=COMPILE_MS)
    _settle(qtbot, panel)
    path = panel.view.path_xy
    assert len(path) > len(drawn)
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=1e-9)


def test_following_spends_a_small_share_of_the_time_on_surfaces(qtbot, make_panel):
    """The next surface followed waits as long as the last one took, a hundred times over (a surface of a large
    network holds up its training), between FOLLOW_GAP and FOLLOW_WAIT."""
    import time

    from visualtrainer.ui.surface import surface_panel

    _, panel = make_panel(dataset="flower", hidden=[(4, "tanh")])
    qtbot.waitUntil(lambda: panel.surface is not None and not panel.busy, timeout=COMPILE_MS)
    waits = {}
    for seconds in (0.0005, 0.03, 0.05, 0.5):
        before = time.perf_counter()
        panel._on_computed(seconds)
        waits[seconds] = (panel._next_follow - time.perf_counter(), panel._next_follow - before)
    for seconds, wait in ((0.0005, surface_panel.FOLLOW_GAP), (0.03, 3.0), (0.05, 5.0),  # 1% of the time
                          (0.5, surface_panel.FOLLOW_WAIT)):
        assert waits[seconds][0] <= wait <= waits[seconds][1]


def test_a_path_grown_point_by_point_looks_as_the_whole_path_does_and_only_its_tail_is_redrawn(qtbot):
    """While training runs the path grows a point at a time: the new points are drawn as a tail (a new point repaints
    the pixels around it, not the whole path over the heatmap), and the picture is the one of the whole path drawn
    at once (to a few pixels where the tail joins the path)."""
    from visualtrainer.core.planes import Plane
    from visualtrainer.core.surface import Surface
    from visualtrainer.ui.surface.surface_view import TAIL_POINTS, SurfaceView

    a, b = np.linspace(-2, 2, 41), np.linspace(-1, 1, 31)
    t = np.linspace(0, 1, 80)
    path = np.column_stack([1.8 * np.cos(5 * t) * (1 - t), 0.9 * np.sin(7 * t) * (1 - t)])
    surface = Surface(Plane("random", np.array([1.0, 0.0]), np.array([0.0, 1.0]), ("α", "β")), np.zeros(2), a, b,
                      1 + np.add.outer(b**2, 0.3 * a**2), path[:10], origin=(0.5, -0.25))
    views = []
    for _ in range(2):
        view = SurfaceView()
        qtbot.addWidget(view)
        view.resize(600, 400)
        view.show()
        view.set_surface(surface)
        views.append(view)
    grown, whole = views
    whole_redraws = []
    for k in range(11, len(path) + 1):
        before = grown.settled
        grown.set_path(path[:k])
        whole_redraws.append(grown.settled != before)
    assert 0 < sum(whole_redraws) <= len(whole_redraws) // TAIL_POINTS + 1  # mostly the tail alone
    x, y = grown.tail.getData()
    assert len(x) == len(path) - grown.settled + 1 and x[-1] == path[-1, 0] + 0.5 and y[-1] == path[-1, 1] - 0.25
    whole.set_path(path)
    np.testing.assert_array_equal(grown.path_xy, whole.path_xy)
    differ = np.abs(pixels(grown) - pixels(whole)).max(axis=2)
    assert (differ > 0).sum() <= 20 and differ.max() <= 60
    grown.set_path(path[::-1])  # another path altogether: drawn whole again
    assert grown.settled == len(path) and len(grown.tail.getData()[0]) == 0


def test_a_shorter_caption_leaves_the_plot_where_it_was(make_panel, qtbot):
    _, panel = make_panel(dataset="flower", hidden=[(4, "tanh")])
    _settle(qtbot, panel)
    long = "A caption of a new surface that runs over several lines at this width, " * 4
    panel.info.setText(long)
    qtbot.waitUntil(lambda: panel.info.height() >= 3 * panel.info.fontMetrics().height()
                    and panel.stack.y() >= panel.info.box.geometry().bottom())  # the plot moved down under it
    plot = panel.stack.geometry()
    panel.info.setText("Short.")
    qtbot.wait(50)  # the layout request of the new text is handled
    assert panel.stack.geometry() == plot
    panel.resize(panel.width() + 200, panel.height())  # a wider panel lays its caption out anew (in the two lines
    qtbot.waitUntil(lambda: panel.info.height() < 3 * panel.info.fontMetrics().height()  # it always has room for)
                    and panel.stack.height() > plot.height())


@pytest.mark.parametrize("size, step", [(0.013, 0.02), (0.1, 0.1), (0.3, 0.5), (0.5, 0.5), (7.0, 10.0), (2e-5, 2e-5)])
def test_nice_step_is_the_least_1_2_5_step_not_below_the_size(size, step):
    assert nice_step(size) == pytest.approx(step)


def test_the_colours_range_is_kept_while_new_values_fit_and_fill_it():
    low, high = steady_levels(0.12, 0.93)  # a tenth of the span: 0.081, a step of 0.1
    assert (low, high) == (pytest.approx(0.1), pytest.approx(1.0))
    kept = (low, high)
    assert steady_levels(0.15, 0.95, kept) is kept  # inside, and fills 89%
    assert steady_levels(0.15, 1.05, kept) != kept  # beyond the top
    assert steady_levels(-0.01, 0.8, kept)[0] < -0.01  # below the bottom: a new range holds them
    narrow = steady_levels(0.3, 0.5, kept)  # fits, but would use a fifth of the colours
    assert narrow == (pytest.approx(0.3), pytest.approx(0.5))
    tight = steady_levels(-0.1593, -0.1584)  # log₁₀ J of a cost stuck near 0.693
    assert tight[0] <= -0.1593 and tight[1] >= -0.1584 and tight[1] - tight[0] <= 2 * 0.0009


def test_a_drifting_surface_keeps_its_colour_bar_and_every_value_inside_it(qtbot):
    """Surfaces whose costs drift a little (training moves the centre) keep one colour range (its axis is not laid
    out again); each one's values lie within the range shown, and one that leaves it gets a new range."""
    from visualtrainer.core.planes import Plane
    from visualtrainer.core.surface import Surface
    from visualtrainer.ui.surface.surface_view import SurfaceView

    view = SurfaceView()
    qtbot.addWidget(view)
    a, b = np.linspace(-1, 1, 21), np.linspace(-1, 1, 21)
    bowl = np.add.outer(b**2, a**2)
    shown = []
    for shift in (0.0, 0.01, 0.02, 0.03, 0.04, 3.0):
        costs = 2.05 + shift + bowl
        view.log = False
        view.set_surface(Surface(Plane("random", np.array([1.0, 0.0]), np.array([0.0, 1.0]), ("α", "β")),
                                 np.zeros(2), a, b, costs, np.zeros((1, 2))))
        low, high = view.colour_bar.levels()
        assert low <= costs.min() and costs.max() <= high
        shown.append((low, high))
    assert len(set(shown[:5])) == 1 and shown[5] != shown[0]


def test_the_path_planes_axis_labels_are_shown_whole(qtbot):
    """A PCA plane's labels with the ends' words ("over 99%", "under 1%") read in full on the axes, which take HTML."""
    from visualtrainer.core.planes import pca_plane
    from visualtrainer.core.surface import Surface
    from visualtrainer.ui.surface.surface_view import SurfaceView

    t = np.linspace(0, 1, 50)
    path = np.column_stack([t, 0.02 * np.sin(9 * t), np.zeros_like(t)])  # nearly straight: PC2 under 1%
    plane = pca_plane(path)
    assert plane.explained[0] > 0.99 and 0 < plane.explained[1] < 0.01
    view = SurfaceView()
    qtbot.addWidget(view)
    a = b = np.linspace(-1, 1, 11)
    view.set_surface(Surface(plane, path[-1], a, b, 1 + np.add.outer(b**2, a**2), np.zeros((1, 2))))
    shown = [view.view.getAxis(side).label.toPlainText().strip() for side in ("bottom", "left")]
    assert shown == list(plane.labels) == ["PC1 (over 99% of the path)", "PC2 (under 1% of the path)"]


def test_a_captions_new_text_lays_out_nothing_around_it(make_panel, qtbot):
    """A caption's text changes while training runs ("… at iteration 1,234,567…", a new surface's caption): the
    request for a layout that every new text of a label makes went up to the window, which then repainted the panel
    and its every control (5-15 ms of the window's thread beside a training). It now stops at the caption's box,
    unless the text needs more lines."""
    _, panel = make_panel(dataset="flower", hidden=[(4, "tanh")])
    _settle(qtbot, panel)
    panel.info.setText("Computing the cost surface through θ at iteration 9…")
    qtbot.wait(50)
    requests = LayoutRequests(panel)
    plot = panel.stack.geometry()
    for iteration in (1234, 98765, 1234567):
        text = f"Computing the cost surface through θ at iteration {iteration:,}…"
        panel.info.setText(text)
        qtbot.wait(20)
        assert panel.info.text() == text and panel.info.width() == panel.info.box.width() > 0
    assert requests.seen == [] and panel.stack.geometry() == plot
    panel.info.setText("A caption of a new surface that runs over several lines at this width, " * 4)
    qtbot.waitUntil(lambda: panel.stack.y() >= panel.info.box.geometry().bottom() > plot.y())  # room made for it
    assert requests.seen and panel.info.height() == panel.info.box.height() >= 3 * panel.info.fontMetrics().height()


def test_a_staged_surface_is_drawn_in_stages_and_looks_as_one_drawn_at_once(qtbot):
    """While training runs a new surface is drawn in stages (its data, its axes' ticks and texts one axis an event,
    its paint: 11-13 ms beside the training at once), the view showing the last surface until the paint; the picture
    is the one the surface drawn at once gives."""
    from visualtrainer.core.planes import Plane
    from visualtrainer.core.surface import Surface
    from visualtrainer.ui.surface.surface_view import SurfaceView

    views = [SurfaceView(), SurfaceView()]
    a, b = np.linspace(-1, 1, 21), np.linspace(-1, 1, 21)
    for view in views:
        qtbot.addWidget(view)
        view.resize(500, 400)
        view.show()
    plane = Plane("random", np.array([1.0, 0.0]), np.array([0.0, 1.0]), ("α", "β"))
    first = Surface(plane, np.zeros(2), a, b, 1 + np.add.outer(b**2, a**2), np.zeros((1, 2)))
    moved = Surface(plane, np.array([3.0, -2.0]), a, b, 2 + np.add.outer(b**2, a**2), np.array([[0.5, 0.5]]))
    staged, at_once = views
    staged.set_surface(first)
    qtbot.wait(50)
    at_once.set_surface(moved)
    axes = [staged.view.getAxis(side) for side in ("left", "bottom")] + [staged.colour_bar.axis]
    paints = Paints(staged.plot_widget.viewport(), lambda: all(axis.picture is not None for axis in axes))
    staged.set_surface(moved, staged=True)
    assert not staged.plot_widget.updatesEnabled() and all(axis.picture is None for axis in axes)
    staged.staged.timer.stop()
    for done in (1, 2, 3):  # the stages, one axis each
        staged.staged._next()
        assert sum(axis.picture is not None for axis in axes) == done and not staged.plot_widget.updatesEnabled()
    staged.staged.timer.start()
    qtbot.waitUntil(lambda: len(paints.seen) > 0, timeout=2000)
    assert paints.seen[0] and staged.plot_widget.updatesEnabled()  # its axes laid out before its paint
    qtbot.wait(50)
    np.testing.assert_array_equal(pixels(staged), pixels(at_once))

