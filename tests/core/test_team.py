"""The team: a kernel's units shared out between threads, results right whoever does them, no waiting for an
absent helper, and several callers at once."""

import os
import sys
import threading
import time

import numpy as np
import pytest

from visualtrainer.core import team
from visualtrainer.core._jit import jit
from visualtrainer.core.kernels.atomics import FUTEX, atomic_load, sleep_while, spin_pause, wait_while, wake
from visualtrainer.core.kernels.share import (LEND, LONG, PARKED, SPIN, begin_long, claim, complete, current_stage,
                                              end_long, open_stage, stopped, wait_past)


@jit
def _sum_stages(wid, sync, values, out, done_by, seen_lent, work):
    """Stage s adds values[u]·(s + 1) for every unit u into out[s] (its serial part checks the stage's total); each
    unit spins ``work`` pauses and notes who did it and whether the team's last member was lent out then."""
    units, n_stages = values.shape[0], out.shape[0]
    stage = current_stage(sync)
    while stage < n_stages and not stopped(sync):
        while True:
            u = claim(sync, stage, units, wid)
            if u < 0:
                break
            seen_lent[stage, u] = atomic_load(sync, LEND)
            for _ in range(work):
                spin_pause()
            done_by[stage, u] = wid
            if complete(sync, units):
                total = 0.0
                for k in range(units):
                    total += values[k] * (stage + 1)
                out[stage] = total
                open_stage(sync, stage + 1)
        stage = wait_past(sync, stage, wid)


def _stages(n_stages, values=None, units=8, work=0):
    """``_sum_stages``'s arguments after the sync array: (values, out, done_by, seen_lent, work)."""
    values = np.ones(units) if values is None else values
    shape = (n_stages, values.shape[0])
    return values, np.zeros(n_stages), np.full(shape, -1), np.zeros(shape, dtype=np.int64), work


@jit
def _hold(wid, sync, gate):
    """Keeps whichever member runs it busy until gate[0] is set."""
    while atomic_load(gate, 0) == 0:
        pass


@pytest.mark.parametrize("members", [1, 2, 3])
def test_every_unit_of_every_stage_is_done_exactly_once(members):
    values, out, done_by, seen_lent, work = _stages(50, np.arange(1.0, 41.0))
    team.run(_sum_stages, values, out, done_by, seen_lent, work, members=members)
    np.testing.assert_array_equal(out, values.sum() * np.arange(1, 51))
    assert np.all(done_by >= 0) and np.all(done_by < members)


def test_the_caller_does_the_work_alone_when_its_helper_is_busy_elsewhere():
    gate = np.zeros(1, dtype=np.int64)
    helper = team._start_helpers(1)[0]
    helper.put((_hold, (team.new_sync(2), gate)))  # helper 1 spins until the gate opens (a late job, say)
    try:
        values, out, done_by, seen_lent, work = _stages(5, units=16)
        team.run(_sum_stages, values, out, done_by, seen_lent, work, members=2)  # helper 1 is stuck: no waiting
        np.testing.assert_array_equal(out, 16.0 * np.arange(1, 6))
        assert np.all(done_by == 0)
    finally:
        gate[0] = 1


