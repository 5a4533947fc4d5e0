"""The window's garbage collector (ui/collector.py): short passes while training, nothing kept for good by a freeze."""

import gc
import weakref

import pytest
from PySide6.QtCore import QObject

from visualtrainer.ui import collector as collector_module
from visualtrainer.ui.collector import Collector


class Node:
    """An object that can hold itself in a cycle (freed only by a pass of the collector, never by its count)."""


def cycle():
    node = Node()
    node.me = node
    return node


def tracked(obj):
    """Whether the collector's passes go over ``obj`` (frozen objects are left out of ``gc.get_objects``)."""
    return any(o is obj for o in gc.get_objects())


@pytest.fixture
def collector(qtbot):
    parent = QObject()
    made = Collector(parent)
    made.start()
    yield made
    made.stop()
    assert gc.get_freeze_count() == 0  # everything the collector froze is back in the passes


def test_a_pass_while_training_frees_new_garbage_and_freezes_what_lives(collector):
    garbage, alive = weakref.ref(cycle()), Node()
    assert garbage() is not None and tracked(alive)
    collector.collect_recent()
    assert garbage() is None
    assert not tracked(alive)  # the next pass leaves it out


def test_the_pass_over_everything_frees_garbage_among_the_frozen(collector):
    node = cycle()
    collector.collect_recent()  # frozen while alive
    garbage = weakref.ref(node)
    del node
    collector.collect_recent()
    assert garbage() is not None  # left out of the short passes
    collector.collect_all()
    assert garbage() is None


def test_the_pass_over_everything_waits_for_training_to_stay_stopped(qtbot, monkeypatch):
    monkeypatch.setattr(collector_module, "QUIET_MS", 100)
    parent = QObject()
    made = Collector(parent)
    made.start()
    try:
        node = cycle()
        made.collect_recent()
        garbage = weakref.ref(node)
        del node
        made.training_stopped()
        made.training_started()  # training again before the quiet time: no pass over everything
        qtbot.wait(250)
        assert garbage() is not None
        made.training_stopped()
        qtbot.waitUntil(lambda: garbage() is None, timeout=2000)
    finally:
        made.stop()


def test_stop_puts_the_collector_back_as_it_was(qtbot):
    before = gc.get_threshold()
    parent = QObject()
    made = Collector(parent)
    made.start()
    assert gc.get_threshold()[2] > before[2] and gc.get_freeze_count() > 0
    made.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    made.collect_recent()  # after stop: no pass, nothing frozen
    assert gc.get_freeze_count() == 0


def test_the_window_frees_garbage_among_the_frozen_once_training_has_stopped(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(collector_module, "QUIET_MS", 100)
    window = make_window()
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=10_000)  # the window is up: its objects frozen
    node = cycle()
    window.collector.collect_recent()
    garbage = weakref.ref(node)
    del node
    window.controls.iterations.setValue(20)
    with qtbot.waitSignal(window.training_finished, timeout=180_000):
        window.toggle_training()
    qtbot.waitUntil(lambda: garbage() is None, timeout=5_000)
