"""A first launch trains at once: numpy while the kernels compile in a process of their own, then the kernels,
with no seam in the costs; and the cost surface the same way."""

import json
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from visualtrainer.core import Network, compiling
from visualtrainer.core import reference
from visualtrainer.core import surface_kernels as SK
from visualtrainer.core import team
from visualtrainer.core.surface import CostSlicer, Plane

from .problems import random_problem

_SCRIPT = textwrap.dedent("""
    import json, sys
    import numpy as np
    from visualtrainer.core import Network, compiling, iter_training
    from visualtrainer.data.builtin import load_builtin

    compiling.background()
    data = load_builtin("flower", seed=1)
    net = Network((2, 4, 1), hidden_activation="tanh", learning_rate=1.2, init="small", dtype="float64",
                  random_state=2)
    kind = compiling.training_kind(net.initialize().engine(data.X_train, data.Y_train))
    short = [s.compiled for s in iter_training(net, data.X_train, data.Y_train, 20)]
    started_for_a_short_run = compiling.compiling(kind)
    compiling.start(kind)
    first = [s.compiled for s in iter_training(net, data.X_train, data.Y_train, 50)]
    ready = compiling.wait(kind, timeout=600)
    later = [s.compiled for s in iter_training(net, data.X_train, data.Y_train, 50)]
    print(json.dumps({"short": short, "started_for_a_short_run": started_for_a_short_run, "first": first,
                      "ready": ready, "later": later, "costs": net.costs_.tolist(), "theta": net.theta_.tolist()}))
""")


def test_a_cold_cache_trains_on_numpy_at_once_then_on_the_kernels_with_the_same_numbers(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any(result["short"]) and not result["started_for_a_short_run"]  # a short run: numpy, no compiling
    assert not result["first"][0]  # the compiler was just started: numpy still
    assert result["ready"] and all(result["later"])  # compiled: the kernels
    # the same 120 iterations on the kernels alone
    from visualtrainer.data.builtin import load_builtin

    data = load_builtin("flower", seed=1)
    net = Network((2, 4, 1), hidden_activation="tanh", learning_rate=1.2, init="small", dtype="float64",
                  random_state=2).fit(data.X_train, data.Y_train, 120)
    np.testing.assert_allclose(result["costs"], net.costs_, rtol=1e-12)
    np.testing.assert_allclose(result["theta"], net.theta_, rtol=1e-10, atol=1e-13)


def test_the_marker_says_a_kind_is_ready_once_it_has_run(monkeypatch, tmp_path):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    kind = "train-narrow-float64-float64-test"
    assert not compiling.ready(kind)
    compiling.loaded(kind)
    assert compiling.ready(kind)
    assert (tmp_path / "ready").is_dir()


_HOLD = textwrap.dedent("""
    import fcntl, sys, time
    with open(sys.argv[1], "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        print("held", flush=True)
        sys.stdin.readline()
""")


@pytest.mark.skipif(compiling.fcntl is None, reason="no lock between processes here")
def test_a_compiled_kind_waits_on_numpy_while_another_process_compiles(monkeypatch, tmp_path):
    """Loading compiled kernels for the first time takes the compile lock: while another process holds it (a
    first launch compiling another kind in the background), the kind is not ready, so the work stays on numpy
    rather than wait for that process."""
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(compiling, "_loaded", set())
    kind = "train-wide-float32-uint8-test"
    (tmp_path / "ready").mkdir()
    compiling._marker(kind).touch()  # compiled by an earlier process, not yet run in this one
    assert compiling.compiled(kind) and compiling.ready(kind)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(compiling._lock_path())], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert compiling.compiled(kind) and not compiling.ready(kind)
        assert not compiling.start(kind)  # compiled already: nothing to start
    finally:
        holder.stdin.close()
        holder.wait(30)
    assert compiling.ready(kind)
    compiling.loaded(kind)  # run in this process: ready whoever holds the lock
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(compiling._lock_path())], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert compiling.ready(kind)
    finally:
        holder.stdin.close()
        holder.wait(30)


