"""The lessons: one per idea of the course, each a dataset, a network and settings to start from, and a short text
that says what to try and what to look for. The texts are ours, in the course's notation.
"""

from dataclasses import dataclass

from .settings import Settings


@dataclass(frozen=True)
class Lesson:
    """What a lesson sets (``settings``: Settings fields), which tab it shows and what it says."""

    key: str
    title: str
    settings: dict
    text: str
    tab: str = "Cost surface"  # the lower tab to show
    plane: str | None = None  # the cost surface's plane, if the lesson wants one
    course_file: bool = False  # better on the course's cat file, when it has been opened
    sweep: tuple | None = None  # (kind, values): the comparison the lesson suggests, set up in the Sweep tab


LESSONS = [
    Lesson(
        "logistic", "Logistic regression: a one-neuron network",
        dict(dataset="shapes", hidden=[], init="zeros", learning_rate=0.005, iterations=2000, test_fraction=0.2),
        "<p>Logistic regression is a network with no hidden layer: ŷ = a = σ(z), z = wᵀx + b, one neuron reading "
        "all 12288 pixels. Its cost J(w, b) = −(1/m) Σ [y log a + (1 − y) log(1 − a)] is convex: gradient descent "
        "cannot get stuck.</p><p><b>Try</b>: press Space, then watch <i>W[1] rows as pictures</i>: the one neuron's "
        "weights become a template of what it looks for. Compare the train and test accuracy: with 12288 weights "
        "and few pictures it learns the training set by heart.</p><p><b>Then</b>: learning rates 0.01, 0.001 and "
        "0.0001 over 1500 iterations: the <i>Sweep</i> tab has them ready (set the iterations to 1500 and press "
        "<i>Run sweep</i>; the Runs tab overlays their costs). Too large a step makes J oscillate, too small a step "
        "barely moves it. With the course's file (File > Open, train_catvnoncat.h5) the same lesson is the "
        "course's cat classifier.</p>",
        tab="Activations", course_file=True, sweep=("learning rate", "0.01, 0.001, 0.0001")),
    Lesson(
        "bowl", "Gradient descent on the bowl J(w, b)",
        dict(dataset="tumor", hidden=[], init="zeros", learning_rate=1.0, iterations=300, test_fraction=0.2),
        "<p>With one feature, logistic regression has two parameters, w and b, so J(w, b) can be drawn whole: the "
        "<i>Cost surface</i> tab shows it exactly, and the white line is the path of w := w − α·dw, "
        "b := b − α·db.</p><p><b>Try</b> three learning rates α, pressing Reset before each: 0.05 (too small: the "
        "path creeps and stops far from the bottom after 300 iterations), 1 (good: straight down the valley), "
        "20 (too large: the steps overshoot across the valley and zig-zag). Or <i>Run sweep</i> in the <i>Sweep</i> "
        "tab: the three runs are pinned and their paths drawn on the bowl together. Tick <i>3-D</i> where your "
        "display has OpenGL.</p>",
        plane="weights", sweep=("learning rate", "0.05, 1, 20")),
    Lesson(
        "shallow", "A shallow network on the flower",
        dict(dataset="flower", hidden=[(4, "tanh")], init="small", learning_rate=1.2, iterations=10000,
             test_fraction=0.2),
        "<p>No straight line separates the flower's red and blue petals, so logistic regression stays near 50%. "
        "One hidden layer of 4 tanh units, A[1] = tanh(W[1]x + b[1]), ŷ = σ(W[2]A[1] + b[2]), bends the "
        "boundary around the petals.</p><p><b>Try</b>: train and watch the decision boundary form; click a hidden "
        "unit to see the line it draws over the plane. <b>Then</b> the hidden layer's size: 1, 2, 3, 4, 5, 20 and "
        "50 units (ready in the <i>Sweep</i> tab). Past a handful, the training accuracy keeps rising while the test accuracy does not: the extra "
        "units fit the noise.</p>",
        tab="Neuron", sweep=("hidden units", "1, 2, 3, 4, 5, 20, 50")),
    Lesson(
        "activations", "Activation functions",
        dict(dataset="moons", hidden=[(8, "sigmoid")], init="xavier", learning_rate=0.5, iterations=3000,
             test_fraction=0.2),
        "<p>The same network with different hidden activations g[1]. <i>Activations</i> shows each function and "
        "its derivative g′, which is what backpropagation multiplies by: dZ[1] = W[2]ᵀdZ[2] * g′(Z[1]).</p>"
        "<p><b>Try</b> sigmoid, tanh, ReLU and leaky ReLU for the hidden layer (Reset after each change) and compare "
        "the cost curves: sigmoid's small, off-centre slope learns slowest; tanh is centred; ReLU is fast but a unit "
        "whose z stays negative stops learning (it has died); leaky ReLU keeps a small slope there. The "
        "<i>Sweep</i> tab trains all four in turn.</p>",
        tab="Activations", sweep=("activation", "sigmoid, tanh, relu, leaky_relu")),
    Lesson(
        "initialisation", "Initialisation: breaking symmetry",
        dict(dataset="circles", hidden=[(10, "relu"), (5, "relu")], init="zeros", learning_rate=0.01,
             iterations=3000, test_fraction=0.2),
        "<p>Starting every weight at zero makes every unit of a layer compute the same thing and get the same "
        "gradient, for ever: the cost stays at 0.693 and the accuracy at 50%. Nothing breaks the symmetry.</p>"
        "<p><b>Try</b>: train with <i>zeros</i>, then set the initialisation to <i>small</i> (randn·0.01) or "
        "<i>he</i> (randn·√(2/n[l−1])) and train again. <i>large</i> (randn·10) starts with huge z: the sigmoid "
        "output saturates, the first costs are enormous and learning is slow. Hover the links to see the "
        "weights. The <i>Sweep</i> tab compares zeros, small, he and large.</p>",
        tab="Activations", sweep=("initialisation", "zeros, small, he, large")),
    Lesson(
        "softmax", "Softmax: three classes",
        dict(dataset="spiral", hidden=[(8, "tanh")], init="xavier", learning_rate=1.0, iterations=5000,
             test_fraction=0.2),
        "<p>With K classes the output layer has K units and ŷ = softmax(Z[L]), ŷ_k = e^(z_k) / Σ_j e^(z_j): K "
        "probabilities that add to one. The loss is −Σ_k y_k log ŷ_k, and again dZ[L] = ŷ − y.</p><p><b>Try</b>: "
        "train and watch three regions form; then look at <i>Mistakes</i>, whose confusion matrix shows which arms "
        "of the spiral get taken for which. Fewer hidden units (2 or 3) cannot wind around the arms.</p>",
        tab="Mistakes"),
    Lesson(
        "why-cat", "What the cat model learned",
        dict(dataset="shapes", hidden=[], init="zeros", learning_rate=0.005, iterations=2000, test_fraction=0.2),
        "<p>Logistic regression decides with z = wᵀx + b = Σ w_i·x_i + b: a cat when z > 0. So each pixel's "
        "w_i·x_i is exactly what it adds to the verdict. (Open the course's train_catvnoncat.h5 first, File > "
        "Open: the lesson then runs on the cats; otherwise on the built-in pictures.)</p><p><b>Try</b>: train, then "
        "drop pictures that are not cats on the window (a cup, a face, a rocket; File > Classify pictures, "
        "Ctrl+I), and tick <i>Why this class?</i> in the <i>Pictures</i> tab. Orange pixels pushed towards the "
        "class it gave, blue ones against it; outlined, where the evidence gathers most. The sums under each "
        "picture add up: for + against + b = z. Compare them with <i>W[1] rows as pictures</i>: the one template "
        "the model learned. Then the <i>Mistakes</i> tab, with the same box: 209 pictures teach colours and "
        "textures in places, not cats, so anything with the right colours there is a cat, at 74-95%.</p>",
        tab="Pictures", course_file=True),
    Lesson(
        "deep-init", "Initialisation in a deep network: vanishing and exploding",
        dict(dataset="shapes", hidden=[(20, "relu"), (7, "relu"), (5, "relu")], init="small", learning_rate=0.0075,
             iterations=2500, test_fraction=0.2),
        "<p>The course's 4-layer network, 12288-20-7-5-1 (on the cats once train_catvnoncat.h5 is open, File > "
        "Open). How W[l] starts decides whether the signal survives the layers. The <i>Layers</i> tab shows, per "
        "layer and over the iterations, the histograms of W[l], of its gradient dW[l] and of A[l], the share of "
        "dead ReLU units, and ‖dW[l]‖.</p>"
        "<p><b>Try</b> them in the <i>Sweep</i> tab, or one at a time (initialisation, then Reset and Space). "
        "<i>zeros</i>: every dW[l] below the output is exactly 0 and every ReLU unit is dead: nothing learns. "
        "<i>small</i> (randn·0.01): A[l] shrinks thirty- to fiftyfold a layer (on the cats |A[3]| is 2e-4) and "
        "‖dW[l]‖ starts near 1e-4 in every layer: the gradients vanish and J sits near 0.69. <i>large</i> "
        "(randn·10): A[l] grows thirtyfold a layer, the sigmoid output saturates on every example, the gradients "
        "explode (‖dW[l]‖ near 4e5) and the first cost is in the millions. <i>he</i> (randn·√(2/n[l−1])) keeps "
        "A[l]'s scale, but with α = 0.0075 its first steps are large (‖dW[1]‖ = 32): watch the dead share climb "
        "(on the cats 71% of layer 2's units) and the output settle on one value for every picture (65.6%: every "
        "picture a non-cat). <i>xavier</i> (randn/√n[l−1], the course's choice for this network) trains: 98% on "
        "the training pictures after 1500 iterations.</p>",
        tab="Layers", course_file=True, sweep=("initialisation", "zeros, small, large, he, xavier")),
    Lesson(
        "curvature", "The learning rate against the curvature",
        dict(dataset="flower", hidden=[(4, "tanh")], init="small", learning_rate=1.2, iterations=3000,
             test_fraction=0.2),
        "<p>Along a direction where J curves with λ (an eigenvalue of its Hessian), a step α·∇J multiplies the "
        "error by (1 − α·λ): it shrinks only while α·λ < 2. The <i>Curvature</i> tab measures the sharpest "
        "curvature λmax as training runs and draws the line 2/α.</p><p><b>Try</b>: train with α = 1.2: λmax "
        "rises as the boundary sharpens (from 0.25 to about 1.1) and stays under 2/α = 1.67. Then α = 3 (Reset, "
        "Space; a speed of 300 it/s shows it as it happens): λmax climbs past 2/α = 0.67 within 100 iterations, "
        "then gradient descent is pushed back to where J curves no more sharply than its step allows, and stays "
        "on that edge: θ bounces across a valley, and λmax alternates from one iteration to the next between "
        "about 0.53 and 0.65, just under 2/α (the 'edge of stability'). The bowl lesson's α = 20 ends the same "
        "way, at λmax = 0.099 against 2/α = 0.1. The <i>Sweep</i> tab has α = 0.3, 1.2 and 3 ready.</p>",
        tab="Curvature", sweep=("learning rate", "0.3, 1.2, 3")),
]


def lesson(key):
    """The lesson called ``key``; KeyError naming the lessons there are."""
    for item in LESSONS:
        if item.key == key:
            return item
    raise KeyError(f"no lesson {key!r}; lessons are {', '.join(item.key for item in LESSONS)}.")


def lesson_settings(item, current=None):
    """The settings a lesson starts from: the defaults with the lesson's own values (the seed kept)."""
    settings = Settings()
    if current is not None:
        settings.seed = current.seed
    for name, value in item.settings.items():
        setattr(settings, name, value)
    if item.course_file and current is not None and str(current.dataset).lower().endswith((".h5", ".hdf5")):
        settings.dataset, settings.test_fraction = current.dataset, 0.0  # the course's file, when it is open
    return settings
