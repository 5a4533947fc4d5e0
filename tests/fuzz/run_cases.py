"""Run the fuzz cases in this process, one after another, and print one JSON line per case (and one as it starts).

``python -m tests.fuzz.run_cases FOLDER [KIND ...]``: each case's file is built in a folder of its own under
FOLDER, then opened by its reader, then (for every kind but sessions) through the command line in this process.
Each line says the outcome ("ok", "refused", "traceback": any other exception, or a message that is not one line;
"wrong": a result where a refusal was expected, or the reverse) and the case's peak resident memory (Linux's
VmHWM, reset before each case), so that a parent process sees a hang (a "start" with no end) and every figure.
"""

import contextlib
import io
import json
import sys
import time
import traceback
from pathlib import Path

from visualtrainer import cli

from .cases import CASES, READERS, _good_png


def _peak_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak():
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def _sentence(text):
    """One line, ending with a full stop (one sentence)."""
    return bool(text) and "\n" not in text and text.rstrip().endswith(".") and "Traceback" not in text


def _open(kind, path, expect):
    """(outcome, message) of the reader on ``path``."""
    try:
        result = READERS[kind](path)
    except ValueError as error:
        text = str(error)
        if not _sentence(text) or Path(path).name not in text:
            return "traceback", f"{type(error).__name__} that is not one sentence naming the file: {text!r}"
        return ("refused" if expect in ("refused", "any") else "wrong"), text
    except Exception as error:  # noqa: BLE001  (what the suite looks for)
        return "traceback", "".join(traceback.format_exception_only(error)).strip()
    if kind == "folder":  # every picture left out was named in one sentence
        bad = [message for _, message in result[1] if not _sentence(message)]
        if bad:
            return "traceback", f"a skipped picture's message is not one sentence: {bad[0]!r}"
    return ("ok" if expect in ("ok", "any") else "wrong"), ""


def _command(kind, path, expect, folder):
    """(outcome, message) of the command line on ``path``: exit 0 for a good file, 2 and one line for a bad one."""
    if kind == "session":
        return None
    train = ["train", "--dataset", str(path), "--iterations", "1", "--print-every", "0", "--hidden", "3"]
    if kind == "model":
        argv, expect = ["predict", "--model", str(path), str(_good_png(folder, "probe.png"))], "refused"
    elif kind == "picture":
        argv = ["predict", "--model", str(_picture_model(folder.parent)), str(path)]
    else:
        argv = train
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    text = err.getvalue()
    if code == 0 and not text and expect in ("ok", "any"):
        return "ok", ""
    if expect == "ok":
        return "wrong", f"exit {code}: {text!r}"
    if code != 2 or text.count("\n") != 1 or not text.startswith("visualtrainer: error: ") or "Traceback" in text:
        return "traceback", f"exit {code}: {text!r}"
    return "refused", text.strip()


_MODEL = {}


def _picture_model(folder):
    """A model trained on 64×64 pictures (the built-in shapes), saved once."""
    if "path" not in _MODEL:
        path = folder / "pictures.npz"
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(["train", "--dataset", "shapes", "--samples", "20", "--hidden", "", "--iterations", "2",
                      "--print-every", "0", "--save", str(path)])
        _MODEL["path"] = path
    return _MODEL["path"]


def main(root, kinds):
    root = Path(root)
    for kind in kinds:
        for k, (name, build, expect) in enumerate(CASES[kind]):
            folder = root / kind / f"{k:02d}"
            folder.mkdir(parents=True)
            print(json.dumps({"start": kind, "case": name}), flush=True)
            began = time.perf_counter()
            path = build(folder)
            built = time.perf_counter() - began
            for via in ("reader", "command"):
                _reset_peak()
                began = time.perf_counter()
                found = _open(kind, path, expect) if via == "reader" else _command(kind, path, expect, folder)
                if found is None:
                    continue
                print(json.dumps({"kind": kind, "case": name, "via": via, "expect": expect, "outcome": found[0],
                                  "message": found[1], "peak_mb": round(_peak_mb(), 1),
                                  "seconds": round(time.perf_counter() - began, 3), "built": round(built, 3)}),
                      flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or list(CASES))
