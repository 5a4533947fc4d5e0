"""Builders of hostile files: .npz containers with lying headers, bombs and pickles, FIFOs, symbolic link loops,
pictures whose header claims more pixels than they hold. Shared by the fuzz suite and the file tests."""

import io
import json
import os
import struct
import zipfile
import zlib

import numpy as np


def npy_header(shape, descr="<f8", fortran=False, version=1):
    """The bytes of a .npy header declaring ``shape`` and ``descr`` (data not included): it may lie freely."""
    text = repr({"descr": descr, "fortran_order": fortran, "shape": tuple(shape)})
    width = 2 if version == 1 else 4
    pad = (64 - (6 + 2 + width + len(text) + 1) % 64) % 64
    text = (text + " " * pad + "\n").encode("latin1")
    return b"\x93NUMPY" + bytes([version, 0]) + len(text).to_bytes(width, "little") + text


def npy(array):
    """A real .npy member's bytes (as np.save writes them)."""
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=True)
    return buffer.getvalue()


def header_member(header):
    """The JSON header member visualtrainer writes (UTF-8 bytes as uint8)."""
    return npy(np.frombuffer(json.dumps(header).encode(), dtype=np.uint8))


def write_zip(path, members, compress=False):
    """A zip of ``members`` (name without .npy -> bytes), stored or deflated, written as it is."""
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name + ".npy", data)
    return path


def zeros_member(shape, dtype="<f8"):
    """A member holding exactly the zeros its header declares (for bombs: deflated, it is tiny)."""
    count = int(np.prod(shape)) * np.dtype(dtype).itemsize
    return npy_header(shape, dtype) + bytes(count)


def deflated_bomb(path, name, shape, others, dtype="<f8"):
    """A deflated zip whose member ``name`` declares ``shape`` of zeros; written in pieces (the bomb's own
    expanded size is never held in memory here)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, data in others.items():
            archive.writestr(key + ".npy", data)
        with archive.open(name + ".npy", "w", force_zip64=True) as member:
            member.write(npy_header(shape, dtype))
            left = int(np.prod(shape)) * np.dtype(dtype).itemsize
            block = bytes(1 << 24)
            while left:
                member.write(block[: min(left, len(block))])
                left -= min(left, len(block))
    return path


def make_fifo(path):
    os.mkfifo(path)
    return path


def symlink_loop(path):
    """``path`` -> ``path``: a symbolic link that resolves to itself."""
    os.symlink(path.name, path)
    return path


def png_claiming(path, width, height):
    """A few hundred bytes of PNG whose header claims width × height pixels (the data holds one row)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = zlib.compress(b"\x00" + bytes(3 * min(width, 1000)))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
    return path


def jpeg_claiming(path, width, height):
    """A small JPEG whose frame header claims width × height (a 16×16 picture with its size rewritten)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    at = data.find(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    path.write_bytes(bytes(data))
    return path
