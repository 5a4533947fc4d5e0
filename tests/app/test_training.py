"""The training job and its mailbox, without a window: live changes are applied by the thread that owns the
network, between chunks; a pause ends the job with its last progress marked paused."""

import threading

import numpy as np

from visualtrainer.app.builder import build_network, network_for
from visualtrainer.app.settings import Settings
from visualtrainer.app.machine import Pace
from visualtrainer.app.training import Mailbox, TrainingPlan, train
from visualtrainer.core import Network, TrainingControl
from visualtrainer.data import load_dataset


class Recording(Network):
    """A Network that notes which thread changes its settings."""

    def set_params(self, **params):
        self.changed_in = getattr(self, "changed_in", []) + [(threading.current_thread().name, params)]
        return super().set_params(**params)


def _data():
    return load_dataset("flower", seed=1)


def test_changes_wait_while_a_job_owns_the_network_and_are_applied_by_it():
    net = Recording((2, 3, 1)).initialize()
    box = Mailbox(net)
    box.send(learning_rate=0.5)  # nobody trains it: at once, here
    assert net.learning_rate == 0.5 and net.changed_in[-1][0] == threading.current_thread().name
    owned, sent = threading.Event(), threading.Event()

    def job():
        with box.owned():
            owned.set()
            sent.wait(10)
            assert net.learning_rate == 0.5  # sent, not yet applied
            box.apply()

    thread = threading.Thread(target=job, name="trainer")
    thread.start()
    owned.wait(10)
    box.send(learning_rate=0.1, l2=0.2)
    assert net.learning_rate == 0.5
    sent.set()
    thread.join(10)
    assert (net.learning_rate, net.l2) == (0.1, 0.2) and net.changed_in[-1] == ("trainer", {})
    assert ("trainer", {"learning_rate": 0.1, "l2": 0.2}) in net.changed_in


def _run(job, first=()):
    """Everything ``job`` yields (after ``first``), and what it returns."""
    progress = list(first)
    while True:
        try:
            progress.append(next(job))
        except StopIteration as stop:
            return progress, stop.value


def test_the_job_yields_progress_and_returns_the_last():
    data = _data()
    net = network_for(Settings(iterations=200), data).initialize()
    plan = TrainingPlan(data.X_train, data.Y_train, 200, trace_every=10)
    progress, last = _run(train(Mailbox(net), plan, TrainingControl()))
    assert last is progress[-1] and last.snapshot.iteration == 200 == net.n_iter_ and not last.paused
    assert last.train_accuracy == net.score(data.X_train, data.Y_train)  # the final one is always measured
    costs = np.concatenate([p.snapshot.costs for p in progress])
    np.testing.assert_array_equal(costs, net.costs_)


def test_the_job_hands_its_progress_over_and_computes_the_grid_at_the_mailboxs_pace():
    """The window asks for fewer, longer chunks (and grids) while other programs crowd the machine: the job reads
    the mailbox's pace at each chunk, in the middle of a run too."""
    data = _data()
    net = network_for(Settings(iterations=400), data).initialize()
    grid_X = np.random.RandomState(0).uniform(-4, 4, (2, 12))
    plan = TrainingPlan(data.X_train, data.Y_train, 400, grid_X=grid_X, grid_shape=(3, 4))
    box = Mailbox(net)
    box.pace = Pace(chunk_seconds=0.0, grid_seconds=0.0)  # one iteration a chunk, a grid with each
    job = train(box, plan, TrainingControl())
    first = [next(job) for _ in range(3)]
    assert [len(p.snapshot.costs) for p in first] == [1, 1, 1] and all(p.grid is not None for p in first)
    box.pace = Pace(chunk_seconds=10.0, grid_seconds=1e9)  # as long as a chunk may grow, no grid until the end
    progress, last = _run(job, first)
    sizes = [len(p.snapshot.costs) for p in progress]
    assert sizes[3:5] == [4, 10] and max(sizes) == 10 and sum(sizes) == 400  # 400 / ACCURACY_POINTS at most
    assert all(p.grid is None for p in progress[3:-1]) and last.grid.shape == (1, 3, 4)
    np.testing.assert_allclose(last.grid.reshape(1, -1), net.predict_proba(grid_X))


def test_a_pause_ends_the_job_with_its_progress_marked_paused():
    data = _data()
    net = network_for(Settings(), data).initialize()
    box, control = Mailbox(net), TrainingControl()
    job = train(box, TrainingPlan(data.X_train, data.Y_train, 10_000_000), control)
    first = next(job)
    box.request_pause()
    control.cancel()
    progress, last = _run(job, [first])
    assert last.paused and last.snapshot is progress[-1].snapshot and net.stop_reason_ == "cancelled"
    assert 0 < net.n_iter_ < 10_000_000 and last.snapshot.iteration == net.n_iter_


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class _Measured:
    """A network whose accuracy and cost take ``seconds`` of the clock to measure; counts the measures."""

    output = "sigmoid"

    def __init__(self, clock, seconds):
        self.clock, self.measures = clock, 0
        self.seconds = seconds if isinstance(seconds, list) else [seconds]  # the measures' costs, in turn
        self.spent = 0.0

    def score(self, X, Y):
        seconds = self.seconds[self.measures % len(self.seconds)]
        self.measures += 1
        self.clock.now += seconds
        self.spent += seconds
        return 50.0

    def cost(self, X, Y):
        return 0.5


