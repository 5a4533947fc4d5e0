"""Atomic counters, a spin hint, a cycle counter, a short sleep and a wait for a counter to change, for threads that
share a kernel's work without the GIL.

Counters live in an int64 array; every operation is sequentially consistent, so plain reads and writes of other
arrays made before an atomic write are seen by a thread that reads that atomic afterwards.
"""

import ctypes
import platform
import sys
import time

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic, overload

_X86 = platform.machine().lower() in ("x86_64", "amd64", "i686", "x86")
#: Linux's futex system call, by machine: a thread sleeps until another changes a counter and wakes it.
_FUTEX_CALL = {"x86_64": 202, "amd64": 202, "aarch64": 98, "arm64": 98}.get(platform.machine().lower())
#: Whether ``wait_while`` sleeps until woken (else it sleeps its time out, and ``wake`` does nothing).
FUTEX = sys.platform.startswith("linux") and sys.byteorder == "little" and _FUTEX_CALL is not None
_FUTEX_WAIT, _FUTEX_WAKE = 128, 129  # FUTEX_WAIT and FUTEX_WAKE, private to the process
FALLBACK_NAP = 50  # µs: ``wait_while``'s nap when the futex call returns without a wake


def _pointer(context, builder, array_type, array, index):
    array = context.make_array(array_type)(context, builder, array)
    return cgutils.get_item_pointer(context, builder, array_type, array, [index], wraparound=False)


def _int64_array(array):
    return isinstance(array, types.Array) and array.dtype == types.int64 and array.ndim == 1


@intrinsic
def atomic_add(typingctx, array, index, value):
    """``array[index] += value``, atomically; returns the value before."""
    if not _int64_array(array):
        return None
    sig = types.int64(array, types.intp, types.int64)

    def codegen(context, builder, sig, args):
        pointer = _pointer(context, builder, sig.args[0], args[0], args[1])
        return builder.atomic_rmw("add", pointer, args[2], "seq_cst")

    return sig, codegen


@intrinsic
def atomic_cas(typingctx, array, index, expected, new):
    """If ``array[index] == expected``, set it to ``new``; returns whether it did."""
    if not _int64_array(array):
        return None
    sig = types.boolean(array, types.intp, types.int64, types.int64)

    def codegen(context, builder, sig, args):
        pointer = _pointer(context, builder, sig.args[0], args[0], args[1])
        pair = builder.cmpxchg(pointer, args[2], args[3], "seq_cst", "seq_cst")
        return builder.extract_value(pair, 1)

    return sig, codegen


@intrinsic
def atomic_load(typingctx, array, index):
    """``array[index]``, read atomically."""
    if not _int64_array(array):
        return None
    sig = types.int64(array, types.intp)

    def codegen(context, builder, sig, args):
        pointer = _pointer(context, builder, sig.args[0], args[0], args[1])
        return builder.load_atomic(pointer, "seq_cst", 8)

    return sig, codegen


@intrinsic
def atomic_store(typingctx, array, index, value):
    """``array[index] = value``, written atomically."""
    if not _int64_array(array):
        return None
    sig = types.void(array, types.intp, types.int64)

    def codegen(context, builder, sig, args):
        pointer = _pointer(context, builder, sig.args[0], args[0], args[1])
        builder.store_atomic(args[2], pointer, "seq_cst", 8)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def spin_pause(typingctx):
    """Tell the core this thread is spinning (x86 ``pause``), so a sibling hyper-thread gets the core meanwhile."""
    sig = types.void()

    def codegen(context, builder, sig, args):
        if _X86:
            function = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), []),
                                                      "llvm.x86.sse2.pause")
            builder.call(function, [])
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def cycles(typingctx):
    """The x86 time-stamp counter (cycles at the nominal clock, whatever the core's speed); 0 elsewhere, where a
    caller falls back to counting."""
    sig = types.int64()

    def codegen(context, builder, sig, args):
        if not _X86:
            return ir.Constant(ir.IntType(64), 0)
        function = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.IntType(64), []),
                                                  "llvm.readcyclecounter")
        return builder.call(function, [])

    return sig, codegen


@intrinsic
def sleep_microseconds(typingctx, microseconds):
    """Sleep (the C library's ``usleep``): the core goes idle, so the scheduler may move a waiting thread onto it."""
    sig = types.void(types.int64)

    def codegen(context, builder, sig, args):
        _sleep(builder, args[0])
        return context.get_dummy_value()

    return sig, codegen


def _sleep(builder, microseconds):
    if sys.platform == "win32":  # Sleep(0) gives the rest of the time slice away: the nearest Windows has
        function = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [ir.IntType(32)]),
                                                  "Sleep")
        builder.call(function, [ir.Constant(ir.IntType(32), 0)])
    else:
        function = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.IntType(32), [ir.IntType(32)]), "usleep")
        builder.call(function, [builder.trunc(microseconds, ir.IntType(32))])


