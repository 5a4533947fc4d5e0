"""The window's garbage collector (ui/collector.py): its passes, the objects it freezes out of them, and what is freed
all the same."""

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QObject, Qt

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


def allocate_in_a_thread(make=None):
    """In a thread of its own: ``make()`` (kept nowhere), then ten times the young generation's threshold of objects
    the collector tracks, enough for ``gc`` to run a young pass in that thread if its automatic passes are on; the
    objects are returned, alive (``gc`` counts the objects allocated less those freed)."""
    kept = []

    def run():
        if make is not None:
            make()
        kept.extend([] for _ in range(10 * gc.get_threshold()[0]))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return kept


def test_the_young_passes_run_in_the_windows_thread_not_where_objects_are_allocated(collector, qtbot):
    garbage = []
    alive = allocate_in_a_thread(lambda: garbage.append(weakref.ref(cycle())))
    assert garbage[0]() is not None  # no pass in the allocating thread
    qtbot.waitUntil(lambda: garbage[0]() is None, timeout=2_000)  # the window thread's timer made it
    assert alive


def test_a_qt_object_in_a_cycle_is_deleted_in_the_windows_thread(collector, qtbot):
    """A Qt object owned by Python and caught in a cycle is freed by a pass: the pass must run in the window's
    thread, where Qt's objects are used and must be deleted, not in a worker's that happened to allocate."""
    deleted_in = []
    made = QObject()
    made.me = made
    made.destroyed.connect(lambda *_: deleted_in.append(threading.get_ident()), Qt.DirectConnection)
    del made
    alive = allocate_in_a_thread()
    assert deleted_in == []
    qtbot.waitUntil(lambda: deleted_in == [threading.get_ident()], timeout=2_000)
    assert alive


def test_stop_puts_the_collector_back_as_it_was(qtbot):
    before = gc.get_threshold()
    parent = QObject()
    made = Collector(parent)
    made.start()
    assert gc.get_threshold()[2] > before[2] and gc.get_freeze_count() > 0
    assert not gc.isenabled()  # the automatic passes off: the window's timer makes them
    made.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0 and gc.isenabled()
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