def _points(measure_seconds, n_iterations=10_000, per_chunk=700, chunk_seconds=1 / 30, spent=None):
    """The iterations at which a run of ``n_iterations`` in chunks of ``per_chunk`` got an accuracy point (and, into
    ``spent`` when given, the part of the run's time the measures took)."""
    from types import SimpleNamespace

    from visualtrainer.app.training import _Rations

    clock = _Clock()
    rations, net = _Rations(clock), _Measured(clock, measure_seconds)
    plan = TrainingPlan(np.zeros((2, 4)), np.zeros((1, 4)), n_iterations)
    points = []
    for end in range(per_chunk, n_iterations + per_chunk, per_chunk):
        clock.now += chunk_seconds
        last = min(end, n_iterations)
        snap = SimpleNamespace(iteration=last, stop_reason="max_iterations" if last == n_iterations else None)
        if rations.progress(net, plan, snap).train_accuracy is not None:
            points.append(last)
    if spent is not None:
        spent.append(net.spent / (clock.now - 100.0))
    return points


def test_a_run_over_in_a_fraction_of_a_second_still_gets_its_accuracy_through_the_run_when_measuring_is_cheap():
    """The flower's 10,000 iterations take a tenth of a second: its accuracies and test cost were measured at the
    first chunk and the last, drawn as a straight line. Cheap measures (1 ms: 40 of them cost 40 ms) now come at
    least every 1/40 of the run; costly ones (20 ms) keep to the time's ration; a long run is rationed by time."""
    cheap = _points(0.001)
    assert len(cheap) == 15 and cheap[-1] == 10_000  # every chunk: 700 iterations is more than 10,000 / 40
    costly = _points(0.020)
    assert cheap[0] == costly[0] == 700 and costly[-1] == 10_000 and len(costly) <= 4
    long_run = _points(0.001, n_iterations=2_000_000, per_chunk=700)
    assert len(long_run) < 2_000_000 / 700 / 5


def test_a_slow_first_measure_warming_up_does_not_thin_out_the_points_after_it():
    """The first measure of a run loads the kernels (on a first launch, numpy while they compile): a tenth of a
    second, where the next take a millisecond. Rationed by it, a run of a second showed no accuracy for most of it."""
    assert _points([0.3] + [0.001] * 100) == _points(0.001)
    assert _points([0.001, 0.001, 0.03] + [0.001] * 100) == _points(0.001)  # one slow one among the first few


def test_measures_whose_cost_varies_keep_to_their_share_of_a_long_run():
    """Beside a training on every core one measure costs twice the next. Rationed by the cheapest seen, a long run
    spent twice the share on them; by their typical cost it keeps to it."""
    from visualtrainer.app.training import ACCURACY_SHARE

    spent = []
    points = _points([0.010] + [0.0005, 0.001, 0.001, 0.001] * 1000, n_iterations=2_000_000, per_chunk=700, spent=spent)
    assert len(points) > 100 and spent[0] <= ACCURACY_SHARE * 1.1


def test_a_short_runs_chunks_are_a_fortieth_of_it_at_most_with_the_same_costs():
    data = _data()
    nets = [network_for(Settings(iterations=2_000), data).initialize() for _ in range(2)]
    plan = TrainingPlan(data.X_train, data.Y_train, 2_000)
    progress, _ = _run(train(Mailbox(nets[0]), plan, TrainingControl()))
    sizes = [p.snapshot.iteration - p.snapshot.first_iteration for p in progress]
    assert max(sizes) <= 50 and len(progress) >= 40 and sum(p.train_accuracy is not None for p in progress) >= 20
    nets[1].fit(data.X_train, data.Y_train, 2_000)  # one call, chunks by time alone
    np.testing.assert_array_equal(nets[0].costs_, nets[1].costs_)


def test_the_builder_makes_the_output_the_task_needs():
    flower, spiral, house = (load_dataset(name, seed=1) for name in ("flower", "spiral", "house"))
    assert build_network(flower, [4], "tanh").layer_dims == (2, 4, 1)
    net = build_network(spiral, [5, 3], ["relu", "tanh"], l2=0.1, random_state=3)
    assert net.layer_dims == (2, 5, 3, 3) and net.output == "softmax" and net.l2 == 0.1 and net.random_state == 3
    assert build_network(house, [], "tanh").output == "linear"
    assert build_network(flower, [2], "relu", output="auto", loss="auto").loss is None
