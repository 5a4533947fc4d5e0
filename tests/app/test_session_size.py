"""Sessions stay small: a built-in or on-disk dataset is named, not embedded, and paths are thinned and kept in
float32 (they are drawn, never trained from); older files, with float64 paths, still open."""

import zipfile

import numpy as np
import pytest

from visualtrainer.app.session import Session
from visualtrainer.app.session_io import read_session, session_state, write_session
from visualtrainer.app.settings import Settings
from visualtrainer.app.training import TrainingPlan, train
from visualtrainer.core import TrainingControl
from visualtrainer.data.session_file import save_session


@pytest.fixture(scope="module")
def trained():
    """A logistic regression on the built-in pictures after 2000 iterations, its path traced as the window does."""
    s = Session(Settings(dataset="shapes", hidden=[], init="zeros", learning_rate=0.001, iterations=2000))
    s.reset(reload=True)
    plan = TrainingPlan(s.data.X_train, s.data.Y_train, 2000, trace_every=5)
    for progress in train(s.mailbox, plan, TrainingControl()):
        s.accept(s.generation, progress)
    s.finish()
    return s


def test_a_logistic_regression_session_is_small_and_names_its_dataset(trained, tmp_path):
    iterations, points = trained.path.frozen()
    assert len(points) > 150 and points[0].size == 12289  # 16 MB of path in float64
    path = write_session(trained, tmp_path / "lr")
    assert path.stat().st_size < 2.5 * 2**20  # was 32 MB
    with zipfile.ZipFile(path) as archive:
        assert not [name for name in archive.namelist() if name.startswith("data_")]
    opened = Session()
    opened.open(read_session(path))
    np.testing.assert_array_equal(opened.net.theta_, trained.net.theta_)
    assert opened.settings.dataset == "shapes"
    kept = opened.path.points
    assert 10 <= len(kept) <= 25
    np.testing.assert_allclose(kept[-1], trained.net.theta_, rtol=1e-6, atol=1e-7)  # float32 of the last θ


def test_an_older_session_with_float64_paths_still_opens(trained, tmp_path):
    state, arrays, embedded = session_state(trained)
    iterations, points = trained.path.frozen()
    arrays["surface_iterations"] = np.asarray(iterations, dtype=np.int64)
    arrays["surface_path"] = np.vstack(points).astype(np.float64)  # as sessions were written before
    for run in trained.runs.runs:
        if run.path:
            arrays[f"run{run.number}_path"] = np.vstack(run.path).astype(np.float64)
    path = save_session(tmp_path / "old.vtsession", state, arrays, embedded)
    opened = Session()
    opened.open(read_session(path))
    np.testing.assert_array_equal(opened.path.iterations, np.asarray(iterations))
    np.testing.assert_array_equal(opened.net.theta_, trained.net.theta_)
