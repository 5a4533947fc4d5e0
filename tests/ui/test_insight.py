"""The insight parts in the window: what each shows after a click, against numbers worked out here."""

from pathlib import Path

import nbformat
import numpy as np
import pytest

from tests import numpy_course
from tests.ui.helpers import LayoutRequests, drop
from visualtrainer.app import course
from visualtrainer.app.course_book import FLOWER
from visualtrainer.core.plane_fit import plane_fit
from visualtrainer.core.surface import flat_parameters

COMPILE_MS = 180_000
SAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.png"))


def _train(qtbot, window, iterations):
    window.controls.iterations.setValue(iterations)
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def _params(window):
    return {key: np.array(value, dtype=np.float64) for key, value in window.session.params.items()}


def test_the_layers_tab_measures_each_layer_as_training_goes(qtbot, window):
    window.show_tab("Layers")
    layers = window.insight.layers
    qtbot.waitUntil(lambda: len(layers.history) >= 1 and not layers.job.busy, timeout=COMPILE_MS)
    assert layers.history.iterations[0] == 0
    _train(qtbot, window, 300)
    qtbot.waitUntil(lambda: layers.history.iterations[-1] == 300 and not layers.job.busy, timeout=COMPILE_MS)
    data = window.session.data
    params = _params(window)
    _, caches = numpy_course.forward(params, data.X_train, ["tanh", "sigmoid"])
    grads = numpy_course.backward(params, caches, data.Y_train.astype(float), ["tanh", "sigmoid"])
    norms = layers.history.lines("grad_norm")
    assert [values[-1] for _, values in norms] == pytest.approx([np.linalg.norm(grads["dW1"]),
                                                                 np.linalg.norm(grads["dW2"])], rel=1e-9)
    strip, _ = layers.history.strip(1, "weights")
    column = 300 // layers.history.width
    assert np.nansum(strip[:, column]) == pytest.approx(1.0)
    plot, image = window.layers_view.images[(1, "weights")]
    assert image.image is not None and image.image.shape == strip.shape


def test_the_curvature_tab_measures_the_sharpest_curvature_of_the_bowl(qtbot, window):
    window.apply_lesson("bowl")
    _train(qtbot, window, 40)
    window.show_tab("Curvature")
    view = window.curvature_view
    qtbot.waitUntil(lambda: len(view.values) >= 1, timeout=COMPILE_MS)
    data, params = window.session.data, _params(window)
    a = 1 / (1 + np.exp(-(params["W1"] @ data.X_train + params["b1"])))
    Xt = np.vstack([data.X_train, np.ones((1, data.m))])
    H = (Xt * (a * (1 - a))) @ Xt.T / data.m  # logistic regression's Hessian, exactly
    assert view.iterations[-1] == 40 and view.values[-1] == pytest.approx(np.linalg.eigvalsh(H).max(), rel=1e-4)
    assert view.limits[-1] == pytest.approx(2 / window.session.settings.learning_rate)
    assert "2/α = 2" in view.readout.text()


def test_why_this_class_on_cards_and_mistakes_adds_up_to_the_logit(qtbot, window):
    window.controls.dataset.setCurrentText("shapes")
    window.controls.hidden.set_layers([])
    window.controls.hidden.changed.emit()
    _train(qtbot, window, 60)
    drop(window, SAMPLES[:4], qtbot)
    cards, why = window.drop_classifier, window.insight.why
    assert len(cards.cards) == 4 and all(card.explanation is None for card in cards.cards)
    cards.why.setChecked(True)
    qtbot.waitUntil(lambda: all(card.explanation is not None for card in cards.cards), timeout=COMPILE_MS)
    params = _params(window)
    for card in cards.cards:
        e = card.explanation
        z = float((params["W1"] @ (card.pixels.reshape(-1, 1) / 255.0) + params["b1"])[0, 0])
        sign = 1.0 if z > 0 else -1.0
        assert e.exact and e.logit == pytest.approx(sign * z, rel=1e-9)
        assert e.evidence_for + e.evidence_against == pytest.approx(e.logit - e.bias, rel=1e-9, abs=1e-12)
        assert e.overlay.shape == (64, 64, 3) and 1 <= len(e.regions) <= 3
        assert card.why.isVisibleTo(card) and "for +" in card.why.text()
    cards.why.setChecked(False)
    assert all(card.explanation is None for card in cards.cards)
    mistakes = window.mistakes_view
    window.show_tab("Mistakes")
    mistakes.why.setChecked(True)
    qtbot.waitUntil(lambda: why.explained["mistakes"] >= 1, timeout=COMPILE_MS)
    assert mistakes.cards and all(card.why.isVisibleTo(card) for card in mistakes.cards)


