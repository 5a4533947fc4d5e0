"""A first launch: the window trains at once on numpy while the kernels compile elsewhere, says so, and goes on
with the kernels once they are ready."""

import pytest

from visualtrainer.core import compiling

COMPILE_MS = 180_000


@pytest.fixture
def uncompiled(monkeypatch):
    """Background mode, every kind uncompiled until ``state["ready"]``; the kinds asked to compile are recorded."""
    state = {"ready": False, "started": []}
    monkeypatch.setattr(compiling, "_background", True)
    monkeypatch.setattr(compiling, "_eager", True)
    monkeypatch.setattr(compiling, "ready", lambda kind: state["ready"])
    monkeypatch.setattr(compiling, "start", lambda kind: state["started"].append(kind) or True)
    monkeypatch.setattr(compiling, "loaded", lambda kind: None)
    return state


def test_the_first_training_runs_on_numpy_at_once_then_on_the_kernels(qtbot, make_window, uncompiled):
    window = make_window()
    window.feedback.start_background()
    qtbot.waitUntil(lambda: "train-narrow-float32-float32" in uncompiled["started"], timeout=COMPILE_MS)
    window.controls.iterations.setValue(10_000_000)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.session.iteration > 0, timeout=10_000)  # numpy needs no compiling
    qtbot.waitUntil(lambda: "numpy" in window.status.news, timeout=10_000)
    assert window.session.latest.snapshot.compiled is False
    at_switch = window.session.iteration
    uncompiled["ready"] = True
    qtbot.waitUntil(lambda: window.session.latest.snapshot.compiled, timeout=COMPILE_MS)
    qtbot.waitUntil(lambda: window.status.news == "Training…", timeout=10_000)
    assert window.session.iteration > at_switch
    with qtbot.waitSignal(window.training_finished, timeout=10_000):
        window.toggle_training()
    costs = window.session.net.costs_
    assert len(costs) >= window.session.iteration and all(c == c for c in costs)  # one cost an iteration, no gap


def test_the_cost_surface_is_drawn_before_its_kernels_are_compiled(qtbot, make_window, uncompiled):
    window = make_window()
    window.feedback.start_background()
    window.show_tab("Cost surface")
    qtbot.waitUntil(lambda: window.surface_panel.surface is not None, timeout=60_000)
    assert any(kind.startswith("surface-") for kind in uncompiled["started"])
