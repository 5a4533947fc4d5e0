"""``python -m visualtrainer`` (and the ``visualtrainer`` command): the window, or a command-line subcommand.

Before the window is created, the display is probed: where Qt could not start (no display, or the X11 plugin's
libraries missing) it would abort the process (status 134); instead one line says why and how to fix it.
"""

import ctypes
import importlib.util
import os
import re
import sys
from pathlib import Path

from visualtrainer.errors import EXIT_ERROR, run_guarded, say

#: Debian and Ubuntu packages that Qt's X11 (xcb) platform plugin needs beyond a plain X11 client.
XCB_PACKAGES = "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"


def _xcb_plugin():
    """The path of PySide6's xcb platform plugin, found without importing PySide6; None if absent."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(spec.submodule_search_locations[0]) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def window_problem(environ=None):
    """None when the window can start here, else one sentence saying why it cannot and what to do.

    Only Linux's X11 platform is probed (others are Qt's business): that a display is named, that the xcb
    plugin's libraries load, and that the display accepts a connection.
    """
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = re.split(r"[:;]", environ.get("QT_QPA_PLATFORM", ""))[0].strip()
    if platform and platform != "xcb":
        return None  # offscreen, wayland, vnc, …: asked for by name
    display = environ.get("DISPLAY", "")
    if not platform and environ.get("WAYLAND_DISPLAY"):
        return None  # Qt takes Wayland there
    if not display:
        return ("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); run it in a desktop "
                "session or over ssh -X, or use the command line: visualtrainer train --help")
    plugin = _xcb_plugin()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
    except OSError as error:
        missing = re.search(r"(lib[\w.+-]+\.so[\w.]*)", str(error))
        what = f"{missing.group(1)}, which is not installed" if missing else f"libraries that do not load ({error})"
        return (f"the window cannot start: Qt's X11 platform plugin needs {what}; install its libraries with "
                f"sudo apt install {XCB_PACKAGES} (Debian, Ubuntu), or use the command line: "
                "visualtrainer train --help")
    return _connect_problem(display)


def _connect_problem(display):
    """None when the X display accepts a connection (libxcb, which the plugin has just loaded), else a sentence."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
        xcb.xcb_connect.restype = ctypes.c_void_p
        xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
        xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError):
        return None  # cannot probe: let Qt try
    connection = xcb.xcb_connect(display.encode(), None)
    failed = xcb.xcb_connection_has_error(connection)
    xcb.xcb_disconnect(connection)
    if failed:
        return (f"cannot connect to the X display {display!r} (DISPLAY); check that it runs and that you may use it, "
                "or use the command line: visualtrainer train --help")
    return None


def _start(argv):
    from visualtrainer import cli
    from visualtrainer.app.launch import OptionError, window_parser

    if argv and (argv[0] in cli.COMMANDS or argv[0] == "--version"):
        return cli.main(argv)
    try:  # --help, or a bad option: said before a display is needed
        window_parser(cli.COMMANDS).parse_args(argv)
    except OptionError as error:
        say(error)
        return EXIT_ERROR
    problem = window_problem()
    if problem is not None:
        say(problem)
        return EXIT_ERROR
    try:
        from visualtrainer.ui.app import main as run_app
    except ImportError as error:
        say(f"the window needs PySide6 and pyqtgraph, which do not load here ({error}); install them with pip "
            "install visualtrainer, or use the command line: visualtrainer train --help")
        return EXIT_ERROR
    return run_app(argv)


def main(argv=None):
    """The command's exit status; every error (even while loading) ends as one line on stderr."""
    return run_guarded(_start, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
