"""Test set-up shared by every test: offscreen Qt and the course data path."""

import os
from pathlib import Path

# Before any QApplication exists: without a display Qt would abort the whole pytest process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

CATVNONCAT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "catvnoncat"


@pytest.fixture(scope="session")
def cat_train_path():
    """Path of the course's train_catvnoncat.h5, or skip when ../shared is absent."""
    path = CATVNONCAT / "train_catvnoncat.h5"
    if not path.exists():
        pytest.skip(f"course data not found at {path}")
    return path


@pytest.fixture(autouse=True)
def _compiling_mode_restored():
    """A test that turns on background compiling (the command line run in-process does) leaves it as it found it:
    otherwise every later test of the process would start compiling processes of its own."""
    from visualtrainer.core import compiling

    on, eager = compiling.in_background(), compiling.eager()
    yield
    compiling.background(on, eager=eager)


@pytest.fixture(autouse=True)
def _window_loan_returned():
    """The window's thread holds a borrowed core (``ui.loans``) until its event loop goes idle with nothing ready.
    Test helpers run the loop without ever letting it wait, so a loan taken in one test would outlive it; between
    tests the loop is idle, so the loan ends as it would there."""
    yield
    from visualtrainer.core import team

    team.unlend()
