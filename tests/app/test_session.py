"""The session without a window: every new network through one path, all or nothing; progress of a replaced network
dropped; the latest parameters for predictions; a session file read back whole."""

import numpy as np
import pytest

from visualtrainer.app.session import Session
from visualtrainer.app.session_io import read_session, write_session
from visualtrainer.app.settings import Settings
from visualtrainer.app.training import Progress
from visualtrainer.core import Network, iter_training
from visualtrainer.data import DatasetError


@pytest.fixture
def session():
    s = Session(Settings(iterations=60))
    s.reset(reload=True)
    return s


def _snapshots(net, data, n=30):
    return list(iter_training(net, data.X_train, data.Y_train, n, trace_every=5))


def test_a_reset_builds_the_settings_network_and_tells_once(session):
    changes = []
    session.network_changed.connect(lambda: changes.append(session.generation))
    before = session.generation
    session.reset(Settings(hidden=[(3, "relu"), (2, "tanh")], iterations=60))
    net = session.net
    assert tuple(net.layer_dims) == (2, 3, 2, 1) and net.activations == ["relu", "tanh", "sigmoid"]
    assert changes == [before + 1] and session.runs.current.layer_dims == (2, 3, 2, 1)
    np.testing.assert_array_equal(session.params["W1"], net.params_["W1"])
    assert not session.params["W1"].flags.writeable


def test_a_reset_that_cannot_be_done_changes_nothing(session):
    net, data, settings, generation = session.net, session.data, session.settings, session.generation
    with pytest.raises(DatasetError):
        session.reset(Settings(dataset="no-such-set"), reload=True)
    with pytest.raises(ValueError, match=r"does not fit the data and settings"):
        session.reset(net=Network((5, 1)).initialize())
    assert (session.net, session.data, session.settings, session.generation) == (net, data, settings, generation)


def test_progress_of_a_replaced_network_is_dropped(session):
    old_generation, data = session.generation, session.data
    snaps = _snapshots(session.net, data)
    session.reset()
    fresh = dict(session.params)
    assert not session.accept(old_generation, Progress(snaps[-1], 90.0, None, None))
    assert session.params == fresh and session.accuracy.latest == (None, None) and session.latest is None
    assert len(session.path.iterations) == 1  # only the new network's start
    assert session.accept(session.generation, Progress(snaps[-1], 90.0, 80.0, None))
    assert session.params is snaps[-1].params and session.accuracy.latest == (90.0, 80.0)
    assert session.path.iterations[-1] == snaps[-1].iteration


def test_the_model_predicts_with_the_latest_snapshot_not_the_live_network(session):
    data = session.data
    snaps = _snapshots(session.net, data)
    session.accept(session.generation, Progress(snaps[0], None, None, None))
    for _ in iter_training(session.net, data.X_train, data.Y_train, 50):  # the live network moves on
        pass
    expected = Network(**session.net.get_params()).set_weights(snaps[0].params).predict_proba(data.X_train)
    np.testing.assert_array_equal(session.model().predict_proba(data.X_train), expected)
    assert not np.allclose(expected, session.net.predict_proba(data.X_train))


def test_live_settings_reach_the_network_and_its_spec(session):
    session.settings.learning_rate = 0.05
    session.apply_live()
    assert session.net.learning_rate == 0.05 and session.spec.learning_rate == 0.05


def test_a_session_file_comes_back_whole(session, tmp_path):
    data = session.data
    snaps = _snapshots(session.net, data)
    for snap in snaps:
        session.accept(session.generation, Progress(snap, 70.0 + snap.iteration / 10, None, None))
    session.finish()
    session.runs.set_pinned(session.runs.current.number)
    session.view.tab, session.view.surface.grid = "Runs", 31
    path = write_session(session, tmp_path / "s")
    opened = Session()
    opened.open(read_session(path))
    assert opened.settings == session.settings and opened.view == session.view
    np.testing.assert_array_equal(opened.net.theta_, session.net.theta_)
    np.testing.assert_array_equal(opened.net.costs_, session.net.costs_)
    np.testing.assert_array_equal(opened.accuracy.arrays()[0], session.accuracy.arrays()[0])
    assert [(r.number, r.pinned, len(r.path)) for r in opened.runs.runs] == \
           [(r.number, r.pinned, len(r.path)) for r in session.runs.runs]
    np.testing.assert_array_equal(opened.path.iterations, session.path.iterations)


