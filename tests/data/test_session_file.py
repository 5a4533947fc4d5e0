"""Session files: a session comes back as written, checked whole into one plain object; a bad or tampered file says
in one sentence what is wrong, before anything of it is used; only a session's own members are read."""

import copy
import json
import tracemalloc

import numpy as np
import pytest

from tests.fuzz.hostile import header_member, npy_header, write_zip
from tests.fuzz.sessions import window_session
from visualtrainer.data import save_dataset
from visualtrainer.data.session_file import load_session, open_session, save_session


@pytest.fixture(scope="module")
def flower_session():
    return window_session()


def test_a_session_opens_as_it_was_written(tmp_path, flower_session):
    state, arrays, _ = flower_session
    path = save_session(tmp_path / "lesson", state, arrays)
    assert path.name == "lesson.vtsession" and list(tmp_path.iterdir()) == [path]  # no temporary left behind
    back_state, back_arrays, back_data = load_session(path)
    assert back_state == state and set(back_arrays) == set(arrays) and back_data is None
    for key, value in arrays.items():
        np.testing.assert_array_equal(back_arrays[key], value)
    opened = open_session(path)
    expected = np.concatenate([arrays[f"net_{key}"].ravel() for key in ("W1", "b1", "W2", "b2")])
    np.testing.assert_array_equal(opened.network.theta_, expected)
    np.testing.assert_array_equal(opened.network.optimizer_state_.velocity, arrays["net_velocity"])
    assert opened.network.n_iter_ == 20 and opened.dataset_kind == "builtin" and opened.embedded is None
    assert [run["number"] for run in opened.runs] == [1, 2] and opened.runs[0]["path"].shape == (5, 17)
    assert opened.runs[1]["path"] is None and opened.view == state["view"] and opened.settings == state["settings"]
    np.testing.assert_array_equal(opened.surface[0], arrays["surface_iterations"])
    np.testing.assert_array_equal(opened.accuracies[0], arrays["accuracy_train"])


def test_an_embedded_dataset_comes_back_whole(tmp_path):
    state, arrays, data = window_session(embedded=True)
    path = save_session(tmp_path / "pictures.vtsession", state, arrays, data)
    back = open_session(path).embedded
    assert back.X_train.dtype == np.uint8 and back.classes == ("no", "yes") and back.image_shape == (4, 3, 3)
    for name in ("X_train", "Y_train"):
        np.testing.assert_array_equal(getattr(back, name), getattr(data, name))


def test_array_names_of_the_dataset_are_kept_for_it(tmp_path):
    with pytest.raises(ValueError, match="kept for the dataset"):
        save_session(tmp_path / "s", {}, {"data_X_train": np.zeros(2)})


def test_members_a_session_does_not_have_are_never_read(tmp_path, flower_session):
    state, arrays, _ = flower_session
    path = save_session(tmp_path / "s", state, arrays | {"junk": np.zeros(5_000_000), "run9_costs": np.ones(3)})
    tracemalloc.start()
    back_state, back_arrays, _ = load_session(path)
    assert tracemalloc.get_traced_memory()[1] < 10_000_000
    tracemalloc.stop()
    assert "junk" not in back_arrays and "run9_costs" not in back_arrays


def _header(path, **header):
    with open(path, "wb") as handle:
        np.savez(handle, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8), x=np.zeros(2))


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), r"not a readable session file \(it is empty\)"),
    (lambda p: p.write_bytes(b"PK\x03\x04 and then nothing"), r"not a readable session file"),
    (lambda p: np.savez(open(p, "wb"), x=np.zeros(2)), r"not a visualtrainer session \(it has no header\)"),
    (lambda p: save_dataset(window_session(embedded=True)[2], p).rename(p),
     r"not a visualtrainer session \(a 'visualtrainer-dataset'"),
    (lambda p: _header(p, format="visualtrainer-session", version=2, state={}),
     r"written by a newer visualtrainer \(session format 2; this one reads up to 1\)"),
    (lambda p: _header(p, format="visualtrainer-session", version=1), r"has no state; it is damaged"),
])
def test_bad_session_files_say_what_is_wrong(tmp_path, make, message):
    path = tmp_path / "bad.vtsession"
    make(path)
    with pytest.raises(ValueError, match=message):
        load_session(path)


def _settings(key, value):
    return lambda s, a: s["settings"].update({key: value})


def _run_settings(change):
    return lambda s, a: change(s["runs"][0]["settings"])


