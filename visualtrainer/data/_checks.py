"""Argument checks shared by the generators, the split and the loaders: each raises DatasetError with a fix."""

import numbers

import numpy as np

from visualtrainer.core.validation import available_memory, format_bytes

from .dataset import DatasetError

#: RandomState accepts seeds 0 … 2**32 − 1.
_MAX_SEED = 2**32 - 1


def shown(value):
    """``value`` as a message shows it: numbers plainly (-1, 0.5), anything else by repr ('abc', None)."""
    if isinstance(value, (numbers.Number, np.number)) and not isinstance(value, (bool, np.bool_)):
        return str(value)
    return repr(value)


def is_integer(value):
    """True for Python and numpy integers, False for bools, floats and everything else."""
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


def is_real(value):
    """True for finite Python and numpy reals (ints included), False for bools, nan, inf and the rest."""
    return (isinstance(value, (numbers.Real, np.floating, np.integer))
            and not isinstance(value, (bool, np.bool_)) and bool(np.isfinite(value)))


def check_seed(seed):
    """``np.random.RandomState(seed)`` for an integer seed in 0 … 2**32 − 1."""
    if not is_integer(seed) or not 0 <= seed <= _MAX_SEED:
        raise DatasetError(f"seed must be an integer in 0 … {_MAX_SEED}; got {shown(seed)}.")
    return np.random.RandomState(int(seed))


def check_noise(noise):
    """``noise`` as a float, when it is a finite number >= 0."""
    if not is_real(noise) or noise < 0:
        raise DatasetError(f"noise must be a float >= 0; got {shown(noise)}. Use 0 for noiseless points.")
    return float(noise)


def check_n_samples(n_samples, minimum=4, multiple_of=1, why="", bytes_per_sample=256):
    """``n_samples`` as an int, when it is an integer >= ``minimum`` and a multiple of ``multiple_of``, and
    drawing that many, at about ``bytes_per_sample`` bytes each, fits in the memory available."""
    if not is_integer(n_samples) or n_samples < minimum:
        raise DatasetError(f"n_samples must be an integer >= {minimum}; got {shown(n_samples)}.")
    available = available_memory()
    if available is not None and n_samples * bytes_per_sample > available:
        raise DatasetError(f"n_samples = {n_samples:,} would need about {format_bytes(n_samples * bytes_per_sample)} "
                           f"of memory, more than the {format_bytes(available)} available; use fewer.")
    if n_samples % multiple_of:
        lower = n_samples - n_samples % multiple_of
        raise DatasetError(f"n_samples must be a multiple of {multiple_of}{why}; got {n_samples}. "
                           f"Use {lower} or {lower + multiple_of}.")
    return int(n_samples)


def check_test_fraction(test_fraction):
    """``test_fraction`` as a float, when it is a number in [0, 1)."""
    if not is_real(test_fraction) or not 0 <= test_fraction < 1:
        raise DatasetError(f"test_fraction must be a float in [0, 1); got {shown(test_fraction)}. "
                           "Use 0 for no test set, 0.2 to hold out a fifth.")
    return float(test_fraction)