def test_several_callers_at_once_each_get_their_own_results():
    results = {}

    def call(k):
        args = _stages(20, np.full(30, float(k)))
        team.run(_sum_stages, *args, members=2)
        results[k] = args[1]

    threads = [threading.Thread(target=call, args=(k,)) for k in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [1, 2, 3, 4]
    for k, out in results.items():
        np.testing.assert_array_equal(out, 30.0 * k * np.arange(1, 21))


def test_the_team_size_follows_numba_num_threads(monkeypatch):
    monkeypatch.setenv("NUMBA_NUM_THREADS", "3")
    assert team.size() == 3
    monkeypatch.delenv("NUMBA_NUM_THREADS")
    assert team.size() >= 1


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_chooser_measures_both_sizes_keeps_the_faster_and_measures_the_other_again_later():
    clock = _Clock()
    chooser = team.SizeChooser(full=2, clock=clock)
    assert chooser.pick() == 2 and not chooser.probing  # the team first, measured twice (a first may be a warm-up)
    chooser.record(2, 3.0, 100, share=0.5)
    assert chooser.pick() == 2 and not chooser.probing
    chooser.record(2, 1.0, 100, share=0.5)
    assert chooser.pick() == 2 and not chooser.probing  # the helper does half the work: one thread can wait
    chooser.record(2, 1.0, 100, share=0.1)  # the helper hardly gets its core (a busy machine) …
    assert chooser.pick() == 2 and not chooser.probing  # (once may be the window's thread drawing)
    chooser.record(2, 1.0, 100, share=0.1)  # … call after call
    for _ in range(2):
        assert chooser.pick() == 1 and chooser.probing  # then one thread, to compare
        chooser.record(1, 0.5, 100)  # one thread twice as fast (a busy machine)
    assert chooser.pick() == 1 and not chooser.probing
    clock.now += team.PROBE_SECONDS + 0.1
    assert chooser.pick() == 1 and not chooser.probing  # the team was twice as slow: measured again less often
    clock.now += (team.SLOW_PROBE_FACTOR - 1) * team.PROBE_SECONDS
    assert chooser.pick() == 2 and chooser.probing  # the team is measured again after a while
    for _ in range(3):
        chooser.record(2, 0.2, 100, share=0.5)  # the machine is free again
    assert chooser.current == 2
    assert chooser.pick() == 1 and chooser.probing  # one thread's measure is old by now
    chooser.record(1, 0.5, 100)
    assert chooser.pick() == 2 and not chooser.probing  # one thread was measured lately, and much slower
    for _ in range(team.UNEVEN_CALLS):
        chooser.record(2, 0.2, 100, share=0.62)  # the helper did more than its half: the caller waited its turn
    assert chooser.pick() == 2 and not chooser.probing  # one thread's measure is still fresh
    clock.now += team.PROBE_SECONDS + 0.1
    assert chooser.pick() == 1 and chooser.probing  # uneven: one thread is measured again soon, slow or not
    chooser.record(1, 0.5, 100)
    chooser.record(2, 0.2, 100, share=0.5)
    clock.now += team.PROBE_SECONDS + 0.1
    assert chooser.pick() == 2 and not chooser.probing  # even again, and one thread much slower: later
    clock.now += team.SLOW_PROBE_FACTOR * team.PROBE_SECONDS
    assert chooser.pick() == 1 and chooser.probing


def test_a_team_slower_than_one_thread_with_an_even_share_is_found_out():
    """With one core busy and a fair scheduler both members slow down alike: their shares stay even while one
    thread is faster. One thread is measured a second in all the same, and kept when 4% faster."""
    clock = _Clock()
    chooser = team.SizeChooser(full=2, clock=clock)
    for _ in range(3):
        assert chooser.pick() == 2 and not chooser.probing
        chooser.record(2, 1.04, 1000, share=0.5)
    clock.now += team.PROBE_SECONDS
    for _ in range(2):
        assert chooser.pick() == 1 and chooser.probing
        chooser.record(1, 1.0, 1000)  # 4% faster than the team
    assert chooser.current == 1
    chooser.pick()
    chooser.record(2, 1.04, 1000, share=0.5)  # the team measured again, and still slower
    assert chooser.pick() == 1 and not chooser.probing
    clock.now += team.PROBE_SECONDS + 0.1
    assert chooser.pick() == 1 and not chooser.probing
    clock.now += team.PROBE_SECONDS
    assert chooser.pick() == 2 and chooser.probing  # close: measured again, after twice as long as before


def test_a_probe_of_the_size_not_in_use_is_short_whatever_the_callers_chunks():
    clock = _Clock()
    chooser = team.SizeChooser(full=2, clock=clock)
    for members, seconds in ((2, 1.0), (2, 1.0), (2, 1.0)):
        chooser.pick()
        chooser.record(members, seconds, 1000, share=0.1)  # the team: 1 ms a unit, its helper put aside
    for expected in (int(team.PROBE_CALL_SECONDS / 1e-3), int(team.PROBE_CALL_SECONDS / 0.5e-3)):  # at the
        assert chooser.pick() == 1 and chooser.probing  # team's cost first, then at one thread's measured
        assert chooser.probe_units(250) == expected
        chooser.record(1, 0.5, 1000)  # 0.5 ms a unit: one thread is kept
    assert chooser.pick() == 1 and chooser.probe_units(250) == 250  # not a probe: the caller's chunk
    clock.now += team.SLOW_PROBE_FACTOR * team.PROBE_SECONDS + 0.1
    assert chooser.pick() == 2 and chooser.probing
    probe = chooser.probe_units(250)
    assert probe == int(team.PROBE_CALL_SECONDS / 1e-3) < 250  # the team again, for about PROBE_CALL_SECONDS
    chooser.too_short()  # it ran too briefly to be measured: the next probe is longer
    assert chooser.pick() == 2 and chooser.probe_units(10_000) == 4 * probe
    chooser.record(2, 1.0, 1000, share=0.1)
    clock.now += team.SLOW_PROBE_FACTOR * team.PROBE_SECONDS + 0.1
    assert chooser.pick() == 2 and chooser.probe_units(10_000) == probe  # measured: back to a short probe


def test_the_chooser_ignores_a_small_difference_and_one_outlier():
    chooser = team.SizeChooser(full=2, clock=_Clock())
    for _ in range(2):
        chooser.record(2, 1.0, 100)
        chooser.record(1, 0.98, 100)  # within the noise of a shared machine: keep the team
    assert chooser.current == 2
    chooser.record(2, 30.0, 100)  # one slow measure among good ones does not decide
    chooser.record(2, 1.0, 100)
    assert chooser.current == 2


def test_a_waiting_member_wakes_when_the_stage_opens_whatever_its_spin():
    """A member waiting past its spin naps, and still goes on when another thread opens the next stage."""
    for spin in (0, 1000, team.SPIN_CYCLES):
        sync = team.new_sync(2)
        sync[SPIN] = spin
        opened = threading.Timer(0.01, lambda: open_stage(sync, 1))
        opened.start()
        assert wait_past(sync, 0, 0) == 1
        opened.join()


def test_a_team_of_one_never_probes():
    chooser = team.SizeChooser(full=1)
    assert chooser.pick() == 1 and not chooser.probing


def _run_slow(n_stages, units=8, work=20_000, members=2):
    """``_sum_stages`` in a thread of its own; returns (the thread, done_by, seen_lent)."""
    args = _stages(n_stages, units=units, work=work)
    thread = threading.Thread(target=team.run, args=(_sum_stages, *args), kwargs={"members": members})
    thread.start()
    return thread, args[2], args[3]


def test_a_lent_member_claims_no_work_until_the_loan_ends_and_the_results_are_whole():
    thread, done_by, seen_lent = _run_slow(400)
    try:
        deadline = time.perf_counter() + 30  # on a loaded machine the helper may start late: wait for it
        while not ((done_by[:20] >= 0).all() and (done_by == 1).any()) and time.perf_counter() < deadline:
            time.sleep(0.001)
        assert (done_by == 1).any() and not (done_by >= 0).all()  # the helper works while nothing is lent
        team.lend()  # returns once the helper has stopped claiming, or after LEND_WAIT_SECONDS on a loaded machine
        parked = time.perf_counter() + 30
        while team._running is not None and team._running[PARKED] == 0 and time.perf_counter() < parked:
            time.sleep(0.001)  # a helper put aside mid-unit parks once it has the core back and ends the unit
        assert team._running is None or team._running[PARKED] == 1
        time.sleep(0.05)
    finally:
        team.unlend()
    thread.join(timeout=60)
    assert not thread.is_alive() and (done_by >= 0).all()  # every unit done once the loan is over, or during it
    lent_units = seen_lent == 1
    assert lent_units.any() and not (done_by[lent_units] == 1).any()  # no unit claimed by the helper while lent
    after = np.flatnonzero(lent_units.any(axis=1))[-1] + 1
    assert (done_by[after:] == 1).any()  # and it works again after


def test_a_loan_that_begins_while_the_last_member_waits_for_a_stage_is_answered_at_once():
    """The borrower (``team.lend``) waits for PARKED. A loan taken again just after one ended finds the member still
    asleep in the last one's wait, and a loan may come while the member waits at a stage's end: it must say it
    is parked from there too, not only when it next claims (the borrower then slept its whole LEND_WAIT_SECONDS
    with the member's core idle)."""
    for relend in (False, True):
        sync = team.new_sync(2, lent=relend)
        sync[PARKED] = int(relend)
        member = threading.Thread(target=wait_past, args=(sync, 0, 1))
        member.start()
        try:
            if relend:  # the last loan ends and a new one begins before the member has woken
                sync[LEND] = 0
                wake(sync, LEND)
            else:
                time.sleep(0.01)
            sync[PARKED] = 0
            sync[LEND] = 1
            deadline = time.perf_counter() + 5
            while sync[PARKED] == 0 and time.perf_counter() < deadline:
                sleep_while(sync, PARKED, 0, 0.01)
            assert sync[PARKED] == 1
        finally:
            open_stage(sync, 1)
            sync[LEND] = 0
            wake(sync, LEND)
            member.join(timeout=30)
        assert not member.is_alive()


def test_a_team_started_during_a_loan_leaves_its_last_member_out_and_a_team_of_one_is_never_lent():
    team.lend()
    try:
        thread, done_by, _ = _run_slow(5, work=100)
        thread.join(timeout=60)
        assert (done_by == 0).all()
        thread, done_by, _ = _run_slow(5, work=100, members=1)
        thread.join(timeout=60)
        assert (done_by == 0).all()
    finally:
        team.unlend()
    assert not team.lent()


def test_a_borrowers_own_call_has_every_core_and_another_threads_loan_holds_for_it():
    with team.borrowing():
        args = _stages(300, work=20_000)
        team.run(_sum_stages, *args, members=2)
        assert (args[2] == 1).any()  # this thread's loan does not hold back its own call
        borrowed, give_back = threading.Event(), threading.Event()

        def other():
            with team.borrowing():
                borrowed.set()
                give_back.wait(30)

        lender = threading.Thread(target=other)
        lender.start()
        borrowed.wait(30)
        args = _stages(50, work=100)
        team.run(_sum_stages, *args, members=2)
        give_back.set()
        lender.join(30)
        assert (args[2] == 0).all()  # another thread's loan: the helper stays out
    assert not team.lent()


def test_a_borrower_waiting_for_its_turn_gives_its_core_back_meanwhile_and_has_it_again_after():
    """A thread with a core on loan whose call waits for another thread's (a cost surface's beside the training)
    works on nothing while it waits: the call running has every core, and the loan is the waiter's again after."""
    gate = np.zeros(1, dtype=np.int64)
    holder = threading.Thread(target=team.run, args=(_hold, gate), kwargs={"members": 2})
    holder.start()
    seen = {}

    def call():
        with team.borrowing():
            team.run(_sum_stages, *_stages(2, units=4), members=2)
            seen["lent after its call"] = team.lent()

    try:
        deadline = time.perf_counter() + 30
        while team._running is None and time.perf_counter() < deadline:
            time.sleep(0.001)
        sync = team._running
        caller = threading.Thread(target=call)
        caller.start()
        time.sleep(0.1)  # the caller has lent a core and waits for its turn
        seen["lent while waiting"] = int(sync[LEND])
        seen["waiting"] = caller.is_alive()
    finally:
        gate[0] = 1
    holder.join(timeout=30)
    caller.join(timeout=30)
    assert seen == {"lent while waiting": 0, "waiting": True, "lent after its call": True}
    assert not team.lent()


def test_loans_are_counted_in_seconds():
    before = team.loaned_seconds()
    team.lend()
    time.sleep(0.02)
    during = team.loaned_seconds()
    team.unlend()
    after = team.loaned_seconds()
    time.sleep(0.01)
    assert 0.015 < during - before <= after - before < 1.0 and team.loaned_seconds() == after


def test_a_callers_wait_for_another_threads_call_is_counted_as_its_own():
    gate = np.zeros(1, dtype=np.int64)
    mine = team.turn_waits()
    holder = threading.Thread(target=team.run, args=(_hold, gate), kwargs={"members": 1})
    holder.start()
    time.sleep(0.05)  # the holder's call has its turn
    waited = []

    def call():
        before = team.turn_waits()
        team.run(_sum_stages, *_stages(2, units=4), members=1)
        waited.append(team.turn_waits() - before)

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.1)
    gate[0] = 1
    holder.join(timeout=30)
    caller.join(timeout=30)
    assert 0.08 < waited[0] < 30
    assert team.turn_waits() == mine  # another thread's wait is not this one's


