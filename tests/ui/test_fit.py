"""The window fits 1280x800 and 1024x768 screens: nothing wider than the window, no plot clipped to its widget, no
tab page narrower than it needs, and at 1280 pixels every lower tab shown without scroll arrows."""

import pytest


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_the_window_fits_the_screen_with_nothing_cut_off(qtbot, make_window, size):
    window = make_window(iterations=10)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    qtbot.wait(50)  # the layouts settle
    assert window.minimumSizeHint().width() <= size[0]
    # pyqtgraph clips a scene wider than its view rather than shrink it
    for view, scene in ((window.cost_plot.graphics, window.cost_plot.graphics.ci),
                        (window.boundary_plot.plot_widget, window.boundary_plot.plot_widget.plotItem)):
        assert view.width() >= scene.minimumWidth(), (view, view.width(), scene.minimumWidth())
    tabs = window.lower_tabs
    for i in range(tabs.count()):
        assert tabs.widget(i).minimumSizeHint().width() <= tabs.width(), tabs.tabText(i)
    assert window.settings_dock.widget().width() >= window.controls.widget().minimumSizeHint().width()
    if size[0] >= 1280:
        bar = tabs.tabBar()
        assert bar.tabRect(bar.count() - 1).right() <= bar.width(), [bar.tabRect(i) for i in range(bar.count())]
