"""The course's HDF5 image files: train_*.h5 (train_set_x, train_set_y, list_classes) and test_*.h5 beside it.

The images (m, height, width, channels) uint8 become X (n_x, m) = ``x.reshape(m, -1).T``: uint8 pixels, an
F-contiguous view of the C-contiguous array read from the file (never a float copy: the training engine
scales uint8 inputs by 1/255 itself).
"""

from pathlib import Path

import h5py
import numpy as np

from visualtrainer.core.container import memory_budget
from visualtrainer.core.files import open_regular
from visualtrainer.core.validation import format_bytes

from .dataset import MAX_CLASSES, Dataset, DatasetError, task_for

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


def _read_set(path, prefix, budget=None):
    """Read ``{prefix}_set_x`` (m, h, w, c) uint8, ``{prefix}_set_y`` (m,) and the optional list_classes.

    Each array's shape and type are checked, and its size against ``budget`` (None: half the memory available),
    before it is read.

    Returns
    -------
    x : ndarray (m, h, w, c) uint8, C-contiguous
    y : ndarray (m,) int64, labels >= 0
    classes : tuple of str or None
    """
    path = Path(path)
    open_regular(path, "course .h5 file", DatasetError).close()  # missing, a folder, a FIFO: said before h5py
    x_key, y_key = f"{prefix}_set_x", f"{prefix}_set_y"
    try:
        with h5py.File(path, "r") as handle:
            keys = sorted(handle.keys())
            if x_key not in handle or y_key not in handle:
                hint = " (is this a test file? open the train_*.h5 file)" if "test_set_x" in keys else ""
                shown = ", ".join(key[:40] for key in keys[:8]) + (", …" if len(keys) > 8 else "")
                raise DatasetError(f"{path}: expected keys {x_key} and {y_key}; found {shown or 'no keys'}{hint}.")
            x_set, y_set, class_set = (_array(handle, key, path) for key in (x_key, y_key, "list_classes"))
            _check_declared(x_set, y_set, class_set, path, memory_budget() if budget is None else budget)
            x, y = x_set[()], y_set[()]
            raw_classes = class_set[()] if class_set is not None else None
    except DatasetError:
        raise
    except (OSError, RuntimeError, KeyError, ValueError, TypeError) as error:
        raise DatasetError(f"{path}: not a readable HDF5 file ({_first_line(error)}).") from None
    x, y = np.asarray(x), np.asarray(y)
    return x, _labels(y, x.shape[0], y_key, path), _class_names(raw_classes, path)


def _array(handle, key, path):
    """The HDF5 dataset ``key`` of the file itself (not a link to another file, nor data kept in other files), or
    None when the file has no ``key``."""
    if key not in handle:
        return None
    link = handle.get(key, getlink=True)
    if not isinstance(link, h5py.HardLink):
        raise DatasetError(f"{path}: {key} is a link to other data; the course files hold their arrays themselves.")
    item = handle[key]
    if not isinstance(item, h5py.Dataset):
        raise DatasetError(f"{path}: {key} must be an array (an HDF5 dataset); found a group.")
    if item.is_virtual or item.external:
        raise DatasetError(f"{path}: {key} keeps its data in other files; the course files hold it themselves.")
    return item


