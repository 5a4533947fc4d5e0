"""Train and check networks without a window: ``visualtrainer train``, ``surface``, ``gradcheck``, ``predict``.

Prints the course's "Cost after iteration N: C" lines. Bad input gets one line naming what is wrong and what is
allowed, and exit status 2; so does every other error, with its details in a log file the line names (errors.py);
Ctrl+C ends with one line and exit status 130. A run that diverges is not an error (exit 0, reported as
"diverged"). Before training, the memory the network and its data would need is checked against what is available.
"""

import argparse
import json
import re
import sys

import numpy as np

from visualtrainer import __version__
from visualtrainer.app.builder import build_network, output_for
from visualtrainer.app.course import add_course_command, course_command
from visualtrainer.core import Network, compiling, gradient_check, iter_training, load_model, save_model
from visualtrainer.core.activations import HIDDEN, OUTPUTS
from visualtrainer.core.files import atomic_write, remove_temporaries_of_crashes
from visualtrainer.core.surface import (PATH_POINTS, PLANE_KINDS, CostSlicer, PathRecorder, compute_surface,
                                        make_plane, parameter_index)
from visualtrainer.core.training import TrainingControl
from visualtrainer.core.validation import (DTYPES, INITS, LOSSES, MAX_SEED, MAX_SIZE, OPTIMIZERS, check_network,
                                           check_shuffle_seeds, check_training_memory)
from visualtrainer.data import BUILTIN_DATASETS, DatasetError, load_dataset
from visualtrainer.data.images import picture_features
from visualtrainer.errors import run_guarded

COMMANDS = ("train", "surface", "gradcheck", "predict", "course")
MAX_GRID = 1001  # a million grid points: a minute for the cat network
MAX_SPAN = 1e6  # further from the centre the costs overflow for any network


