"""The fuzz suite's cases: for each file kind, good files and hostile ones (truncated, lying headers, bombs, wrong
types, FIFOs, symbolic link loops, empty files, huge claimed sizes), each with the reader that opens it.

``CASES[kind]`` is a list of (name, build, expect): ``build(folder)`` makes the file and returns its path;
``expect`` is "ok" (a correct result), "refused" (a ValueError of one sentence) or "any" (either: a file damaged at
random may still be good). ``READERS[kind](path)`` opens it.
"""

import json
import os
import zlib

import h5py
import numpy as np

from visualtrainer.core import Network, load_model, save_model
from visualtrainer.data import load_course_h5, load_dataset_file, save_dataset
from visualtrainer.data.folders import load_picture_folder
from visualtrainer.data.images import picture_pixels
from visualtrainer.data.session_file import open_session, save_session

from .hostile import (deflated_bomb, header_member, jpeg_claiming, make_fifo, npy, npy_header, png_claiming,
                      symlink_loop, write_zip, zeros_member)
from .sessions import pictures, window_session

MODEL = {"format": "visualtrainer-model", "version": 2}
DATASET = {"format": "visualtrainer-dataset", "version": 1}


# -- common hostile files -------------------------------------------------------------------------------------------
def _common(suffix, good):
    """Cases every kind has: the good file cut short, emptied, replaced by text, by noise, by a FIFO, a link loop, a
    folder, a device, and a zip that declares more members than any file has."""
    def cut(keep):
        def build(folder):
            path = good(folder)
            blob = path.read_bytes()
            path.write_bytes(blob[: int(len(blob) * keep)])
            return path
        return build

    def put(content):
        def build(folder):
            path = folder / f"x{suffix}"
            path.write_bytes(content)
            return path
        return build

    def special(make):
        def build(folder):
            make(folder / f"x{suffix}")
            return folder / f"x{suffix}"
        return build

    def device(folder):
        os.symlink("/dev/zero", folder / f"x{suffix}")
        return folder / f"x{suffix}"

    def many_members(folder):
        blob = bytearray(write_zip(folder / f"x{suffix}", {"header": header_member(MODEL)}).read_bytes())
        end = blob.rfind(b"PK\x05\x06")
        blob[end + 8 : end + 12] = b"\xff\xff\xff\xff"
        blob[end + 12 : end + 16] = (2**31).to_bytes(4, "little")
        (folder / f"x{suffix}").write_bytes(bytes(blob))
        return folder / f"x{suffix}"

    return [("truncated 5%", cut(0.05), "refused"), ("truncated 50%", cut(0.5), "refused"),
            ("truncated 99%", cut(0.99), "refused"), ("empty", put(b""), "refused"),
            ("text", put(b"W1 = [[1, 2]]\nlabels: cat, dog\n"), "refused"),
            ("noise", put(np.random.RandomState(0).bytes(5000)), "refused"), ("fifo", special(make_fifo), "refused"),
            ("symlink loop", special(symlink_loop), "refused"), ("folder", special(os.mkdir), "refused"),
            ("device", device, "refused")] + \
        ([("zip declaring 65535 members", many_members, "refused")] if suffix != ".h5" else [])


# -- models ---------------------------------------------------------------------------------------------------------
def _good_model(folder, name="model.npz"):
    X = np.random.RandomState(0).randn(3, 20)
    net = Network((3, 4, 1), random_state=0).fit(X, (X[:1] > 0).astype(int), 5)
    return save_model(net, folder / name, extra={"classes": ["no", "yes"]})


def _model_with(spec=None, extra=None, n_iter=5, **members):
    def build(folder):
        header = MODEL | {"spec": {"layer_dims": [3, 4, 1], "random_state": 0} if spec is None else spec,
                          "n_iter": n_iter, "extra": {} if extra is None else extra}
        arrays = {"W1": npy(np.zeros((4, 3))), "b1": npy(np.zeros((4, 1))), "W2": npy(np.zeros((1, 4))),
                  "b2": npy(np.zeros((1, 1))), "costs": npy(np.ones(5))}
        return write_zip(folder / "model.npz", {"header": header_member(header)} | arrays | members)
    return build