def test_a_session_whose_runs_lack_settings_is_refused_in_one_sentence(session, tmp_path):
    from visualtrainer.core.files import FileError
    from visualtrainer.data.session_file import load_session, save_session

    path = write_session(session, tmp_path / "s")
    state, arrays, data = load_session(path)
    state["runs"][0]["settings"] = {"learning_rate": 0.5}
    save_session(path, state, arrays, data)
    with pytest.raises(FileError, match="run 1's settings have no dataset"):
        read_session(path)


def test_a_network_replaced_while_it_trains_leaves_its_run_what_the_snapshots_brought(session):
    data, first_run = session.data, session.runs.current
    snaps = _snapshots(session.net, data, 40)
    for snap in snaps:  # taken by the window while another thread trains the network …
        session.accept(session.generation, Progress(snap, 75.0, 70.0, None))
    session.reset()  # … then a reset, before training ended
    np.testing.assert_array_equal(first_run.costs, np.concatenate([snap.costs for snap in snaps]))
    assert (first_run.train_accuracy, first_run.test_accuracy) == (75.0, 70.0) and len(first_run.path) > 2
    assert session.runs.current is not first_run and len(session.runs.current.costs) == 0


@pytest.mark.parametrize("field, value, message", [
    ("learning_rate", -5.0, r"^the settings: learning_rate must be a number > 0; got -5\.0\.$"),
    ("batch_size", -3, r"^the settings: batch_size must be an integer in 0 … \d+; got -3\.$"),
    ("dtype", "float16", r"^the settings: dtype must be one of float32, float64; got 'float16'\.$"),
    ("hidden", [(0, "relu")], r"hidden must be a list of \[units >= 1"),
])
def test_settings_out_of_range_are_refused_in_one_sentence_before_anything_changes(session, field, value, message):
    from tests.ui.state import session_state

    before = session_state(session)
    bad = session.settings.copy()
    setattr(bad, field, value)
    with pytest.raises(ValueError, match=message):
        session.reset(bad)
    with pytest.raises(ValueError, match=message):
        session.set_live(bad)
    assert session_state(session) == before and session.net.learning_rate == 1.2


def test_a_network_that_would_not_fit_in_memory_is_refused_saying_how_much(session, monkeypatch):
    from tests.ui.state import session_state

    from visualtrainer.core import validation

    monkeypatch.setattr(validation, "available_memory", lambda: 2**20)
    before = session_state(session)
    with pytest.raises(ValueError, match=r"would need about .* more than the 1\.0 MB available"):
        session.reset(Settings(hidden=[(512, "relu")], iterations=60))
    assert session_state(session) == before


def test_a_transaction_that_fails_after_showing_a_new_network_shows_the_old_one_again(session):
    """Everything a failed change touched comes back (settings, data, network, what training left, runs, view,
    the sets held), and the views are told to show it again."""
    from tests.ui.state import session_state

    net, data = session.net, session.data
    for snap in _snapshots(net, data):
        session.accept(session.generation, Progress(snap, 80.0, None, None))
    session.finish()
    session.runs.set_pinned(session.runs.current.number)
    before = session_state(session)
    shown = []
    session.network_changed.connect(lambda: shown.append((session.generation, session.net)))

    def change():
        session.preloaded["/somewhere"] = data
        session.view.update({"tab": "Runs", "surface": {"grid": 11}})
        session.reset(Settings(dataset="moons", iterations=60), reload=True)
        raise MemoryError("a view ran out of memory")

    with pytest.raises(MemoryError), session.transaction():
        change()
    after = session_state(session)
    assert after.pop("generation") == before.pop("generation") + 2  # the failed network's, then the old one's again
    assert after == before and session.net is net and session.data is data
    assert len(shown) == 2 and shown[-1] == (session.generation, net)
    snap = _snapshots(net, data, 1)[0]  # training goes on with the old network, as the restored generation's
    assert session.accept(session.generation, Progress(snap, None, None, None)) and session.iteration == snap.iteration


def test_a_transaction_that_succeeds_keeps_its_changes(session):
    with session.transaction():
        session.reset(Settings(dataset="moons", iterations=60), reload=True)
    assert session.data.name == "moons"
