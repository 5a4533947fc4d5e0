"""Axes whose numbers stay short ("0.25", "20k", "3e-05"), so that a label beside them never overlaps them and a
scale never needs a "(x0.001)" factor."""

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QPainter, QPicture
from PySide6.QtWidgets import QGraphicsItem

#: (from this size, divide by, suffix): thousands from 10,000 on, so that 1500 stays 1500.
SUFFIXES = ((1e12, 1e12, "T"), (1e9, 1e9, "G"), (1e6, 1e6, "M"), (1e4, 1e3, "k"))


def _fixed(value, digits):
    """``value`` with ``digits`` significant digits, without an exponent and without trailing zeros."""
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(value)))))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def nice_step(size):
    """The least of 1, 2, 5 times a power of ten that is at least ``size`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(size))
    return next((m * power for m in (1, 2, 5) if m * power >= size * (1 - 1e-9)), 10 * power)


def short_number(value, spacing=None):
    """``value`` in a few characters: 3 significant digits (more where neighbouring ticks ``spacing`` apart would
    read alike), thousands as k, M, G, T from 10,000, and a power of ten below 0.001 ("3e-5")."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    digits = 3
    if spacing and spacing > 0:  # ticks 2683.00, 2683.02 … need the digits that tell them apart
        digits = max(3, min(7, int(math.floor(math.log10(abs(value)))) - int(math.floor(math.log10(spacing))) + 1))
    size = abs(value)
    for start, scale, suffix in SUFFIXES:
        if size >= start:
            return _fixed(value / scale, digits) + suffix
    if size < 1e-3:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        return f"{mantissa}e{int(exponent)}"
    return _fixed(value, digits)


#: The tick levels a linear axis works out (pyqtgraph's ``maxTickLevel`` and ``maxTextLevel``): major and minor. A
#: third level of ticks is too close to be written at the window's sizes, and working it out (its values, its
#: texts and their sizes) took a third of the time an axis takes to lay itself out: 1.4 of the 4 ms a new cost
#: surface's three axes took. A log axis keeps pyqtgraph's three: with fewer, it marks 2 … 9 in every decade of its
#: range however many.
TICK_LEVELS = 1


def _fewer_levels(axis):
    levels = 2 if axis.logMode else TICK_LEVELS
    axis.setStyle(maxTickLevel=levels, maxTextLevel=levels)


def _same_label(axis, label):
    """Whether ``label`` (a setLabel call's arguments) is the one ``axis`` was last given; notes it. pyqtgraph lays
    a label's text out again each time it is set (a new cost surface sets its three labels: 5 ms of the window's
    thread)."""
    same = getattr(axis, "_label", None) == label
    axis._label = label
    return same


#: Pixels kept free at the ends of an axis whose label is cut short (the label item's blank margins, 4 pixels each
#: side, may reach past them).
LABEL_MARGIN = 4


class ShortAxis(pg.AxisItem):
    """An AxisItem that writes its numbers with ``short_number`` (no SI prefix on the label), kept as a pixmap
    between changes of its range or size: an axis reaches 15 pixels into its view, so every frame of a curve in the
    view repainted it (0.3-0.7 ms each). A label longer than the axis is cut short with "…" (at a small size the
    label ran past the plot's end, cut off without a sign)."""

    def __init__(self, orientation, **kwargs):
        self._shown = None  # the label's text as last written (``labelString``), cut short or not
        self.shorter = {}  # a label's text -> a shorter form, written where the text does not fit
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        _fewer_levels(self)

    def _fitted(self, text):
        """``text`` as it fits the axis's length: whole, else its shorter form (``shorter``), else cut short with
        "…"; whole while the axis has no size yet."""
        length = self.size().height() if self.orientation in ("left", "right") else self.size().width()
        if length <= 0 or self.label is None or not text:
            return text
        metrics, room = QFontMetricsF(self.label.font()), length - LABEL_MARGIN
        if metrics.horizontalAdvance(text) > room and text in self.shorter:
            text = self.shorter[text]
        return metrics.elidedText(text, Qt.ElideRight, room)

    def labelString(self):  # noqa: N802  (pyqtgraph's name)
        full = self.labelText
        self.labelText = self._shown = self._fitted(full)
        try:
            return super().labelString()
        finally:
            self.labelText = full

    def _updateLabel(self):  # noqa: N802  (pyqtgraph's name)
        super()._updateLabel()
        super().resizeEvent()  # pyqtgraph places the label only as the axis resizes: a longer text ran off its end

    def resizeEvent(self, ev=None):  # noqa: N802  (Qt's name)
        if self.label is not None and self.labelText and self._fitted(self.labelText) != self._shown:
            self._updateLabel()  # the label's text for the new length, and placed
        else:
            super().resizeEvent(ev)

    def setLabel(self, text=None, units=None, unitPrefix=None, **args):  # noqa: N802, N803  (pyqtgraph's names)
        """As pyqtgraph's, except that a label set again as it is changes nothing (``_same_label``)."""
        if not _same_label(self, (text, units, unitPrefix, args)):
            super().setLabel(text, units, unitPrefix, **args)

    def setLogMode(self, *args, **kwargs):  # noqa: N802  (pyqtgraph's name)
        super().setLogMode(*args, **kwargs)
        _fewer_levels(self)

    def tickStrings(self, values, scale, spacing):
        if self.logMode:  # 10^k as pyqtgraph writes them, and only as many of a decade's 1 … 9 as have room
            keep = log_labels(self._pixels_per_decade())
            texts = super().tickStrings(values, scale, spacing)
            return [text if round(10 ** (v - math.floor(v + 1e-9))) % 10 in keep else "" for v, text in zip(values, texts)]
        return [short_number(v * scale, spacing * scale) for v in values]

    def _pixels_per_decade(self):
        length = self.geometry().height() if self.orientation in ("left", "right") else self.geometry().width()
        low, high = self.range
        return length / (high - low) if high > low else float("inf")


