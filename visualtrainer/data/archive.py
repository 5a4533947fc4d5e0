"""A dataset in one file: File > Save dataset writes it, and it opens again as it was (.npz, no pickles).

The file holds the examples as they are (uint8 pixels stay uint8), the labels, the class names, the image size
and the name, with a format version, so that a newer file gets a clear message instead of a wrong reading.
"""

import json
import zipfile
from pathlib import Path

import numpy as np

from .dataset import Dataset, DatasetError

FORMAT = "visualtrainer-dataset"
VERSION = 1
SUFFIX = ".npz"


def save_dataset(data, path):
    """Write ``data`` (a Dataset) to ``path`` (.npz); returns the path written."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_suffix(SUFFIX)
    header = {"format": FORMAT, "version": VERSION, "name": data.name, "classes": list(data.classes),
              "task": data.task, "image_shape": list(data.image_shape) if data.image_shape else None}
    arrays = {"X_train": np.ascontiguousarray(data.X_train.T), "Y_train": data.Y_train}  # one row per example
    if data.X_test is not None:
        arrays |= {"X_test": np.ascontiguousarray(data.X_test.T), "Y_test": data.Y_test}
    partial = path.with_name(path.name + ".part")
    with open(partial, "wb") as handle:  # written whole, then renamed: a crash never leaves half a dataset
        np.savez(handle, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8), **arrays)
    partial.replace(path)
    return path


def load_dataset_file(path):
    """The Dataset saved at ``path`` by ``save_dataset``; a DatasetError says what is wrong with a bad file."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file.")
    try:
        with np.load(path, allow_pickle=False) as archive:
            if "header" not in archive.files:
                raise DatasetError(f"{path}: not a visualtrainer dataset (it has no header); "
                                   "save one with File > Save dataset.")
            header = json.loads(archive["header"].tobytes().decode())
            if header.get("format") != FORMAT:
                raise DatasetError(f"{path}: not a visualtrainer dataset (a {header.get('format')!r} file).")
            if int(header.get("version", 0)) > VERSION:
                raise DatasetError(f"{path}: written by a newer visualtrainer (dataset format "
                                   f"{header['version']}; this one reads up to {VERSION}).")
            arrays = {key: archive[key] for key in ("X_train", "Y_train", "X_test", "Y_test") if key in archive.files}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, UnicodeDecodeError) as error:
        if isinstance(error, DatasetError):
            raise
        raise DatasetError(f"{path}: not a readable dataset file ({type(error).__name__}: {error}).") from None
    if "X_train" not in arrays or "Y_train" not in arrays:
        raise DatasetError(f"{path}: the file has no training examples (X_train, Y_train).")
    shape = header.get("image_shape")
    return Dataset(str(header.get("name") or path.stem), arrays["X_train"].T, arrays["Y_train"],
                   arrays["X_test"].T if "X_test" in arrays else None, arrays.get("Y_test"),
                   tuple(header.get("classes") or ()), header.get("task", "binary"),
                   tuple(int(s) for s in shape) if shape else None)
