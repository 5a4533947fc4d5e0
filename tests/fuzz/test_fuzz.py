"""The fuzz suite: every file kind (model, dataset, session, course .h5, picture, folder of pictures) truncated,
with lying headers, bombs, wrong types, FIFOs, symbolic link loops, empty, claiming huge sizes, damaged at random
(seeded); opened by its reader and through the command line. Each case ends in a correct result or one sentence (exit 2 and one line for
the command line), without a hang, under 1 GB of memory. And saves of every kind killed (SIGKILL) mid-way: the
previous file is always left whole.

The counts are printed (pytest -s) and written to fuzz-summary.json in the test's folder.
"""

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from visualtrainer.core import load_model
from visualtrainer.core.files import remove_temporaries_of_crashes
from visualtrainer.data import load_dataset_file
from visualtrainer.data.session_file import open_session

from .cases import CASES
from .child import run_lines

ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MB = 1024
TIMEOUT = 900  # seconds for the whole suite: a hang shows as the case that started and never ended


def _run_suite(folder):
    """The runner's lines, and the case that never ended (None when all did)."""
    lines, returncode, err = run_lines("tests.fuzz.run_cases", folder, TIMEOUT)
    started = [line for line in lines if "start" in line]
    ended = {(line["kind"], line["case"]) for line in lines if "outcome" in line}
    hung = next(((line["start"], line["case"]) for line in started if (line["start"], line["case"]) not in ended),
                None)
    return lines, hung, returncode, err


def test_every_hostile_file_ends_in_a_result_or_one_sentence(tmp_path):
    lines, hung, code, err = _run_suite(tmp_path)
    results = [line for line in lines if "outcome" in line]
    summary = {"cases": sum(len(cases) for cases in CASES.values()), "runs": len(results),
               "tracebacks": sum(r["outcome"] == "traceback" for r in results),
               "wrong results": sum(r["outcome"] == "wrong" for r in results), "hangs": int(hung is not None),
               "peak_mb": max((r["peak_mb"] for r in results), default=0.0),
               "per kind": {kind: len(cases) for kind, cases in CASES.items()}}
    (tmp_path / "fuzz-summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))
    bad = [f"{r['kind']} / {r['case']} ({r['via']}): {r['outcome']}: {r['message']}" for r in results
           if r["outcome"] in ("traceback", "wrong") or r["peak_mb"] > PEAK_LIMIT_MB]
    assert hung is None, f"hung on {hung}; stderr: {err[-2000:]}"
    assert code == 0 and not bad, "\n".join(bad) + err[-2000:]
    assert summary["runs"] == 2 * summary["cases"] - len(CASES["session"]) and summary["cases"] > 120


KINDS = {"model": ("model.npz", lambda path: load_model(path)), "dataset": ("set.npz", load_dataset_file),
         "session": ("s.vtsession", open_session), "onnx": ("m.onnx", None), "script": ("run.py", None)}


def _digests(folder):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir()}


KILLS = [(kind, point) for kind in KINDS for point in ("write", "rename")] + [("model", "fsync"),
                                                                              ("model", "anywhere"),
                                                                              ("dataset", "anywhere")]


@pytest.mark.parametrize("kind, point", KILLS)
def test_a_save_killed_mid_way_leaves_the_previous_file_whole(tmp_path, kind, point):
    """The previous file is saved here; a child process saving the same file is killed while writing, before
    the rename (or at whatever moment a save is under way): every file is as it was, or whole and new."""
    from .save_child import _saver

    name, reader = KINDS[kind]
    path = tmp_path / name
    _saver(kind, path, size=40)()
    before = _digests(tmp_path)
    child = subprocess.Popen([sys.executable, "-m", "tests.fuzz.save_child", kind, point, str(path)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "ready\n"
        if point == "anywhere":  # a save is under way: its temporary has data
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not any(
                    p.name.endswith(".vt-tmp") and p.stat().st_size > 0 for p in tmp_path.iterdir()):
                time.sleep(0.001)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=60)
    finals = {p.name for p in tmp_path.iterdir() if not p.name.endswith(".vt-tmp")}
    assert finals == set(before)
    if point != "anywhere":  # killed mid-save: every file exactly as before, the temporary left for the next save
        assert {n: d for n, d in _digests(tmp_path).items() if n in finals} == before
        assert any(p.name.endswith(".vt-tmp") for p in tmp_path.iterdir())
    if reader is not None:
        reader(path)  # whole: the previous file, or a complete new one
    elif kind == "onnx":
        import onnx

        onnx.checker.check_model(onnx.load(path))
    else:
        compile(path.read_text(), str(path), "exec")
    remove_temporaries_of_crashes()  # as the next start of the window or the command line does
    assert not any(p.name.endswith(".vt-tmp") for p in tmp_path.iterdir())
