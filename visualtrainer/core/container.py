"""One file container for models, datasets and sessions: named arrays and a JSON header in a .npz, never a pickle.

Writing is atomic (``files.atomic_write``): a crash, a kill or a full disk leaves the previous file whole. Reading
is bounded (``Container``): only regular files are opened, only the members a reader asks for are read, and each
member's declared shape and dtype are checked, against what the reader expects and against a memory budget, before
anything is allocated. Every problem is a ``FileError`` (a ValueError) whose message is one sentence naming the
file.
"""

import ast
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from .files import FileError, atomic_write, open_regular
from .validation import available_memory, format_bytes

#: Members a container may have: a session holds a few per run, and runs are capped far below this.
MAX_MEMBERS = 10_000
#: The zip's list of members: about 100 bytes a member in the files visualtrainer writes.
MAX_DIRECTORY_BYTES = 4 * 2**20
#: The JSON header's largest size (a session's runs and view are a few KB).
MAX_HEADER_BYTES = 16 * 2**20
#: A compressed member may expand at most this many times, past ``BOMB_FLOOR`` bytes (visualtrainer stores its
#: members uncompressed; a member that expands more is a decompression bomb).
MAX_EXPANSION = 100
BOMB_FLOOR = 64 * 2**20
_MAX_NPY_HEADER = 65_536
_CHUNK = 16 * 2**20
_KINDS = {"b": "booleans", "i": "integers", "u": "unsigned integers", "f": "floats", "U": "text"}