def test_a_team_mostly_lent_out_is_not_measured_and_a_loan_does_not_make_the_share_look_uneven():
    clock = _Clock()
    chooser = team.SizeChooser(full=2, clock=clock)
    for _ in range(2):
        chooser.record(2, 1.0, 100, share=0.5)
    chooser.record(2, 1.0, 100, share=0.0, lent=0.9)  # the window drew for most of the call
    assert [cost for cost, _, _ in chooser.seen[2]] == [0.01, 0.01] and chooser.share == 0.5
    chooser.record(2, 1.0, 100, share=0.4, lent=0.2)  # the helper worked as usual while not lent
    assert chooser.share == pytest.approx(0.5)
    assert chooser.pick() == 2 and not chooser.probing  # nothing uneven: one thread waits its turn
    for _ in range(team.UNEVEN_CALLS):
        chooser.record(2, 1.0, 100, share=0.2, lent=0.2)  # uneven beyond the loan: the scheduler held the helper
    assert chooser.pick() == 1 and chooser.probing


def test_one_uneven_call_among_even_ones_does_not_make_the_team_measure_one_thread_again_soon():
    """The window's thread, handling progress outside a loan, takes a member's core for a moment: once every few
    seconds one call's share is off. A probe costs half its call's work: with one thread twice as slow, it waits its
    usual while; uneven call after call, it comes at once."""
    clock = _Clock()
    chooser = team.SizeChooser(full=2, clock=clock)
    for _ in range(2):
        chooser.record(2, 1.0, 100, share=0.5)
    clock.now += team.PROBE_SECONDS + 0.1
    for _ in range(2):
        assert chooser.pick() == 1
        chooser.record(1, 2.0, 100)  # one thread twice as slow
    assert chooser.current == 2
    probes = 0
    for call in range(300):  # ten seconds of 1/30 s calls, one of every 30 uneven
        clock.now += 1 / 30
        if chooser.pick() == 1:
            probes += 1
            chooser.record(1, 2.0, 100)
        else:
            chooser.record(2, 1.0, 100, share=0.62 if call % 30 == 7 else 0.5)
    assert probes <= 10 / (team.PROBE_SECONDS * team.SLOW_PROBE_FACTOR) + 1
    chooser.record(2, 1.0, 100, share=0.2)
    chooser.record(2, 1.0, 100, share=0.2)
    assert chooser.pick() == 1 and chooser.probing