class UsageError(Exception):
    """Bad input on the command line: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _number(kind, low, strict, name, high=None):
    def parse(text):
        try:
            value = kind(text)
        except (ValueError, OverflowError):
            raise argparse.ArgumentTypeError(f"{name} must be {'an integer' if kind is int else 'a number'}; "
                                             f"got {text[:40]!r}") from None
        if not np.isfinite(value) or (value <= low if strict else value < low):
            raise argparse.ArgumentTypeError(f"{name} must be {'>' if strict else '>='} {low}; got {text[:40]}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"{name} must be at most {high:,}; got {text[:40]}" if kind is int
                                             else f"{name} must be at most {high:g}; got {text[:40]}")
        return value
    return parse


def _numeric(parser, flag, kind, low, strict, high=None, **kwargs):
    """``parser.add_argument(flag, …)`` for a number above (or from) ``low`` and up to ``high``, named once."""
    parser.add_argument(flag, type=_number(kind, low, strict, flag, high), **kwargs)


def _hidden_sizes(text):
    if text.strip() == "":
        return []
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"--hidden takes layer sizes >= 1 separated by commas (e.g. 20,7,5), "
                                         f"or \"\" for logistic regression; got {text[:40]!r}")
    if max(sizes) > MAX_SIZE:
        raise argparse.ArgumentTypeError(f"--hidden takes layer sizes up to {MAX_SIZE:,}; got {max(sizes)}")
    return sizes


def _activations(text):
    names = [part.strip() for part in text.split(",")]
    for name in names:
        if name not in HIDDEN:
            raise argparse.ArgumentTypeError(f"unknown activation {name!r}; choose from {', '.join(HIDDEN)}")
    return names


def _network_options(parser, hidden_default):
    parser.add_argument("--hidden", type=_hidden_sizes, default=hidden_default,
                        help="hidden layer sizes, comma separated; \"\" for logistic regression")
    parser.add_argument("--activation", type=_activations, default=["tanh"],
                        help=f"one hidden activation for all layers, or one per layer ({', '.join(HIDDEN)})")
    parser.add_argument("--output", choices=OUTPUTS, help="output layer (default: from the data)")
    parser.add_argument("--loss", choices=LOSSES, help="default: cross_entropy, or mse for a linear output")
    _numeric(parser, "--l2", float, 0, False, default=0.0, help="L2 strength λ")
    _numeric(parser, "--l1", float, 0, False, default=0.0, help="L1 strength λ (λ/m·Σ|W|)")
    _numeric(parser, "--seed", int, 0, False, MAX_SEED, default=1,
             help="seed of the data and the weights (default 1)")


def build_parser():
    parser = _Parser(prog="visualtrainer", description="Train neural networks as in the Deep Learning course.")
    parser.add_argument("--version", action="version", version=f"visualtrainer {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train a network and report its costs and accuracy")
    _training_options(train)
    _numeric(train, "--print-every", int, 0, False, default=100,
             help="print the cost every N iterations (0 = never)")
    train.add_argument("--json", metavar="FILE", help="write a JSON report")
    train.add_argument("--save", metavar="FILE", help="save the trained model (.npz)")
    train.add_argument("--onnx", metavar="FILE", help="export the trained model as ONNX (input X: m × n_x floats; "
                                                      "pixels scaled to [0, 1])")

    surface = commands.add_parser("surface", help="train, then draw the cost surface with the path training took")
    _training_options(surface)
    surface.add_argument("--directions", type=_directions, metavar="KIND",
                         help="the plane: pca (the path's own plane; the default), random (filter-normalised), "
                              "weights (the two parameters that moved most; the default for a model of two "
                              "parameters, drawn exactly) or weights:NAME,NAME (e.g. weights:W1[0,0],b1[0]; rows "
                              "and columns count from 0)")
    _numeric(surface, "--grid", int, 1, True, MAX_GRID, default=51, help="grid points along each axis (default 51)")
    _numeric(surface, "--span", float, 0, True, MAX_SPAN,
             help="reach of the grid from the centre along each direction (default: the path's, and a quarter)")
    surface.add_argument("--linear-colours", action="store_true", help="colour J itself, not log10 J")
    surface.add_argument("--png", metavar="FILE", help="render the surface with its path to a PNG picture")
    surface.add_argument("--json", metavar="FILE",
                         help="write the grid of costs, the axes, the projected path and the seconds spent")

    check = commands.add_parser("gradcheck", help="check the backward pass against centred differences")
    _network_options(check, hidden_default=[5, 3])

    predict = commands.add_parser("predict", help="classify pictures with a saved model")
    predict.add_argument("--model", required=True, help="a model saved by train --save (or the window)")
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="picture files (.png, .jpg, .bmp, .gif, .webp)")
    predict.add_argument("--json", action="store_true", help="print every class's probability as JSON")

    add_course_command(commands)
    return parser


def _training_options(parser):
    """The data, network and training options that ``train`` and ``surface`` share."""
    parser.add_argument("--dataset", default="flower",
                        help=f"a built-in set ({', '.join(BUILTIN_DATASETS)}), the path of a course .h5 training "
                             "file, or a folder with one subfolder of pictures per class")
    _numeric(parser, "--test-fraction", float, 0, False, default=0.0,
             help="share of a generated set held out for testing (default 0)")
    _numeric(parser, "--noise", float, 0, False, help="noise of a generated set")
    _numeric(parser, "--samples", int, 0, True,
             help="points of a generated set (default: the set's own)")
    _numeric(parser, "--test-samples", int, 0, True,
             help="draw a generated set's test set apart, with this many points (instead of --test-fraction)")
    _numeric(parser, "--test-seed", int, 0, False, MAX_SEED,
             help="seed of that test set (default: the data seed + 1)")
    _network_options(parser, hidden_default=[4])
    _numeric(parser, "--data-seed", int, 0, False, MAX_SEED,
             help="seed of the data only (default: --seed)")
    _numeric(parser, "--weight-seed", int, 0, False, MAX_SEED,
             help="seed of the weights and shuffling only (default: --seed)")
    _numeric(parser, "--shuffle-seed", int, 0, False, MAX_SEED,
             help="seed of the mini-batch order: epoch e uses seed+1+e (default: the weight seed)")
    parser.add_argument("--init", choices=INITS, default="xavier")
    _numeric(parser, "--lr", float, 0, True, default=0.0075, help="learning rate α")
    _numeric(parser, "--iterations", int, 0, True, 2**31 - 1, default=2500)
    _numeric(parser, "--tol", float, 0, False, default=0.0,
             help="stop when ‖∇J‖ falls below this (0 = off)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default="gd")
    _numeric(parser, "--batch-size", int, 0, False, MAX_SIZE, default=0,
             help="mini-batch size (0 = full batch)")
    parser.add_argument("--dtype", choices=DTYPES, default="float32",
                        help="float32 is fast; float64 reproduces the course's figures to 6 decimals")


def _directions(text):
    """--directions: ("pca" | "random" | "weights", None or the two parameter names)."""
    kind, _, names = text.partition(":")
    kind = kind.strip()
    if kind not in PLANE_KINDS:
        raise argparse.ArgumentTypeError(f"--directions takes pca, random, weights or weights:NAME,NAME; got {text!r}")
    if not names:
        return kind, None
    if kind != "weights":
        raise argparse.ArgumentTypeError(f"only weights takes parameter names (weights:W1[0,0],b1[0]); got {text!r}")
    found = re.findall(r"[Wb]\[?\d+\]?\[[^\]]*\]", names)
    if len(found) != 2 or ",".join(found).replace(" ", "") != names.replace(" ", ""):
        raise argparse.ArgumentTypeError(f"weights: takes two parameter names separated by a comma, like "
                                         f"weights:W1[0,0],b1[0]; got {names!r}")
    return kind, tuple(found)


def _hidden_activation(args):
    """--activation as the Network takes it: one name for every hidden layer, or one per layer."""
    activations = args.activation
    if len(activations) == 1:
        return activations[0]
    if len(activations) != len(args.hidden):
        raise UsageError(f"--activation needs one name or one per hidden layer ({len(args.hidden)}); "
                         f"got {len(activations)}")
    return activations


def _network_for(args, n_x, n_y, output):
    return dict(layer_dims=(n_x, *args.hidden, n_y), hidden_activation=_hidden_activation(args), output=output,
                loss=args.loss, l2=args.l2, l1=args.l1)


def _data_and_network(args):
    """The dataset and the (untrained) network the training options describe, and the two seeds."""
    data_seed = args.seed if args.data_seed is None else args.data_seed
    weight_seed = args.seed if args.weight_seed is None else args.weight_seed
    data = load_dataset(args.dataset, seed=data_seed, noise=args.noise, test_fraction=args.test_fraction,
                        n_samples=args.samples, test_samples=args.test_samples, test_seed=args.test_seed)
    if output_for(data.task, args.output) == "softmax" and data.n_classes < 2:
        raise UsageError(f"--output softmax needs a dataset with classes; {data.name} is a regression set (no "
                         "classes): use --output linear")
    net = build_network(data, args.hidden, _hidden_activation(args), args.output, args.loss, l2=args.l2, l1=args.l1,
                        init=args.init, learning_rate=args.lr, optimizer=args.optimizer, batch_size=args.batch_size,
                        tol=args.tol, dtype=args.dtype, random_state=weight_seed, shuffle_seed=args.shuffle_seed)
    check_network(net)
    check_shuffle_seeds(net, args.iterations)
    check_training_memory(net.layer_dims, data.m + data.m_test, net.dtype, data.X_train.dtype == np.uint8,
                          args.iterations)
    return data, net, data_seed, weight_seed


def _trained(net, data, iterations, **kwargs):
    """``iter_training``'s snapshots, the training cancelled at once (within a batch) on Ctrl+C."""
    control = TrainingControl()
    try:
        yield from iter_training(net, data.X_train, data.Y_train, iterations, control=control, chunk_seconds=0.25,
                                 **kwargs)
    except KeyboardInterrupt:
        control.cancel()
        raise


