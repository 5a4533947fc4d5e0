"""The run list stays bounded over a long session: at most MAX_RUNS runs, sweep runs and pinned runs included, and
the runs' paths within PATHS_BYTES, each thinned evenly with its first and last θ, in arrays of its own."""

import numpy as np

from visualtrainer.app import runs as runs_module
from visualtrainer.app.runs import MAX_RUNS, PATH_POINTS, RunList, path_bytes, thinned
from visualtrainer.app.settings import Settings

SETTINGS = Settings().to_dict()
P = 2_000  # θ of a network (small here, the budget made small to match: see _small_budget)
BUDGET = 4 * 2**20


def _small_budget(monkeypatch):
    """PATHS_BYTES as small against P as the real one is against the cat 12288-7-1 network's 86,030 parameters."""
    monkeypatch.setattr(runs_module, "PATHS_BYTES", BUDGET)


def _trace(k, p=P, dtype=np.float32, seed=0):
    """A path as the training loop traces it: rows of one read-only (k, p) chunk (views, not copies)."""
    chunk = np.random.RandomState(seed).randn(k, p).astype(dtype)
    chunk.flags.writeable = False
    return chunk, tuple(chunk)


def _train(runs, k=140, seed=0):
    run = runs.start_run(SETTINGS, (12288, 7, 1))
    chunk, path = _trace(k, seed=seed)
    runs.update_current(np.linspace(0.7, 0.1, 50), 90.0, 70.0, path)
    return run, chunk


def test_thinned_keeps_the_ends_evenly_within_the_budget_in_arrays_of_its_own():
    chunk, path = _trace(1000, p=100, dtype=np.float64)
    kept = thinned(path, max_bytes=10**9)
    assert len(kept) == PATH_POINTS
    np.testing.assert_array_equal(kept[0], path[0])
    np.testing.assert_array_equal(kept[-1], path[-1])
    np.testing.assert_array_equal(np.vstack(kept), chunk[np.linspace(0, 999, PATH_POINTS).round().astype(int)])
    assert all(point.base is None and not point.flags.writeable for point in kept)  # the chunk can be freed
    small = thinned(path, max_bytes=10 * 800)
    assert len(small) == 10 and path_bytes(small) <= 10 * 800
    assert len(thinned(path, max_bytes=1)) == 2  # never fewer than the first and last
    assert thinned((), 100) == ()


def test_a_long_session_keeps_at_most_max_runs_and_the_paths_within_their_budget(monkeypatch):
    _small_budget(monkeypatch)
    runs = RunList()
    for k in range(3 * MAX_RUNS):
        run, chunk = _train(runs, seed=k)
        if k % 10 == 0:
            runs.set_pinned(run.number)
        assert len(runs.runs) <= MAX_RUNS and runs.current is run
        assert sum(path_bytes(r.path) for r in runs.runs) <= BUDGET
        assert all(2 <= len(r.path) <= PATH_POINTS for r in runs.runs)
        assert not any(point.base is chunk for point in run.path)  # the trace's chunk is not kept alive
        np.testing.assert_array_equal(run.path[-1], chunk[-1])  # the latest θ kept exactly
    assert [r.number for r in runs.runs if r.pinned] == [1, 11, 21, 31, 41, 51, 61, 71, 81, 91, 101, 111]
    unpinned = [r for r in runs.runs if not r.pinned and r is not runs.current]
    assert max(len(r.path) for r in unpinned) < min(len(r.path) for r in runs.runs if r.pinned)


def test_sweep_runs_pinned_by_the_sweep_make_room_past_the_cap():
    runs = RunList()
    own, _ = _train(runs)
    pins = []
    runs.pins_changed.connect(lambda: pins.append(len(runs.pinned())))
    for k in range(MAX_RUNS + 25):
        runs.add_run(SETTINGS, (2, 4, 1), np.linspace(0.7, 0.3, 20), 80.0, None, path=_trace(30, p=17)[1],
                     label=f"learning rate {k}")
    assert len(runs.runs) == MAX_RUNS and runs.current is own
    assert [r.label for r in runs.runs[1:]][:2] == ["learning rate 26", "learning rate 27"]  # the oldest went
    assert pins[-1] == MAX_RUNS - 1


def test_pinned_runs_stay_while_unpinned_ones_make_room():
    runs = RunList()
    first, _ = _train(runs)
    runs.set_pinned(first.number)
    for k in range(MAX_RUNS + 5):
        _train(runs, k=4, seed=k)
    assert runs.runs[0] is first and len(runs.runs) == MAX_RUNS


def test_the_budget_is_shared_by_weight(monkeypatch):
    monkeypatch.setattr(runs_module, "PATHS_BYTES", 14 * P * 4)  # 14 points of θ for all the runs
    runs = RunList()
    pinned, _ = _train(runs)
    runs.set_pinned(pinned.number)
    for k in range(5):
        _train(runs, seed=k)
    # weights: pinned 4, current 4, four unpinned 1 each: a unit of 14/12 points (at least the two ends)
    assert [len(r.path) for r in runs.runs] == [4, 2, 2, 2, 2, 4]
