"""The Graph tab's steps fit the width (rows, never sideways scrolling), and the path's plane keeps its signs
between two surfaces."""

from dataclasses import replace

import numpy as np
from PySide6.QtWidgets import QApplication

from visualtrainer.core import Network
from visualtrainer.core.surface import pca_plane
from visualtrainer.data import load_dataset
from visualtrainer.ui.network.graph_view import GraphView
from visualtrainer.ui.surface import computer
from visualtrainer.ui.surface.computer import SlicerCache, SurfaceJob, oriented


def _shown_width(view):
    return view.view.sceneRect().width() * view.view.transform().m11()


def test_the_steps_of_a_deep_network_fit_the_width_in_rows(qtbot):
    data = load_dataset("flower", seed=1)
    net = Network((2, 5, 4, 3, 1), ["tanh", "relu", "tanh"], init="xavier", random_state=0).initialize()
    view = GraphView()
    qtbot.addWidget(view)
    for width in (560, 900, 1500):
        view.resize(width, 420)
        view.show()
        QApplication.processEvents()
        view.show_graph(net, data, 0, net.params_)
        assert _shown_width(view) <= view.view.viewport().width() + 1  # nothing to scroll sideways to
        assert view.view.horizontalScrollBar().maximum() == 0
        assert set(view.nodes) >= {"X", "Z1", "A3", "Z4", "A4", "J"}
        assert view.view.transform().m11() >= 0.75  # the text stays readable
    view.resize(560, 420)
    QApplication.processEvents()
    tops = {round(item.pos().y()) for item in view.scene.items() if hasattr(item, "toHtml")}
    assert len(tops) > 2  # more than one row of forward and backward boxes


def _path(seed, k=12, p=30):
    rng = np.random.RandomState(seed)
    return np.cumsum(rng.randn(k, p) * np.linspace(1, 0.1, p), axis=0)


def test_a_plane_keeps_the_signs_of_the_one_before():
    path = _path(0)
    first = oriented(pca_plane(path), path=path)
    plane = pca_plane(path)
    again = oriented(replace(plane, d1=-plane.d1, d2=-plane.d2), first)
    np.testing.assert_array_equal(again.d1, first.d1)
    np.testing.assert_array_equal(again.d2, first.d2)
    assert float((path[-1] - path[0]) @ first.d1) > 0  # the first plane: the path runs left to right


def test_surfaces_of_one_network_do_not_flip(monkeypatch):
    net = Network((2, 4, 1), "tanh", init="xavier", random_state=0).initialize()
    data = load_dataset("flower", seed=1)
    path = _path(1, p=net.theta_.size)
    plane = pca_plane(path)
    queue = [plane, replace(plane, d1=-plane.d1, d2=-plane.d2)]  # the same plane, recomputed the other way round
    monkeypatch.setattr(computer, "make_plane", lambda *args, **kwargs: queue.pop(0))
    cache = SlicerCache()
    job = SurfaceJob(net.get_params(), data.X_train, data.Y_train, tuple(path), "pca", None, 11, None, 12, 7)
    first, _, _, _ = computer.compute(job, cache)
    second, _, _, _ = computer.compute(job, cache)
    np.testing.assert_array_equal(second.plane.d1, first.plane.d1)
    np.testing.assert_array_equal(second.plane.d2, first.plane.d2)
    np.testing.assert_allclose(second.path, first.path)


def test_a_surfaces_contours_come_worked_out_from_its_thread_and_are_the_ones_drawn(qtbot):
    """The surface's job works out what the heatmap draws on both scales (the contours took the window's thread
    8 ms a surface): the same as worked out on the spot, and the view draws those, on either scale, without
    working them out again."""
    from visualtrainer.core.contours import contour_levels, contour_segments
    from visualtrainer.ui.surface.surface_view import CONTOUR_LEVELS, SurfaceView, display_values

    net = Network((2, 4, 1), "tanh", init="xavier", random_state=0).initialize()
    data = load_dataset("flower", seed=1)
    path = _path(2, p=net.theta_.size)
    job = SurfaceJob(net.get_params(), data.X_train, data.Y_train, tuple(path), "pca", None, 15, None, 12, 7)
    surface, _, _, pictures = computer.compute(job, SlicerCache())
    for log in (True, False):
        values = display_values(surface.costs, log)  # by hand
        xs, ys = surface.alphas + surface.origin[0], surface.betas + surface.origin[1]
        segments, _ = contour_segments(values, xs, ys, contour_levels(values, CONTOUR_LEVELS))
        assert len(segments) > 0
        np.testing.assert_array_equal(pictures[log].segments, segments)
        np.testing.assert_array_equal(pictures[log].values, values)
    view = SurfaceView()
    qtbot.addWidget(view)
    view.set_surface(surface, pictures)
    assert view.segments is pictures[True].segments  # drawn as given, on the log scale first
    view.set_log(False)
    assert view.segments is pictures[False].segments
    view.set_surface(surface)  # nothing worked out: the view does it
    np.testing.assert_array_equal(view.segments, pictures[False].segments)
