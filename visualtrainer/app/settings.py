"""What the side panel edits: the data, the network and the training settings, as one plain dataclass."""

from dataclasses import asdict, dataclass, field, fields, replace

#: Settings whose change needs a new network (the others apply from the next step of a running one).
RESET_FIELDS = frozenset({"dataset", "noise", "test_fraction", "seed", "features", "hidden", "output", "loss", "init",
                          "dtype"})
#: Settings whose change needs the data loaded again.
RELOAD_FIELDS = frozenset({"dataset", "noise", "test_fraction", "seed", "features"})
#: Settings a running network takes from its next chunk of iterations on (the Network's own names).
LIVE_FIELDS = ("learning_rate", "l2", "l1", "tol", "optimizer", "batch_size")

#: A learning rate and iteration count that train each built-in set well with gradient descent.
SUGGESTED = {
    "flower": (1.2, 10000),
    "circles": (0.5, 5000),
    "moons": (0.5, 5000),
    "xor": (0.5, 5000),
    "gaussian": (0.1, 2000),
    "spiral": (1.0, 10000),
    "tumor": (1.0, 1000),
    "house": (0.1, 2000),
}
#: Pictures: logistic regression and a network as the course trains them on the cat files (a larger α makes
#: logistic regression's cost swing between 0.57 and 1.04 over its first 100 iterations there).
IMAGE_SUGGESTED = {"logistic": (0.005, 2000), "network": (0.0075, 2500)}
#: The built-in pictures are brighter and more alike than the cat photos: logistic regression's J falls steadily
#: from 0.693 at α = 0.001, and swings at 0.002.
SHAPES_LOGISTIC = (0.001, 2000)


def takes_test_fraction(dataset):
    """Generated sets and picture folders are split by the test fraction; a course file brings its test file."""
    return not str(dataset).lower().endswith((".h5", ".hdf5"))


@dataclass
class Settings:
    """Everything that defines a run; ``hidden`` is [(units, activation), …] for layers 1 … L−1."""

    dataset: str = "flower"
    noise: float = -1.0  # < 0: the set's own default
    test_fraction: float = 0.2
    seed: int = 1
    features: list = field(default_factory=lambda: ["x1", "x2"])  # of 2-D points: data.features.FEATURES
    hidden: list = field(default_factory=lambda: [(4, "tanh")])
    output: str = "auto"
    loss: str = "auto"
    init: str = "small"
    learning_rate: float = 1.2
    iterations: int = 10000
    tol: float = 0.0
    optimizer: str = "gd"
    batch_size: int = 0
    l2: float = 0.0
    l1: float = 0.0
    dtype: str = "float32"

    def to_dict(self):
        data = asdict(self)
        data["hidden"] = [[int(n), str(a)] for n, a in self.hidden]
        return data

    @classmethod
    def from_dict(cls, data):
        """Settings from a saved dict, ignoring unknown keys and keeping defaults for bad values."""
        out = cls()
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            try:
                if f.name == "hidden":
                    value = [(int(n), str(a)) for n, a in value]
                elif f.name == "features":
                    value = [str(name) for name in value] if isinstance(value, (list, tuple)) else out.features
                else:
                    value = type(getattr(out, f.name))(value)
            except (TypeError, ValueError):
                continue
            setattr(out, f.name, value)
        return out

    def copy(self):
        """An independent copy (its own lists of hidden layers and features)."""
        return replace(self, hidden=list(self.hidden), features=list(self.features))

    def suggest_for_dataset(self):
        """Take the learning rate and iterations that suit the dataset and the hidden layers (a picture set's for
        any file); returns what was taken, to tell the user: "α = 0.005 and 2,000 iterations, which suit …"."""
        kind = "network" if self.hidden else "logistic"
        if self.dataset in SUGGESTED:
            (self.learning_rate, self.iterations), what = SUGGESTED[self.dataset], f"the {self.dataset} set"
        elif self.dataset == "shapes" and kind == "logistic":
            (self.learning_rate, self.iterations), what = SHAPES_LOGISTIC, "logistic regression on these pictures"
        else:
            self.learning_rate, self.iterations = IMAGE_SUGGESTED[kind]
            what = "a network on pictures" if self.hidden else "logistic regression on pictures"
        return f"α = {self.learning_rate:g} and {self.iterations:,} iterations, which suit {what}"

    def live(self):
        """The settings a running network takes without a reset, by the Network's names."""
        return {name: getattr(self, name) for name in LIVE_FIELDS}
