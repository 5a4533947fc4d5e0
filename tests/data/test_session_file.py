"""Session files: the state, the arrays and an embedded dataset come back as written; bad files say what is wrong."""

import json

import numpy as np
import pytest

from visualtrainer.data import Dataset, save_dataset
from visualtrainer.data.session_file import load_session, save_session


def _pictures():
    rng = np.random.RandomState(1)
    pixels = rng.randint(0, 256, (10, 4 * 3 * 3)).astype(np.uint8)
    labels = (np.arange(10) % 2).reshape(1, -1)
    return Dataset("mine", pixels[:7].T, labels[:, :7], pixels[7:].T, labels[:, 7:], ("no", "yes"), "binary",
                   (4, 3, 3))


def test_a_session_opens_as_it_was_written(tmp_path):
    state = {"settings": {"learning_rate": 0.5, "hidden": [[4, "tanh"]]}, "runs": [{"number": 3, "label": "α"}]}
    arrays = {"net_W1": np.arange(6.0).reshape(3, 2), "run3_costs": np.linspace(1, 0, 5)}
    data = _pictures()
    path = save_session(tmp_path / "lesson", state, arrays, data)
    assert path.name == "lesson.vtsession" and list(tmp_path.iterdir()) == [path]  # no .part left behind
    back_state, back_arrays, back_data = load_session(path)
    assert back_state == state and set(back_arrays) == set(arrays)
    for key, value in arrays.items():
        np.testing.assert_array_equal(back_arrays[key], value)
    assert back_data.X_train.dtype == np.uint8 and back_data.classes == ("no", "yes")
    assert back_data.image_shape == (4, 3, 3) and back_data.name == "mine"
    for name in ("X_train", "Y_train", "X_test", "Y_test"):
        np.testing.assert_array_equal(getattr(back_data, name), getattr(data, name))
    assert load_session(save_session(tmp_path / "plain.vtsession", state, arrays))[2] is None


def test_array_names_of_the_dataset_are_kept_for_it(tmp_path):
    with pytest.raises(ValueError, match="kept for the dataset"):
        save_session(tmp_path / "s", {}, {"data_X_train": np.zeros(2)})


def _with_header(path, **header):
    with open(path, "wb") as handle:
        np.savez(handle, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8), x=np.zeros(2))


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), r"not a readable session file"),
    (lambda p: p.write_bytes(b"PK\x03\x04 and then nothing"), r"not a readable session file"),
    (lambda p: np.savez(open(p, "wb"), x=np.zeros(2)), r"not a visualtrainer session \(it has no header\)"),
    (lambda p: save_dataset(_pictures(), p).rename(p), r"not a visualtrainer session \(a 'visualtrainer-dataset'"),
    (lambda p: _with_header(p, format="visualtrainer-session", version=2, state={}),
     r"written by a newer visualtrainer \(session format 2; this one reads up to 1\)"),
    (lambda p: _with_header(p, format="visualtrainer-session", version=1), r"has no state; it is damaged"),
])
def test_bad_session_files_say_what_is_wrong(tmp_path, make, message):
    path = tmp_path / "bad.vtsession"
    make(path)
    with pytest.raises(ValueError, match=message):
        load_session(path)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_session_file_is_reported(tmp_path, keep):
    path = save_session(tmp_path / "s", {"a": 1}, {"big": np.arange(5000.0)}, _pictures())
    blob = path.read_bytes()
    path.write_bytes(blob[: int(len(blob) * keep)])
    with pytest.raises(ValueError, match="not a readable session file"):
        load_session(path)


def test_a_missing_session_file(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        load_session(tmp_path / "gone.vtsession")
