"""Model files and a network's saved state: they bring the network back exactly (training resumed from a state goes
on as if it had never stopped); a forged file is refused before it allocates; a save killed at any moment leaves
the previous file whole."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pytest

from tests.fuzz.hostile import header_member, npy, npy_header, write_zip, zeros_member
from visualtrainer.core import Network, iter_training, load_model, save_model
from visualtrainer.core.persistence import network_state, restore_network


def _data(m=60, n_x=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    return X, (X[0:1] * X[1:2] > 0).astype(np.int64)


@pytest.mark.parametrize("optimizer, batch_size", [("gd", 0), ("momentum", 16), ("rmsprop", 0), ("adam", 16)])
def test_training_resumed_from_a_saved_state_matches_training_straight_through(optimizer, batch_size):
    X, Y = _data()
    settings = dict(layer_dims=(3, 5, 1), hidden_activation="relu", learning_rate=0.01, optimizer=optimizer,
                    batch_size=batch_size, dtype="float64", random_state=2)
    straight = Network(**settings).fit(X, Y, 50)
    first = Network(**settings).fit(X, Y, 30)
    header, arrays = network_state(first)
    resumed = restore_network(header, {key: np.array(value) for key, value in arrays.items()})
    assert resumed.n_iter_ == 30 and resumed is not first
    for _ in iter_training(resumed, X, Y, 20):
        pass
    np.testing.assert_array_equal(resumed.costs_, straight.costs_)
    np.testing.assert_array_equal(resumed.theta_, straight.theta_)


def test_a_state_that_does_not_fit_is_refused():
    X, Y = _data()
    net = Network((3, 4, 1), random_state=0).fit(X, Y, 5)
    header, arrays = network_state(net)
    with pytest.raises(ValueError, match="costs do not fit"):
        restore_network(header, arrays | {"costs": arrays["costs"][:3]})
    with pytest.raises(ValueError, match="optimiser's state does not fit"):
        restore_network(header, arrays | {"velocity": np.zeros(3)})
    with pytest.raises(ValueError, match="W1 must have shape"):
        restore_network(header, arrays | {"W1": np.zeros((2, 3))})
    with pytest.raises(ValueError, match="incomplete"):
        restore_network(header, {k: v for k, v in arrays.items() if k != "squares"})
    with pytest.raises(ValueError, match="no parameters yet"):
        network_state(Network((3, 1)))


# -- model files ----------------------------------------------------------------------------------------------------


def _model(tmp_path, name="m.npz", **settings):
    X, Y = _data()
    net = Network(**({"layer_dims": (3, 4, 1), "random_state": 0} | settings)).fit(X, Y, 7)
    return net, save_model(net, tmp_path / name, extra={"classes": ["no", "yes"], "dataset": "d"})


def test_a_saved_model_loads_with_its_weights_costs_and_metadata(tmp_path):
    net, path = _model(tmp_path, dtype="float64", optimizer="adam")
    back, extra = load_model(path)
    assert back.get_params() == net.get_params() and extra == {"classes": ["no", "yes"], "dataset": "d"}
    np.testing.assert_array_equal(back.theta_, net.theta_)
    np.testing.assert_array_equal(back.costs_, net.costs_)
    assert back.n_iter_ == 7 and sorted(os.listdir(tmp_path)) == ["m.npz"]


def test_a_model_file_of_format_1_still_loads(tmp_path):
    """Written exactly as format 1 wrote it: the header a numpy text scalar."""
    net, _ = _model(tmp_path)
    header = {"format": "visualtrainer-model", "version": 1, "spec": net.get_params(), "n_iter": 7,
              "extra": {"classes": ["no", "yes"]}}
    with open(tmp_path / "old.npz", "wb") as handle:
        np.savez(handle, header=np.array(json.dumps(header)), costs=np.asarray(net.costs_),
                 **{key: np.asarray(value) for key, value in net.params_.items()})
    back, extra = load_model(tmp_path / "old.npz")
    np.testing.assert_array_equal(back.predict_proba(_data()[0]), net.predict_proba(_data()[0]))
    assert extra == {"classes": ["no", "yes"]} and back.n_iter_ == 7


def _forged(tmp_path, spec=None, extra=None, members=None, n_iter=1):
    spec = {"layer_dims": [3, 4, 1], "random_state": 0} if spec is None else spec
    header = {"format": "visualtrainer-model", "version": 2, "spec": spec, "n_iter": n_iter, "extra": extra or {}}
    arrays = {"W1": npy(np.zeros((4, 3), np.float32)), "b1": npy(np.zeros((4, 1), np.float32)),
              "W2": npy(np.zeros((1, 4), np.float32)), "b2": npy(np.zeros((1, 1), np.float32)),
              "costs": npy(np.ones(1))}
    return write_zip(tmp_path / "forged.npz", {"header": header_member(header)} | arrays | (members or {}))


@pytest.mark.parametrize("spec, extra, members, message", [
    ({"layer_dims": [10**6, 10**6, 1]}, None, None, r"W1 is \(4, 3\) but the settings' layer sizes \(1000000, "
                                                    r"1000000, 1\) make it \(1000000, 1000000\)"),
    ({"layer_dims": [3, 4, 1], "learning_rate": "x"}, None, None, r"settings are damaged \(learning_rate must be a "
                                                                  r"number; got 'x'\)"),
    ({"layer_dims": [3, 4, 1], "evil": 1}, None, None, r"unknown settings evil"),
    ({"layer_dims": 5}, None, None, r"layer_dims must be a sequence of layer sizes"),
    ({"layer_dims": [3, 2**63, 1]}, None, None, r"layer sizes must be at most 2,147,483,647"),
    ({"layer_dims": [3] * 500}, None, None, r"at most 63 hidden layers"),
    ({"layer_dims": [3, 4, 1], "dtype": "float16"}, None, None, r"dtype must be one of float32, float64"),
    (None, {"classes": ["a"] * 100_000}, None, r"class names are not a list of at most 1000 names"),
    (None, {"classes": ["a", "b", "c"]}, None, r"it names 3 classes but its sigmoid output has 2"),
    (None, {"image_shape": [10**9, 10**9, 3]}, None, r"image size \[1000000000, 1000000000, 3\] does not give its 3 "
                                                     r"inputs"),
    (None, "x", None, r"metadata \(extra\) is not a mapping"),
    (None, None, {"W1": npy(np.array([[object()] * 3] * 4, dtype=object))}, r"W1 holds Python objects, which are "
                                                                            r"never loaded"),
    (None, None, {"W1": npy(np.array([["a"] * 3] * 4))}, r"W1 must hold floats or integers or unsigned integers"),
    (None, None, {"W1": npy_header((4, 3)) + b"\0" * 8}, r"W1 declares \(4, 3\) float64 \(96 bytes\) but holds 8 "),
])
def test_forged_model_files_are_refused_before_allocating(tmp_path, spec, extra, members, message):
    path = _forged(tmp_path, spec, extra, members)
    tracemalloc.start()
    with pytest.raises(ValueError, match=message) as caught:
        load_model(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000 and "\n" not in str(caught.value) and str(caught.value).startswith(str(path))


def test_members_a_model_does_not_have_are_never_read(tmp_path):
    """A 50 MB extra member (and one claiming 6 GB) beside a good model: ignored, nothing of them read."""
    path = _forged(tmp_path, members={"junk": zeros_member((50 * 2**20 // 8,)), "claim": npy_header((6 * 10**9,))})
    tracemalloc.start()
    net, _ = load_model(path)
    assert tracemalloc.get_traced_memory()[1] < 5_000_000
    tracemalloc.stop()
    assert net.layer_dims == (3, 4, 1)


@pytest.mark.parametrize("content, message", [
    (b"W1 = [[1.0, 2.0]]\n", r"not a readable model file \(not a zip archive of arrays\)"),
    (b"\x93NUMPY\x01\x00v\x00{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", r"not a zip archive"),
])
def test_a_text_file_gets_no_advice_about_pickles(tmp_path, content, message):
    (tmp_path / "m.npz").write_bytes(content)
    with pytest.raises(ValueError, match=message) as caught:
        load_model(tmp_path / "m.npz")
    assert "pickle" not in str(caught.value)


_SAVER = r"""
import os, sys, numpy as np
from visualtrainer.core import Network, save_model
import visualtrainer.core.files as files
import numpy.lib.format as fmt

