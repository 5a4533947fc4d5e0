"""The cost surface: the panel with its controls, the 2-D and 3-D views, and the computer that works surfaces out
in a thread of their own."""
