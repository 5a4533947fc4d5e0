"""What numpy's BLAS costs after a product: the CPU its pool's other threads burn while this one sleeps.

    OPENBLAS_NUM_THREADS=2 .venv/bin/python benchmarks/bench_blas_spin.py
    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_blas_spin.py

Why the window keeps numpy's BLAS to one thread (``core.team.quiet_blas``): its measures run a few products five
times a second beside a training that has every core.
"""

import resource
import time

import numpy as np


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    a, b = np.random.rand(400, 400), np.random.rand(400, 400)
    a @ b
    time.sleep(1.0)  # the pool at rest
    for label, product in (("after one 400x400 product", True), ("with no product", False)):
        if product:
            a @ b
        before = cpu_seconds()
        time.sleep(0.5)
        print(f"{label}: {cpu_seconds() - before:.3f} s of CPU during the next 0.5 s of sleep")


if __name__ == "__main__":
    main()