def test_a_step_on_one_example_is_sgd_on_it_and_counts_no_iteration(qtbot, window):
    window.controls.dtype.setCurrentText("float64")
    window.show_tab("Graph")
    stepper = window.insight.stepper
    window.example.setValue(7)
    before, data = _params(window), window.session.data
    with qtbot.waitSignal(stepper.stepped, timeout=COMPILE_MS):
        stepper.panel.scale.setCurrentIndex(0)
        stepper.panel.step_button.click()
    x, y = data.X_train[:, 7:8], data.Y_train[:, 7:8].astype(float)
    _, caches = numpy_course.forward(before, x, ["tanh", "sigmoid"])
    grads = numpy_course.backward(before, caches, y, ["tanh", "sigmoid"])
    after = _params(window)
    for l in (1, 2):
        np.testing.assert_allclose(after[f"W{l}"], before[f"W{l}"] - 1.2 * grads[f"dW{l}"], rtol=1e-12)
    assert window.session.net.n_iter_ == 0 and window.example.value() == 8
    table = stepper.panel.table
    assert table.rowCount() == 2 and "example 7" in stepper.panel.summary.text()
    assert table.item(1, 3).text().startswith("[")  # dW[2], a 1×4 row: its values
    with qtbot.waitSignal(stepper.stepped, timeout=COMPILE_MS):
        stepper.panel.scale.setCurrentIndex(1)
        stepper.panel.step_button.click()
    assert "mini-batch 1 of 5 (64 examples)" in stepper.panel.summary.text()
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        stepper.panel.scale.setCurrentIndex(2)
        stepper.panel.step_button.click()
    assert window.session.net.n_iter_ == 1
    qtbot.waitUntil(lambda: "One epoch (iteration 0)" in stepper.panel.summary.text(), timeout=COMPILE_MS)


def test_the_path_against_the_surfaces_plane_is_said_under_it(qtbot, window):
    window.show_tab("Cost surface")
    _train(qtbot, window, 400)
    panel, label = window.surface_panel, window.insight.plane
    qtbot.waitUntil(lambda: panel.surface is not None and panel.surface_job.iteration == 400 and not panel.busy
                    and label.fitted is panel.surface, timeout=COMPILE_MS)
    _, points = window.session.path.frozen()
    expected = plane_fit(np.vstack(points), panel.surface.plane.d1, panel.surface.plane.d2)
    assert label.fit.mean_off == pytest.approx(expected.mean_off, rel=1e-9)
    assert f"{100 * expected.mean_off:.0f}% of the path's length" in label.label.text()


def test_the_surface_keeps_its_place_as_a_run_brings_its_first_captions(qtbot, window):
    """A run's first surface brings a two-line caption where "Computing…" held one, and the first text of the line on
    the path's plane: each line more laid out the whole window and shrank the surface under it, twice in the run's
    first tenth of a second. The captions' room is there from the start."""
    window.show_tab("Cost surface")
    window.show()
    qtbot.waitExposed(window)
    panel, label = window.surface_panel, window.insight.plane
    requests = LayoutRequests(panel)
    qtbot.wait(50)
    place = panel.stack.geometry()
    requests.seen.clear()
    _train(qtbot, window, 400)
    qtbot.waitUntil(lambda: panel.surface is not None and not panel.busy and label.fitted is panel.surface,
                    timeout=COMPILE_MS)
    qtbot.wait(50)
    assert label.label.text().startswith("Off the plane: ") and panel.info.text().startswith("J over")
    assert panel.stack.geometry() == place and requests.seen == []


