"""`visualtrainer` with the window's options: --help lists them (no display needed), a bad one is one line."""

import os
import subprocess
import sys


def _run(*args):
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, "-m", "visualtrainer", *args], capture_output=True, text=True,
                          timeout=120, env=env | {"QT_QPA_PLATFORM": "xcb"})


def test_help_lists_the_windows_options_and_the_subcommands():
    result = _run("--help")
    assert result.returncode == 0, result.stderr
    for option in ("--dataset", "--fresh", "--screenshot", "--train-for", "--size"):
        assert option in result.stdout
    assert "{train,surface,gradcheck,predict,course}" in result.stdout
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in result.stdout


def test_a_bad_window_option_is_one_line_before_any_display_is_needed():
    for args, said in ((("--size", "10x10"), "a window size is WIDTHxHEIGHT"),
                       (("--dataset", "/no/such/place"), "neither a built-in set"),
                       (("--colour", "red"),  "unrecognized arguments: --colour")):
        result = _run(*args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("visualtrainer: error: ") and said in result.stderr
