"""visualtrainer: watch a neural network learn."""

__version__ = "0.1.0"