@pytest.mark.skipif(compiling.fcntl is None, reason="no lock between processes here")
def test_kernels_found_ready_a_moment_before_another_process_takes_the_lock_run_on_numpy_rather_than_wait(
        monkeypatch, tmp_path):
    """A kind checked as ready (``compiling.ready``), then another process takes the compile lock before the kernels
    run (a first launch: the window's own compiling processes, a command line): the call runs on numpy at once, with
    the same numbers, instead of waiting 10-20 s for that process (a window stuck at iteration 0)."""
    X, Y = random_problem("sigmoid", 1, seed=3, n_x=3, m=9)
    net = Network((3, 4, 1), hidden_activation="tanh", learning_rate=0.5, dtype="float64", random_state=1)
    engine = net.initialize().engine(X, Y)
    expected = engine.reference().evaluate(net.theta_, with_cost=True)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(compiling, "_loaded", set())
    monkeypatch.setattr(compiling, "_background", True)
    kind = compiling.training_kind(engine)
    (tmp_path / "ready").mkdir()
    compiling._marker(kind).touch()  # compiled by an earlier process, not yet run in this one
    monkeypatch.setattr(compiling, "_locked_elsewhere", lambda: False)  # checked free, taken right after
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(compiling._lock_path())], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        began = time.perf_counter()
        out, cost = engine.evaluate(net.theta_, with_cost=True)
        trained = Network((3, 4, 1), hidden_activation="tanh", learning_rate=0.5, dtype="float64", random_state=1)
        trained.fit(X, Y, 30)
        waited = time.perf_counter() - began
        assert holder.poll() is None  # the lock was held throughout
    finally:
        holder.stdin.close()
        holder.wait(30)
    assert waited < 10.0 and cost == pytest.approx(expected[1], rel=1e-12)
    assert kind not in compiling._loaded  # what ran was numpy: the kernels still take the lock when they first run
    np.testing.assert_allclose(out, expected[0], rtol=1e-12)
    reference_run = Network((3, 4, 1), hidden_activation="tanh", learning_rate=0.5, dtype="float64", random_state=1)
    monkeypatch.setattr(compiling, "_background", False)
    reference_run.fit(X, Y, 30)  # on the kernels, lock free
    np.testing.assert_allclose(trained.costs_, reference_run.costs_, rtol=1e-12)


@pytest.mark.parametrize("hidden, output, loss, l2, l1", [("tanh", "sigmoid", None, 0.0, 0.0),
                                                          ("relu", "softmax", None, 0.3, 0.0),
                                                          ("sigmoid", "linear", "mse", 0.1, 0.2)])
def test_the_numpy_surface_equals_the_kernels(hidden, output, loss, l2, l1):
    n_y = 3 if output == "softmax" else 1
    X, Y = random_problem(output, n_y, seed=3, n_x=3, m=40)
    net = Network((3, 5, 4, n_y), hidden_activation=hidden, output=output, loss=loss, l2=l2, l1=l1, dtype="float64",
                  random_state=1).initialize()
    slicer = CostSlicer(net, X, Y)
    rng = np.random.RandomState(0)
    plane = Plane("random", rng.randn(net.layout.size), rng.randn(net.layout.size), ("a", "b"))
    alphas, betas = np.linspace(-1, 1, 7), np.linspace(-2, 2, 5)
    compiled = slicer.costs(net.theta_, plane, alphas, betas)
    planes = slicer._first_layer_planes(net.theta_, plane.d1, plane.d2, reference=True)
    quad = reference.weight_quadratic(net.layout, net.theta_, plane.d1, plane.d2)
    np.testing.assert_allclose(quad, SK.weight_quadratic(net.theta_, plane.d1, plane.d2, net.layout.w_off,
                                                         net.layout.dims), rtol=1e-12)
    weights = slicer._weights(net.theta_, plane.d1, plane.d2)
    numpy_costs = reference.plane_costs(net.layout, slicer.engine.spec.acts, slicer.engine.spec.loss, planes,
                                        (net.theta_, plane.d1, plane.d2), slicer.Y, (l2, quad, net.l1, weights),
                                        alphas, betas)
    np.testing.assert_allclose(numpy_costs, compiled, rtol=1e-11)
    assert team.size() >= 1


_HOLDER = textwrap.dedent("""
    import sys
    from visualtrainer.core import compiling
    with compiling.compile_lock("test-kind-held-elsewhere"):
        print("held", flush=True)
        sys.stdin.readline()
""")


def _lock_file():
    return compiling._marker("any").parent.parent / "compiling.lock"


@pytest.mark.skipif(compiling.fcntl is None, reason="no lock between processes here")
def test_one_process_at_a_time_compiles_into_the_cache():
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env={**os.environ})
    try:
        assert holder.stdout.readline().strip() == "held"
        with open(_lock_file(), "a+") as probe:  # another process compiling: this one would have to wait
            with pytest.raises(BlockingIOError):
                compiling.fcntl.flock(probe, compiling.fcntl.LOCK_EX | compiling.fcntl.LOCK_NB)
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=60)
    with compiling.compile_lock("test-kind-not-loaded"):  # free again; and taken once for nested calls
        with compiling.compile_lock("test-kind-not-loaded-either"):
            with open(_lock_file(), "a+") as probe, pytest.raises(BlockingIOError):
                compiling.fcntl.flock(probe, compiling.fcntl.LOCK_EX | compiling.fcntl.LOCK_NB)
    with open(_lock_file(), "a+") as probe:  # released at the end
        compiling.fcntl.flock(probe, compiling.fcntl.LOCK_EX | compiling.fcntl.LOCK_NB)
        compiling.fcntl.flock(probe, compiling.fcntl.LOCK_UN)
