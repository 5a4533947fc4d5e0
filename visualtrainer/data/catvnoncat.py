"""The course's HDF5 image files: train_*.h5 (train_set_x, train_set_y, list_classes) and test_*.h5 beside it.

The images (m, height, width, channels) uint8 become X (n_x, m) = ``x.reshape(m, -1).T``: uint8 pixels, an
F-contiguous view of the C-contiguous array read from the file (never a float copy: the training engine
scales uint8 inputs by 1/255 itself).
"""

from pathlib import Path

import h5py
import numpy as np

from .dataset import Dataset, DatasetError, task_for

#: Extensions of HDF5 files.
H5_SUFFIXES = (".h5", ".hdf5")


def flatten_images(x):
    """Images → one column of pixels per image, in the order of ``x[i].reshape(-1)`` (row, column, channel).

    Parameters
    ----------
    x : array_like (m, height, width, channels)

    Returns
    -------
    ndarray (height·width·channels, m)
        ``x.reshape(m, -1).T``, same dtype: a view (F-contiguous) when x is C-contiguous.

    Raises
    ------
    DatasetError
        When x is not 4-D.
    """
    x = np.asarray(x)
    if x.ndim != 4:
        raise DatasetError(f"images must be 4-D (m, height, width, channels); got shape {x.shape}. "
                           "Give grey images a channel axis first: x[..., None].")
    return x.reshape(x.shape[0], -1).T


def find_test_file(train_path):
    """The test file beside a training file, or None.

    train_X.h5 → test_X.h5 (or test_X.hdf5) when it exists; otherwise the only test_*.h5 / test_*.hdf5 in
    the same folder. With several candidates and none named after the training file, None: no test set.

    Parameters
    ----------
    train_path : str or Path

    Returns
    -------
    Path or None
    """
    train_path = Path(train_path)
    candidates = sorted(p for p in train_path.parent.glob("test_*")
                        if p.suffix.lower() in H5_SUFFIXES and p.is_file() and p != train_path)
    twins = [p for p in candidates if p.stem[len("test_"):] == _suffix(train_path)]
    if twins:
        return min(twins, key=lambda p: (p.suffix.lower() != train_path.suffix.lower(), p.name))
    return candidates[0] if len(candidates) == 1 else None


def _suffix(train_path):
    """train_catvnoncat.h5 → "catvnoncat"; a file not named train_* keeps its whole stem."""
    stem = Path(train_path).stem
    return stem[len("train_"):] if stem.startswith("train_") and len(stem) > len("train_") else stem


def _first_line(error):
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _read_set(path, prefix):
    """Read ``{prefix}_set_x`` (m, h, w, c) uint8, ``{prefix}_set_y`` (m,) and the optional list_classes.

    Returns
    -------
    x : ndarray (m, h, w, c) uint8, C-contiguous
    y : ndarray (m,) int64, labels >= 0
    classes : tuple of str or None
    """
    path = Path(path)
    if not path.exists():
        raise DatasetError(f"{path}: no such file.")
    if not path.is_file():
        raise DatasetError(f"{path}: is a folder; give the path of a course .h5 file.")
    x_key, y_key = f"{prefix}_set_x", f"{prefix}_set_y"
    try:
        with h5py.File(path, "r") as handle:
            keys = sorted(handle.keys())
            if x_key not in handle or y_key not in handle:
                hint = " (is this a test file? open the train_*.h5 file)" if "test_set_x" in keys else ""
                raise DatasetError(f"{path}: expected keys {x_key} and {y_key}; found "
                                   f"{', '.join(keys) or 'no keys'}{hint}.")
            for key in (x_key, y_key, "list_classes"):
                if key in handle and not isinstance(handle[key], h5py.Dataset):
                    raise DatasetError(f"{path}: {key} must be an array (an HDF5 dataset); found a group.")
            x, y = handle[x_key][()], handle[y_key][()]
            raw_classes = handle["list_classes"][()] if "list_classes" in handle else None
    except DatasetError:
        raise
    except (OSError, RuntimeError, KeyError, ValueError, TypeError) as error:
        raise DatasetError(f"{path}: not a readable HDF5 file ({_first_line(error)}).") from None
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 4 or x.dtype != np.uint8 or 0 in x.shape:
        raise DatasetError(f"{path}: {x_key} must be (m, height, width, channels) uint8 with m >= 1; "
                           f"got {x.shape} {x.dtype}.")
    return x, _labels(y, x.shape[0], y_key, path), _class_names(raw_classes, path)


