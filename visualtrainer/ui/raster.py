"""Qt's painting on the window's thread alone, not shared out to Qt's thread pool.

Qt's raster painting cuts a large fill or image draw into bands that a pool of threads of its own paints while the
window's thread waits for them. Beside a training on every core those threads find no core free: waking, they
take the window thread's own core, and the event waits for its helpers behind the training. In 3 s of the window
training 12288-7-1 (perf sched), 694 of the 708 times the window's thread was put aside were for them. So the
window keeps its painting on its own thread, as on a machine with one core; Qt reads the setting when it first
needs the pool, so it must be made before the window's first paint.
"""

import os

#: Qt's switch: set (to anything), its GUI thread pool is never made and every band is painted by the caller.
NO_POOL = "QT_NO_GUI_THREADPOOL"


def paint_on_one_thread():
    """Keep Qt's painting in the painting thread (unless the user chose otherwise in the environment)."""
    os.environ.setdefault(NO_POOL, "1")
