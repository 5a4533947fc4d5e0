"""The session's cost history (app/history.py): every cost kept, in place, as a run grows and is rolled back."""

import numpy as np

from visualtrainer.app.history import CostHistory


def test_the_costs_come_back_as_added_across_blocks_and_replacements(monkeypatch):
    monkeypatch.setattr(CostHistory, "BLOCK", 8)
    rng = np.random.default_rng(3)
    start = rng.random(5)
    history, expected = CostHistory(start), list(start)
    for _ in range(60):
        first = int(rng.integers(max(0, len(expected) - 6), len(expected) + 1))  # at the end, or a few back
        costs = rng.random(int(rng.integers(0, 20)))
        history.add(first, costs)
        expected = expected[:first] + list(costs)
        np.testing.assert_array_equal(history.values(), expected)
        assert history.n == len(expected)


def test_growing_leaves_what_it_holds_where_it_is(monkeypatch):
    monkeypatch.setattr(CostHistory, "BLOCK", 4)
    history = CostHistory([1.0, 2.0, 3.0])
    first_block = history._blocks[0]
    history.add(3, np.arange(100.0))  # a doubling buffer would have copied the first costs to a new one
    assert history._blocks[0] is first_block
    np.testing.assert_array_equal(history.values(), [1.0, 2.0, 3.0, *np.arange(100.0)])


def test_an_empty_history():
    assert CostHistory().values().shape == (0,) and CostHistory().n == 0
