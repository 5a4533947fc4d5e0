"""Contour lines by marching squares: on the level, where they should be, and through saddles the right way."""

import numpy as np
import pytest

from visualtrainer.core.contours import contour_levels, contour_segments


def _bilinear_on_edge(Z, xs, ys, x, y):
    """Z along the cell edge through (x, y), linearly interpolated (the point must lie on a grid line)."""
    i = np.searchsorted(xs, x) if not np.isclose(xs, x).any() else int(np.argmin(abs(xs - x)))
    j = np.searchsorted(ys, y) if not np.isclose(ys, y).any() else int(np.argmin(abs(ys - y)))
    if np.isclose(xs, x).any():  # on a vertical grid line: interpolate along y
        j0 = max(min(np.searchsorted(ys, y) - 1, len(ys) - 2), 0)
        t = (y - ys[j0]) / (ys[j0 + 1] - ys[j0])
        return Z[j0, i] + t * (Z[j0 + 1, i] - Z[j0, i])
    i0 = max(min(np.searchsorted(xs, x) - 1, len(xs) - 2), 0)
    t = (x - xs[i0]) / (xs[i0 + 1] - xs[i0])
    return Z[j, i0] + t * (Z[j, i0 + 1] - Z[j, i0])


def test_a_circle_comes_out_round_and_closed():
    xs = np.linspace(-2.03, 2.01, 81)  # no node exactly on a level
    ys = np.linspace(-1.7, 2.5, 64)
    X, Y = np.meshgrid(xs, ys)
    segments, which = contour_segments(X**2 + Y**2, xs, ys, np.array([1.0, 2.25]))
    for level, radius in ((0, 1.0), (1, 1.5)):
        seg = segments[which == level]
        r = np.hypot(seg[:, [0, 2]], seg[:, [1, 3]])
        assert np.abs(r - radius).max() < 0.01
        length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1]).sum()
        assert length == pytest.approx(2 * np.pi * radius, rel=2e-3)
        ends = np.round(np.vstack([seg[:, :2], seg[:, 2:]]), 9)  # closed: every end point is shared by two segments
        _, counts = np.unique(ends, axis=0, return_counts=True)
        assert set(counts) == {2}


def test_every_end_point_lies_on_a_cell_edge_at_the_level():
    rng = np.random.RandomState(0)
    xs, ys = np.cumsum(rng.uniform(0.5, 1.5, 12)), np.cumsum(rng.uniform(0.5, 1.5, 9))
    Z = rng.randn(9, 12)
    levels = np.array([-0.5, 0.0, 0.7])
    segments, which = contour_segments(Z, xs, ys, levels)
    assert len(segments) > 20
    for (x0, y0, x1, y1), n in zip(segments, which):
        for x, y in ((x0, y0), (x1, y1)):
            assert np.isclose(xs, x).any() or np.isclose(ys, y).any()
            assert _bilinear_on_edge(Z, xs, ys, x, y) == pytest.approx(levels[n], abs=1e-9)


@pytest.mark.parametrize("level, cut_off", [(-0.2, {(1, 0), (0, 1)}), (0.2, {(0, 0), (1, 1)})])
def test_a_saddle_is_split_the_way_its_centre_says(level, cut_off):
    # corners (0,0) and (1,1) at +1, (1,0) and (0,1) at −1: the centre's mean, 0, is above −0.2 (the high corners
    # join, so each line cuts off a low corner) and below 0.2 (each line cuts off a high corner)
    Z = np.array([[1.0, -1.0], [-1.0, 1.0]])
    segments, _ = contour_segments(Z, np.array([0.0, 1.0]), np.array([0.0, 1.0]), np.array([level]))
    assert len(segments) == 2
    mids = (segments[:, :2] + segments[:, 2:]) / 2
    assert {(int(np.round(x)), int(np.round(y))) for x, y in mids} == cut_off