def test_the_other_size_is_measured_less_and_less_often_while_it_keeps_losing_and_often_again_after_a_switch():
    clock = _Clock()
    chooser = team.SizeChooser(full=2, clock=clock)
    for _ in range(2):
        chooser.record(2, 1.0, 100, share=0.5)
    for _ in range(team.UNEVEN_CALLS):
        chooser.record(2, 1.0, 100, share=0.3)  # uneven (a busy machine, say): one thread is measured at once
    waits = []
    for _ in range(6):
        waited = 0.0
        while chooser.pick() == 2:
            clock.now += 0.25
            waited += 0.25
        waits.append(waited)
        chooser.record(1, 1.3, 100)  # one thread: slower, but not so much slower as to be left for long at once
        chooser.record(2, 1.0, 100, share=0.3)
    assert waits[0] == 0 and waits[2:] == [2.0, 4.0, 8.0, 8.0]  # 1 s once measured twice, then doubling, to 8 s
    assert chooser.current == 2
    while chooser.pick() == 2:
        clock.now += 0.25
    chooser.record(1, 0.5, 100)  # the machine changed: one thread wins now
    chooser.record(1, 0.5, 100)
    assert chooser.current == 1 and chooser.interval == team.PROBE_SECONDS
    clock.now += team.PROBE_SECONDS
    assert chooser.pick() == 2 and chooser.probing  # the team is measured again a second later


