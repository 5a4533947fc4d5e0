"""The course, checked: each published experiment of the Deep Learning course run again on the engine, and each
number its notebooks print set beside ours.

The published numbers are the course's, as its notebooks print them (costs to 6 decimals, accuracies in percent);
ours come from training the same networks on the same data from the same seeds here and now, never from a table.
A check passes when ours, printed the same way, is the course's number (|ours − course| ≤ half a unit of its last
decimal). ``run_course`` is a generator: the window runs it in a worker's thread, the command line in its own.
"""

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from visualtrainer.core import Network, compiling, iter_training
from visualtrainer.core.files import atomic_write
from visualtrainer.core.training import TrainingControl
from visualtrainer.data import DatasetError, load_dataset

from .course_book import EXPERIMENTS
from .training import warm_up

#: Where the command line looks for the course's cat file when none is given.
CAT_FILE = "train_catvnoncat.h5"
CAT_PLACES = ("datasets", ".")
COMPILING = "  compiling the kernels for this network (once after an install or an update)…"


@dataclass(frozen=True)
class Check:
    """One printed number of the experiment ``experiment`` (its key): what it is (``label``), the course's text, ours
    (None when not run) and whether they agree; ``note`` says what a reader should know about it."""

    experiment: str
    label: str
    published: str
    ours: float | None
    unit: str = ""
    note: str = ""

    @property
    def decimals(self):
        return len(self.published.partition(".")[2])

    @property
    def ok(self):
        if self.ours is None:
            return None
        return abs(self.ours - float(self.published)) <= 0.5 * 10.0 ** -self.decimals + 1e-12

    @property
    def ours_text(self):
        """Ours to the published number's decimals; an accuracy (a multiple of a 1/m) to as many as it takes, up to
        two: 90.75% stays 90.75, not the 90.8 no run can score."""
        if self.ours is None:
            return "—"
        if self.unit != "%":
            return f"{self.ours:.{self.decimals}f}"
        text = f"{self.ours:.2f}".rstrip("0")
        whole, _, decimals = text.partition(".")
        return f"{whole}.{decimals.ljust(self.decimals, '0')}" if decimals or self.decimals else whole

    def to_dict(self):
        return {"experiment": self.experiment, "label": self.label, "published": self.published, "ours": self.ours,
                "unit": self.unit, "ok": self.ok, "note": self.note}


@dataclass(frozen=True)
class Started:
    """An experiment begins (``key``, ``title``)."""

    key: str
    title: str


@dataclass(frozen=True)
class Compiling:
    """The experiment ``key`` waits for its kernels to be compiled (once after an install or an update)."""

    key: str


@dataclass(frozen=True)
class Progress:
    """How far the experiment ``key`` has come (0 to 1)."""

    key: str
    fraction: float


@dataclass(frozen=True)
class Finished:
    """An experiment ended: its checks and seconds, or why it was skipped (``skipped``: its checks have no
    number of ours)."""

    key: str
    title: str
    checks: tuple
    seconds: float
    skipped: str = ""


@dataclass
class Report:
    """What ``run_course`` returns: every experiment's ``Finished``, and whether it was cancelled."""

    experiments: list = field(default_factory=list)
    cancelled: bool = False

    @property
    def checks(self):
        return [check for done in self.experiments for check in done.checks]

    def counts(self):
        """(agree, differ, not run)."""
        oks = [check.ok for check in self.checks]
        return oks.count(True), oks.count(False), oks.count(None)

    def to_dict(self):
        agree, differ, missing = self.counts()
        return {"experiments": [{"key": done.key, "title": done.title, "seconds": done.seconds,
                                 "skipped": done.skipped or None, "checks": [c.to_dict() for c in done.checks]}
                                for done in self.experiments],
                "agree": agree, "differ": differ, "not_run": missing, "cancelled": self.cancelled,
                "seconds": sum(done.seconds for done in self.experiments)}


def find_cat_file(given=None, places=CAT_PLACES):
    """The course's training file: ``given``, else train_catvnoncat.h5 in one of ``places``; None if not found."""
    if given:
        return Path(given)
    for place in places:
        path = Path(place) / CAT_FILE
        if path.is_file():
            return path
    return None


class _Runner:
    """Trains the networks of one experiment, yielding Progress; ``cancelled`` once the control was."""

    def __init__(self, key, total, control):
        self.key, self.total, self.control = key, max(1, total), control
        self.done = 0

    def train(self, net, X, Y, n_iterations):
        """``net`` trained on X, Y (a generator of Progress); returns the network."""
        yield from self._kernels(net, X, Y)
        if self.cancelled:
            return net
        started = self.done
        for snap in iter_training(net, X, Y, n_iterations, control=self.control, chunk_seconds=0.25):
            self.done = started + snap.iteration
            yield Progress(self.key, min(1.0, self.done / self.total))
        return net

    def _kernels(self, net, X, Y):
        """Wait while a process compiles the training kernels of ``net`` on X, Y, where the window or the command
        line would train on numpy meanwhile (``core.compiling``): the course's numbers come from the kernels
        whatever the state of the cache. numpy sums in another order, and in the flower's runs (learning rate
        1.2) a last bit decides a point or two of the 400."""
        kind = warm_up(net.get_params(), X, Y)
        if kind is None:
            return
        yield Compiling(self.key)
        while not compiling.wait(kind, timeout=0.2) and compiling.compiling(kind) and not self.cancelled:
            yield Progress(self.key, min(1.0, self.done / self.total))

    @property
    def cancelled(self):
        return self.control is not None and self.control.cancelled


