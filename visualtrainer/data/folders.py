"""A folder of pictures as a dataset: one subfolder per class, the subfolders' names are the class names."""

from pathlib import Path

import numpy as np

from .dataset import Dataset, DatasetError, task_for
from .images import SUFFIXES, read_pictures


def class_folders(folder):
    """The subfolders of ``folder`` that hold pictures, sorted by name: [(name, [picture paths])].

    Only one level is looked into (a symbolic link that loops is no folder); a file with a picture's suffix that
    is no regular file (a FIFO named x.png) is listed and then refused, without being opened, when it is read.
    A folder that cannot be listed is a DatasetError.
    """
    found = []
    for sub in sorted(p for p in _entries(Path(folder)) if p.is_dir() and not p.name.startswith(".")):
        pictures = sorted(p for p in _entries(sub) if p.suffix.lower() in SUFFIXES)
        if pictures:
            found.append((sub.name, pictures))
    return found


def _entries(folder):
    try:
        return list(folder.iterdir())
    except OSError as error:
        raise DatasetError(f"{folder}: cannot be listed ({error.strerror or error}).") from None


def load_picture_folder(folder, image_shape=(64, 64, 3), progress=None):
    """Every picture under ``folder``/<class>/ as uint8 pixels X (h·w·c, m), labels Y (1, m) in class-name order.

    Pictures that cannot be read are left out and named in ``skipped`` [(path, message)] of the returned pair
    (dataset, skipped). A folder with fewer than two classes of pictures is a DatasetError. ``progress(done,
    total)`` is called after each picture (return False to stop: LoadCancelled).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder.")
    classes = class_folders(folder)
    if len(classes) < 2:
        found = ", ".join(name for name, _ in classes) or "none"
        raise DatasetError(f"{folder}: a picture dataset needs at least two subfolders of pictures, one per class; "
                           f"found {len(classes)} ({found}).")
    paths = [path for _, group in classes for path in group]
    label_of = np.concatenate([np.full(len(group), k, dtype=np.int64) for k, (_, group) in enumerate(classes)])
    pixels, kept, skipped = read_pictures(paths, image_shape, progress)
    labels = label_of[kept]
    names = tuple(name for name, _ in classes)
    if len(set(labels)) < 2:
        raise DatasetError(f"{folder}: fewer than two classes have readable pictures; {len(skipped)} could not be read.")
    return Dataset(folder.name, pixels.T, labels.reshape(1, -1), None, None, names,
                   task_for(len(names)), tuple(int(s) for s in image_shape)), skipped