def memory_budget():
    """Bytes one file's arrays may take: half the memory available now (4 GB where that is not known)."""
    available = available_memory()
    return 4 * 10**9 if available is None else max(256 * 2**20, available // 2)


# -- writing ------------------------------------------------------------------------------------------------------
def write_container(path, kind, version, header, arrays):
    """Write ``header`` (JSON-able; ``format`` = kind and ``version`` are added) and ``arrays`` (name -> ndarray,
    numbers only) to ``path`` atomically, uncompressed. Returns ``path`` as a Path."""
    text = json.dumps({"format": kind, "version": version} | dict(header))
    members = {"header": np.frombuffer(text.encode(), dtype=np.uint8)}
    for name, value in arrays.items():
        value = np.asarray(value)
        if value.dtype.hasobject or value.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be an array of numbers; got dtype {value.dtype}.")
        members[name] = value
    return atomic_write(path, lambda handle: np.savez(handle, **members))


# -- reading ------------------------------------------------------------------------------------------------------
def _zip_directory(handle, size):
    """(members, bytes) of the zip's list of members as its end record declares them (zip64 too), read before
    zipfile builds that list; None when there is no end record (not a zip)."""
    tail_size = min(size, 65_536 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory = int.from_bytes(tail[at + 12 : at + 16], "little")
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if locator >= 0 and (count == 0xFFFF or directory == 0xFFFFFFFF):  # zip64: in the zip64 end record
        offset = int.from_bytes(tail[locator + 8 : locator + 16], "little")
        if offset + 56 <= size:
            handle.seek(offset)
            record = handle.read(56)
            if record[:4] == b"PK\x06\x06":
                count = int.from_bytes(record[32:40], "little")
                directory = int.from_bytes(record[40:48], "little")
    return count, directory


class Container:
    """A container file opened for reading: ``header`` (dict) and members read one by one with ``read``.

    Parameters
    ----------
    path : str or Path
    kind : str
        The ``format`` its header must name ("visualtrainer-model", …).
    version : int
        The newest format version this reader knows.
    what : str
        The file's kind in messages ("model", "dataset", "session").
    hint : str
        Appended to the message for a file without a header: how such a file is made.
    budget : int or None
        Bytes all the members read may take together (None: ``memory_budget()``).
    """

    def __init__(self, path, kind, version, what, hint="", budget=None):
        self.path, self.what = Path(path), what
        self._budget = memory_budget() if budget is None else int(budget)
        self._used = 0
        self._members, self._checked = {}, {}
        self._file = open_regular(self.path, f"{what} file")
        try:
            self._zip = self._open_zip()
            self.header = self._read_header(kind, version, hint)
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if getattr(self, "_zip", None) is not None:
            self._zip.close()
        self._file.close()

    def error(self, text):
        """A FileError naming the file: ``text`` completes the sentence."""
        return FileError(f"{self.path}: {text}")

    def _unreadable(self, detail):
        return self.error(f"not a readable {self.what} file ({detail}).")

    def _open_zip(self):
        size = os.fstat(self._file.fileno()).st_size
        if size == 0:
            raise self._unreadable("it is empty")
        directory = _zip_directory(self._file, size)
        if directory is None:
            raise self._unreadable("not a zip archive of arrays")
        count, nbytes = directory
        if count > MAX_MEMBERS or nbytes > MAX_DIRECTORY_BYTES:
            raise self._unreadable(f"it declares {count:,} members in a list of {format_bytes(nbytes)}; a "
                                   f"{self.what} has at most {MAX_MEMBERS:,}, listed in at most "
                                   f"{format_bytes(MAX_DIRECTORY_BYTES)}")
        self._file.seek(0)
        try:
            archive = zipfile.ZipFile(self._file)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as problem:
            raise self._unreadable(f"{type(problem).__name__}: {_first_line(problem)}") from None
        for info in archive.infolist():
            name = info.filename[:-4] if info.filename.endswith(".npy") else None
            if name is None or name in self._members:
                continue  # not an array, or a second member of that name: never read
            self._members[name] = info
        return archive

    def _read_header(self, kind, version, hint):
        if "header" not in self._members:
            raise self.error(f"not a visualtrainer {self.what} (it has no header){hint}.")
        shape, dtype, _, _ = self._declared("header")
        if dtype.kind == "u" and dtype.itemsize == 1 and len(shape) == 1 and shape[0] <= MAX_HEADER_BYTES:
            raw = self.read("header").tobytes()
        elif dtype.kind == "U" and shape == () and dtype.itemsize <= 4 * MAX_HEADER_BYTES:  # model files, format 1
            raw = str(self.read("header", kinds="U")[()]).encode("utf-8", "surrogatepass")
        else:
            raise self._unreadable(f"its header is {dtype} {shape}, not JSON text")
        try:
            header = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as problem:
            raise self._unreadable(f"its header is not JSON: {type(problem).__name__}") from None
        if not isinstance(header, dict) or header.get("format") != kind:
            found = header.get("format") if isinstance(header, dict) else None
            found = found if isinstance(found, str) and len(found) < 60 else None
            raise self.error(f"not a visualtrainer {self.what} (a {found!r} file).")
        found = header.get("version", 0)
        if isinstance(found, bool) or not isinstance(found, int) or found < 0:
            raise self._unreadable(f"its format version is {str(found)[:20]!r}")
        if found > version:
            raise self.error(f"written by a newer visualtrainer ({self.what} format {found}; this one reads up to "
                             f"{version}); upgrade visualtrainer to open it.")
        return header

    # -- members ----------------------------------------------------------------------------------------------
    def __contains__(self, name):
        return name in self._members

    @property
    def names(self):
        """Every array member's name (nothing of them is read)."""
        return set(self._members)

    def shape(self, name):
        """The shape ``name`` declares, read from its own header only (FileError when missing or damaged)."""
        return self._declared(name)[0]

    def dtype(self, name):
        return self._declared(name)[1]

    def _declared(self, name):
        """(shape, dtype, fortran order, data offset) of member ``name``, its size checked against the zip's."""
        if name not in self._checked:
            self._checked[name] = self._check_member(name)
        return self._checked[name]

    def _check_member(self, name):
        info = self._members.get(name)
        if info is None:
            raise self.error(f"the {self.what} has no {name}; the file is damaged or incomplete.")
        try:
            with self._zip.open(info) as stream:
                shape, dtype, fortran, offset = _npy_header(stream)
        except (ValueError, SyntaxError, TypeError, KeyError, MemoryError, RecursionError, OSError, EOFError,
                zipfile.BadZipFile, NotImplementedError, RuntimeError) as problem:
            raise self._unreadable(f"{name}: {type(problem).__name__}: {_first_line(problem)}") from None
        if dtype.hasobject:
            raise self.error(f"{name} holds Python objects, which are never loaded (unpickling can run any code); "
                             f"this is not a file visualtrainer wrote.")
        if dtype.kind not in _KINDS or dtype.names is not None or dtype.shape != ():
            raise self._unreadable(f"{name} holds {dtype}, not numbers")
        nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize if shape else dtype.itemsize
        if info.file_size != offset + nbytes:
            raise self._unreadable(f"{name} declares {shape} {dtype} ({format_bytes(nbytes)}) but holds "
                                   f"{format_bytes(max(0, info.file_size - offset))}")
        if info.compress_type != zipfile.ZIP_STORED and info.file_size > BOMB_FLOOR \
                and info.file_size > MAX_EXPANSION * max(info.compress_size, 1):
            raise self.error(f"{name} would expand from {format_bytes(info.compress_size)} to "
                             f"{format_bytes(info.file_size)}; refused as a decompression bomb.")
        return shape, dtype, fortran, offset

    def read(self, name, kinds="biuf", ndim=None, shape=None):
        """Member ``name`` as an ndarray in native byte order, once its declared dtype kind is one of ``kinds``,
        its number of axes ``ndim`` and its shape ``shape`` (None in it: any length) when given, and its size fits
        in what is left of the budget; FileError otherwise, before anything is allocated."""
        declared, dtype, fortran, offset = self._declared(name)
        if dtype.kind not in kinds:
            wanted = " or ".join(_KINDS[k] for k in kinds)
            raise self.error(f"{name} must hold {wanted}; it holds {dtype}.")
        if ndim is not None and len(declared) != ndim:
            raise self.error(f"{name} must have {ndim} axes; it has shape {declared}.")
        if shape is not None and (len(shape) != len(declared)
                                  or any(s is not None and s != d for s, d in zip(shape, declared))):
            expected = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ("," * (len(shape) == 1)) + ")"
            raise self.error(f"{name} must have shape {expected}; it has {declared}.")
        count = int(np.prod(declared, dtype=object)) if declared else 1
        self.reserve(count * dtype.itemsize, name)
        flat = np.empty(count, dtype=dtype)
        buffer = memoryview(flat.view(np.uint8)) if count * dtype.itemsize else memoryview(bytearray())
        try:
            with self._zip.open(self._members[name]) as stream:
                stream.read(offset)
                done = 0
                while done < len(buffer):
                    chunk = stream.read(min(_CHUNK, len(buffer) - done))
                    if not chunk:
                        raise EOFError("it ends early")
                    buffer[done : done + len(chunk)] = chunk
                    done += len(chunk)
                stream.read(1)  # the end: zipfile checks the member's CRC here
        except (OSError, EOFError, ValueError, zipfile.BadZipFile, NotImplementedError, RuntimeError) as problem:
            raise self._unreadable(f"{name}: {type(problem).__name__}: {_first_line(problem)}") from None
        out = flat.reshape(declared, order="F" if fortran else "C")
        return out if dtype.isnative else out.astype(dtype.newbyteorder("="))

    def reserve(self, nbytes, what):
        """Count ``nbytes`` against the budget, or raise saying ``what`` would need more memory than is left."""
        if self._used + nbytes > self._budget:
            raise self.error(f"{what} would need {format_bytes(self._used + nbytes)} of memory, more than the "
                             f"{format_bytes(self._budget)} this machine can spare now; free some memory first.")
        self._used += nbytes


def _npy_header(stream):
    """(shape, dtype, fortran_order, offset of the data) from the start of a .npy member, read within bounds."""
    magic = stream.read(8)
    if len(magic) < 8 or magic[:6] != b"\x93NUMPY":
        raise ValueError("not an array (.npy) member")
    major = magic[6]
    if major not in (1, 2, 3):
        raise ValueError(f"array format version {major}")
    width = 2 if major == 1 else 4
    size = int.from_bytes(stream.read(width), "little")
    if size > _MAX_NPY_HEADER:
        raise ValueError(f"an array header of {size:,} bytes")
    text = stream.read(size)
    if len(text) < size:
        raise EOFError("it ends in an array header")
    fields = ast.literal_eval(text.decode("utf-8" if major == 3 else "latin1"))
    if not isinstance(fields, dict) or set(fields) != {"descr", "fortran_order", "shape"}:
        raise ValueError("an array header without descr, fortran_order and shape")
    shape = fields["shape"]
    if not isinstance(shape, tuple) or len(shape) > 32 or \
            any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in shape):
        raise ValueError(f"a shape of {str(shape)[:40]}")
    if not isinstance(fields["descr"], str):
        raise ValueError("a dtype that is not a simple type")  # structured arrays: never ours
    dtype = np.lib.format.descr_to_dtype(fields["descr"])
    return shape, dtype, bool(fields["fortran_order"]), 8 + width + size


def _first_line(problem):
    lines = str(problem).strip().splitlines()
    text = lines[0] if lines else type(problem).__name__
    return text if len(text) <= 120 else text[:117] + "..."
