"""Pictures for the window: dropped files to classify, files for a class of a hand-made dataset, and folders of
class subfolders to train on, read in a worker's thread a few at a time so that progress and Cancel come between.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualtrainer.core.metrics import class_probabilities
from visualtrainer.data import Dataset, DatasetError
from visualtrainer.data.dataset import task_for
from visualtrainer.data.folders import class_folders
from visualtrainer.data.images import SUFFIXES, LoadCancelled, read_pictures

PANEL_SHAPE = (64, 64, 3)  # the pictures of a hand-made dataset
PROGRESS_SECONDS = 0.05  # progress reaches the window at most 20 times a second
CHUNK = 8  # pictures read between two looks at the clock


def picture_files(paths):
    """The picture files among ``paths``, a folder standing for the pictures in it."""
    files = []
    for path in map(Path, paths or []):
        files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES) if path.is_dir() else [path])
    return files


def dataset_folders(paths):
    """The folders among ``paths`` with two or more class subfolders of pictures: datasets, not pictures."""
    return [Path(p) for p in paths or [] if Path(p).is_dir() and len(class_folders(p)) >= 2]


@dataclass(frozen=True)
class PicturesRead:
    """Pictures read: the readable ones' paths and pixels (k, h·w·c) uint8, and [(path, message)] of the rest."""

    paths: list
    pixels: np.ndarray
    failures: list


def read_files(paths, image_shape, control):
    """Read the pictures at ``paths`` as ``image_shape`` uint8 pixels: a generator of (done, total), returning a
    PicturesRead, or None when ``control`` (a TrainingControl) was cancelled."""
    paths = [str(p) for p in paths]
    pixels = np.empty((len(paths), int(np.prod(image_shape))), dtype=np.uint8)
    kept, failures, reported = [], [], 0.0
    try:
        for start in range(0, len(paths), CHUNK):
            part, indices, bad = read_pictures(paths[start : start + CHUNK], image_shape,
                                               lambda done, total: not control.cancelled)
            pixels[len(kept) : len(kept) + len(indices)] = part
            kept += [start + i for i in indices]
            failures += bad
            done = min(start + CHUNK, len(paths))
            if done == len(paths) or time.perf_counter() - reported >= PROGRESS_SECONDS:
                reported = time.perf_counter()
                yield done, len(paths)
    except LoadCancelled:
        return None
    return PicturesRead([paths[i] for i in kept], pixels[: len(kept)], failures)


@dataclass(frozen=True)
class FolderRead:
    """A folder of class subfolders read as a Dataset (no test set yet), and [(path, message)] left out."""

    folder: str
    data: Dataset
    skipped: list


def read_folder(folder, image_shape, control):
    """Every picture under ``folder``/<class>/ (see ``data.load_picture_folder``): a generator of (done, total),
    returning a FolderRead, or None when cancelled; DatasetError for a folder that is not a picture dataset."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder.")
    classes = class_folders(folder)
    if len(classes) < 2:
        found = ", ".join(name for name, _ in classes) or "none"
        raise DatasetError(f"{folder}: a picture dataset needs at least two subfolders of pictures, one per class; "
                           f"found {len(classes)} ({found}).")
    paths = [str(path) for _, group in classes for path in group]
    label_of = dict(zip(paths, np.concatenate([np.full(len(group), k) for k, (_, group) in enumerate(classes)])))
    read = yield from read_files(paths, image_shape, control)
    if read is None:
        return None
    labels = np.array([label_of[path] for path in read.paths], dtype=np.int64)
    if len(set(labels.tolist())) < 2:
        raise DatasetError(f"{folder}: fewer than two classes have readable pictures; {len(read.failures)} could "
                           "not be read.")
    names = tuple(name for name, _ in classes)
    data = Dataset(folder.name, read.pixels.T, labels.reshape(1, -1), None, None, names, task_for(len(names)),
                   tuple(int(s) for s in image_shape))
    return FolderRead(str(folder), data, read.failures)


def plural(n, word="picture"):
    """"1 picture", "2 pictures", "1,000 pictures", "3 classes"."""
    return f"{n:,} {word}{('es' if word.endswith('s') else 's') * (n != 1)}"


def unreadable(failures, shown=4):
    """One sentence naming the pictures of ``failures`` ([(path, message)]) that could not be read and why:
    "2 pictures could not be read: a.jpg (empty), b.png (not a readable image); use .png, …"."""
    if not failures:
        return ""
    reasons, hints = [], set()
    for path, message in failures[:shown]:
        text = message.removeprefix(f"{path}: ").rstrip(".")
        reason, _, hint = text.partition("; ")
        hints.add(hint)
        reasons.append(f"{Path(path).name} ({reason})")
    more = len(failures) - shown
    names = ", ".join(reasons) + (f" and {plural(more, 'other')}" if more > 0 else "")
    hint = f"; {hints.pop()}" if len(hints) == 1 and "" not in hints else ""
    return f"{plural(len(failures))} could not be read: {names}{hint}."


def classify(model, pixels):
    """Each picture's class probabilities (k, n_classes) from pixels (k, h·w·c), by ``model`` (a fitted Network)."""
    return class_probabilities(model.predict_proba(np.asarray(pixels).T), model.output).T