def test_cells_with_a_missing_value_are_left_out():
    xs = ys = np.arange(4.0)
    Z = np.add.outer(ys, xs)  # lines x + y = level
    Z[1, 1] = np.nan
    segments, _ = contour_segments(Z, xs, ys, np.array([2.5]))
    assert np.all(np.isfinite(segments))
    full, _ = contour_segments(np.add.outer(ys, xs), xs, ys, np.array([2.5]))
    assert len(segments) < len(full)


def test_levels_spread_evenly_in_the_scale_shown():
    values = np.array([[1.0, 10.0], [100.0, np.nan]])
    np.testing.assert_allclose(contour_levels(values, 2), [34.0, 67.0])
    np.testing.assert_allclose(contour_levels(values, 1, log=True), [10.0])
    assert contour_levels(np.ones((3, 3)), 5).size == 0
    assert contour_levels(np.full((2, 2), np.nan), 5).size == 0


def _rows(segments):
    return sorted(map(tuple, np.round(segments, 12)))


@pytest.mark.parametrize("seed", range(6))
def test_the_numpy_line_is_the_compiled_kernels_line(seed):
    from visualtrainer.core.contours import level_segments

    rng = np.random.default_rng(seed)
    ny, nx = rng.integers(2, 40, size=2)
    xs, ys = np.cumsum(rng.random(nx) + 0.1), np.cumsum(rng.random(ny) + 0.1)
    Z = rng.random((ny, nx))  # noise: many saddles
    Z[rng.random(Z.shape) < 0.05] = np.nan  # cells left out
    Z[rng.random(Z.shape) < 0.05] = 0.5  # corners exactly on the level
    segments, _ = contour_segments(Z, xs, ys, np.array([0.5]))
    np.testing.assert_array_equal(_rows(level_segments(Z, xs, ys, 0.5)), _rows(segments))


def test_the_numpy_line_of_a_circle_and_of_nothing():
    from visualtrainer.core.contours import level_segments

    xs = ys = np.linspace(-2, 2, 57)
    X, Y = np.meshgrid(xs, ys)
    segments = level_segments(X**2 + Y**2, xs, ys, 1.0)
    assert len(segments) > 40 and np.abs(np.hypot(segments[:, [0, 2]], segments[:, [1, 3]]) - 1).max() < 0.01
    assert level_segments(X**2 + Y**2, xs, ys, 100.0).shape == (0, 4)
    assert level_segments(np.zeros((1, 5)), xs[:5], ys[:1], 0.5).shape == (0, 4)


def test_before_the_kernel_is_compiled_the_contours_come_from_numpy_and_a_process_compiles_it(monkeypatch, tmp_path):
    """A first launch (``compiling.background``, an empty cache): every level's segments, the same as the compiled
    kernel's, with their level's index, and the kernel's compiling started elsewhere, not in this thread."""
    from visualtrainer.core import compiling, contours

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))  # no marker: the kind is not compiled
    monkeypatch.setattr(compiling, "_loaded", set())
    monkeypatch.setattr(compiling, "_background", True)
    monkeypatch.setattr(compiling, "_eager", True)
    started = []
    monkeypatch.setattr(compiling, "start", started.append)
    called = []
    monkeypatch.setattr(contours, "contour_segments", lambda *args: called.append(args))
    rng = np.random.default_rng(3)
    xs, ys = np.linspace(0, 1, 30), np.linspace(-1, 2, 20)
    Z = rng.random((20, 30)).cumsum(axis=1)
    levels = contour_levels(Z, 4)
    got, which = contours.segments(Z, xs, ys, levels)
    assert called == [] and started == [contours.KIND]
    monkeypatch.undo()
    want, want_which = contour_segments(Z, xs, ys, levels)
    for n in range(len(levels)):
        np.testing.assert_array_equal(_rows(got[which == n]), _rows(want[want_which == n]))
    assert len(got) == len(want) > 0


def test_the_contours_kernel_is_marked_ready_by_its_compiling_process(monkeypatch, tmp_path):
    from visualtrainer.core import compile_worker, compiling, contours

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(compiling, "_loaded", set())
    assert not compiling.ready(contours.KIND)
    compile_worker.compile_kind(contours.KIND)
    assert compiling.ready(contours.KIND)
