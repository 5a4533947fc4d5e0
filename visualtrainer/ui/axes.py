"""Axes whose numbers stay short ("0.25", "20k", "3e-05"), so that a label beside them never overlaps them and a
scale never needs a "(x0.001)" factor."""

import math

import pyqtgraph as pg

#: (from this size, divide by, suffix): thousands from 10,000 on, so that 1500 stays 1500.
SUFFIXES = ((1e12, 1e12, "T"), (1e9, 1e9, "G"), (1e6, 1e6, "M"), (1e4, 1e3, "k"))


def _fixed(value, digits):
    """``value`` with ``digits`` significant digits, without an exponent and without trailing zeros."""
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(value)))))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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


class ShortAxis(pg.AxisItem):
    """An AxisItem that writes its numbers with ``short_number`` (no SI prefix on the label)."""

    def __init__(self, orientation, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        if self.logMode:  # 10^k, as pyqtgraph writes them
            return super().tickStrings(values, scale, spacing)
        return [short_number(v * scale, spacing * scale) for v in values]


def short_axes(sides=("left", "bottom")):
    """ShortAxis axes for ``sides``, as PlotWidget's and addPlot's ``axisItems`` take them."""
    return {side: ShortAxis(side) for side in sides}


def short_colour_bar(colour_bar):
    """Write a ColorBarItem's numbers with ``short_number`` too."""
    axis = colour_bar.axis
    axis.enableAutoSIPrefix(False)
    axis.tickStrings = lambda values, scale, spacing: [short_number(v * scale, spacing * scale) for v in values]
