"""Files and generators → arrays in the course's layout (numpy + h5py; no Qt here)."""

from pathlib import Path

from .builtin import BUILTIN_DATASETS, load_builtin
from .catvnoncat import find_test_file, flatten_images, load_course_h5
from .dataset import Dataset, DatasetError
from .planar import make_circles, make_flower, make_gaussian, make_house, make_moons, make_spiral, make_xor
from .split import train_test_split


def load_dataset(spec, seed=1, noise=None, test_fraction=0.0):
    """A built-in set by name, or a course .h5 training file by path (its test file is found beside it)."""
    if str(spec) in BUILTIN_DATASETS:
        return load_builtin(str(spec), seed=seed, noise=noise, test_fraction=test_fraction)
    path = Path(spec)
    if path.suffix.lower() in (".h5", ".hdf5") or path.exists():
        if not path.exists():
            raise DatasetError(f"{path}: no such file.")
        return load_course_h5(path)
    return load_builtin(str(spec))  # raises the unknown-dataset message


__all__ = ["Dataset", "DatasetError", "BUILTIN_DATASETS", "load_builtin", "load_course_h5", "load_dataset",
           "find_test_file", "flatten_images", "train_test_split", "make_flower", "make_circles", "make_moons",
           "make_xor", "make_gaussian", "make_spiral", "make_house"]