def test_the_plane_fit_starts_after_the_new_surface_is_drawn(qtbot, window):
    """The fit borrows a core of the training team, as the window does to paint a new surface: started with the
    surface, the two shared the one core lent and the paint waited for it."""
    window.show_tab("Cost surface")
    panel, label = window.surface_panel, window.insight.plane
    busy_when_shown = []
    panel.surface_shown.connect(lambda surface: busy_when_shown.append(label.worker.busy))
    _train(qtbot, window, 400)
    qtbot.waitUntil(lambda: panel.surface is not None and not panel.busy and label.fitted is panel.surface,
                    timeout=COMPILE_MS)
    assert busy_when_shown and not any(busy_when_shown)


def test_reproduce_the_course_fills_its_table_from_the_engine(qtbot, window, monkeypatch):
    monkeypatch.setattr(course, "EXPERIMENTS", (FLOWER,))
    dialog = window.insight.reproduce_course()
    with qtbot.waitSignal(dialog.finished_run, timeout=COMPILE_MS):
        dialog.run()
    table = dialog.table
    assert table.rowCount() == 9 and dialog.progress.value() == 1000
    # the costs agree; the accuracy after them is decided by rounding (course_book.CHAOS): the course's or a point off
    assert [table.item(row, 4).text() for row in range(8)] == ["✓"] * 8
    accuracy = dialog.report.checks[8]
    assert table.item(8, 4).text() == ("✓" if accuracy.ok else "✗") and abs(accuracy.ours - 90.5) <= 0.25 + 1e-9
    assert table.item(3, 1).text() == "cost after iteration 3000" and table.item(3, 2).text() == "0.233864"
    agree = 8 + bool(accuracy.ok)
    assert table.item(0, 5).text().endswith(" s") and f"{agree} of 9 numbers agree" in dialog.status.text()
    assert dialog.report.checks[3].ours != 0.233864  # the engine's number, shown to 6 decimals


def test_the_course_dialog_says_when_an_experiment_waits_for_its_kernels(window):
    from types import SimpleNamespace

    dialog = window.insight.reproduce_course()
    dialog._on_event(SimpleNamespace(value=course.Started("flower", FLOWER.title)))
    dialog._on_event(SimpleNamespace(value=course.Compiling("flower")))
    assert dialog.status.text().startswith(FLOWER.title) and "compiling the kernels" in dialog.status.text()
    dialog._on_event(SimpleNamespace(value=course.Progress("flower", 0.5)))
    assert dialog.progress.value() == 500


