"""Qt's painting on the window's thread alone, not shared out to Qt's thread pool.

Qt's raster engine cuts a large fill or image draw into bands that a pool of its own threads paints while the
calling thread waits for them. Beside a training on every core those threads find no core free: waking, they take
the window thread's own core, and the event waits for its helpers behind the training (perf sched: nearly every
time the window's thread was put aside, it was for them). So the window's painting stays on its own thread, as on a
one-core machine. Qt reads the switch when it first needs the pool, so it is set before the window's first paint,
for the rest of the process.
"""

import os

#: Qt's switch: set (to anything), its GUI thread pool is never made and every band is painted by the caller.
NO_POOL = "QT_NO_GUI_THREADPOOL"


def paint_on_one_thread():
    """Keep Qt's painting in the painting thread (unless the user chose otherwise in the environment)."""
    os.environ.setdefault(NO_POOL, "1")
