"""The fuzz suite through the window: every hostile file of tests/fuzz/cases.py (and models carrying settings the
window cannot use) opened by the window's own command for its kind and dropped on it (tests/fuzz/window_cases.py,
in a process of its own so that a hang shows as a case that never ended). Each ends in one sentence with the window
exactly as it was, or in the file taken whole: no traceback, no hang, no half-changed window, and under 1 GB of
memory above what the window held before the case.

The counts are printed (pytest -s) and written to window-fuzz-summary.json in the test's folder.
"""

import collections
import json
import os

from .cases import CASES
from .child import run_lines
from .window_cases import WINDOW_CASES

PEAK_LIMIT_MB = 1024
TIMEOUT = 1800  # seconds for the whole run, on a busy machine


def test_every_hostile_file_opened_or_dropped_on_the_window_ends_in_one_sentence_or_the_file(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(tmp_path / "state"))
    (tmp_path / "cases").mkdir()
    lines, returncode, err = run_lines("tests.fuzz.window_cases", tmp_path / "cases", TIMEOUT, env)
    results = [line for line in lines if "outcome" in line]
    ended = {(line["kind"], line["case"]) for line in results}
    hung = [(line["start"], line["case"]) for line in lines if "start" in line
            and (line["start"], line["case"]) not in ended] + [(r["kind"], r["case"]) for r in results
                                                                if r["outcome"] == "hang"]
    outcomes = collections.Counter(line["outcome"] for line in results)
    cases = sum(len(c) for c in CASES.values()) + sum(len(c) for c in WINDOW_CASES.values())
    summary = {"cases": cases, "openings": len(results), **{k: outcomes[k] for k in (
        "refused", "changed", "traceback", "half-changed", "wrong")}, "hangs": len(hung),
        "peak_mb": max((line["peak_mb"] for line in results), default=0.0),
        "most_grown_mb": max((line["grew_mb"] for line in results), default=0.0)}
    (tmp_path / "window-fuzz-summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))
    bad = [f"{r['kind']} / {r['case']} ({r['via']}): {r['outcome']}: {r['message']}" for r in results
           if r["outcome"] not in ("refused", "changed") or r["grew_mb"] > PEAK_LIMIT_MB]
    assert not hung, f"hung on {hung[0]}; stderr: {err[-2000:]}"
    assert returncode == 0 and not bad, "\n".join(bad) + err[-2000:]
    assert summary["openings"] == 2 * cases and outcomes["refused"] > 300 and outcomes["changed"] > 30