def _model_format_1(folder):
    header = MODEL | {"version": 1, "spec": {"layer_dims": [3, 4, 1]}, "n_iter": 0, "extra": {}}
    arrays = {"W1": np.zeros((4, 3)), "b1": np.zeros((4, 1)), "W2": np.zeros((1, 4)), "b2": np.zeros((1, 1))}
    with open(folder / "old.npz", "wb") as handle:
        np.savez(handle, header=np.array(json.dumps(header)), costs=np.zeros(0), **arrays)
    return folder / "old.npz"


def _model_bomb(folder):
    header = MODEL | {"spec": {"layer_dims": [12288, 1024, 1]}, "n_iter": 0, "extra": {}}
    return deflated_bomb(folder / "bomb.npz", "W1", (1024, 12288), {"header": header_member(header)})


MODEL_CASES = [
    ("good", _good_model, "ok"),
    ("format 1", _model_format_1, "ok"),
    ("unknown members, one claiming 6 GB", _model_with(junk=npy_header((6 * 10**9,)) + b"x", pickled=npy(
        np.array([object()], dtype=object))), "ok"),
    ("header claims layer sizes 10^6", _model_with(spec={"layer_dims": [10**6, 10**6, 1]}), "refused"),
    ("W1 claims 10^6 x 10^6", _model_with(W1=npy_header((10**6, 10**6)) + bytes(96)), "refused"),
    ("W1 deflated bomb of 100 MB", _model_bomb, "refused"),
    ("header claims 10^9 bytes", lambda f: write_zip(f / "m.npz", {"header": npy_header((10**9,), "|u1")}),
     "refused"),
    ("header nested 100000 deep", lambda f: write_zip(f / "m.npz", {"header": npy(np.frombuffer(
        b"[" * 100000, np.uint8))}), "refused"),
    ("W1 pickled", _model_with(W1=npy(np.array([[object()] * 3] * 4, dtype=object))), "refused"),
    ("W1 text", _model_with(W1=npy(np.full((4, 3), "1.0"))), "refused"),
    ("W1 complex", _model_with(W1=npy(np.zeros((4, 3), complex))), "refused"),
    ("spec a list", _model_with(spec=[3, 4, 1]), "refused"),
    ("learning rate text", _model_with(spec={"layer_dims": [3, 4, 1], "learning_rate": "x"}), "refused"),
    ("layer size 2**63", _model_with(spec={"layer_dims": [3, 2**63, 1]}), "refused"),
    ("n_iter text", _model_with(n_iter="many"), "refused"),
    ("100000 class names", _model_with(extra={"classes": ["c"] * 100_000}), "refused"),
    ("image size 10^9 square", _model_with(extra={"image_shape": [10**9, 10**9, 3]}), "refused"),
] + _common(".npz", _good_model)


# -- datasets -------------------------------------------------------------------------------------------------------
def _good_dataset(folder):
    return save_dataset(pictures(), folder / "set.npz")


def _dataset_with(header=None, **members):
    def build(folder):
        arrays = {"X_train": npy(np.zeros((4, 36), np.uint8)), "Y_train": npy(np.array([[0, 1, 0, 1]]))}
        head = DATASET | {"name": "d", "classes": ["a", "b"], "task": "binary", "image_shape": [4, 3, 3]}
        return write_zip(folder / "set.npz", {"header": header_member(head | (header or {}))} | arrays | members)
    return build


def _dataset_bomb(folder):
    head = DATASET | {"classes": ["a", "b"], "task": "binary", "image_shape": [64, 64, 3]}
    return deflated_bomb(folder / "bomb.npz", "X_train", (8_000, 12288), {"header": header_member(head),
                         "Y_train": npy(np.zeros((1, 8_000), np.int64))}, dtype="|u1")


