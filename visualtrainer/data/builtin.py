"""The built-in generated sets by name, with their defaults: every one needs no file and no download."""

from .dataset import Dataset, DatasetError, task_for
from .planar import make_circles, make_flower, make_gaussian, make_house, make_moons, make_spiral, make_xor
from .split import train_test_split

#: name -> (generator, default noise, classes, one-line description)
BUILTIN = {
    "flower": (make_flower, 0.2, ("red", "blue"), "the course's planar flower: 400 points, two classes"),
    "circles": (make_circles, 0.05, ("outer", "inner"), "two concentric circles"),
    "moons": (make_moons, 0.2, ("upper", "lower"), "two interleaving half moons"),
    "xor": (make_xor, 0.1, ("class 0", "class 1"), "XOR: opposite quadrants share a class"),
    "gaussian": (make_gaussian, 1.0, ("class 0", "class 1"), "two Gaussian blobs"),
    "spiral": (make_spiral, 0.2, ("class 0", "class 1", "class 2"), "three spiral arms, for softmax"),
    "house": (make_house, 0.1, (), "house size → price: regression on one feature"),
}
BUILTIN_DATASETS = {name: entry[3] for name, entry in BUILTIN.items()}


def load_builtin(name, seed=1, noise=None, n_samples=None, test_fraction=0.0):
    """Generate the built-in set ``name`` from ``seed``; hold out ``test_fraction`` of it (split with the seed)."""
    if name not in BUILTIN:
        raise DatasetError(f"unknown dataset {name!r}; choose one of: {', '.join(BUILTIN)}, "
                           "or give the path of a course .h5 training file.")
    make, default_noise, classes, _ = BUILTIN[name]
    kwargs = {"noise": default_noise if noise is None else noise, "seed": seed}
    if n_samples is not None:
        kwargs["n_samples"] = n_samples
    X, Y = make(**kwargs)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, test_fraction, seed)
    return Dataset(name, X_train, Y_train, X_test, Y_test, classes, task_for(len(classes)))
