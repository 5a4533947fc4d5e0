"""A dataset in one file: File > Save dataset writes it, and it opens again as it was (.npz, no pickles).

The file holds the examples as they are (uint8 pixels stay uint8), the labels, the class names, the image size
and the name, with a format version, so that a newer file gets a clear message instead of a wrong reading.
"""

from pathlib import Path

import numpy as np

from ._npz import FileKindError, read_npz, write_npz
from .dataset import Dataset, DatasetError

FORMAT = "visualtrainer-dataset"
VERSION = 1
SUFFIX = ".npz"


def save_dataset(data, path):
    """Write ``data`` (a Dataset) to ``path`` (.npz); returns the path written."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_suffix(SUFFIX)
    return write_npz(path, FORMAT, VERSION, *dataset_arrays(data))


def load_dataset_file(path):
    """The Dataset saved at ``path`` by ``save_dataset``; a DatasetError says what is wrong with a bad file."""
    try:
        header, arrays = read_npz(path, FORMAT, VERSION, "dataset", "; save one with File > Save dataset")
    except FileKindError as error:
        raise DatasetError(str(error)) from None
    return dataset_from_arrays(header, arrays, Path(path))


def dataset_from_arrays(header, arrays, path, prefix=""):
    """The Dataset held in ``arrays`` (keys ``prefix`` + X_train, Y_train and maybe X_test, Y_test; one row per
    example) with its name, classes, task and image size in ``header``."""
    arrays = {key[len(prefix):]: value for key, value in arrays.items() if key.startswith(prefix)}
    if "X_train" not in arrays or "Y_train" not in arrays:
        raise DatasetError(f"{path}: the file has no training examples (X_train, Y_train).")
    shape = header.get("image_shape")
    return Dataset(str(header.get("name") or Path(path).stem), arrays["X_train"].T, arrays["Y_train"],
                   arrays["X_test"].T if "X_test" in arrays else None, arrays.get("Y_test"),
                   tuple(header.get("classes") or ()), header.get("task", "binary"),
                   tuple(int(s) for s in shape) if shape else None)


def dataset_arrays(data, prefix=""):
    """(header, arrays) that ``dataset_from_arrays`` turns back into ``data``."""
    header = {"name": data.name, "classes": list(data.classes), "task": data.task,
              "image_shape": list(data.image_shape) if data.image_shape else None}
    arrays = {prefix + "X_train": np.ascontiguousarray(data.X_train.T), prefix + "Y_train": data.Y_train}
    if data.X_test is not None:
        arrays |= {prefix + "X_test": np.ascontiguousarray(data.X_test.T), prefix + "Y_test": data.Y_test}
    return header, arrays