DATASET_CASES = [
    ("good", _good_dataset, "ok"),
    ("labels 5 in a 2-class set", _dataset_with(Y_train=npy(np.array([[0, 5, 0, 1]]))), "refused"),
    ("labels 0.5", _dataset_with(Y_train=npy(np.array([[0, 0.5, 0, 1]]))), "refused"),
    ("string pixels", _dataset_with(X_train=npy(np.full((4, 36), "7"))), "refused"),
    ("NaN pixels", _dataset_with(X_train=npy(np.full((4, 36), np.nan))), "refused"),
    ("100000 class names", _dataset_with({"classes": ["c"] * 100_000, "task": "multiclass"}), "refused"),
    ("image size lies", _dataset_with({"image_shape": [64, 64, 3]}), "refused"),
    ("X_train claims 10^7 x 12288", _dataset_with(X_train=npy_header((10**7, 36), "|u1") + bytes(144)), "refused"),
    ("X_train deflated bomb of 98 MB", _dataset_bomb, "refused"),
    ("Y_train pickled", _dataset_with(Y_train=npy(np.array([[0, 1, 0, 1]], dtype=object))), "refused"),
    ("Y_train missing", lambda f: write_zip(f / "set.npz", {"header": header_member(DATASET | {"classes": ["a", "b"]}),
                                                            "X_train": npy(np.zeros((4, 2)))}), "refused"),
    ("classes a string", _dataset_with({"classes": "ab"}), "refused"),
    ("task unknown", _dataset_with({"task": "guess"}), "refused"),
] + _common(".npz", _good_dataset)


# -- sessions -------------------------------------------------------------------------------------------------------
def _good_session(folder, embedded=False, change=None):
    state, arrays, data = window_session(embedded=embedded, iterations=5)
    if change is not None:
        change(state, arrays)
    return save_session(folder / "s.vtsession", state, arrays, data)


def _session_with(change):
    return lambda folder: _good_session(folder, change=change)


def _session_member(name, content):
    def build(folder):
        path = _good_session(folder)
        with np.load(path) as npz:
            members = {key: npy(npz[key]) for key in npz.files}
        return write_zip(folder / "s2.vtsession", members | {name: content})
    return build


def _session_bomb(folder):
    """An embedded dataset whose X_train is 98 MB of zeros, deflated to 100 KB."""
    state, arrays, data = window_session(embedded=True, iterations=5)
    path = save_session(folder / "e.vtsession", state, arrays, data)
    with np.load(path) as npz:
        members = {key: npy(npz[key]) for key in npz.files if key not in ("data_X_train", "data_Y_train")}
        header = json.loads(npz["header"].tobytes())
    header["dataset"]["image_shape"] = [64, 64, 3]
    members |= {"header": header_member(header), "data_Y_train": npy(np.zeros((1, 8_000), np.int64))}
    return deflated_bomb(folder / "bomb.vtsession", "data_X_train", (8_000, 12288), members, dtype="|u1")


SESSION_CASES = [
    ("good", _good_session, "ok"),
    ("good, dataset embedded", lambda f: _good_session(f, embedded=True), "ok"),
    ("unknown member claiming 8 TB", _session_member("junk", npy_header((10**6, 10**6)) + b"x"), "ok"),
    ("run path claims 10^7 rows", _session_member("run1_path", npy_header((10**7, 17)) + bytes(64)), "refused"),
    ("network claims layer sizes 10^6", _session_with(lambda s, a: s["network"]["spec"].update(
        layer_dims=[10**6, 10**6, 1])), "refused"),
    ("embedded X_train deflated bomb", _session_bomb, "refused"),
    ("learning rate text", _session_with(lambda s, a: s["settings"].update(learning_rate="x")), "refused"),
    ("learning rate -5", _session_with(lambda s, a: s["settings"].update(learning_rate=-5)), "refused"),
    ("batch size -3", _session_with(lambda s, a: s["settings"].update(batch_size=-3)), "refused"),
    ("dtype float16", _session_with(lambda s, a: s["settings"].update(dtype="float16")), "refused"),
    ("run without a dataset", _session_with(lambda s, a: s["runs"][0]["settings"].pop("dataset")), "refused"),
    ("runs not a list", _session_with(lambda s, a: s.update(runs={"1": 2})), "refused"),
    ("view example text", _session_with(lambda s, a: s["view"].update(example="x")), "refused"),
    ("state missing", lambda f: write_zip(f / "s.vtsession", {"header": header_member(
        {"format": "visualtrainer-session", "version": 1})}), "refused"),
    ("velocity pickled", _session_member("net_velocity", npy(np.array([object()] * 17, dtype=object))), "refused"),
] + _common(".vtsession", _good_session)