def _load(spec, cat_path):
    """The dataset an experiment names: "cats" (the course's file at ``cat_path``) or load_dataset's arguments."""
    if spec == "cats":
        if cat_path is None:
            raise DatasetError(f"the course's {CAT_FILE} was not found: give its path (its test file beside it).")
        data = load_dataset(cat_path)
        if data.X_test is None:
            raise DatasetError(f"{cat_path}: no test file beside it (test_catvnoncat.h5).")
        return data
    return load_dataset(**spec)


def _run_one(experiment, cat_path, control):
    """One experiment: a generator of Progress, returning its Finished."""
    began = time.perf_counter()
    try:
        data = _load(experiment.data, cat_path)
    except (DatasetError, OSError) as error:
        checks = tuple(Check(experiment.key, label, text, None, unit, note)
                       for _, label, text, unit, note in experiment.expected())
        return Finished(experiment.key, experiment.title, checks, 0.0, skipped=str(error))
    runner = _Runner(experiment.key, experiment.total_iterations(), control)
    measured = {}
    for name, settings, n_iterations in experiment.runs:
        net = yield from runner.train(Network(**settings), data.X_train, data.Y_train, n_iterations)
        if runner.cancelled:
            break
        measured[name] = _measures(net, data)
    checks = tuple(Check(experiment.key, label, text, experiment.read(measured, what), unit, note)
                   for what, label, text, unit, note in experiment.expected())
    return Finished(experiment.key, experiment.title, checks, time.perf_counter() - began)


def _measures(net, data):
    """What a check may read of a trained network: its costs and its train and test accuracy."""
    return {"costs": net.costs_.copy(), "train": net.score(data.X_train, data.Y_train),
            "test": None if data.X_test is None else net.score(data.X_test, data.Y_test)}


def run_course(cat_path=None, only=None, control=None):
    """Run the course's experiments (all, or the keys in ``only``), in order: a generator of Started, Progress and
    Finished, returning a Report. Experiments on the cats are skipped (their checks not run) without
    ``cat_path``. ``control`` (a TrainingControl) cancels between two chunks of training."""
    report = Report()
    chosen = [e for e in EXPERIMENTS if only is None or e.key in only]
    if only is not None:
        unknown = sorted(set(only) - {e.key for e in EXPERIMENTS})
        if unknown:
            raise ValueError(f"no experiment {', '.join(unknown)}; experiments are "
                             f"{', '.join(e.key for e in EXPERIMENTS)}.")
    for experiment in chosen:
        if control is not None and control.cancelled:
            report.cancelled = True
            break
        yield Started(experiment.key, experiment.title)
        finished = yield from _run_one(experiment, cat_path, control)
        report.cancelled = control is not None and control.cancelled
        if report.cancelled:
            break
        report.experiments.append(finished)
        yield finished
    return report


def marks(encoding):
    """(agree, differ, not run) marks a stream of ``encoding`` can print: ✓ ✗ – where it can, else ok FAIL skip."""
    try:
        "✓✗–".encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "ok", "FAIL", "skip"
    return "✓", "✗", "–"


def check_line(check, marks=("✓", "✗", "–")):
    """One line for a check: its mark, the experiment, what it is, the course's number and ours (and, where they
    differ, the check's note: why they may)."""
    mark = marks[0] if check.ok else marks[2] if check.ok is None else marks[1]
    unit = check.unit
    why = f" ({check.note})" if check.ok is False and check.note else ""
    return (f"{mark} {check.experiment}: {check.label}: course {check.published}{unit}, "
            f"ours {check.ours_text}{unit if check.ours is not None else ''}{why}")


def summary_line(report):
    agree, differ, missing = report.counts()
    seconds = sum(done.seconds for done in report.experiments)
    text = f"{agree} of {agree + differ + missing} numbers agree with the course, {differ} differ"
    text += f", {missing} not run" if missing else ""
    return text + (" (cancelled)" if report.cancelled else "") + f"; {seconds:.1f} s of training."


def print_course(cat_path=None, only=None, json_path=None, control=None, encoding="utf-8", out=print):
    """Run the course (``run_course``) and ``out`` one line a check as each experiment ends, then the counts;
    with ``json_path``, write the Report there (atomically). Returns the Report."""
    signs = marks(encoding)
    jobs = run_course(cat_path, only, control)
    while True:
        try:
            event = next(jobs)
        except StopIteration as stop:
            report = stop.value
            break
        if isinstance(event, Started):
            out(f"{event.title}…")
        elif isinstance(event, Compiling):
            out(COMPILING)
        elif isinstance(event, Finished):
            if event.skipped:
                out(f"{signs[2]} {event.title}: not run: {event.skipped}")
            for check in () if event.skipped else event.checks:
                out(check_line(check, signs))
            out(f"  ({event.seconds:.1f} s)")
    out(summary_line(report))
    if json_path:
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
        atomic_write(json_path, lambda handle: handle.write(text.encode("utf-8")))
    return report


def add_course_command(commands):
    """The command line's ``course`` on its sub-parsers ``commands`` (argparse)."""
    course = commands.add_parser("course", help="run the course's published experiments and check each printed "
                                                "number against ours")
    course.add_argument("--cat", metavar="FILE", help="the course's train_catvnoncat.h5 (its test file beside it; "
                                                      "default: datasets/ or the current folder)")
    course.add_argument("--only", type=lambda text: [part.strip() for part in text.split(",")], metavar="KEYS",
                        help="some experiments only, comma separated (logistic, two_layer, deep, flower, "
                             "flower_sweep, initialisation, optimisation)")
    course.add_argument("--json", metavar="FILE", help="write every check, the seconds taken and the counts")


def course_command(args):
    """The course's experiments, one line a check as each experiment ends; exit 0 once they have run."""
    control = TrainingControl()
    try:
        print_course(find_cat_file(args.cat), args.only, args.json, control, getattr(sys.stdout, "encoding", None),
                     out=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        control.cancel()
        raise
    return 0