def test_a_tenth_of_a_second_of_slow_team_calls_does_not_switch_to_one_thread_and_a_lasting_slowdown_does():
    clock = _Clock()
    chooser = team.SizeChooser(full=2, clock=clock)
    for _ in range(2):
        chooser.record(1, 1.25, 100)  # one thread, measured once
    for _ in range(15):  # half a second of team calls 30 ms apart
        clock.now += 0.03
        chooser.record(2, 0.7, 100, share=0.5)
    for _ in range(3):  # a tenth of a second of slow ones (another thread of the process busy)
        clock.now += 0.03
        chooser.record(2, 1.6, 100, share=0.5)
    assert chooser.current == 2
    for _ in range(12):  # it lasts
        clock.now += 0.03
        chooser.record(2, 1.6, 100, share=0.5)
    assert chooser.current == 1


def test_a_short_slow_call_after_an_idle_while_weighs_by_its_units():
    """After a pause a few iterations run cold (caches refilled, the helper waking): such a call counts for its
    units, not as one measure among three, and one thread warm is not taken for faster."""
    clock = _Clock()
    chooser = team.SizeChooser(full=2, clock=clock)
    chooser.record(2, 0.15 * 1500, 1500, share=0.5)  # a long call: 0.15 a unit
    clock.now += 1.0  # idle
    chooser.record(2, 0.34 * 64, 64, share=0.5)  # then short cold calls
    chooser.record(2, 0.27 * 107, 107, share=0.5)
    for _ in range(2):
        chooser.record(1, 0.26 * 300, 300)  # one thread, measured warm: faster than the cold calls
    assert chooser.cost[2] == pytest.approx(0.15) and chooser.current == 2


