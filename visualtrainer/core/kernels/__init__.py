"""The compiled engine (Numba): one layer's math, a training step split into shareable work, and the loops.

Nothing here holds the GIL while it runs, and nothing here starts threads: a team of threads (``core.team``) runs
the same kernel side by side, and the kernel shares its work out itself, through atomic counters (``atomics``).
"""