def _write_text(path, text):
    """``text`` written to ``path`` atomically (a failed write leaves the previous file as it was)."""
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def train(args):
    data, net, data_seed, weight_seed = _data_and_network(args)
    printed = []
    every = args.print_every
    for snap in _trained(net, data, args.iterations):
        for k, cost in enumerate(snap.costs):
            i = snap.first_iteration + k
            if (every and i % every == 0) or (not every and args.json):
                printed.append([i, float(cost)])
                if every:
                    print(f"Cost after iteration {i}: {cost:.6f}")
    report = _report(args, data, net, printed, snap.seconds, data_seed, weight_seed)
    for key in ("train_accuracy", "test_accuracy", "train_rmse", "test_rmse"):
        if report.get(key) is not None:
            unit = " %" if "accuracy" in key else ""
            print(f"{key.replace('_', ' ')}: {report[key]:.2f}{unit}")
    print(f"stopped: {report['stop_reason']} ({net.stop_message_}) after {net.n_iter_} iterations "
          f"in {snap.seconds:.2f} s")
    if args.json:
        _write_text(args.json, json.dumps(report, indent=2))
    if args.save:
        save_model(net, args.save, extra={"dataset": data.name, "classes": list(data.classes),
                                          "image_shape": list(data.image_shape) if data.image_shape else None})
    if args.onnx:
        from visualtrainer.core.onnx_export import export_onnx

        export_onnx(net, args.onnx, class_names=data.classes or None)
        print(f"ONNX model written to {args.onnx}")
    return 0


