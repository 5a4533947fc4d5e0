"""A first launch: the command line's first iterations on an empty kernel cache against a warm one, and how long
the kernels of each kind take to compile.

    .venv/bin/python benchmarks/bench_coldstart.py [--runs 3]

Each cold run gets a temporary HOME (so an empty ~/.cache/visualtrainer/numba); the warm run repeats the same
command with that cache filled. Compiling is timed with the process the window and the command line start for it
(``python -m visualtrainer.core.compile_worker KIND``), one kind after another in a fresh cache.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CAT = ROOT.parent / "shared" / "data" / "catvnoncat" / "train_catvnoncat.h5"
COMMANDS = {
    "flower 2-4-1, 10 iterations": ["train", "--dataset", "flower", "--iterations", "10"],
    "12288-7-1 on the cat pictures, 10 iterations": ["train", "--dataset", str(CAT), "--hidden", "7",
                                                    "--iterations", "10"],
}
KINDS = ["train-narrow-float32-float32", "train-wide-float32-uint8", "train-wide-float64-uint8",
         "surface-narrow-float64-float64", "surface-wide-float64-uint8"]


def _env(home):
    env = {key: value for key, value in os.environ.items() if key not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME")}
    env["HOME"] = str(home)
    return env


def _timed(argv, env):
    began = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    command = [sys.executable, "-m", "visualtrainer"]
    for name, options in COMMANDS.items():
        cold, warm = [], []
        for _ in range(args.runs):
            home = Path(tempfile.mkdtemp(prefix="vt-home-"))
            try:
                cold.append(_timed(command + options, _env(home)))
                compiled = [sys.executable, "-m", "visualtrainer.core.compile_worker",
                            "train-narrow-float32-float32" if "flower" in name else "train-wide-float32-uint8",
                            str(os.getpid())]
                _timed(compiled, _env(home))  # fill the cache, as a long run or the window would
                warm.append(_timed(command + options, _env(home)))
            finally:
                shutil.rmtree(home, ignore_errors=True)
        print(f"{name:46s} cold {np.median(cold):5.2f} s   warm {np.median(warm):5.2f} s   "
              f"cold/warm {np.median(cold) / np.median(warm):4.2f}  (medians of {args.runs})", flush=True)
    home = Path(tempfile.mkdtemp(prefix="vt-home-"))
    try:
        for kind in KINDS:
            seconds = _timed([sys.executable, "-m", "visualtrainer.core.compile_worker", kind, str(os.getpid())],
                             _env(home))
            print(f"compiling {kind:34s} {seconds:5.1f} s", flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
