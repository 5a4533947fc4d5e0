"""What the window shows, as chosen by the user (tab, example, speed, scales, the cost surface's plane): kept here
so that a session saves it without reading widgets, and an opened session shows it again."""

from dataclasses import asdict, dataclass, field, fields

#: The speeds the toolbar offers, in iterations a second (0 = flat out).
SPEEDS = (1, 2, 5, 10, 30, 100, 300, 1000, 3000, 10000, 0)
#: The cost surface's planes, in menu order.
PLANE_KINDS = ("pca", "weights", "random")


@dataclass
class SurfaceChoices:
    """The cost surface's controls: its plane, grid points a side, range (0: fit the path), colours, following."""

    kind: str = "pca"
    grid: int = 51
    span: float = 0.0
    log: bool = True
    follow: bool = True
    every: int = 50

    def update(self, state):
        """Take the known keys of ``state`` (a saved dict), keeping the current value for a bad one."""
        for f in fields(self):
            if f.name in state:
                try:
                    setattr(self, f.name, type(getattr(self, f.name))(state[f.name]))
                except (TypeError, ValueError):
                    pass


@dataclass
class ViewState:
    """The lower tab shown, the example the diagram shades, the speed (an index into SPEEDS), the cost plot's log
    scale and the cost surface's choices."""

    tab: str = "Cost surface"
    example: int = 0
    speed: int = len(SPEEDS) - 1
    log_cost: bool = False
    surface: SurfaceChoices = field(default_factory=SurfaceChoices)

    def to_dict(self):
        return asdict(self)

    def update(self, state):
        """Take a saved view (``to_dict``'s keys), in place: observers keep the same objects."""
        for name, kind in (("tab", str), ("example", int), ("speed", int), ("log_cost", bool)):
            if name in state:
                try:
                    setattr(self, name, kind(state[name]))
                except (TypeError, ValueError):
                    pass
        self.speed = min(max(self.speed, 0), len(SPEEDS) - 1)
        self.surface.update(state.get("surface") or {})