@jit
def _wait_for_zero(flag, microseconds):
    """Sleeps in ``wait_while`` until flag[0] is 0; returns how many times it slept."""
    naps = 0
    while atomic_load(flag, 0) == 1:
        wait_while(flag, 0, 1, microseconds)
        naps += 1
    return naps


def _sleeper(flag, microseconds):
    naps, ended = [], []
    thread = threading.Thread(target=lambda: (naps.append(_wait_for_zero(flag, microseconds)),
                                              ended.append(time.perf_counter())))
    thread.start()
    return thread, naps, ended


@pytest.mark.skipif(not FUTEX, reason="no futex: wait_while only sleeps its time out")
def test_a_thread_waiting_for_a_counter_sleeps_until_woken_not_until_its_time_is_out():
    _wait_for_zero(np.zeros(1, dtype=np.int64), 1)  # compiled before the clock starts
    flag = np.ones(1, dtype=np.int64)
    thread, naps, ended = _sleeper(flag, 20_000_000)  # 20 s at most a sleep
    time.sleep(0.2)
    assert thread.is_alive()  # asleep: the flag has not changed
    flag[0] = 0
    woken = time.perf_counter()
    wake(flag, 0)
    thread.join(timeout=10)
    assert not thread.is_alive() and ended[0] - woken < 2.0  # woken, long before its 20 s were out
    assert naps == [1]  # one sleep, not a poll


def test_a_thread_waiting_for_a_counter_that_is_never_woken_looks_again_after_its_time():
    flag = np.ones(1, dtype=np.int64)
    thread, naps, _ = _sleeper(flag, 20_000)  # 20 ms a sleep, and no wake: it must look again on its own
    time.sleep(0.3)
    flag[0] = 0
    thread.join(timeout=10)
    assert not thread.is_alive() and naps[0] >= 2
    began = time.perf_counter()
    assert _wait_for_zero(flag, 20_000_000) == 0 and time.perf_counter() - began < 1.0  # nothing to wait for