def _labels(y, m, key, path):
    """y (m,), (1, m) or (m, 1) of integer values → (m,) int64 labels >= 0."""
    if y.ndim not in (1, 2) or y.size != m or (y.ndim == 2 and 1 not in y.shape):
        raise DatasetError(f"{path}: {key} must be (m,) = ({m},), one label per image; got {y.shape}.")
    y = y.reshape(-1)
    integral = y.dtype.kind in "iub" or (y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)))
    if not integral:
        raise DatasetError(f"{path}: {key} must hold integer labels 0, 1, …; got {y.dtype} values {y[:5]}.")
    y = y.astype(np.int64)
    if y.min() < 0:
        raise DatasetError(f"{path}: {key} must hold labels 0, 1, …; got {sorted(set(y[y < 0].tolist()))[:5]}.")
    return y


def _class_names(raw, path):
    """list_classes (K,) of bytes or str → a tuple of K >= 2 str, or None when the file has none."""
    if raw is None:
        return None
    names = tuple(c.decode("utf-8", errors="replace") if isinstance(c, bytes) else str(c)
                  for c in np.asarray(raw).reshape(-1))
    if len(names) < 2:
        raise DatasetError(f"{path}: list_classes must name at least 2 classes; got {names}.")
    return names


def _check_range(y, classes, key, path):
    """Every label must name a class: 0 … K−1."""
    bad = sorted(set(y[y >= len(classes)].tolist()))
    if bad:
        raise DatasetError(f"{path}: {key} labels must be in 0 … {len(classes) - 1} "
                           f"({len(classes)} classes: {', '.join(classes)}); got {bad[:5]}.")


def load_course_h5(train_path):
    """Load a course training file, and the test file beside it, as a Dataset of uint8 pixels.

    The training file holds train_set_x (m, h, w, c) uint8, train_set_y (m,) labels and, optionally,
    list_classes (K,) of names (bytes); the test file (see ``find_test_file``) holds test_set_x
    (m_test, h, w, c) and test_set_y (m_test,). Without list_classes the classes are "class 0", "class 1", ...

    Parameters
    ----------
    train_path : str or Path
        e.g. "train_catvnoncat.h5".

    Returns
    -------
    Dataset
        name: the file's stem without "train_" ("catvnoncat"); X_train (h·w·c, m) uint8 F-contiguous;
        Y_train (1, m) int64; X_test (h·w·c, m_test) and Y_test (1, m_test), or None without a test file;
        classes from list_classes; task "binary" for 2 classes, "multiclass" for more; image_shape (h, w, c).

    Raises
    ------
    DatasetError
        For a missing or unreadable file, missing keys, arrays of the wrong shape or dtype, labels outside
        0 … K−1, or a test file whose images or classes differ from the training file's.
    """
    train_path = Path(train_path)
    x, y, classes = _read_set(train_path, "train")
    if classes is None:
        classes = tuple(f"class {k}" for k in range(max(2, int(y.max()) + 1)))
    _check_range(y, classes, "train_set_y", train_path)
    X_test = Y_test = None
    test_path = find_test_file(train_path)
    if test_path is not None:
        xt, yt, test_classes = _read_set(test_path, "test")
        if xt.shape[1:] != x.shape[1:]:
            raise DatasetError(f"{test_path}: test images are {xt.shape[1:]} but training images are "
                               f"{x.shape[1:]}; they must have the same size.")
        if test_classes is not None and test_classes != classes:
            raise DatasetError(f"{test_path}: list_classes {test_classes} differs from the training file's "
                               f"{classes}.")
        _check_range(yt, classes, "test_set_y", test_path)
        X_test, Y_test = flatten_images(xt), yt.reshape(1, -1)
    return Dataset(_suffix(train_path), flatten_images(x), y.reshape(1, -1), X_test, Y_test, classes,
                   task_for(len(classes)), tuple(int(s) for s in x.shape[1:]))
