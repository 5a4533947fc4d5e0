"""The window fits 1280x800 and 1024x768 screens: nothing wider than the window, no plot clipped to its widget, no
tab page narrower than it needs, every lower tab shown without scroll arrows (at 1280 pixels with its whole label)."""

import pytest
from PySide6.QtWidgets import QApplication


def _settle():
    """Every posted event handled (layout requests post more of them, a few rounds deep): no sleep."""
    for _ in range(5):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_the_window_fits_the_screen_with_nothing_cut_off(qtbot, make_window, size):
    window = make_window(iterations=10)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    _settle()
    assert window.minimumSizeHint().width() <= size[0]
    # pyqtgraph clips a scene wider than its view rather than shrink it
    for view, scene in ((window.cost_plot.graphics, window.cost_plot.graphics.ci),
                        (window.boundary_plot.plot_widget, window.boundary_plot.plot_widget.plotItem)):
        assert view.width() >= scene.minimumWidth(), (view, view.width(), scene.minimumWidth())
    tabs = window.lower_tabs
    for i in range(tabs.count()):
        assert tabs.widget(i).minimumSizeHint().width() <= tabs.width(), tabs.tabText(i)
    assert window.settings_dock.widget().width() >= window.controls.widget().minimumSizeHint().width()
    bar = tabs.tabBar()  # every tab in sight, none behind scroll arrows; at 1280 pixels with its whole label
    assert bar.tabRect(bar.count() - 1).right() <= bar.width(), [bar.tabRect(i) for i in range(bar.count())]
    if size[0] >= 1280:
        assert sum(bar.tabSizeHint(i).width() for i in range(bar.count())) <= bar.width()
        plane = window.surface_panel.kind  # the plane's box shows its longest choice whole
        longest = max((plane.itemText(i) for i in range(plane.count())), key=len)
        assert plane.width() == plane.maximumWidth() and plane.fontMetrics().horizontalAdvance(longest) < plane.width()


def test_the_colour_bar_writes_its_numbers_over_a_narrow_range(qtbot):
    from PySide6.QtGui import QImage, QPainter

    from visualtrainer.ui.surface.surface_view import SurfaceView

    view = SurfaceView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.colour_bar.setLevels((-0.1593, -0.1584))  # log₁₀ J of a cost stuck near 0.693
    _settle()
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = view.colour_bar.axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    assert len(texts) >= 3, [text for _, _, text in texts]  # ColorBarItem's 45 pixels dropped all but "-0.159"