@jit
def _clear_and_wake(flag):
    flag[0] = 0
    wake(flag, 0)


@pytest.mark.skipif(not FUTEX, reason="no futex: sleep_while only naps")
def test_python_sleeps_on_a_counter_until_a_kernel_changes_it_and_wakes_it():
    """``sleep_while`` (the borrower waiting for a member to park) returns when a kernel's ``wake`` comes, not at
    its time's end; at once when the value already differs; and after its time when nothing comes."""
    flag = np.ones(1, dtype=np.int64)
    _clear_and_wake(np.zeros(1, dtype=np.int64))  # compiled before the clock starts
    ended = []

    def sleeper():
        sleep_while(flag, 0, 1, 20.0)
        ended.append(time.perf_counter())

    thread = threading.Thread(target=sleeper)
    thread.start()
    time.sleep(0.2)
    assert thread.is_alive()
    woken = time.perf_counter()
    _clear_and_wake(flag)
    thread.join(timeout=10)
    assert not thread.is_alive() and ended[0] - woken < 2.0
    began = time.perf_counter()
    sleep_while(flag, 0, 1, 20.0)  # the value is 0 already
    sleep_while(np.ones(1, dtype=np.int64), 0, 1, 0.05)  # nothing wakes it
    assert 0.04 < time.perf_counter() - began < 2.0


