"""Another dataset keeps the user's network shape and says which learning rate it took; lesson 1 runs downhill;
picture cards follow a change between two picture sets."""

from pathlib import Path

import numpy as np
from PIL import Image

from visualtrainer.core.metrics import class_probabilities

from .helpers import drop

COMPILE_MS = 180_000
SAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.png"))


def _folder(root):
    for name, colour in (("red", "red"), ("green", "green")):
        (root / name).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (32, 32), colour).save(root / name / f"{i}.png")
    return root


def test_a_dropped_class_folder_keeps_logistic_regression(qtbot, make_window, tmp_path):
    window = make_window(hidden=[], learning_rate=0.5)
    drop(window, [_folder(tmp_path / "set")], qtbot)
    assert tuple(window.session.net.layer_dims) == (12288, 1)  # not a network of the app's choosing
    assert window.session.settings.learning_rate == 0.005
    qtbot.waitUntil(lambda: "12288 → 1, with α = 0.005 and 2,000 iterations" in window.message_label.text())


def test_a_dropped_class_folder_keeps_the_users_hidden_layers(qtbot, make_window, tmp_path):
    window = make_window(hidden=[(3, "relu"), (2, "tanh")])
    drop(window, [_folder(tmp_path / "set")], qtbot)
    net = window.session.net
    assert tuple(net.layer_dims) == (12288, 3, 2, 1) and net.activations[:2] == ["relu", "tanh"]
    assert window.session.settings.learning_rate == 0.0075


def test_the_cat_file_takes_a_rate_that_suits_it_and_says_so(qtbot, make_window, cat_train_path):
    window = make_window(hidden=[], learning_rate=1.2)
    assert window.open_dataset(str(cat_train_path))
    assert window.session.net.learning_rate == 0.005
    qtbot.waitUntil(lambda: "α = 0.005 and 2,000 iterations, which suit logistic regression on pictures"
                    in window.message_label.text(), timeout=COMPILE_MS)


def test_lesson_one_runs_downhill_as_its_text_says(qtbot, window):
    assert window.apply_lesson("logistic")
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()
    costs = window.session.net.costs_
    assert len(costs) == 2000 and np.all(np.diff(costs) <= 1e-6)  # convex, and α small enough to follow it down
    assert costs[-1] < 0.5


def test_cards_take_the_classes_of_another_picture_set(qtbot, window, cat_train_path):
    window.controls.dataset.setCurrentText("shapes")
    drop(window, SAMPLES, qtbot)
    assert window.open_dataset(str(cat_train_path))
    cards, net = window.drop_classifier.cards, window.session.net
    assert len(cards) == len(SAMPLES)
    pixels = np.stack([card.pixels.reshape(-1) for card in cards], axis=1)
    expected = class_probabilities(net.predict_proba(pixels), net.output).T
    np.testing.assert_allclose([card.probabilities for card in cards], expected, rtol=1e-6)
    names = set(window.session.data.classes)
    assert all(bar.format().split("  ")[0] in names for card in cards for bar in card.bars)
