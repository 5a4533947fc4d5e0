"""The course's experiments run on the engine, each printed number checked against ours."""

import json
from dataclasses import replace

import numpy as np
import pytest

from visualtrainer import cli
from visualtrainer.app import course
from visualtrainer.app.course import Check, Compiling, Finished, Progress, Started, check_line, run_course
from visualtrainer.app.course_book import EXPERIMENTS, FLOWER
from visualtrainer.core import Network, TrainingControl
from visualtrainer.data import load_dataset


def _run(generator):
    events = []
    while True:
        try:
            events.append(next(generator))
        except StopIteration as stop:
            return events, stop.value


def _as_printed(report):
    """Every printed cost agrees, and the train accuracy is the course's or one point of the 400 from it: after 10,000
    iterations at learning rate 1.2 that point is decided by rounding (``course_book.CHAOS``: the notebook's own code
    gives either by the order of its sums), so on some machines the engine's vector width decides it."""
    costs = [check for check in report.checks if check.label.startswith("cost")]
    accuracy = next(check for check in report.checks if check.label == "train accuracy")
    return (len(costs) == 8 and all(check.ok for check in costs) and accuracy.note
            and abs(accuracy.ours - float(accuracy.published)) <= 0.25 + 1e-9)


def test_the_flower_comes_out_as_the_course_printed_it_from_the_engine():
    events, report = _run(run_course(only=["flower"]))
    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    fractions = [e.fraction for e in events if isinstance(e, Progress)]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    checks = report.checks
    assert _as_printed(report) and report.counts()[2] == 0
    data = load_dataset("flower", seed=1)
    net = Network((2, 4, 1), init="small", learning_rate=1.2, random_state=2, dtype="float64").fit(
        data.X_train, data.Y_train, 7001)
    ours = {check.label: check.ours for check in checks}
    assert ours["cost after iteration 3000"] == net.costs_[3000]  # the engine's own number, not the course's
    assert ours["cost after iteration 3000"] != float(FLOWER.published[3][2])


def test_the_course_waits_for_its_kernels_where_the_window_would_train_on_numpy(monkeypatch):
    """On a cold cache the window and the command line train on numpy while the kernels compile; numpy sums in
    another order, and a last bit changes the flower's accuracies. The course waits for the kernels instead."""
    from visualtrainer.core import compiling
    from visualtrainer.core.engine import Engine

    state = {"started": [], "waits": 0}
    monkeypatch.setattr(compiling, "_background", True)
    monkeypatch.setattr(compiling, "ready", lambda kind: state["waits"] >= 3)  # compiled after three waits
    monkeypatch.setattr(compiling, "compiling", lambda kind: state["waits"] < 3)
    monkeypatch.setattr(compiling, "start", lambda kind: state["started"].append(kind) or True)

    def wait(kind, timeout=None):
        state["waits"] += 1
        return compiling.ready(kind)

    monkeypatch.setattr(compiling, "wait", wait)
    monkeypatch.setattr(Engine, "reference", lambda self: pytest.fail("the course trained on numpy"))
    events, report = _run(run_course(only=["flower"]))
    assert len(state["started"]) == 1 and state["started"][0].startswith("train-narrow-float64")
    kinds = [type(event) for event in events]
    assert kinds[:4] == [Started, Compiling, Progress, Progress]
    assert _as_printed(report)


def test_a_different_network_gets_crosses(monkeypatch):
    """Train the flower with another learning rate: the printed costs after the first no longer agree."""
    name, settings, n = FLOWER.runs[0]
    other = replace(FLOWER, runs=((name, dict(settings, learning_rate=0.5), n),))
    monkeypatch.setattr(course, "EXPERIMENTS", (other,))
    _, report = _run(run_course())
    oks = [check.ok for check in report.checks]
    assert oks[0] is True and oks[1:8] == [False] * 7  # J at the start does not depend on α; later costs do


def test_the_cats_without_their_file_are_not_run_and_cancel_stops_between_chunks():
    events, report = _run(run_course(None, only=["logistic"]))
    done = report.experiments[0]
    assert "train_catvnoncat.h5 was not found" in done.skipped
    assert report.counts() == (0, 0, 22) and all(check.ours is None for check in done.checks)
    control = TrainingControl()
    jobs = run_course(only=["initialisation"], control=control)
    assert isinstance(next(jobs), Started)
    assert isinstance(next(jobs), Progress)
    control.cancel()
    events, report = _run(jobs)
    assert report.cancelled and report.experiments == [] and not any(isinstance(e, Finished) for e in events)
    with pytest.raises(ValueError, match="no experiment cats; experiments are logistic, two_layer"):
        _run(run_course(only=["cats"]))


def test_a_check_agrees_to_half_a_unit_of_its_last_decimal():
    assert Check("x", "cost", "0.693147", 0.6931474999).ok
    assert not Check("x", "cost", "0.693147", 0.6931475002).ok
    assert Check("x", "accuracy", "90.25", 90.25, "%").ours_text == "90.25"
    assert Check("x", "cost", "0.5", None).ok is None
    assert Check("x", "accuracy", "90.0", 90.0, "%").ours_text == "90.0"
    assert Check("x", "accuracy", "68", 67.5, "%").ours_text == "67.5"  # a possible accuracy, not a rounded one
    line = check_line(Check("flower", "train accuracy", "90.5", 90.75, "%"))
    assert line == "✗ flower: train accuracy: course 90.5%, ours 90.75%"
    line = check_line(Check("flower", "train accuracy", "90.5", 90.75, "%", note="rounding"))
    assert line == "✗ flower: train accuracy: course 90.5%, ours 90.75% (rounding)"
    assert check_line(Check("flower", "train accuracy", "90.5", 90.5, "%", note="rounding")).endswith("ours 90.5%")


def test_every_experiment_names_runs_it_has():
    for experiment in EXPERIMENTS:
        names = {name for name, _, _ in experiment.runs}
        assert {what[0] for what, *_ in experiment.published} <= names
        assert all(float(text) >= 0 for _, _, text, _, _ in experiment.published)


def test_the_command_line_prints_a_line_a_check_and_writes_json(capsys, tmp_path, cat_train_path):
    code = cli.main(["course", "--only", "logistic,initialisation", "--cat", str(cat_train_path), "--json",
                     str(tmp_path / "course.json")])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert "✓ logistic: cost after iteration 1900: course 0.140872, ours 0.140872" in out
    assert "✓ initialisation: He: test accuracy: course 96.00%, ours 96.00%" in out
    assert out[-1].startswith("33 of 33 numbers agree with the course, 0 differ; ")
    report = json.loads((tmp_path / "course.json").read_text())
    assert report["agree"] == 33 and report["differ"] == 0
    logistic = report["experiments"][0]["checks"]
    assert logistic[0]["ours"] == pytest.approx(np.log(2), abs=1e-12) and logistic[0]["ok"] is True
    assert all(experiment["seconds"] > 0 for experiment in report["experiments"])


def test_the_command_line_refuses_an_unknown_experiment(capsys):
    assert cli.main(["course", "--only", "cats"]) == 2
    assert "no experiment cats" in capsys.readouterr().err