# -- course .h5 files -------------------------------------------------------------------------------------------------
def _h5(folder, name="train_x.h5", **arrays):
    path = folder / name
    with h5py.File(path, "w") as handle:
        for key, value in arrays.items():
            handle[key] = value
    return path


def _good_h5(folder):
    return _h5(folder, train_set_x=np.zeros((6, 8, 8, 3), np.uint8), train_set_y=np.array([0, 1] * 3),
               list_classes=np.array([b"non-cat", b"cat"]))


def _h5_with(**arrays):
    return lambda folder: _h5(folder, **({"train_set_x": np.zeros((3, 8, 8, 3), np.uint8),
                                          "train_set_y": np.array([0, 1, 0])} | arrays))


def _h5_bomb(folder):
    path = folder / "train_bomb.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("train_set_x", shape=(1_000_000, 64, 64, 3), dtype=np.uint8, chunks=(1, 64, 64, 3),
                              compression="gzip")
        handle["train_set_y"] = np.zeros(1_000_000, np.int64)
    return path


def _h5_external(folder):
    _good_h5(folder)
    with h5py.File(folder / "train_link.h5", "w") as handle:
        handle["train_set_x"] = h5py.ExternalLink("train_x.h5", "train_set_x")
        handle["train_set_y"] = np.array([0, 1] * 3)
    return folder / "train_link.h5"


H5_CASES = [
    ("good", _good_h5, "ok"),
    ("label 2**62", _h5_with(train_set_y=np.array([0, 2**62, 1])), "refused"),
    ("labels NaN", _h5_with(train_set_y=np.array([0, np.nan, 1])), "refused"),
    ("labels text", _h5_with(train_set_y=np.array([b"a", b"b", b"c"])), "refused"),
    ("pixels float", _h5_with(train_set_x=np.zeros((3, 8, 8, 3))), "refused"),
    ("5000 class names", _h5_with(list_classes=np.array([b"c"] * 5000)), "refused"),
    ("class names of 1 MB each", _h5_with(list_classes=np.array([b"c" * 2**20] * 2)), "refused"),
    ("gzip bomb declaring 12 GB", _h5_bomb, "refused"),
    ("external link", _h5_external, "refused"),
    ("keys missing", lambda f: _h5(f, images=np.zeros(3)), "refused"),
] + _common(".h5", _good_h5)


# -- pictures -------------------------------------------------------------------------------------------------------
def _good_png(folder, name="x.png", size=(80, 60)):
    from PIL import Image

    rng = np.random.RandomState(0)
    Image.fromarray(rng.randint(0, 256, (size[1], size[0], 3)).astype(np.uint8)).save(folder / name)
    return folder / name


def _good_jpeg(folder):
    from PIL import Image

    Image.new("RGB", (640, 480), (30, 120, 200)).save(folder / "x.jpg")
    return folder / "x.jpg"


def _png_bomb(mode):
    """A real PNG of 10000 x 10000 pixels (the cap), all zeros: a few hundred KB that decode to 400 MB (RGBA) or
    200 MB (16-bit grey)."""
    def build(folder):
        import struct

        width = height = 10_000
        colour, depth, channels = {"RGBA": (6, 8, 4), "I;16": (0, 16, 2)}[mode]

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        packer = zlib.compressobj(9)
        row = b"\x00" + bytes(width * channels)
        data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
        header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
        path = folder / "bomb.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
        return path
    return build


def _write(path, content):
    path.write_bytes(content)
    return path


