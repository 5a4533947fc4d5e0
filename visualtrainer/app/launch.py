"""The window's command line: ``visualtrainer [--dataset D] [--fresh] [--screenshot FILE …]``, parsed before Qt is
loaded, so that ``visualtrainer --help`` and a bad option need no display."""

import argparse
import re
from pathlib import Path

from visualtrainer.data import BUILTIN_DATASETS

SIZE = re.compile(r"^\s*(\d{2,5})\s*[x×X]\s*(\d{2,5})\s*$")


def window_size(text):
    """"1280x800" -> (1280, 800); argparse's error for anything else."""
    match = SIZE.match(str(text))
    if not match or not (320 <= int(match.group(1)) <= 10000 and 240 <= int(match.group(2)) <= 10000):
        raise argparse.ArgumentTypeError(f"a window size is WIDTHxHEIGHT in pixels, e.g. 1280x800 (320x240 at "
                                         f"least); got {text!r}")
    return int(match.group(1)), int(match.group(2))


def dataset(text):
    """A built-in set's name, or an existing file or folder (as given: the window resolves it)."""
    if text in BUILTIN_DATASETS or Path(text).exists():
        return text
    raise argparse.ArgumentTypeError(f"{text!r} is neither a built-in set ({', '.join(BUILTIN_DATASETS)}) nor an "
                                     "existing file or folder; give a course .h5 file, a saved .npz dataset or a "
                                     "folder with one subfolder of pictures per class")


class OptionError(ValueError):
    """A bad option for the window, said in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise OptionError(f"{message}; visualtrainer --help lists the options.")


def window_parser(subcommands=("train",)):
    """The parser of the window's options (a bad one raises OptionError); its help ends with the ``subcommands``
    that need no window."""
    parser = _Parser(
        prog="visualtrainer", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Watch a neural network learn: opens the window (on the built-in flower set, or the settings of\n"
                    "the last launch).",
        epilog=f"Without a window: visualtrainer {{{','.join(subcommands)}}} …\n"
               "(visualtrainer train --help lists its options).\n\n"
               "On Linux the window needs an X11 or Wayland display; on Debian and Ubuntu, Qt's X11 plugin also\n"
               "needs: sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1")
    parser.add_argument("--dataset", type=dataset, metavar="NAME|FILE|FOLDER",
                        help="open on this dataset: a built-in set (flower, moons, shapes, …), a course .h5 file, "
                             "a saved .npz dataset, or a folder with one subfolder of pictures per class")
    parser.add_argument("--fresh", action="store_true", help="start on the default settings (ignore the last "
                                                             "launch's)")
    parser.add_argument("--screenshot", metavar="FILE", help="train, save the window to FILE (PNG) and quit")
    parser.add_argument("--train-for", type=float, default=3.0, metavar="SECONDS",
                        help="with --screenshot: how long to train first (default 3)")
    parser.add_argument("--size", type=window_size, metavar="WIDTHxHEIGHT",
                        help="the window's size, e.g. 1280x800 (with --screenshot: the picture's; default "
                             "1500x900 there)")
    return parser