def _check_declared(x, y, classes, path, budget):
    """Shapes, types and sizes as the file declares them, before anything is read."""
    if len(x.shape) != 4 or x.dtype != np.uint8 or 0 in x.shape:
        raise DatasetError(f"{path}: {x.name.lstrip('/')} must be (m, height, width, channels) uint8 with m >= 1; "
                           f"got {x.shape} {x.dtype}.")
    m, y_key = x.shape[0], y.name.lstrip("/")
    if y.dtype.kind not in "biuf":
        raise DatasetError(f"{path}: {y_key} must hold integer labels 0, 1, …; got {y.dtype} values.")
    if len(y.shape) not in (1, 2) or y.size != m or (len(y.shape) == 2 and 1 not in y.shape):
        raise DatasetError(f"{path}: {y_key} must be (m,) = ({m},), one label per image; got {y.shape}.")
    if classes is not None:
        if classes.dtype.kind not in "SUO" or classes.size > MAX_CLASSES or len(classes.shape) > 1:
            raise DatasetError(f"{path}: list_classes must hold at most {MAX_CLASSES} class names; got "
                               f"{classes.shape} {classes.dtype}.")
        if classes.dtype.kind != "O" and classes.dtype.itemsize > 4096:
            raise DatasetError(f"{path}: list_classes holds names of {classes.dtype.itemsize:,} bytes; the file is "
                               "damaged.")
    needed = x.size * x.dtype.itemsize + y.size * 8
    if needed > budget:
        raise DatasetError(f"{path}: its {x.shape[0]:,} images would need {format_bytes(needed)} of memory, more "
                           f"than the {format_bytes(budget)} this machine can spare now.")


def _labels(y, m, key, path):
    """y (m,), (1, m) or (m, 1) of integer values → (m,) int64 labels >= 0."""
    if y.ndim not in (1, 2) or y.size != m or (y.ndim == 2 and 1 not in y.shape):
        raise DatasetError(f"{path}: {key} must be (m,) = ({m},), one label per image; got {y.shape}.")
    y = y.reshape(-1)
    integral = y.dtype.kind in "iub" or (y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)))
    if not integral:
        raise DatasetError(f"{path}: {key} must hold integer labels 0, 1, …; got {y.dtype} values {y[:5]}.")
    if y.min() < 0 or y.max() >= MAX_CLASSES:
        bad = y[(y < 0) | (y >= MAX_CLASSES)]
        raise DatasetError(f"{path}: {key} must hold labels 0, 1, … up to {MAX_CLASSES - 1}; got {bad[:3].tolist()}.")
    return y.astype(np.int64)


def _class_names(raw, path):
    """list_classes (K,) of bytes or str → a tuple of K >= 2 str, or None when the file has none."""
    if raw is None:
        return None
    raw = np.asarray(raw).reshape(-1)
    if not all(isinstance(c, (bytes, str, np.bytes_, np.str_)) and len(c) <= 4096 for c in raw):
        raise DatasetError(f"{path}: list_classes must hold class names (text); the file is damaged.")
    names = tuple(c.decode("utf-8", errors="replace") if isinstance(c, bytes) else str(c) for c in raw)
    if len(names) < 2:
        raise DatasetError(f"{path}: list_classes must name at least 2 classes; got {names}.")
    return names


def _check_range(y, classes, key, path):
    """Every label must name a class: 0 … K−1."""
    bad = sorted(set(y[y >= len(classes)].tolist()))
    if bad:
        raise DatasetError(f"{path}: {key} labels must be in 0 … {len(classes) - 1} "
                           f"({len(classes)} classes: {', '.join(classes)}); got {bad[:5]}.")


def load_course_h5(train_path, budget=None):
    """Load a course training file, and the test file beside it, as a Dataset of uint8 pixels.

    The training file holds train_set_x (m, h, w, c) uint8, train_set_y (m,) labels and, optionally,
    list_classes (K,) of names (bytes); the test file (see ``find_test_file``) holds test_set_x
    (m_test, h, w, c) and test_set_y (m_test,). Without list_classes the classes are "class 0", "class 1", ...

    Parameters
    ----------
    train_path : str or Path
        e.g. "train_catvnoncat.h5".
    budget : int or None
        Bytes each file's arrays may take (None: half the memory available); checked before they are read.

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
    x, y, classes = _read_set(train_path, "train", budget)
    if classes is None:
        classes = tuple(f"class {k}" for k in range(max(2, int(y.max()) + 1)))
    _check_range(y, classes, "train_set_y", train_path)
    X_test = Y_test = None
    test_path = find_test_file(train_path)
    if test_path is not None:
        xt, yt, test_classes = _read_set(test_path, "test", budget)
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
