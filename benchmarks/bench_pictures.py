"""Pictures in: how long a dropped picture takes to be classified, and how fast and how lean a folder of 10,000
pictures loads into a dataset.

    .venv/bin/python benchmarks/bench_pictures.py            # writes its pictures to a temporary folder

A dropped picture: decoded, converted, cropped and resized to 64×64 (Lanczos), then classified by a 12288-7-1
network, as the window and ``visualtrainer predict`` do; timed for a 64×64 PNG, a 640×480 JPEG and a 4000×3000 JPEG.
A folder: 10,000 64×64 PNGs of the built-in shapes in two class subfolders, read by ``load_picture_folder``; the
memory is numpy's peak allocation while loading (tracemalloc), against the pictures' own uint8 size.
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualtrainer.core import Network  # noqa: E402
from visualtrainer.data.folders import load_picture_folder  # noqa: E402
from visualtrainer.data.images import picture_features  # noqa: E402
from visualtrainer.data.shapes import make_shape_pictures  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vt-bench-"))
    rng = np.random.RandomState(0)
    net = Network((12288, 7, 1), hidden_activation="relu", random_state=1).initialize()
    for name, size, suffix in (("64×64 PNG", (64, 64), "png"), ("640×480 JPEG", (640, 480), "jpg"),
                               ("4000×3000 JPEG", (4000, 3000), "jpg")):
        path = folder / f"drop.{suffix}"
        Image.fromarray(rng.randint(0, 256, (size[1], size[0], 3)).astype(np.uint8)).save(path)
        net.predict_proba(picture_features(path))  # load the kernels
        times = []
        for _ in range(15):
            began = time.perf_counter()
            net.predict_proba(picture_features(path))
            times.append(time.perf_counter() - began)
        print(f"a dropped {name:15s} classified in {np.median(times) * 1e3:6.1f} ms (median of 15)")

    pictures, labels = make_shape_pictures(args.pictures, seed=3)
    for name in ("disc", "other"):
        (folder / "set" / name).mkdir(parents=True)
    for i, (picture, label) in enumerate(zip(pictures, labels)):
        Image.fromarray(picture).save(folder / "set" / ("disc" if label else "other") / f"{i:05d}.png")
    del pictures
    tracemalloc.start()
    began = time.perf_counter()
    data, skipped = load_picture_folder(folder / "set")
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    own = data.X_train.nbytes
    print(f"{data.m:,} pictures of 64×64 loaded in {seconds:.1f} s ({data.m / seconds:,.0f} a second), "
          f"{len(skipped)} skipped; peak memory {peak / 2**20:.0f} MiB for {own / 2**20:.0f} MiB of pixels "
          f"({peak / own:.2f}x)")


if __name__ == "__main__":
    main()
