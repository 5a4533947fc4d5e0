"""Files and generators → arrays in the course's layout, X (n_x, m) and Y (1, m) (numpy + h5py; no Qt here)."""

from os import PathLike
from pathlib import Path

from ._checks import check_test_fraction
from .archive import SUFFIX as ARCHIVE_SUFFIX
from .archive import load_dataset_file, save_dataset
from .builtin import BUILTIN_DATASETS, DEFAULT_NOISE, load_builtin, unknown_dataset
from .catvnoncat import H5_SUFFIXES, find_test_file, flatten_images, load_course_h5
from .dataset import Dataset, DatasetError
from .folders import load_picture_folder
from .planar import make_circles, make_flower, make_gaussian, make_house, make_moons, make_spiral, make_tumor, make_xor
from .split import train_test_split


def load_dataset(spec, seed=1, noise=None, test_fraction=0.0, n_samples=None, test_samples=None, test_seed=None):
    """A built-in set by name, or a course training file by path (with the test file beside it).

    Parameters
    ----------
    spec : str or path-like
        A name from ``BUILTIN_DATASETS``, the path of a .h5 / .hdf5 training file, a dataset saved as .npz by
        ``save_dataset``, or a folder with one subfolder of pictures per class (unreadable pictures are left out).
    seed : int
        Seed of a generated set and of the split.
    noise : float or None
        Noise of a generated set (None: its default); ignored for files.
    test_fraction : float
        Share of the examples held out for testing, in [0, 1). A file with a test file beside it already
        has its test set, so it takes only 0.
    n_samples : int or None
        Points of a generated set (None: its default).
    test_samples, test_seed : int or None
        For a generated set: draw the test set apart, ``test_samples`` points from ``test_seed``, as the course's
        notebooks do (``np.random.seed(2)`` before the test set's draw); then test_fraction must be 0.

    Returns
    -------
    Dataset
        X_train (n_x, m), Y_train (1, m), X_test (n_x, m_test) and Y_test (1, m_test) or None; uint8 pixels
        for files, float64 for generated sets.

    Raises
    ------
    DatasetError
        For an unknown name, a missing or bad file, or bad arguments.
    """
    if isinstance(spec, str) and spec in BUILTIN_DATASETS:
        return _generated(spec, seed, noise, test_fraction, n_samples, test_samples, test_seed)
    if n_samples is not None or test_samples is not None:
        raise DatasetError("n_samples and test_samples are for generated sets; a file brings its own examples.")
    if not isinstance(spec, (str, PathLike)):
        raise DatasetError(f"dataset must be a name or the path of a course .h5 file; got {type(spec).__name__}.")
    path = Path(spec)
    if path.is_dir():  # one subfolder of pictures per class
        return _split(load_picture_folder(path)[0], test_fraction, seed)
    if path.suffix.lower() == ARCHIVE_SUFFIX:  # saved by File > Save dataset
        data = load_dataset_file(path)
        if check_test_fraction(test_fraction) == 0 or data.X_test is not None:
            return data
        return _split(data, test_fraction, seed)
    if path.suffix.lower() not in H5_SUFFIXES:
        raise unknown_dataset(str(spec))
    test_fraction = check_test_fraction(test_fraction)
    data = load_course_h5(path)  # raises "…: no such file." for a missing path
    if test_fraction == 0:
        return data
    if data.X_test is not None:
        raise DatasetError(f"{path} already has its test set ({data.m_test} examples in "
                           f"{find_test_file(path).name}); test_fraction must be 0 for it; got {test_fraction}.")
    return _split(data, test_fraction, seed)


def _split(data, test_fraction, seed):
    """``data`` with a seeded share of its training examples held out for testing."""
    X_train, Y_train, X_test, Y_test = train_test_split(data.X_train, data.Y_train, test_fraction, seed)
    return Dataset(data.name, X_train, Y_train, X_test, Y_test, data.classes, data.task, data.image_shape)


def _generated(name, seed, noise, test_fraction, n_samples, test_samples, test_seed):
    """A built-in set, its test set held out of it or drawn apart (``test_samples`` from ``test_seed``)."""
    if test_samples is None:
        return load_builtin(name, seed=seed, noise=noise, n_samples=n_samples, test_fraction=test_fraction)
    if check_test_fraction(test_fraction) > 0:
        raise DatasetError(f"give either test_fraction ({test_fraction}) or a test set drawn apart "
                           f"(test_samples = {test_samples}), not both.")
    train = load_builtin(name, seed=seed, noise=noise, n_samples=n_samples)
    test = load_builtin(name, seed=seed + 1 if test_seed is None else test_seed, noise=noise, n_samples=test_samples)
    return Dataset(train.name, train.X_train, train.Y_train, test.X_train, test.Y_train, train.classes, train.task,
                   train.image_shape)


__all__ = ["Dataset", "DatasetError", "BUILTIN_DATASETS", "DEFAULT_NOISE", "load_builtin", "load_course_h5",
           "load_dataset", "find_test_file", "flatten_images", "train_test_split", "make_flower", "make_circles",
           "make_moons", "make_xor", "make_gaussian", "make_spiral", "make_tumor", "make_house", "save_dataset",
           "load_dataset_file"]
