"""A session in one file: the window's state (JSON), its arrays (weights, costs, paths) and, when the dataset was
made in the app, the dataset itself; File > Save session writes it and File > Open session reads it back.
"""

from pathlib import Path

from ._npz import FileKindError, read_npz, write_npz
from .archive import dataset_arrays, dataset_from_arrays
from .dataset import DatasetError

FORMAT = "visualtrainer-session"
VERSION = 1
SUFFIX = ".vtsession"
DATA_PREFIX = "data_"  # the embedded dataset's arrays


def save_session(path, state, arrays, data=None):
    """Write ``state`` (JSON-able), ``arrays`` (name -> ndarray) and the Dataset ``data`` if given; returns the path.

    Array names must not start with ``DATA_PREFIX``. The suffix .vtsession is added when missing.
    """
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    if any(name.startswith(DATA_PREFIX) for name in arrays):
        raise ValueError(f"array names starting with {DATA_PREFIX!r} are kept for the dataset.")
    header = {"state": state, "dataset": None}
    arrays = dict(arrays)
    if data is not None:
        header["dataset"], data_arrays = dataset_arrays(data, DATA_PREFIX)
        arrays |= data_arrays
    return write_npz(path, FORMAT, VERSION, header, arrays)


def load_session(path):
    """(state, arrays, data) saved by ``save_session``: data is the embedded Dataset or None.

    Raises ValueError with what is wrong: no such file, a damaged or truncated file, another kind of file, a
    newer format, or a session whose parts are missing.
    """
    header, arrays = read_npz(path, FORMAT, VERSION, "session", "; save one with File > Save session")
    state = header.get("state")
    if not isinstance(state, dict):
        raise FileKindError(f"{path}: the session file has no state; it is damaged.")
    data = None
    if header.get("dataset") is not None:
        try:
            data = dataset_from_arrays(header["dataset"], arrays, path, DATA_PREFIX)
        except (DatasetError, ValueError, TypeError) as error:
            raise FileKindError(f"{path}: the session's dataset cannot be read ({error}).") from None
    return state, {k: v for k, v in arrays.items() if not k.startswith(DATA_PREFIX)}, data
