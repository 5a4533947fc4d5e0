"""Numba's parallel loops started without taking the GIL, when the thread starting them does not hold it.

Numba wraps every parallel loop (``prange``) in a launcher that first takes the GIL (``PyGILState_Ensure``), then
releases it (``PyEval_SaveThread``) for the loop, and takes it back and releases it after. The pair exists for
parallel ufuncs called from Python, whose thread holds the GIL; our kernels are ``nogil``, so their threads hold
none, and the first step only waits for whichever thread holds it: the window's, while it draws. The cat network's
training starts two parallel loops an iteration, so it stalled while the window drew (a Python thread holding the
GIL all the time slowed 2,000 small parallel loops from 72 ms to 17 s).

``install()`` changes the launcher Numba generates (from then on, in this process) to ask ``PyGILState_Check()``
first and release and retake the GIL only when the thread holds it: the same for callers that hold it, nothing
for those that do not. Where Numba's code generation is not as expected, it leaves the launcher as it is.
"""

from llvmlite import ir
from numba.core import cgutils
from numba.np.ufunc import parallel as _parallel


class _ReleaseIfHeld:
    """Numba's Python API for building the launcher, with its GIL calls made conditional on holding the GIL."""

    def __init__(self, api):
        self._api = api

    def __getattr__(self, name):
        return getattr(self._api, name)

    def gil_ensure(self):
        return None  # nothing to take: a thread that holds the GIL keeps it, one that does not needs none

    def gil_release(self, state):
        pass

    def save_thread(self):
        """Release the GIL if held; returns a slot with the thread state to restore (null when not held)."""
        api, builder = self._api, self._api.builder
        check = api._get_function(ir.FunctionType(ir.IntType(32), []), name="PyGILState_Check")
        slot = cgutils.alloca_once_value(builder, ir.Constant(api.voidptr, None))
        held = builder.icmp_signed("!=", builder.call(check, []), ir.Constant(ir.IntType(32), 0))
        with builder.if_then(held, likely=False):
            builder.store(api.save_thread(), slot)
        return slot

    def restore_thread(self, slot):
        api, builder = self._api, self._api.builder
        state = builder.load(slot)
        with builder.if_then(cgutils.is_not_null(builder, state), likely=False):
            api.restore_thread(state)


class _Context:
    """Numba's target context, handing out ``_ReleaseIfHeld`` for the launcher."""

    def __init__(self, context):
        self._context = context

    def __getattr__(self, name):
        return getattr(self._context, name)

    def get_python_api(self, builder):
        return _ReleaseIfHeld(self._context.get_python_api(builder))


def install():
    """Generate parallel-loop launchers that take the GIL only to release it (see the module's docstring).

    Returns whether it did (False where Numba has no such launcher builder to wrap).
    """
    original = getattr(_parallel, "build_gufunc_kernel", None)
    if original is None or getattr(original, "_releases_only_if_held", False):
        return original is not None

    def build_gufunc_kernel(library, ctx, info, sig, inner_ndim):
        try:
            return original(library, _Context(ctx), info, sig, inner_ndim)
        except (AttributeError, TypeError):  # Numba's code generation changed: build its own launcher
            return original(library, ctx, info, sig, inner_ndim)

    build_gufunc_kernel._releases_only_if_held = True
    _parallel.build_gufunc_kernel = build_gufunc_kernel
    return True
