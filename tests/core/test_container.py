"""The file container: what it writes reads back exactly; a hostile file is refused in one sentence, before the
memory its header claims is allocated; only regular files are opened; a save replaces its file atomically."""

import json
import os
import tracemalloc

import numpy as np
import pytest

from tests.fuzz.hostile import (deflated_bomb, header_member, make_fifo, npy, npy_header, symlink_loop,
                                write_zip, zeros_member)
from visualtrainer.core.container import Container, write_container
from visualtrainer.core import files
from visualtrainer.core.files import FileError, atomic_write, open_regular, remove_temporaries_of_crashes

KIND, WHAT = "visualtrainer-test", "test"
HEADER = {"format": KIND, "version": 1}


def _open(path, budget=None):
    return Container(path, KIND, 1, WHAT, budget=budget)


def test_arrays_and_header_come_back_exactly(tmp_path):
    arrays = {"a": np.arange(12.0).reshape(3, 4), "f": np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)),
              "u": np.arange(5, dtype=np.uint8), "flags": np.array([True, False]), "empty": np.zeros((0, 4))}
    path = write_container(tmp_path / "c.npz", KIND, 1, {"name": "x", "nested": {"k": [1, 2]}}, arrays)
    with _open(path) as file:
        assert file.header == {"format": KIND, "version": 1, "name": "x", "nested": {"k": [1, 2]}}
        assert file.names == {"header", *arrays}
        for name, value in arrays.items():
            back = file.read(name, kinds="biuf")
            assert back.dtype == value.dtype and back.shape == value.shape
            np.testing.assert_array_equal(back, value)
    assert np.load(path)["a"].tolist() == arrays["a"].tolist()  # still an ordinary .npz to numpy


def test_big_endian_members_come_back_in_native_order(tmp_path):
    path = write_zip(tmp_path / "c.npz", {"header": header_member(HEADER), "x": npy(np.arange(4, dtype=">f8"))})
    with _open(path) as file:
        x = file.read("x")
    assert x.dtype == np.float64 and x.dtype.isnative and x.tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("members, message", [
    ({"x": npy(np.zeros(2))}, r"not a visualtrainer test \(it has no header\)"),
    ({"header": header_member({"format": "other", "version": 1})}, r"not a visualtrainer test \(a 'other' file\)"),
    ({"header": header_member({"format": KIND, "version": 9})}, r"written by a newer visualtrainer \(test "
                                                                 r"format 9; this one reads up to 1\)"),
    ({"header": header_member({"format": KIND, "version": "1"})}, r"format version is '1'"),
    ({"header": header_member([1, 2])}, r"not a visualtrainer test \(a None file\)"),
    ({"header": npy(np.frombuffer(b"\xff\xfe{", np.uint8))}, r"its header is not JSON"),
    ({"header": npy(np.frombuffer(b"[" * 100000, np.uint8))}, r"its header is not JSON"),
    ({"header": npy(np.zeros(3))}, r"its header is float64 \(3,\), not JSON text"),
    ({"header": npy(np.array([{"format": KIND}], dtype=object))}, r"header holds Python objects, which are never "
                                                                  r"loaded"),
])
def test_bad_headers_get_one_sentence(tmp_path, members, message):
    path = write_zip(tmp_path / "bad.npz", members)
    with pytest.raises(FileError, match=message) as caught:
        _open(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)
    assert "allow_pickle" not in str(caught.value)


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), r"not a readable test file \(it is empty\)"),
    (lambda p: p.write_text("W1 = [[1, 2]]\n"), r"not a readable test file \(not a zip archive of arrays\)"),
    (lambda p: p.write_bytes(b"PK\x05\x06" + bytes(18)), r"not a visualtrainer test \(it has no header\)"),
    (lambda p: p.write_bytes(b"PK\x05\x06" + bytes(8) + b"\xff" * 10), r"declares 0 members in a list of 4\.3 GB"),
    (lambda p: p.write_bytes(b"PK\x05\x06" + bytes([0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0, 0, 255, 255, 0, 0])),
     r"not a readable test file \(BadZipFile"),
    (lambda p: p.mkdir(), r"is a folder; give the path of a test file"),
    (lambda p: make_fifo(p), r"a FIFO, not a regular file"),
    (lambda p: symlink_loop(p), r"a symbolic link that loops"),
    (lambda p: None, r"no such file"),
])
def test_files_that_are_no_container(tmp_path, make, message):
    path = tmp_path / "bad.npz"
    make(path)
    with pytest.raises(FileError, match=message):
        _open(path)


def test_a_character_device_is_refused_without_being_read():
    with pytest.raises(FileError, match=r"/dev/zero: a character device, not a regular file"):
        _open("/dev/zero")


def _lying(tmp_path, declared, payload=b"\0" * 64, descr="<f8"):
    members = {"header": header_member(HEADER), "x": npy_header(declared, descr) + payload}
    return write_zip(tmp_path / "lie.npz", members)