def _policy(member, sync, out):
    out[member] = os.sched_getscheduler(0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_BATCH is Linux's")
def test_the_teams_helpers_run_as_batch_work_and_the_caller_keeps_its_policy():
    out = np.full(2, -1)
    team.run(_policy, out, members=2)
    deadline = time.perf_counter() + 30
    while out[1] < 0 and time.perf_counter() < deadline:  # the caller does not wait for its helper
        time.sleep(0.01)
    assert out[1] == os.SCHED_BATCH  # an interactive thread (the window's) takes a core from it at once
    assert out[0] == os.sched_getscheduler(0) == os.SCHED_OTHER


def test_a_borrower_does_not_wait_for_a_member_that_has_not_begun_the_call(monkeypatch):
    """A helper that joins the call late (busy elsewhere, or waiting for the GIL) claims nothing while a loan lasts:
    ``lend`` returns without waiting for it to park, and once it joins it parks and leaves the work to the others."""
    naps = []
    monkeypatch.setattr(team, "sleep_while", lambda *args: naps.append(args))
    gate = np.zeros(1, dtype=np.int64)
    helper = team._start_helpers(1)[0]
    helper.put((_hold, (team.new_sync(2), gate)))  # helper 1 is kept busy: the next call begins without it
    thread, done_by, seen_lent = _run_slow(200, work=2_000)
    try:
        deadline = time.perf_counter() + 30
        while not (done_by >= 0).any() and time.perf_counter() < deadline:
            time.sleep(0.001)
        running = team._running
        assert running is not None and team._joined.get(1) is not running
        team.lend()
        assert naps == [] and running[LEND] == 1  # lent at once, with no wait for the absent member
        gate[0] = 1  # the helper is free: it begins the call, finds the loan and parks
        deadline = time.perf_counter() + 30
        while team._running is running and running[PARKED] == 0 and time.perf_counter() < deadline:
            time.sleep(0.001)
        assert team._running is not running or running[PARKED] == 1
    finally:
        gate[0] = 1
        team.unlend()
    thread.join(timeout=60)
    assert not thread.is_alive() and (done_by >= 0).all()
    assert not (done_by[seen_lent == 1] == 1).any()  # nothing claimed by the helper while lent


@jit
def _long_serial(wid, sync, gate, done_by):
    """Stage 0 (4 units), then a long serial part that lasts until gate[0] is set, then stage 1 (4 units)."""
    stage = current_stage(sync)
    while stage < 2 and not stopped(sync):
        while True:
            u = claim(sync, stage, 4, wid)
            if u < 0:
                break
            done_by[stage, u] = wid
            if complete(sync, 4):
                if stage == 0:
                    begin_long(sync)
                    while atomic_load(gate, 0) == 0:
                        spin_pause()
                open_stage(sync, stage + 1)
                if stage == 0:
                    end_long(sync)
        stage = wait_past(sync, stage, wid)


def _switches():
    """Voluntary context switches of this process's threads so far (each sleep a thread wakes from is one)."""
    total = 0
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/status") as status:
                total += sum(int(line.split()[1]) for line in status if line.startswith("voluntary_ctxt_switches"))
        except FileNotFoundError:  # a thread that ended meanwhile
            pass
    return total


@pytest.mark.skipif(not FUTEX or not sys.platform.startswith("linux"), reason="futex sleeps; Linux's /proc")
def test_members_sleep_through_a_long_serial_part_and_a_loan_then_needs_no_wait(monkeypatch):
    """While one member runs a serial part marked long (``begin_long``: every step of a call through the Gram
    matrix), the others sleep until it ends instead of napping every 50-100 µs (each nap's wake takes a core from
    someone on a busy machine); a loan taken meanwhile does not wait for the sleeping member to park, and the member
    claims nothing of the next stage while the loan lasts."""
    gate, done_by = np.zeros(1, dtype=np.int64), np.full((2, 4), -1)
    _long_serial(0, team.new_sync(1), np.ones(1, dtype=np.int64), np.full((2, 4), -1))  # compiled first
    done_by[:] = -1
    thread = threading.Thread(target=team.run, args=(_long_serial, gate, done_by), kwargs={"members": 2})
    thread.start()
    naps = []
    try:
        deadline = time.perf_counter() + 30
        while (team._running is None or team._running[LONG] == 0) and time.perf_counter() < deadline:
            time.sleep(0.001)
        running = team._running
        assert running is not None and running[LONG] == 1
        time.sleep(0.05)  # the other member reaches its wait
        before = _switches()
        time.sleep(0.3)
        woken = _switches() - before
        assert woken < 150  # at most one a 5 ms sleep (LENT_WAIT) and this thread's own; naps: 3,000 or more
        monkeypatch.setattr(team, "sleep_while", lambda *args: naps.append(args))
        team.lend()
        assert naps == [] and running[LEND] == 1  # lent at once: the member sleeps, it claims nothing
        gate[0] = 1
        thread.join(timeout=30)
    finally:
        gate[0] = 1
        team.unlend()
    thread.join(timeout=30)
    assert not thread.is_alive() and (done_by >= 0).all()
    assert (done_by[1] == 0).all()  # the lent member did none of the stage after the loan


def test_the_teams_size_is_the_processs_cores_whatever_the_calling_thread_is_kept_off(monkeypatch):
    """The window's thread keeps off the training's core while other programs crowd the machine: the team it asks
    about is still one member a core of the process."""
    if not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core, or no affinity, here")
    monkeypatch.delenv("NUMBA_NUM_THREADS", raising=False)
    cores, seen = os.sched_getaffinity(0), []

    def kept_off():
        os.sched_setaffinity(0, {min(cores)})
        seen.append(team.size())

    thread = threading.Thread(target=kept_off)
    thread.start()
    thread.join(10)
    assert seen == [len(cores)] == [team.size()]


def test_a_background_thread_runs_on_every_core_of_the_process_whatever_its_starter_kept_off():
    """A thread started by the window's, kept off the training's core meanwhile, inherits that: the team's helpers
    and the window's jobs, made batch work as they start, get every core back."""
    if not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core, or no affinity, here")
    cores, seen = os.sched_getaffinity(0), []

    def started_by_a_kept_off_thread():
        os.sched_setaffinity(0, {min(cores)})
        child = threading.Thread(target=lambda: (seen.append(os.sched_getaffinity(0)), team.as_background(),
                                                 seen.append(os.sched_getaffinity(0))))
        child.start()
        child.join(10)

    thread = threading.Thread(target=started_by_a_kept_off_thread)
    thread.start()
    thread.join(10)
    assert seen == [{min(cores)}, cores]
