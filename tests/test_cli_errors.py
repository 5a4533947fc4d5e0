"""Every error of the command line ends as one line on stderr (exit 2; Ctrl+C: 130), never a traceback; errors the
user did not cause name a log file holding the details; the window says in one line why it cannot start."""

import os
import signal
import subprocess
import sys

import pytest

from visualtrainer import __main__ as launcher
from visualtrainer import cli, errors
from visualtrainer.core import validation
from visualtrainer.data import _checks

CAT = "/work/shared/data/catvnoncat/train_catvnoncat.h5"


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    """Logs go to a folder of the test's own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


@pytest.fixture
def eight_gigabytes(monkeypatch):
    """A machine with 8 GB available, whatever this one has."""
    monkeypatch.setattr(validation, "available_memory", lambda: 8 * 10**9)
    monkeypatch.setattr(_checks, "available_memory", lambda: 8 * 10**9)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err):
    return err.count("\n") == 1 and err.startswith("visualtrainer: error: ") and "Traceback" not in err


@pytest.mark.parametrize("argv, message", [
    (["train", "--hidden", "9223372036854775808"], "--hidden takes layer sizes up to 2,147,483,647; got "
                                                   "9223372036854775808"),
    (["train", "--batch-size", "2**63"], "--batch-size must be an integer; got '2**63'"),
    (["train", "--batch-size", "9223372036854775808"], "--batch-size must be at most 2,147,483,647"),
    (["train", "--seed", "4294967296"], "--seed must be at most 4,294,967,295; got 4294967296"),
    (["train", "--shuffle-seed", "4294967295", "--batch-size", "10"], "shuffle_seed must be an integer in 0 … "
                                                                      "4294967294; got 4294967295"),
    (["train", "--shuffle-seed", "4294967000", "--batch-size", "10", "--iterations", "1000"],
     "epoch e is shuffled with the seed shuffle_seed + 1 + e, which must stay at most 4294967295; got shuffle seed "
     "4294967000 and 1,000 epochs. Use a shuffle seed of at most 4,294,966,295"),
    (["train", "--dataset", "house", "--output", "softmax"], "--output softmax needs a dataset with classes; house "
                                                             "is a regression set"),
    (["surface", "--grid", "100000"], "--grid must be at most 1,001; got 100000"),
    (["surface", "--span", "1e308"], "--span must be at most 1e+06; got 1e308"),
    (["train", "--samples", "1000000000"], "n_samples = 1,000,000,000 would need about 256.0 GB of memory, more "
                                           "than the 8.0 GB available; use fewer"),
    (["train", "--iterations", "3", "--hidden", "2000,2000,2000", "--samples", "200000"],
     "training the 2 → 2000 → 2000 → 2000 → 1 network on 200,000 examples would need about 13.1 GB (256.3 MB for "
     "its 8,012,001 parameters"),
    (["train", "--iterations", "2000000000"], "would need about 64.0 GB (536 bytes for its 17 parameters"),
])
def test_bad_values_get_one_clear_line(capsys, eight_gigabytes, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and _one_line(err), err


def test_a_network_too_large_for_the_memory_says_how_much_it_would_need(capsys, eight_gigabytes):
    if not os.path.exists(CAT):
        pytest.skip("course data not found")
    code, _, err = run(capsys, "train", "--dataset", CAT, "--hidden", "100000")
    assert code == 2 and _one_line(err)
    assert ("training the 12288 → 100000 → 1 network on 259 examples would need about 49.6 GB (49.2 GB for its "
            "1,229,000,001 parameters") in err and "more than the 8.0 GB available" in err


@pytest.mark.parametrize("error, message", [
    (MemoryError("Unable to allocate 4.58 GiB for an array with shape (100000, 12288) and data type float32"),
     "out of memory (Unable to allocate 4.58 GiB for an array with shape (100000, 12288) and data type float32); "
     "use a smaller network"),
    (OverflowError("Python int too large to convert to C long"), "a number is too large for the computation (Python "
                                                                 "int too large to convert to C long)"),
    (ZeroDivisionError("division by zero"), "an unexpected error (ZeroDivisionError: division by zero); please report "
                                            "it with the log"),
])
def test_errors_nobody_meant_name_the_log_holding_their_traceback(capsys, monkeypatch, state_home, error, message):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(cli, "load_dataset", fail)
    code, _, err = run(capsys, "train", "--iterations", "3")
    log = state_home / "visualtrainer" / "logs" / "visualtrainer.log"
    assert code == 2 and _one_line(err) and message in err and err.endswith(f"; details in {log}.\n")
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and type(error).__name__ in text
    assert "visualtrainer train --iterations 3" in text


def test_without_a_writable_log_the_line_still_comes(capsys, monkeypatch, state_home):
    state_home.parent.mkdir(exist_ok=True)
    state_home.write_text("a file where the folder would go")
    monkeypatch.setattr(cli, "load_dataset", lambda *a, **k: 1 / 0)
    code, _, err = run(capsys, "train")
    assert code == 2 and _one_line(err) and "division by zero); please report it with the log.\n" in err


def test_the_log_starts_again_past_its_limit(monkeypatch, state_home):
    monkeypatch.setattr(errors, "LOG_LIMIT", 2000)
    for _ in range(30):
        path = errors.write_log(ValueError("x" * 100), ["train"])
    assert path.stat().st_size < 4000 and path.with_name("visualtrainer.log.1").exists()


def test_an_output_file_that_cannot_be_written(capsys, tmp_path, state_home):
    code, _, err = run(capsys, "train", "--iterations", "3", "--print-every", "0", "--json",
                       str(tmp_path / "no" / "r.json"))
    assert code == 2 and _one_line(err) and f"{tmp_path / 'no' / 'r.json'}: no such file or directory." in err
    assert not state_home.exists()  # a plain mistake: no log needed


def test_interrupted_by_ctrl_c_ends_with_one_line_and_status_130():
    child = subprocess.Popen([sys.executable, "-m", "visualtrainer", "train", "--iterations", "10000000",
                              "--print-every", "100"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().startswith("Cost after iteration 0: ")  # training has started
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 130 and err == "visualtrainer: interrupted.\n"


def test_predict_refuses_a_fifo_named_like_a_picture_without_waiting(tmp_path, capsys):
    code, _, _ = run(capsys, "train", "--dataset", "shapes", "--samples", "20", "--hidden", "", "--iterations", "2",
                     "--print-every", "0", "--save", str(tmp_path / "m.npz"))
    assert code == 0
    os.mkfifo(tmp_path / "x.png")
    result = subprocess.run([sys.executable, "-m", "visualtrainer", "predict", "--model", str(tmp_path / "m.npz"),
                             str(tmp_path / "x.png")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "x.png: a FIFO, not a regular file" in result.stderr


def _window(env):
    base = {key: value for key, value in os.environ.items()
            if key not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, "-m", "visualtrainer", "--fresh"], capture_output=True, text=True,
                          timeout=120, env=base | env)


def test_without_a_display_the_window_says_so_in_one_line():
    result = _window({})
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set)" in result.stderr


def test_a_display_the_window_cannot_use_is_named_in_one_line():
    """Here either the xcb plugin's libraries are missing (then the Debian packages are named) or no X server
    answers on that display; Qt would abort with status 134 in both cases."""
    result = _window({"DISPLAY": ":917"})
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert ("sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in result.stderr
            or "cannot connect to the X display ':917'" in result.stderr)


def test_the_display_probe():
    assert launcher.window_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert launcher.window_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None
    assert "DISPLAY" in launcher.window_problem({})
    assert "no display" in launcher.window_problem({"QT_QPA_PLATFORM": "xcb"})
    problem = launcher._connect_problem(":917")
    assert problem is None or "cannot connect to the X display ':917'" in problem


def test_without_qt_the_window_says_so_in_one_line(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "visualtrainer.ui.app", None)  # as if PySide6 were not installed
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert launcher.main(["--fresh"]) == 2
    err = capsys.readouterr().err
    assert _one_line(err) and "the window needs PySide6 and pyqtgraph" in err