def test_a_member_claiming_more_than_it_holds_is_refused_before_allocating(tmp_path):
    path = _lying(tmp_path, (10**6, 10**6))  # 8 TB claimed, 64 bytes held
    tracemalloc.start()
    with _open(path) as file, pytest.raises(FileError, match=r"x declares \(1000000, 1000000\) float64 \(8\.0 TB\) "
                                                             r"but holds 64 bytes"):
        file.read("x")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2_000_000


def test_a_member_over_the_budget_is_refused_before_it_is_read(tmp_path):
    path = write_zip(tmp_path / "big.npz", {"header": header_member(HEADER), "x": zeros_member((1000, 1000))})
    with _open(path, budget=7_000_000) as file:
        assert file.shape("x") == (1000, 1000)
        with pytest.raises(FileError, match=r"x would need 8\.0 MB of memory, more than the 7\.0 MB this machine can "
                                            r"spare now"):
            file.read("x")
    with _open(path, budget=9_000_000) as file:
        assert file.read("x").shape == (1000, 1000)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.npz"
    return deflated_bomb(path, "x", (200 * 2**20 // 8,), {"header": header_member(HEADER)})


def test_a_decompression_bomb_is_refused_unread(bomb):
    assert bomb.stat().st_size < 1_000_000
    tracemalloc.start()
    with _open(bomb, budget=10**12) as file, pytest.raises(FileError, match=r"x would expand from .* KB to 209\.7 MB; "
                                                                            r"refused as a decompression bomb"):
        file.read("x")
    assert tracemalloc.get_traced_memory()[1] < 2_000_000
    tracemalloc.stop()


@pytest.mark.parametrize("member, message", [
    (npy(np.array(["a", "b"])), r"x must hold floats; it holds <U1"),
    (npy(np.array([1 + 2j])), r"x holds complex128, not numbers"),
    (npy(np.zeros(2, dtype=[("a", "<f8")])), r"x: ValueError: a dtype that is not a simple type"),
    (npy(np.array([object()], dtype=object)), r"x holds Python objects, which are never loaded"),
    (npy_header((2,), "<f8")[:-3], r"x: EOFError: it ends in an array header"),
    (b"\x93NUMPY\x02\x00" + (10**6).to_bytes(4, "little") + b" " * 100, r"x: ValueError: an array header of "
                                                                          r"1,000,000 bytes"),
    (b"\x93NUMPY\x01\x00\x10\x00" + b"__import__('os')", r"x: ValueError: malformed node"),
    (b"not an array at all", r"not an array \(\.npy\) member"),
    (npy_header((-1, 2)), r"a shape of \(-1, 2\)"),
])
def test_members_of_the_wrong_kind(tmp_path, member, message):
    path = write_zip(tmp_path / "m.npz", {"header": header_member(HEADER), "x": member})
    with _open(path) as file, pytest.raises(FileError, match=message):
        file.read("x", kinds="f")


def test_a_damaged_member_is_caught_by_its_checksum(tmp_path):
    path = write_container(tmp_path / "c.npz", KIND, 1, {}, {"x": np.arange(1000.0)})
    blob = bytearray(path.read_bytes())
    at = blob.find(np.arange(1000.0).tobytes()[800:808])
    blob[at] ^= 0xFF
    path.write_bytes(bytes(blob))
    with _open(path) as file, pytest.raises(FileError, match=r"not a readable test file \(x: BadZipFile: Bad CRC-32"):
        file.read("x")


def test_members_not_asked_for_are_never_read(tmp_path):
    path = write_zip(tmp_path / "c.npz", {"header": header_member(HEADER), "x": npy(np.ones(3)),
                                          "huge": npy_header((10**9, 10**9)) + b"junk", "pickle": npy(np.array(
                                              [object()], dtype=object))})
    with _open(path) as file:
        assert file.read("x").tolist() == [1, 1, 1]
        with pytest.raises(FileError, match="has no y; the file is damaged or incomplete"):
            file.read("y")


def test_a_zip_declaring_too_many_members_is_refused_before_listing_them(tmp_path):
    path = tmp_path / "many.npz"
    blob = bytearray(write_zip(tmp_path / "base.npz", {"header": header_member(HEADER)}).read_bytes())
    end = blob.rfind(b"PK\x05\x06")
    blob[end + 8 : end + 12] = (60_000).to_bytes(2, "little") * 2
    path.write_bytes(bytes(blob))
    with pytest.raises(FileError, match=r"it declares 60,000 members"):
        _open(path)


def test_symbolic_links_to_a_container_are_followed(tmp_path):
    path = write_container(tmp_path / "c.npz", KIND, 1, {}, {"x": np.ones(2)})
    (tmp_path / "link.npz").symlink_to(path)
    with _open(tmp_path / "link.npz") as file:
        assert file.read("x").tolist() == [1, 1]


# -- saving -------------------------------------------------------------------------------------------------------
def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path):
    path = tmp_path / "keep.npz"
    write_container(path, KIND, 1, {"n": 1}, {"x": np.ones(3)})
    before = path.read_bytes()

    def fail(handle):
        handle.write(b"half a file")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, fail)
    with pytest.raises(TypeError, match="x must be an array of numbers; got dtype object"):
        write_container(path, KIND, 1, {}, {"x": np.array([object()], dtype=object)})
    assert path.read_bytes() == before and sorted(os.listdir(tmp_path)) == ["keep.npz"]


