"""A dataset in one file: File > Save dataset writes it, and it opens again as it was (.npz, no pickles).

The file (core/container.py) holds the examples as they are (uint8 pixels stay uint8), the labels, the class names,
the image size and the name, with a format version, so that a newer file gets a clear message instead of a wrong
reading. Opening checks it whole before building anything: the header's class names and image size against the
arrays' declared shapes (before they are read), then every label and value (``Dataset``).
"""

import numbers
from pathlib import Path

import numpy as np

from visualtrainer.core.container import Container, write_container
from visualtrainer.core.files import FileError

from .dataset import MAX_CLASSES, TASKS, Dataset, DatasetError

FORMAT = "visualtrainer-dataset"
VERSION = 1
SUFFIX = ".npz"
HINT = "; save one with File > Save dataset"


def save_dataset(data, path):
    """Write ``data`` (a Dataset) to ``path`` (.npz) atomically; returns the path written."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_suffix(SUFFIX)
    return write_container(path, FORMAT, VERSION, *dataset_arrays(data))


def load_dataset_file(path, budget=None):
    """The Dataset saved at ``path`` by ``save_dataset``; a DatasetError says, in one sentence, what is wrong.

    ``budget`` bounds the bytes its arrays may take (None: half the memory available).
    """
    try:
        with Container(path, FORMAT, VERSION, "dataset", HINT, budget) as file:
            return read_dataset(file, file.header)
    except FileError as error:
        raise DatasetError(str(error)) from None


def read_dataset(file, header, prefix=""):
    """The Dataset held in the open container ``file`` (members ``prefix`` + X_train, Y_train and maybe X_test,
    Y_test; one row per example) with its name, classes, task and image size in ``header``.

    Everything the header says is checked against the members' declared shapes before any member is read.
    """
    name, classes, task, image_shape = _header(file, header)
    parts = [("X_train", "Y_train")] + ([("X_test", "Y_test")] if prefix + "X_test" in file else [])
    n_x = None
    for x_name, y_name in parts:
        shape = file.shape(prefix + x_name)
        if len(shape) != 2 or (n_x is not None and shape[1] != n_x):
            raise file.error(f"{x_name} is {shape}, not (m, {n_x or 'n_x'}) with one row per example.")
        n_x = shape[1]
        if file.shape(prefix + y_name) != (1, shape[0]):
            raise file.error(f"{y_name} is {file.shape(prefix + y_name)} but {x_name} holds {shape[0]} examples "
                             f"(so (1, {shape[0]})); the file is damaged.")
    if image_shape is not None and int(np.prod(image_shape, dtype=object)) != n_x:
        raise file.error(f"its image size {image_shape} gives {int(np.prod(image_shape, dtype=object)):,} values "
                         f"but its examples have {n_x:,}; the file is damaged.")
    arrays = {}
    for x_name, y_name in parts:
        arrays[x_name] = file.read(prefix + x_name, kinds="uif").T
        arrays[y_name] = _labels(file.read(prefix + y_name, kinds="biuf"), classes)
    try:
        return Dataset(name or file.path.stem, arrays["X_train"], arrays["Y_train"], arrays.get("X_test"),
                       arrays.get("Y_test"), classes, task, image_shape)
    except DatasetError as error:
        raise file.error(str(error)) from None


def _header(file, header):
    """(name, classes, task, image_shape) from a dataset's header, each checked."""
    name, classes = header.get("name"), header.get("classes") or []
    task, shape = header.get("task", "binary"), header.get("image_shape")
    if name is not None and (not isinstance(name, str) or len(name) > 1000):
        raise file.error("its name is not a short text; the file is damaged.")
    if not isinstance(classes, list) or not all(isinstance(c, str) and len(c) <= 1000 for c in classes):
        raise file.error("its class names are not a list of names; the file is damaged.")
    if len(classes) > MAX_CLASSES:
        raise file.error(f"it names {len(classes):,} classes; a dataset may have at most {MAX_CLASSES:,}.")
    if task not in TASKS:
        raise file.error(f"its task is {str(task)[:30]!r}, not one of {', '.join(TASKS)}; the file is damaged.")
    if shape is not None and (not isinstance(shape, list) or not 2 <= len(shape) <= 3 or not all(
            isinstance(s, numbers.Integral) and not isinstance(s, bool) and 1 <= s <= 2**31 for s in shape)):
        raise file.error(f"its image size {str(shape)[:40]} is not (height, width, channels); the file is damaged.")
    return name, tuple(classes), task, tuple(int(s) for s in shape) if shape is not None else None


def _labels(Y, classes):
    """Labels as int64 when they are whole numbers of a classification set (so 1.0 reads as class 1)."""
    if classes and Y.dtype.kind in "bf":
        finite = np.isfinite(Y) if Y.dtype.kind == "f" else np.ones(Y.shape, bool)
        if finite.all() and (Y == np.round(Y)).all() and (Y.size == 0 or np.abs(Y).max() < 2**53):
            return Y.astype(np.int64)
    return Y


def dataset_arrays(data, prefix=""):
    """(header, arrays) that ``read_dataset`` turns back into ``data``."""
    header = {"name": data.name, "classes": list(data.classes), "task": data.task,
              "image_shape": list(data.image_shape) if data.image_shape else None}
    arrays = {prefix + "X_train": np.ascontiguousarray(data.X_train.T), prefix + "Y_train": data.Y_train}
    if data.X_test is not None:
        arrays |= {prefix + "X_test": np.ascontiguousarray(data.X_test.T), prefix + "Y_test": data.Y_test}
    return header, arrays
