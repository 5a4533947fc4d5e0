"""The calling thread's slice in Linux's scheduler: a short one taken, and not passed on to the team's threads."""

import os
import subprocess
import sys
import textwrap

import pytest

from visualtrainer.core import sched

pytestmark = pytest.mark.skipif(sched.thread_slice() is None, reason="the kernel reports no slice (not Linux 6.6+)")

# In a process of its own (the slices stay with its threads): the default slice, the short one taken by the main
# thread, then what a thread it starts has, before and after it marks itself as the team's background work.
SCRIPT = """
    import os, threading
    from visualtrainer.core import sched, team
    default = sched.thread_slice()
    taken = sched.set_thread(None, 100_000)
    short = sched.thread_slice()
    seen = {}
    def helper():
        seen["inherited"] = sched.thread_slice()
        team.as_background()
        seen["background"] = sched.thread_slice()
        seen["policy"] = os.sched_getscheduler(0)
    thread = threading.Thread(target=helper)
    thread.start()
    thread.join()
    print(default, taken, short, seen["inherited"], seen["background"], seen["policy"], sched.thread_slice())
"""


def test_a_short_slice_is_the_callers_alone():
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    default, taken, short, inherited, background, policy, main = done.stdout.split()
    if taken != "True":
        pytest.skip("this kernel takes no custom slice (before 6.12)")
    assert int(short) == 100_000 < int(default)
    assert int(inherited) == 100_000  # the kernel passes a slice on to a new thread …
    assert int(background) == int(default)  # … which the team's threads give back
    assert int(policy) == os.SCHED_BATCH
    assert int(main) == 100_000  # the caller keeps its own


def test_a_policy_without_slices_is_refused():
    assert sched.set_thread(os.SCHED_FIFO if hasattr(os, "SCHED_FIFO") else 99, 0) is False
