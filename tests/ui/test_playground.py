"""What TensorFlow Playground offers, in the window: L1 beside L2 and a linear hidden activation in the settings,
a weight or bias typed in the diagram, units added or removed per layer."""

import numpy as np
import pytest

COMPILE_MS = 180_000


def _train(qtbot, window, iterations):
    window.controls.iterations.setValue(iterations)
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def _cross_entropy(window):
    net, data = window.session.net, window.session.data
    a = net.forward_layers(data.X_train)[-1][1].ravel()
    y = data.Y_train.ravel()
    return -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))


def test_l1_set_in_the_settings_is_in_the_cost_the_network_trains_on(qtbot, window):
    window.controls.l1.setValue(0.5)
    assert window.session.settings.l1 == 0.5 and window.session.spec.l1 == 0.5
    _train(qtbot, window, 20)
    net = window.session.net
    assert net.l1 == 0.5
    absolutes = sum(np.abs(net.params_[f"W{l}"]).sum() for l in range(1, net.L + 1))
    expected = _cross_entropy(window) + 0.5 / window.session.data.m * absolutes  # J + λ/m·Σ|w|, by hand
    assert net.cost(window.session.data.X_train, window.session.data.Y_train) == pytest.approx(expected, rel=1e-4)
    window.reset()
    assert window.session.net.l1 == 0.5 and window.controls.l1.value() == 0.5


def test_a_linear_hidden_layer_computes_its_input_unchanged(qtbot, window):
    combo = window.controls.hidden._rows[0][2]
    combo.setCurrentText("linear")
    net, data = window.session.net, window.session.data
    assert net.hidden_activation in ("linear", ["linear"], ("linear",))
    (Z1, A1), _ = net.forward_layers(data.X_train)[:2]
    np.testing.assert_array_equal(A1, Z1)
    np.testing.assert_allclose(Z1, net.params_["W1"] @ data.X_train + net.params_["b1"], rtol=1e-5, atol=1e-6)
    texts = [item.text() for item in window.network_view.scene().items() if hasattr(item, "text")]
    assert "linear" in texts  # under A[1] in the diagram


def test_the_plus_and_minus_beside_a_layer_change_its_units_and_the_network(qtbot, window):
    from PySide6.QtCore import Qt

    window.controls.hidden.set_layers([(4, "tanh"), (3, "relu")])
    window.controls.hidden.changed.emit()
    assert window.session.net.layer_dims == (2, 4, 3, 1)
    view = window.network_view
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.step_center(2, 1))
    assert window.session.net.layer_dims == (2, 4, 4, 1)
    assert window.controls.hidden.units_box(1).value() == 4
    for _ in range(2):
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.step_center(1, -1))
    assert window.session.net.layer_dims == (2, 2, 4, 1)
    assert len(view.neuron_items(1)) == 2  # the diagram redrawn
    for _ in range(3):  # not below one unit
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.step_center(1, -1))
    assert window.session.net.layer_dims == (2, 1, 4, 1)


def _link_middle(view, l, j, k):
    for jj, kk, line in view.link_items(l):
        if (jj, kk) == (j, k):
            return view.mapFromScene(line.line().center())
    raise KeyError((l, j, k))


def test_a_weight_clicked_while_paused_takes_the_value_typed_and_every_view_follows(qtbot, window):
    from PySide6.QtCore import Qt

    _train(qtbot, window, 200)
    view, editor = window.network_view, window.parameters.editor
    boundary_before = window.boundary_plot.image_colours().copy()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=_link_middle(view, 2, 0, 2))  # W[2][0, 2]: A[1] unit 3 → ŷ
    assert editor.isVisible() and editor.field.isEnabled() and editor.title.text().startswith("w[2](1,3) = ")
    editor.field.setText("-40")
    qtbot.keyClick(editor.field, Qt.Key_Return)
    net, data = window.session.net, window.session.data
    assert net.params_["W2"][0, 2] == -40 and window.session.params["W2"][0, 2] == -40
    assert not editor.isVisible()
    # the boundary is redrawn from the new parameters: compare with a forward pass by hand
    grid_X, shape = window.session.grid_points()
    A1 = np.tanh(net.params_["W1"] @ grid_X + net.params_["b1"])
    p = 1 / (1 + np.exp(-(net.params_["W2"] @ A1 + net.params_["b2"])))
    shown = window.boundary_plot.image_colours()
    assert not np.array_equal(shown, boundary_before)
    red_side = shown[..., 0].astype(int) > shown[..., 2].astype(int)  # class 0 is red, class 1 blue
    np.testing.assert_array_equal(red_side.ravel(), (p <= 0.5).reshape(shape).ravel())
    predicted = (1 / (1 + np.exp(-(net.params_["W2"] @ np.tanh(net.params_["W1"] @ data.X_train + net.params_["b1"])
                                     + net.params_["b2"]))) > 0.5)
    assert f"train accuracy {np.mean(predicted == data.Y_train):.1%}" in window.message_label.text()
    assert "w[2](1,3) = -40" in window.message_label.text()
    _train(qtbot, window, 1)  # training goes on from the value typed
    assert window.session.net.n_iter_ == 201