point, path = sys.argv[1], sys.argv[2]
net = Network((2000, 300, 1), random_state=1).initialize()

def stop_here(original):
    def wrapper(*args, **kwargs):
        if point == "write":  # half of the members written, the file still open
            original(*args, **kwargs)
        print("ready", flush=True)
        sys.stdin.readline()  # killed while waiting here
        return original(*args, **kwargs)
    return wrapper

if point == "write":
    fmt.write_array = stop_here(fmt.write_array)
elif point == "fsync":
    files.os.fsync = stop_here(os.fsync)
elif point == "rename":
    files.os.replace = stop_here(os.replace)
else:  # no stop: save again and again, to be killed at any moment
    print("ready", flush=True)
    while True:
        save_model(net, path)
save_model(net, path)
"""


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("point", ["write", "fsync", "rename", "anywhere", "anywhere", "anywhere"])
def test_a_save_killed_at_any_point_leaves_the_previous_model_whole(tmp_path, point):
    _, path = _model(tmp_path, name="model.npz")
    before = _digest(path)
    child = subprocess.Popen([sys.executable, "-c", _SAVER, point, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "ready\n"
        if point == "anywhere":  # wait for a save to be under way: its temporary exists and has data
            deadline = time.monotonic() + 60
            while not any(name.endswith(".vt-tmp") and (tmp_path / name).stat().st_size > 0
                          for name in os.listdir(tmp_path)) and time.monotonic() < deadline:
                time.sleep(0.001)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    if point != "anywhere":  # killed mid-save, always: the previous file is exactly there
        assert _digest(path) == before
    load_model(path)  # whole: the previous model or, killed after a rename, a complete new one
    assert any(name.endswith(".vt-tmp") for name in os.listdir(tmp_path)) or point == "anywhere"
    _model(tmp_path, name="model.npz")  # the next save cleans up after the dead one
    assert sorted(os.listdir(tmp_path)) == ["model.npz"]
