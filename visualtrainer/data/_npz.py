"""One file of named arrays and a JSON header (a .npz without pickles), written whole and read with clear messages.

Datasets and sessions are saved this way: the header names the file's kind and its format version, so that a file
of another kind, a newer file or a damaged one is told apart from a good one before anything is used.
"""

import json
import zipfile
from pathlib import Path

import numpy as np


class FileKindError(ValueError):
    """A file that is not of the kind asked for, newer than this version reads, or damaged."""


def write_npz(path, kind, version, header, arrays):
    """Write ``header`` (JSON-able, given ``format`` = kind and ``version``) and ``arrays`` to ``path``.

    The file is written under a temporary name and renamed when complete: a crash or a full disk never leaves
    half a file in place of a good one. Returns ``path`` as a Path.
    """
    path = Path(path)
    header = {"format": kind, "version": version} | dict(header)
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "wb") as handle:
            np.savez(handle, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8), **arrays)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def read_npz(path, kind, version, what, hint=""):
    """(header, arrays) of a file written by ``write_npz`` with this ``kind``; ``what`` names it in messages.

    Raises FileKindError saying what is wrong: no such file, not a readable file, no header (``hint`` says how
    such a file is made), another kind of file, or a newer version than ``version``.
    """
    path = Path(path)
    if not path.is_file():
        raise FileKindError(f"{path}: no such file.")
    try:
        with np.load(path, allow_pickle=False) as archive:
            if "header" not in archive.files:
                raise FileKindError(f"{path}: not a visualtrainer {what} (it has no header){hint}.")
            header = json.loads(archive["header"].tobytes().decode())
            if not isinstance(header, dict) or header.get("format") != kind:
                found = header.get("format") if isinstance(header, dict) else None
                raise FileKindError(f"{path}: not a visualtrainer {what} (a {found!r} file).")
            if int(header.get("version", 0)) > version:
                raise FileKindError(f"{path}: written by a newer visualtrainer ({what} format {header['version']}; "
                                    f"this one reads up to {version}).")
            arrays = {key: archive[key] for key in archive.files if key != "header"}
    except FileKindError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise FileKindError(f"{path}: not a readable {what} file ({type(error).__name__}: {error}).") from None
    return header, arrays
