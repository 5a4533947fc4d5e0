"""A folder of pictures as a dataset: one subfolder per class, the subfolders' names are the class names."""

from pathlib import Path

import numpy as np

from .dataset import Dataset, DatasetError, task_for
from .images import SUFFIXES, picture_pixels


def class_folders(folder):
    """The subfolders of ``folder`` that hold pictures, sorted by name: [(name, [picture paths])]."""
    folder = Path(folder)
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        pictures = sorted(p for p in sub.iterdir() if p.suffix.lower() in SUFFIXES)
        if pictures:
            found.append((sub.name, pictures))
    return found


def load_picture_folder(folder, image_shape=(64, 64, 3)):
    """Every picture under ``folder``/<class>/ as uint8 pixels X (h·w·c, m), labels Y (1, m) in class-name order.

    Pictures that cannot be read are left out and named in ``skipped`` [(path, message)] of the returned pair
    (dataset, skipped). A folder with fewer than two classes of pictures is a DatasetError.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder.")
    classes = class_folders(folder)
    if len(classes) < 2:
        found = ", ".join(name for name, _ in classes) or "none"
        raise DatasetError(f"{folder}: a picture dataset needs at least two subfolders of pictures, one per class; "
                           f"found {len(classes)} ({found}).")
    pixels, labels, skipped = [], [], []
    for label, (_, paths) in enumerate(classes):
        for path in paths:
            try:
                pixels.append(picture_pixels(path, image_shape))
            except DatasetError as error:
                skipped.append((path, str(error)))
                continue
            labels.append(label)
    names = tuple(name for name, _ in classes)
    if len(set(labels)) < 2:
        raise DatasetError(f"{folder}: fewer than two classes have readable pictures; {len(skipped)} could not be read.")
    X = np.stack(pixels).reshape(len(pixels), -1).T
    return Dataset(folder.name, X, np.asarray(labels, dtype=np.int64).reshape(1, -1), None, None, names,
                   task_for(len(names)), tuple(int(s) for s in image_shape)), skipped