def _report(args, data, net, costs, seconds, data_seed, weight_seed):
    regression = net.output == "linear"
    train_score = net.score(data.X_train, data.Y_train)
    test_score = None if data.X_test is None else net.score(data.X_test, data.Y_test)
    return {
        "config": {**net.get_params(), "dataset": args.dataset, "dataset_name": data.name,
                   "test_fraction": args.test_fraction, "noise": args.noise, "data_seed": data_seed,
                   "samples": args.samples, "test_samples": args.test_samples, "test_seed": args.test_seed,
                   "weight_seed": weight_seed, "iterations": args.iterations, "print_every": args.print_every,
                   "m_train": data.m, "m_test": data.m_test, "classes": list(data.classes)},
        "costs": costs,
        "final_cost": net.cost(data.X_train, data.Y_train),
        "train_accuracy": None if regression else train_score,
        "test_accuracy": None if regression else test_score,
        "train_rmse": train_score if regression else None,
        "test_rmse": test_score if regression else None,
        "iterations_run": int(net.n_iter_),
        "stop_reason": net.stop_reason_, "stop_message": net.stop_message_,
        "seconds": seconds,
    }


def surface(args):
    """Train as ``train`` does, recording θ along the way, then J over the chosen plane through the last θ."""
    data, net, data_seed, weight_seed = _data_and_network(args)
    net.initialize()
    kind, names = args.directions or ("weights" if net.theta_.size == 2 else "pca", None)
    if names is not None:
        for name in names:
            parameter_index(name, net.layer_dims)  # a bad name is reported before training
    recorder = PathRecorder(net.theta_.size)
    recorder.add(0, net.theta_)
    trace_every = max(1, args.iterations // PATH_POINTS)
    for snap in _trained(net, data, args.iterations, trace_every=trace_every):
        recorder.extend(snap.trace_iterations, snap.trace)
        recorder.add(snap.iteration, net.theta_)
    print(f"trained {net.n_iter_} iterations ({net.stop_message_}); J = {net.cost(data.X_train, data.Y_train):.6f}")
    path = recorder.points
    plane = make_plane(kind, net, path, names)
    result = compute_surface(CostSlicer(net, data.X_train, data.Y_train), plane, path, args.grid, args.span)
    finite = result.costs[np.isfinite(result.costs)]
    if finite.size == 0:
        raise UsageError(f"J is not finite anywhere on this {args.grid}×{args.grid} grid (the costs overflow); "
                         "use a smaller --span")
    print(f"plane: {plane.labels[0]} × {plane.labels[1]}; {args.grid}×{args.grid} grid, "
          f"J from {finite.min():.6g} to {finite.max():.6g}, computed in {1000 * result.seconds:.1f} ms")
    if args.json:
        report = result.to_dict()
        report["path_iterations"] = recorder.iterations.tolist()
        report["config"] = {**net.get_params(), "dataset": args.dataset, "data_seed": data_seed,
                            "weight_seed": weight_seed, "iterations": args.iterations, "grid": args.grid,
                            "span": args.span, "directions": kind, "parameters": names}
        _write_text(args.json, json.dumps(report, indent=2))
    if args.png:
        from visualtrainer.ui.surface.surface_view import render_png  # Qt only when a picture is asked for

        render_png(result, args.png, log=not args.linear_colours,
                   title=f"{data.name}: {' → '.join(str(n) for n in net.layer_dims)}, {net.n_iter_} iterations")
        print(f"wrote {args.png}")
    return 0


def gradcheck(args):
    output = args.output or "sigmoid"
    n_y = 3 if output == "softmax" else 1
    rng = np.random.RandomState(args.seed)
    X = rng.randn(4, 12)
    if output == "softmax":
        Y = rng.randint(0, n_y, (1, 12))
    elif output == "sigmoid":
        Y = rng.randint(0, 2, (1, 12))
    else:
        Y = rng.randn(1, 12)
    net = Network(**_network_for(args, 4, n_y, output), dtype="float64", random_state=args.seed)
    difference = gradient_check(net, X, Y)[0]
    print(f"difference: {difference:.3e}")
    return 0 if difference < 1e-7 else 1


def predict(args):
    net, extra = load_model(args.model)
    if net.output == "linear":
        raise UsageError(f"{args.model}: a regression model; predict classifies pictures.")
    shape = extra.get("image_shape") or ((64, 64, 3) if net.layer_dims[0] == 12288 else None)
    if shape is None or int(np.prod(shape)) != net.layer_dims[0]:
        raise UsageError(f"{args.model}: this model takes {net.layer_dims[0]} features, not pictures; "
                         "train it on a picture dataset.")
    n_classes = 2 if net.output == "sigmoid" else net.layer_dims[-1]
    classes = list(extra.get("classes") or [f"class {k}" for k in range(n_classes)])
    results, failed = [], 0
    for path in args.images:
        try:
            p = net.predict_proba(picture_features(path, shape))[:, 0]
            probabilities = np.array([1 - p[0], p[0]]) if net.output == "sigmoid" else p  # a sigmoid's p: (1 − p, p)
        except DatasetError as error:
            failed += 1
            print(f"visualtrainer: error: {error}", file=sys.stderr)
            results.append({"path": path, "error": str(error)})
            continue
        k = int(np.argmax(probabilities))
        results.append({"path": path, "class": classes[k], "probability": float(probabilities[k]),
                        "probabilities": {name: float(p) for name, p in zip(classes, probabilities)}})
        if not args.json:
            print(f"{path}: {classes[k]} ({probabilities[k]:.3f})")
    if args.json:
        print(json.dumps(results, indent=2))
    return 2 if failed else 0


def _run(argv):
    args = build_parser().parse_args(argv)
    remove_temporaries_of_crashes()  # half-written files of saves that a kill or a crash cut short
    compiling.background()  # train at once on numpy where the kernels are not compiled yet
    commands = {"train": train, "surface": surface, "gradcheck": gradcheck, "predict": predict,
                "course": course_command}
    return commands[args.command](args)


def main(argv=None):
    """Run a subcommand; every error ends as one line on stderr and exit status 2 (Ctrl+C: 130)."""
    argv = sys.argv[1:] if argv is None else argv
    return run_guarded(_run, argv, plain=(UsageError, DatasetError, ValueError, TypeError))


if __name__ == "__main__":
    sys.exit(main())