def test_export_run_as_a_notebook(window, tmp_path):
    assert window.insight.export_notebook(str(tmp_path / "flower.ipynb"))
    notebook = nbformat.read(tmp_path / "flower.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert (tmp_path / "flower.data.npz").exists() and "open it in Jupyter" in window.message_label.text()
    assert any("def backward_propagation" in cell.source for cell in notebook.cells)
    theta = flat_parameters(window.session.params, 2)
    assert theta.size == 17


class _History:
    """A LayerHistory with nothing measured yet but its iterations."""

    def __init__(self, last):
        self.iterations = [last]

    def strip(self, l, kind):
        return None, (0, 0)

    def lines(self, name):
        return []


def test_the_layers_axes_move_in_steps_not_at_every_measure(qtbot):
    from visualtrainer.ui.insight.layers_view import LayersView

    view = LayersView()
    qtbot.addWidget(view)
    view.set_network(["relu", "sigmoid"])
    plots = [plot for plot, _ in view.images.values()] + [view.shares_plot, view.norm_plot]
    view.show_history(_History(1000))
    first = [plot.viewRange()[0] for plot in plots]
    assert all(lo == 0 and hi >= 1000 for lo, hi in first)
    view.show_history(_History(1100))  # still inside: no axis laid out again
    assert [plot.viewRange()[0] for plot in plots] == first
    view.show_history(_History(5000))
    assert all(hi >= 5000 > first[0][1] for _, hi in (plot.viewRange()[0] for plot in plots))
    texts = [text for _, text in view.images[(1, "weights")][0].getAxis("bottom")._tickLevels[0]]
    assert 2 <= len(texts) <= 3  # a narrow strip gets a few numbers


@pytest.mark.parametrize("activations", [["relu", "sigmoid"], ["leaky_relu", "tanh", "sigmoid"]])
def test_the_layers_strips_keep_their_width_in_a_narrow_tab_and_scroll(qtbot, activations):
    """In a tab narrower than the strips and lines need (1024x768), the view scrolls sideways: the plots keep
    the width their titles and axes need and none is cut off at the right."""
    from PySide6.QtCore import Qt

    from visualtrainer.ui.insight.layers_view import LayersView

    view = LayersView()
    qtbot.addWidget(view)
    view.set_network(activations)
    view.resize(420, 500)
    view.show()
    qtbot.waitExposed(view)
    least = view.graphics.ci.layout.effectiveSizeHint(Qt.MinimumSize).width()
    scroll = view.graphics.parentWidget().parentWidget()
    assert view.graphics.width() >= least > scroll.viewport().width()
    assert scroll.horizontalScrollBar().maximum() > 0
    titles = [plot.titleLabel.text for plot, _ in view.images.values()]
    assert "A[2] = σ(Z[2])" in titles or "A[3] = σ(Z[3])" in titles  # the diagram's symbols


@pytest.mark.parametrize("iterations", [[300], [10], [0], [300, 350, 400]])
def test_the_curvature_plot_counts_whole_iterations(qtbot, iterations):
    """The iteration axis writes whole iterations, with one measure too (one at iteration 300 drew 300.0, 300.2, …
    301.0)."""
    from visualtrainer.ui.insight.curvature_view import CurvatureView

    view = CurvatureView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    for it in iterations:
        view.add(it, 0.83, 1.2)
    from PySide6.QtGui import QImage, QPainter

    item = view.plot.getPlotItem()
    item.vb.autoRange()
    low, high = item.vb.viewRange()[0]
    axis = item.getAxis("bottom")
    canvas = QImage(view.size(), QImage.Format_ARGB32)
    painter = QPainter(canvas)
    *_, texts = axis.generateDrawSpecs(painter)  # what the axis writes
    painter.end()
    values = [float(text) for _, _, text in texts]
    assert len(values) >= 2 and all(v.is_integer() for v in values)
    assert low <= iterations[0] and iterations[-1] <= high


def _lent_and_returned(value, control=None):
    from visualtrainer.core import team

    return team.lent(), value


def test_a_rationed_measure_runs_with_a_core_borrowed_from_the_training(qtbot):
    """The Layers and Curvature tabs' measures run beside a training on every core: each borrows a core for its run
    (its numpy work would otherwise take a member's core mid-unit) and gives it back after."""
    from visualtrainer.core import team
    from visualtrainer.ui.insight.rationed import RationedJob

    job = RationedJob("test measure", share=0.5, gap=0.0, longest=1.0)
    got = []
    job.done.connect(got.append)
    try:
        job.request(lambda: (_lent_and_returned, (7,)), now=True)
        qtbot.waitUntil(lambda: len(got) > 0, timeout=10_000)
    finally:
        assert job.close()  # the worker's thread ended before the test does
    assert got == [(True, 7)] and not team.lent()
