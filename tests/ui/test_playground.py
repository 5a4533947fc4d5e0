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