def test_a_save_into_a_missing_folder_names_the_file_asked_for(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        write_container(tmp_path / "no" / "c.npz", KIND, 1, {}, {})
    assert caught.value.filename == str(tmp_path / "no" / "c.npz")


def test_temporaries_of_dead_saves_are_removed_by_the_next_save(tmp_path):
    dead = tmp_path / f".c.npz.{2**22 + 12345}.deadbeef.vt-tmp"  # no process has such an id
    alive = tmp_path / f".c.npz.{os.getpid()}.cafe0000.vt-tmp"  # a save in progress in this process
    legacy, unrelated = tmp_path / "c.npz.part", tmp_path / "download.npz.part"
    for path in (dead, alive, legacy, unrelated):
        path.write_bytes(b"partial")
    write_container(tmp_path / "c.npz", KIND, 1, {}, {})
    assert sorted(os.listdir(tmp_path)) == sorted([alive.name, unrelated.name, "c.npz"])


KILLED_SAVE = """
import os, sys
from visualtrainer.core.files import atomic_write
def write(handle):
    handle.write(b"half a file")
    handle.flush()
    os.kill(os.getpid(), 9)
atomic_write(sys.argv[1], write)
"""


def test_the_next_start_removes_the_temporary_of_a_save_killed_mid_way(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    path = write_container(tmp_path / "keep.npz", KIND, 1, {"n": 1}, {"x": np.ones(3)})
    before = path.read_bytes()
    killed = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(path)], cwd=root)
    assert killed.returncode == -9
    left = [name for name in os.listdir(tmp_path) if name.endswith(".vt-tmp")]
    assert len(left) == 1 and path.read_bytes() == before
    # any start of the command line (here one that stops at a wrong argument) cleans up first
    started = subprocess.run([sys.executable, "-m", "visualtrainer", "course", "--only", "nothing"], cwd=root,
                             capture_output=True, text=True)
    assert started.returncode == 2 and "no experiment nothing" in started.stderr
    assert os.listdir(tmp_path) == ["keep.npz"] and path.read_bytes() == before


def test_the_journal_deletes_only_temporaries_of_dead_saves(tmp_path, monkeypatch):
    journal = tmp_path / "journal"
    monkeypatch.setattr(files, "JOURNAL", journal)
    dead_pid = 2**22 + 4321  # no process has such an id
    ours = tmp_path / f".c.npz.{dead_pid}.deadbeef.vt-tmp"
    users = tmp_path / "notes.txt"  # a note that names something else (edited by hand)
    alive = tmp_path / f".d.npz.{os.getpid()}.cafe0000.vt-tmp"  # a save in progress in this process
    for target in (ours, users, alive):
        target.write_bytes(b"data")
    journal.mkdir()
    (journal / f"{dead_pid}.deadbeef").write_text(str(ours))
    (journal / f"{dead_pid}.0badf00d").write_text(str(users))
    (journal / f"{os.getpid()}.cafe0000").write_text(str(alive))
    assert remove_temporaries_of_crashes() == [ours]
    assert not ours.exists() and users.exists() and alive.exists()
    assert os.listdir(journal) == [f"{os.getpid()}.cafe0000"]
    atomic_write(tmp_path / "e.npz", lambda handle: handle.write(b"x"))  # a save's note goes when it ends
    assert os.listdir(journal) == [f"{os.getpid()}.cafe0000"]


def test_a_save_keeps_the_files_mode_and_writes_through_a_symbolic_link(tmp_path):
    target = write_container(tmp_path / "real.npz", KIND, 1, {"n": 1}, {})
    os.chmod(target, 0o640)
    (tmp_path / "link.npz").symlink_to("real.npz")
    write_container(tmp_path / "link.npz", KIND, 1, {"n": 2}, {})
    assert (tmp_path / "link.npz").is_symlink() and oct(target.stat().st_mode & 0o777) == "0o640"
    with _open(target) as file:
        assert file.header["n"] == 2


def test_open_regular_reads_a_regular_file(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    with open_regular(tmp_path / "f") as handle:
        assert handle.read() == b"abc"
    assert json.dumps(HEADER)  # the module's constant is JSON
