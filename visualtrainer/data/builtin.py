"""The built-in generated sets by name, with their defaults: none needs a file or a download."""

import inspect

from .dataset import Dataset, DatasetError, task_for
from .planar import make_circles, make_flower, make_gaussian, make_house, make_moons, make_spiral, make_tumor, make_xor
from .shapes import CLASSES as SHAPE_CLASSES
from .shapes import make_shapes
from .split import train_test_split

_TWO = ("class 0", "class 1")

#: name -> (generator, class names in label order, one-line description), in menu order.
_BUILTIN = {
    "flower": (make_flower, ("red", "blue"), "the course's planar flower: 400 points, two classes"),
    "circles": (make_circles, _TWO, "two concentric circles (scikit-learn's make_circles)"),
    "moons": (make_moons, _TWO, "two interleaving half moons (scikit-learn's make_moons)"),
    "xor": (make_xor, _TWO, "XOR: opposite quadrants share a class"),
    "gaussian": (make_gaussian, _TWO, "two Gaussian blobs"),
    "spiral": (make_spiral, ("class 0", "class 1", "class 2"), "three spiral arms, for softmax"),
    "tumor": (make_tumor, ("benign", "malignant"), "tumour size → malignant: two classes on one feature"),
    "house": (make_house, (), "house size → price: regression on one feature"),
    "shapes": (make_shapes, SHAPE_CLASSES, "64×64 pictures: discs against squares and triangles"),
}
_IMAGE_SHAPES = {"shapes": (64, 64, 3)}
_N_X = {"tumor": 1, "house": 1, "shapes": 64 * 64 * 3}  # the others have two features

#: name -> one-line description of each built-in set, in menu order.
BUILTIN_DATASETS = {name: entry[2] for name, entry in _BUILTIN.items()}

#: name -> the noise a built-in set gets when none is given (its generator's default).
DEFAULT_NOISE = {name: inspect.signature(entry[0]).parameters["noise"].default for name, entry in _BUILTIN.items()}


def builtin_layout(name):
    """(n_x, class names) of the built-in set ``name``, known without drawing it."""
    if name not in _BUILTIN:
        raise unknown_dataset(name)
    return _N_X.get(name, 2), _BUILTIN[name][1]


def unknown_dataset(name):
    """The DatasetError for a name that is neither a built-in set nor a course file."""
    return DatasetError(f"unknown dataset {name!r}; choose one of: {', '.join(BUILTIN_DATASETS)}, "
                        "or give the path of a course .h5 training file.")


def load_builtin(name, seed=1, noise=None, n_samples=None, test_fraction=0.0):
    """Generate the built-in set ``name`` and hold out a seeded share of it for testing.

    Parameters
    ----------
    name : str
        One of ``BUILTIN_DATASETS``: flower, circles, moons, xor, gaussian, spiral, tumor, house, shapes.
    seed : int
        Seed of the points and of the split.
    noise : float or None
        Noise of the generator; None for ``DEFAULT_NOISE[name]``.
    n_samples : int or None
        Number of points before the split; None for the generator's default (400 for the flower).
    test_fraction : float
        Share held out by ``train_test_split`` with the same seed, in [0, 1).

    Returns
    -------
    Dataset
        X_train (n_x, m) float64 with n_x = 2 (1 for tumor and house), Y_train (1, m) int64 labels (float64 prices for
        house); X_test, Y_test None when test_fraction rounds to no example.

    Raises
    ------
    DatasetError
        For an unknown name or a bad seed, noise, n_samples or test_fraction.
    """
    if not isinstance(name, str) or name not in _BUILTIN:
        raise unknown_dataset(name)
    make, classes, _ = _BUILTIN[name]
    kwargs = {"noise": DEFAULT_NOISE[name] if noise is None else noise, "seed": seed}
    if n_samples is not None:
        kwargs["n_samples"] = n_samples
    X, Y = make(**kwargs)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, test_fraction, seed)
    return Dataset(name, X_train, Y_train, X_test, Y_test, classes, task_for(len(classes)), _IMAGE_SHAPES.get(name))