def test_a_bias_is_only_shown_while_training_and_a_bad_value_changes_nothing(qtbot, window):
    window.controls.iterations.setValue(10_000_000)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.session.iteration > 0, timeout=COMPILE_MS)
    window.network_view.neuron_clicked.emit(1, 1)
    editor = window.parameters.editor
    assert editor.isVisible() and not editor.field.isEnabled() and "Pause" in editor.hint.text()
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()
    from visualtrainer.app.parameters import set_parameter

    before = window.session.net.params_["b1"].copy()
    for key, j, value in (("b1", 7, 1.0), ("b9", 0, 1.0), ("b1", 1, float("nan"))):
        with pytest.raises(ValueError, match="pick one in the diagram|finite number"):
            set_parameter(window.session, key, j, 0, value)
    np.testing.assert_array_equal(window.session.net.params_["b1"], before)
    window.network_view.neuron_clicked.emit(1, 1)
    assert editor.field.isEnabled()
    editor.field.setText("2.5")
    editor.field.returnPressed.emit()
    assert window.session.net.params_["b1"][1, 0] == 2.5


def test_the_boundary_hides_the_test_points_and_shows_the_classes_alone_when_asked(qtbot, window):
    _train(qtbot, window, 300)
    plot = window.boundary_plot
    soft = plot.image_colours().copy()
    assert len({tuple(c) for c in soft.reshape(-1, 4)}) > 20  # paler where unsure
    plot.discrete_box.setChecked(True)
    hard = plot.image_colours()
    assert len({tuple(c) for c in hard.reshape(-1, 4)}) == 2  # one colour a class
    np.testing.assert_array_equal(hard[..., 0] > hard[..., 2], soft[..., 0] > soft[..., 2])  # the same regions
    assert plot.test_points.isVisible()
    plot.test_box.setChecked(False)
    assert not plot.test_points.isVisible() and plot.train_points.isVisible()
    _train(qtbot, window, 10)  # further training keeps the choices
    assert len({tuple(c) for c in plot.image_colours().reshape(-1, 4)}) == 2 and not plot.test_points.isVisible()


def test_each_neuron_shows_its_value_over_the_plane_computed_by_hand(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(window.network_view, "set_unit_maps",
                        lambda maps, original=window.network_view.set_unit_maps: (shown.append(maps), original(maps)))
    _train(qtbot, window, 300)
    maps = shown[-1]
    net = window.session.net
    X = maps[0].reshape(2, -1)
    xx, yy = window.session.grid
    assert X[0].min() == pytest.approx(xx.min()) and X[1].max() == pytest.approx(yy.max())  # the boundary's plane
    A1 = np.tanh(net.params_["W1"] @ X + net.params_["b1"])
    A2 = 1 / (1 + np.exp(-(net.params_["W2"] @ A1 + net.params_["b2"])))
    np.testing.assert_allclose(maps[1].reshape(4, -1), A1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps[2].reshape(1, -1), A2, rtol=1e-5, atol=1e-6)
    assert all(window.network_view.unit_map(l, j) is not None for l, n in ((0, 2), (1, 4), (2, 1)) for j in range(n))
    window.controls.dataset.setCurrentText("shapes")  # pictures: plain neurons
    assert shown[-1] is None and window.network_view.unit_map(1, 0) is None


def test_a_unit_map_is_drawn_the_right_way_up_in_its_colours(qtbot):
    from visualtrainer.ui.network.network_view import NetworkView

    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.set_architecture((2, 1, 1), ["tanh", "sigmoid"])
    up = np.zeros((1, 8, 8))
    up[0, 4:] = 1.0  # positive in the upper half (row 0 at the bottom), negative below
    up[0, :4] = -1.0
    view.set_unit_maps([np.zeros((2, 8, 8)), up, np.full((1, 8, 8), 0.9)])
    image = view.unit_map(1, 0)
    top, bottom = image.pixelColor(image.width() // 2, 2), image.pixelColor(image.width() // 2, image.height() - 3)
    assert top.red() > 200 and top.blue() < 100  # vermilion
    assert bottom.blue() > 150 and bottom.red() < 100  # blue
    out = view.unit_map(2, 0).pixelColor(5, 5)
    assert out.blue() > out.red()  # ŷ = 0.9: class 1's blue, as on the boundary plot
    view.resize(600, 400)  # rebuilt at another size: still drawn
    assert view.unit_map(1, 0) is not None


def test_derived_features_let_logistic_regression_separate_the_circles(qtbot, make_window):
    window = make_window(dataset="circles", hidden=[], learning_rate=0.5, iterations=3000)
    assert window.controls.features.isEnabled()
    _train(qtbot, window, 3000)
    plain = window.session.latest.train_accuracy
    assert plain < 70  # per cent: a straight line cannot
    picker = window.controls.features
    for name, on in (("x1", False), ("x1^2", True), ("x2^2", True), ("x2", False)):
        picker.boxes[name].setChecked(on)
    session = window.session
    assert session.settings.features == ["x1^2", "x2^2"] and session.net.layer_dims == (2, 1)
    X = session.data.plane.X_train
    np.testing.assert_array_equal(session.data.X_train, X ** 2)  # the inputs are x₁², x₂² of the same points
    texts = [item.text() for item in window.network_view.scene().items() if hasattr(item, "text")]
    assert "x₁²" in texts and "x₂²" in texts
    plotted = window.boundary_plot.train_points.getData()
    np.testing.assert_array_equal(plotted[0], X[0])  # the boundary plot still shows the points themselves
    _train(qtbot, window, 3000)
    assert session.latest.train_accuracy > 95
    maps = window.network_view.unit_map(0, 0)
    assert maps is not None  # x₁² drawn over the plane in its neuron
    picker.boxes["x2^2"].setChecked(False)
    picker.boxes["x1^2"].setChecked(False)  # the last one stays ticked
    assert session.settings.features == ["x1^2"] and picker.boxes["x1^2"].isChecked()
    window.controls.dataset.setCurrentText("tumor")  # one feature: nothing to derive
    assert not picker.isEnabled() and session.net.layer_dims[0] == 1
