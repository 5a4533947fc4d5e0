"""The window's garbage collector (ui/collector.py): its passes, the objects it freezes out of them, and what is freed
all the same."""

import gc
import weakref

import pytest
from PySide6.QtCore import QObject

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


def test_a_full_pass_frees_the_garbage_made_since_the_window_was_up(collector):
    garbage = weakref.ref(cycle())
    assert garbage() is not None
    collector.collect_all()
    assert garbage() is None


def test_settle_frees_the_garbage_then_leaves_what_lives_out_of_the_passes(collector):
    garbage, alive = weakref.ref(cycle()), Node()
    assert tracked(alive)
    collector.settle()
    assert garbage() is None and not tracked(alive)


def test_stop_puts_the_collector_back_as_it_was(qtbot):
    before = gc.get_threshold()
    parent = QObject()
    made = Collector(parent)
    made.start()
    assert gc.get_threshold()[2] > before[2] and gc.get_freeze_count() > 0
    made.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    made.settle()  # after stop: nothing frozen
    assert gc.get_freeze_count() == 0


def test_the_window_freezes_what_lives_as_training_stops_and_frees_a_network_it_replaces(qtbot, window):
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=10_000)  # the window is up: its objects frozen
    window.controls.iterations.setValue(20)
    with qtbot.waitSignal(window.training_finished, timeout=180_000):
        window.toggle_training()
    net, latest = window.session.net, window.session.latest  # made as training ran
    assert net.n_iter_ == 20 and gc.is_tracked(latest) and not tracked(latest)  # frozen: left out of the passes
    old_net, old_theta = weakref.ref(net), weakref.ref(net.theta_)
    del net, latest
    window.reset()
    assert old_net() is None and old_theta() is None  # freed with no pass of the collector: in no cycle


def test_kernels_loaded_while_training_wait_for_its_end_to_be_frozen(qtbot, window):
    """Kernels that load while training runs (a cold cache's run switches to them mid-way) are frozen when it
    stops: a full pass in the middle of the training would hold the window up."""
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=10_000)
    window.controls.iterations.setValue(10_000_000)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.session.iteration > 0, timeout=180_000)
    alive = Node()
    window.training.warmed.emit(True)
    assert tracked(alive)
    with qtbot.waitSignal(window.training_finished, timeout=10_000):
        window.toggle_training()  # pause
    assert not tracked(alive)
