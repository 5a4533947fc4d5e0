"""The course's HDF5 image files: train_set_x (m, h, w, c) uint8 and train_set_y (m,), with test_*.h5 beside them."""

from pathlib import Path

import numpy as np

from .dataset import Dataset, DatasetError, task_for


def flatten_images(x):
    """Images (m, h, w, c) → features (h·w·c, m) in the order of ``x.reshape(m, -1)``, as a view when possible."""
    x = np.asarray(x)
    if x.ndim != 4:
        raise DatasetError(f"images must be 4-D (m, height, width, channels); got shape {x.shape}.")
    return x.reshape(x.shape[0], -1).T


def _read(path, prefix):
    import h5py

    try:
        handle = h5py.File(path, "r")
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file.") from None
    except OSError:
        raise DatasetError(f"{path}: not a readable HDF5 file (is it a course .h5 file, complete?).") from None
    with handle:
        keys = sorted(handle.keys())
        wanted = (f"{prefix}_set_x", f"{prefix}_set_y")
        if not all(key in handle for key in wanted):
            raise DatasetError(f"{path}: expected keys {wanted[0]} and {wanted[1]}; found {', '.join(keys) or 'none'}.")
        try:
            x, y = handle[wanted[0]][()], handle[wanted[1]][()]
            classes = handle["list_classes"][()] if "list_classes" in handle else None
        except (OSError, KeyError, TypeError) as error:
            raise DatasetError(f"{path}: could not read the arrays ({error}).") from None
    if x.ndim != 4 or x.dtype != np.uint8:
        raise DatasetError(f"{path}: {wanted[0]} must be (m, height, width, channels) uint8; "
                           f"got {x.shape} {x.dtype}.")
    y = np.asarray(y).reshape(-1) if np.ndim(y) in (1, 2) and np.asarray(y).size == x.shape[0] else y
    if np.ndim(y) != 1 or y.shape[0] != x.shape[0]:
        raise DatasetError(f"{path}: {wanted[1]} must hold one label per image ({x.shape[0]}); "
                           f"got shape {np.shape(y)}.")
    if not np.issubdtype(y.dtype, np.number) or np.any(y != np.round(y)) or (len(y) and y.min() < 0):
        raise DatasetError(f"{path}: {wanted[1]} must hold integer labels 0, 1, …; got {np.unique(y)[:8]}.")
    return x, y.astype(np.int64), classes


def _decode(classes, labels, path):
    n = int(labels.max()) + 1 if len(labels) else 2
    if classes is None:
        names = tuple(f"class {k}" for k in range(max(n, 2)))
    else:
        names = tuple(c.decode() if isinstance(c, bytes) else str(c) for c in np.asarray(classes).reshape(-1))
    if n > len(names):
        raise DatasetError(f"{path}: labels go up to {n - 1} but list_classes names {len(names)} classes.")
    return names


def find_test_file(train_path):
    """The test file beside a training file: train_X.h5 → test_X.h5, else the only test_*.h5 there (or None)."""
    train_path = Path(train_path)
    if train_path.name.startswith("train_"):
        twin = train_path.with_name("test_" + train_path.name[len("train_"):])
        if twin.exists():
            return twin
    candidates = sorted(train_path.parent.glob("test_*.h5"))
    return candidates[0] if len(candidates) == 1 else None


def load_course_h5(train_path):
    """The course's training file and the test file beside it, as a Dataset of uint8 pixels (n_x, m)."""
    train_path = Path(train_path)
    x, y, classes = _read(train_path, "train")
    names = _decode(classes, y, train_path)
    X_test = Y_test = None
    test_path = find_test_file(train_path)
    if test_path is not None:
        xt, yt, _ = _read(test_path, "test")
        if xt.shape[1:] != x.shape[1:]:
            raise DatasetError(f"{test_path}: test images are {xt.shape[1:]} but training images are "
                               f"{x.shape[1:]}; they must match.")
        if len(yt) and yt.max() >= len(names):
            raise DatasetError(f"{test_path}: test labels go up to {yt.max()}, beyond the {len(names)} classes.")
        X_test, Y_test = flatten_images(xt), yt.reshape(1, -1)
    stem = train_path.stem[len("train_"):] if train_path.stem.startswith("train_") else train_path.stem
    return Dataset(stem, flatten_images(x), y.reshape(1, -1), X_test, Y_test, names, task_for(len(names)),
                   tuple(int(s) for s in x.shape[1:]))