@pytest.mark.parametrize("tamper, message", [
    (_settings("learning_rate", -5), r"its settings: learning_rate must be a number > 0; got -5"),
    (_settings("learning_rate", "x"), r"learning_rate must be a finite number; got 'x'"),
    (_settings("batch_size", -3), r"batch_size must be an integer in 0 … 2147483647; got -3"),
    (_settings("dtype", "float16"), r"dtype must be one of float32, float64; got 'float16'"),
    (_settings("hidden", [[0, "tanh"]]), r"hidden must be a list of \[units >= 1"),
    (_settings("hidden", [[5, "tanh"]]), r"the network's hidden layers \(4,\) \(tanh\) are not the settings' \(5,\)"),
    (_settings("seed", 2**40), r"seed must be an integer in 0 … 4294967295"),
    (_settings("test_fraction", 1.0), r"test_fraction must be a number below 1"),
    (_settings("dataset", "nowhere"), r"the built-in dataset 'nowhere' is not in this version"),
    (_run_settings(lambda s: s.pop("dataset")), r"run 1's settings have no dataset"),
    (_run_settings(lambda s: s.update(learning_rate="x")), r"run 1's settings: learning_rate must be a finite number"),
    (lambda s, a: s["runs"].append(dict(s["runs"][0])), r"two runs are numbered 1"),
    (lambda s, a: s["runs"][0].update(layer_dims=[2, 0, 1]), r"run 1's layer sizes are not a list of sizes >= 1"),
    (lambda s, a: s["runs"].__setitem__(0, "x"), r"run 1 are not a mapping"),
    (lambda s, a: s["view"].update(example="x"), r"its view: example must be an integer"),
    (lambda s, a: s["view"]["surface"].update(grid=2**40), r"its surface view: grid must be an integer"),
    (lambda s, a: s["network"].update(n_iter=-1), r"network's n_iter is -1, not a count"),
    (lambda s, a: s["network"].update(stop_reason="bored"), r"stop reason 'bored' is not one of"),
    (lambda s, a: s["network"]["spec"].update(layer_dims=[10**6, 10**6, 1]), r"net_W1 is \(4, 2\) but the "
                                                                             r"settings' layer sizes"),
    (lambda s, a: s["network"]["spec"].update(layer_dims=[5, 4, 1]) or a.update(
        net_W1=np.zeros((4, 5)), net_velocity=np.zeros(29), net_squares=np.zeros(29)),
     r"the session's network \(5, 4, 1\) does not fit its dataset and settings, which make it \(2, 4, "
     r"1\)"),
    (lambda s, a: a.pop("net_W1"), r"has no net_W1; the file is damaged or incomplete"),
    (lambda s, a: a.update(net_costs=np.zeros(3)), r"net_costs must have shape \(20,\); it has \(3,\)"),
    (lambda s, a: a.update(run1_path=np.zeros((5, 9))), r"run1_path must have shape \(any, 17\); it has \(5, 9\)"),
    (lambda s, a: a.pop("run1_costs"), r"has no run1_costs"),
    (lambda s, a: a.update(surface_path=np.zeros((4, 17))), r"surface_path must have shape \(5, 17\)"),
    (lambda s, a: a.pop("surface_iterations"), r"half of the surface's path"),
    (lambda s, a: a.update(accuracy_train=np.zeros(3)), r"accuracy_train must have shape \(2, any\)"),
    (lambda s, a: s["dataset"].update(kind="file", path="/nowhere/gone.h5"), r"gone.h5 is not there any more"),
    (lambda s, a: s["dataset"].update(kind="embedded"), r"the session's dataset is missing from the file"),
    (lambda s, a: s.update(dataset="x"), r"dataset is not one of builtin, file, embedded"),
])
def test_a_tampered_session_is_refused_whole(tmp_path, flower_session, tamper, message):
    state, arrays, _ = copy.deepcopy(flower_session)
    tamper(state, arrays)
    path = save_session(tmp_path / "s", state, arrays)
    with pytest.raises(ValueError, match=message) as caught:
        open_session(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(classes=["c"] * 100_000), r"it names 100,000 classes; a dataset may have at most 1,000"),
    (lambda d: d.update(image_shape=[10**6, 10**6, 3]), r"image size \(1000000, 1000000, 3\) gives 3,000,000,000,000 "
                                                        r"values but its examples have 36"),
    (lambda d: d.update(classes="ab"), r"class names are not a list of names"),
])
def test_an_embedded_dataset_whose_header_lies_is_refused_before_reading(tmp_path, change, message):
    state, arrays, data = window_session(embedded=True)
    path = save_session(tmp_path / "s", state, arrays, data)
    with np.load(path) as npz:
        members = {name: npz[name] for name in npz.files}
    header = json.loads(members.pop("header").tobytes())
    change(header["dataset"])
    rebuilt = {name: _npy(value) for name, value in members.items()} | {"header": header_member(header)}
    with pytest.raises(ValueError, match=message):
        open_session(write_zip(tmp_path / "lying.vtsession", rebuilt))


def _npy(value):
    import io

    buffer = io.BytesIO()
    np.save(buffer, value)
    return buffer.getvalue()


def test_a_member_claiming_terabytes_is_refused_before_allocating(tmp_path, flower_session):
    state, arrays, _ = flower_session
    path = save_session(tmp_path / "s", state, arrays)
    with np.load(path) as npz:
        members = {name: _npy(npz[name]) for name in npz.files}
    members["run1_path"] = npy_header((10**7, 17)) + b"\0" * 64  # 1.4 GB claimed, 64 bytes held
    tracemalloc.start()
    with pytest.raises(ValueError, match=r"run1_path declares \(10000000, 17\) float64 \(1\.4 GB\) but holds 64"):
        open_session(write_zip(tmp_path / "lie.vtsession", members))
    assert tracemalloc.get_traced_memory()[1] < 10_000_000
    tracemalloc.stop()


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_session_file_is_reported(tmp_path, keep):
    state, arrays, data = window_session(embedded=True)
    path = save_session(tmp_path / "s", state, arrays | {"big": np.arange(5000.0)}, data)
    blob = path.read_bytes()
    path.write_bytes(blob[: int(len(blob) * keep)])
    with pytest.raises(ValueError, match="not a readable session file"):
        load_session(path)


def test_a_missing_session_file(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        load_session(tmp_path / "gone.vtsession")