#: On a log axis, which of a decade's marks 1 … 9 are written, by the pixels a decade spans (from this many on):
#: the labels of 1, 2, 5 are 0.3-0.4 of a decade apart, of 8 and 9 0.05.
LOG_LABELS = ((350, {1, 2, 3, 4, 5, 6, 7, 8, 9}), (90, {1, 2, 3, 5}), (55, {1, 2, 5}), (33, {1, 3}))


def log_labels(pixels_per_decade):
    """The marks 1 … 9 of a decade a log axis writes at ``pixels_per_decade`` (10 ≡ 1: the decade's own mark)."""
    for least, marks in LOG_LABELS:
        if pixels_per_decade >= least:
            return marks
    return {1}


def short_axes(sides=("left", "bottom")):
    """ShortAxis axes for ``sides``, as PlotWidget's and addPlot's ``axisItems`` take them."""
    return {side: ShortAxis(side) for side in sides}


def whole_numbers(axis):
    """An axis that counts (iterations): its ticks at whole numbers, one apart at the closest."""
    automatic = axis.tickSpacing
    axis.tickSpacing = lambda low, high, size: [(max(spacing, 1.0), offset)
                                                for spacing, offset in automatic(low, high, size)]


#: Pixels for a colour bar's numbers: "-0.1592" (a narrow range of log₁₀ J) needs more than the 45 that
#: ColorBarItem fixes, which then drops every number that does not fit.
COLOUR_BAR_AXIS = 60


def short_colour_bar(colour_bar):
    """Write a ColorBarItem's numbers with ``short_number`` too, on an axis wide enough for them."""
    axis = colour_bar.axis
    axis.enableAutoSIPrefix(False)
    axis.setWidth(COLOUR_BAR_AXIS)
    _fewer_levels(axis)
    axis.tickStrings = lambda values, scale, spacing: [short_number(v * scale, spacing * scale) for v in values]
    set_label = axis.setLabel
    axis.setLabel = lambda *args, **kwargs: (None if _same_label(axis, (args, kwargs))
                                             else set_label(*args, **kwargs))


#: Milliseconds between the stages of a change drawn in stages (``StagedPaint``).
STAGE_MS = 3


def lay_out(axis):
    """Work out ``axis``'s ticks and texts now, as its next paint would (pyqtgraph's ``AxisItem.paint`` keeps them as
    a QPicture until its range or size changes): that paint then only replays them."""
    if axis.picture is not None:
        return
    picture = QPicture()
    painter = QPainter(picture)
    try:
        if axis.style["tickFont"]:
            painter.setFont(axis.style["tickFont"])
        specs = axis.generateDrawSpecs(painter)
        if specs is not None:
            axis.drawPicture(painter, *specs)
    finally:
        painter.end()
    axis.picture = picture


class StagedPaint:
    """A plot's change that moves its axes, drawn in events of the window's thread STAGE_MS apart, none long enough
    to hold up its others by a frame: the change itself (the caller's, after ``begin``), then the ticks and texts of
    its ``axes`` (``lay_out``), one axis an event (the cost plot's four took 5-7 ms at once in a run's first
    seconds), then the paint; ``widget`` shows what it showed until then. A new cost surface
    took 11-13 ms at once beside a training (its three axes 4.7 of the paint's 8.5 ms alone), the cost plot 5-11 ms
    each time its range stepped in a run's first seconds; the event loop serves what is due between the stages.

    It holds the widget and the axes, never the view that owns it: a reference back would make a cycle, and the view
    would then be freed by the garbage collector at any moment, in the middle of Qt's work on it."""

    def __init__(self, widget, axes):
        self.widget, self.axes = widget, tuple(axes)
        self.timer = QTimer(widget, singleShot=True, interval=STAGE_MS)
        self.timer.timeout.connect(self._next)
        self.stage = 0

    def begin(self):
        """The widget's paint waits for the stages (a change under way starts them again)."""
        self.widget.setUpdatesEnabled(False)
        self.stage = 1
        self.timer.start()

    def _next(self):
        waiting = [axis for axis in self.axes if axis.picture is None]
        if self.stage == 1 and waiting:
            lay_out(waiting[0])
            self.stage = 1 if len(waiting) > 1 else 2
            self.timer.start()
        else:
            self.stage = 0
            self.widget.setUpdatesEnabled(True)