PICTURE_CASES = [
    ("good png", _good_png, "ok"),
    ("good jpeg", _good_jpeg, "ok"),
    ("jpeg claiming 14000 x 14000 in 633 bytes", lambda f: jpeg_claiming(f / "x.jpg", 14000, 14000), "refused"),
    ("png claiming 30000 x 30000", lambda f: png_claiming(f / "x.png", 30000, 30000), "refused"),
    ("png claiming 3000 rows, holding one", lambda f: png_claiming(f / "x.png", 3000, 3000), "refused"),
    ("png bomb, 100 Mpx RGBA of zeros", _png_bomb("RGBA"), "ok"),
    ("png bomb, 100 Mpx 16-bit grey", _png_bomb("I;16"), "ok"),
    ("tiff named .png", lambda f: _write(f / "x.png", b"II*\x00" + bytes(200)), "refused"),
] + _common(".png", _good_png)


# -- folders of pictures --------------------------------------------------------------------------------------------
def _folder(folder, extra=None):
    root = folder / "set"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        for k in range(3):
            _good_png(root / name, f"{k}.png", (40 + k, 30))
    if extra is not None:
        extra(root)
    return root


FOLDER_CASES = [
    ("good", _folder, "ok"),
    ("a FIFO named x.png", lambda f: _folder(f, lambda r: make_fifo(r / "a" / "x.png")), "ok"),
    ("picture links that loop", lambda f: _folder(f, lambda r: symlink_loop(r / "b" / "loop.png")), "ok"),
    ("a class folder that loops", lambda f: _folder(f, lambda r: symlink_loop(r / "c")), "ok"),
    ("a class linking to its parent", lambda f: _folder(f, lambda r: os.symlink("..", r / "up")), "ok"),
    ("a folder named x.png", lambda f: _folder(f, lambda r: os.mkdir(r / "a" / "x.png")), "ok"),
    ("a picture bomb among them", lambda f: _folder(f, lambda r: _png_bomb("RGBA")(r / "a")), "ok"),
    ("a lying jpeg among them", lambda f: _folder(f, lambda r: jpeg_claiming(r / "b" / "x.jpg", 14000, 14000)),
     "ok"),
    ("200 empty pictures", lambda f: _folder(f, lambda r: [(r / "a" / f"e{k}.png").touch() for k in range(200)]),
     "ok"),
    ("one class only", lambda f: _folder(f, lambda r: os.rename(r / "b", r / ".hidden")), "refused"),
    ("no such folder", lambda f: f / "missing", "refused"),
    ("a file, not a folder", lambda f: _good_png(f), "refused"),
    ("a folder that loops", lambda f: symlink_loop(f / "set"), "refused"),
]

def _mutated(good, seed):
    """The good file with a few bytes overwritten, a few words set to random values and a few runs cut out (seeded):
    it may still be a good file, or any kind of damaged one."""
    def build(folder):
        path = good(folder)
        rng = np.random.RandomState(seed)
        blob = bytearray(path.read_bytes())
        for _ in range(rng.choice([1, 2, 4, 16])):
            at, what = rng.randint(len(blob)), rng.rand()
            if what < 0.6:
                blob[at] = rng.randint(256)
            elif what < 0.8:
                blob[at : at + 4] = rng.bytes(4)
            else:
                del blob[at : at + rng.randint(1, 64)]
        path.write_bytes(bytes(blob))
        return path
    return build


MUTATIONS = 12  # per kind
for _cases, _good in ((MODEL_CASES, _good_model), (DATASET_CASES, _good_dataset), (SESSION_CASES, _good_session),
                      (H5_CASES, _good_h5), (PICTURE_CASES, _good_png), (PICTURE_CASES, _good_jpeg)):
    _cases += [(f"{_good.__name__[6:]} mutated, seed {seed}", _mutated(_good, seed), "any") for seed in range(MUTATIONS)]

CASES = {"model": MODEL_CASES, "dataset": DATASET_CASES, "session": SESSION_CASES, "h5": H5_CASES,
         "picture": PICTURE_CASES, "folder": FOLDER_CASES}
READERS = {"model": load_model, "dataset": load_dataset_file, "session": open_session, "h5": load_course_h5,
           "picture": picture_pixels, "folder": lambda path: load_picture_folder(path)}