@intrinsic
def wait_while(typingctx, array, index, value, microseconds):
    """Sleep while ``array[index]`` holds ``value`` (0 or 1: its low 32 bits are compared), until ``wake`` is called
    on it or ``microseconds`` pass; where there is no futex (``FUTEX``), sleep ``microseconds``. May return early
    (a signal): callers check again."""
    if not _int64_array(array):
        return None
    sig = types.void(array, types.intp, types.int64, types.int64)

    def codegen(context, builder, sig, args):
        i32, i64 = ir.IntType(32), ir.IntType(64)
        if not FUTEX:
            _sleep(builder, args[3])
            return context.get_dummy_value()
        pointer = _pointer(context, builder, sig.args[0], args[0], args[1])
        timeout = cgutils.alloca_once(builder, ir.LiteralStructType([i64, i64]))
        million = ir.Constant(i64, 1_000_000)
        builder.store(builder.sdiv(args[3], million), cgutils.gep_inbounds(builder, timeout, 0, 0))
        builder.store(builder.mul(builder.srem(args[3], million), ir.Constant(i64, 1000)),
                      cgutils.gep_inbounds(builder, timeout, 0, 1))
        result = _futex(builder, pointer, _FUTEX_WAIT, builder.trunc(args[2], i32), builder.ptrtoint(timeout, i64))
        # Not woken (the value had changed, the time ran out, a signal, or a sandbox that refuses futexes): a short
        # nap, so that a caller looping on a refused call never spins hot.
        with builder.if_then(builder.icmp_signed("!=", result, ir.Constant(i64, 0))):
            _sleep(builder, ir.Constant(i64, FALLBACK_NAP))
        return context.get_dummy_value()

    return sig, codegen


def _futex(builder, pointer, operation, value, timeout):
    """The futex system call on the int64 at ``pointer`` (its low half: little-endian), from a kernel: ``operation``
    with ``value`` (i32) and ``timeout`` (i64, a pointer to a timespec or 0). Returns the call's result (i64)."""
    i32, i64 = ir.IntType(32), ir.IntType(64)
    call = cgutils.get_or_insert_function(builder.module, ir.FunctionType(i64, [i64], var_arg=True), "syscall")
    return builder.call(call, [ir.Constant(i64, _FUTEX_CALL), builder.ptrtoint(pointer, i64),
                               ir.Constant(i32, operation), value, timeout, ir.Constant(i64, 0), ir.Constant(i32, 0)])


_syscall = ctypes.CDLL(None, use_errno=True).syscall if FUTEX else None  # a CDLL call releases the GIL


def wake(array, index):
    """Wake the threads sleeping in ``wait_while`` or ``sleep_while`` on ``array[index]`` (an int64 array); call it
    after changing the value, from Python or from a kernel. Nothing to do where there is no futex: the sleepers wake
    on their own."""
    if FUTEX:
        address = array.ctypes.data + index * array.itemsize
        _syscall(ctypes.c_long(_FUTEX_CALL), ctypes.c_void_p(address), ctypes.c_int(_FUTEX_WAKE),
                 ctypes.c_int(2**31 - 1), None, None, ctypes.c_int(0))


def sleep_while(array, index, value, seconds):
    """From Python, the GIL released: sleep while ``array[index] == value``, until ``wake`` or ``seconds`` pass
    (where there is no futex, a nap of at most 50 µs). May return early: callers check again."""
    if not FUTEX:
        time.sleep(min(seconds, FALLBACK_NAP * 1e-6))
        return
    whole = int(seconds)
    timeout = (ctypes.c_long * 2)(whole, int((seconds - whole) * 1e9))
    address = array.ctypes.data + index * array.itemsize
    _syscall(ctypes.c_long(_FUTEX_CALL), ctypes.c_void_p(address), ctypes.c_int(_FUTEX_WAIT), ctypes.c_int(value),
             timeout, None, ctypes.c_int(0))


@intrinsic
def _futex_wake(typingctx, array, index):
    if not _int64_array(array):
        return None
    sig = types.void(array, types.intp)

    def codegen(context, builder, sig, args):
        if FUTEX:
            pointer = _pointer(context, builder, sig.args[0], args[0], args[1])
            everyone, no_timeout = ir.Constant(ir.IntType(32), 2**31 - 1), ir.Constant(ir.IntType(64), 0)
            _futex(builder, pointer, _FUTEX_WAKE, everyone, no_timeout)
        return context.get_dummy_value()

    return sig, codegen


@overload(wake)
def _wake_in_a_kernel(array, index):
    if _int64_array(array):
        return lambda array, index: _futex_wake(array, index)
