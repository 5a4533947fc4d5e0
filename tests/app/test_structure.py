"""The code stays in pieces a reader can hold: modules <= 400 lines, classes <= 300, functions <= 60 lines and <= 10
parameters (self counted; an estimator's ``__init__``, which takes its settings one by one, aside), measured on the
source with ast."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "visualtrainer"
PACKAGES = ("app", "ui", "core", "data")
TOP_LEVEL = ("cli.py", "errors.py", "__main__.py")
#: Estimators take their settings one by one, as scikit-learn's do.
ESTIMATORS = {("network.py", "__init__")}
MODULE_LINES, CLASS_LINES, FUNCTION_LINES, PARAMETERS = 400, 300, 60, 10


def _modules():
    inside = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    return sorted(inside + [ROOT / name for name in TOP_LEVEL if (ROOT / name).exists()])


def oversized(path):
    """[(what, name, size, limit)] of ``path``'s module, classes and functions beyond the limits."""
    source = path.read_text()
    found = []
    lines = len(source.splitlines())
    if lines > MODULE_LINES:
        found.append(("module", path.name, lines, MODULE_LINES))
    for node in ast.walk(ast.parse(source)):
        size = getattr(node, "end_lineno", 0) - getattr(node, "lineno", 0) + 1
        if isinstance(node, ast.ClassDef) and size > CLASS_LINES:
            found.append(("class", node.name, size, CLASS_LINES))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            count = len(args.posonlyargs + args.args + args.kwonlyargs) + bool(args.vararg) + bool(args.kwarg)
            if size > FUNCTION_LINES:
                found.append(("function", node.name, size, FUNCTION_LINES))
            if count > PARAMETERS and (path.name, node.name) not in ESTIMATORS:
                found.append(("parameters of", node.name, count, PARAMETERS))
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_part_is_small_enough(path):
    assert oversized(path) == []


def test_the_measure_finds_what_is_too_large(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    (tmp_path / "big.py").write_text(f"def f(a, b, c, d, e, f, g, h, i, j, k):\n{body}\n")
    assert oversized(tmp_path / "big.py") == [("function", "f", 62, 60), ("parameters of", "f", 11, 10)]
