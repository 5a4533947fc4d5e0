"""One way out for every error of the command line and of the launcher: one line on stderr, never a traceback.

A mistake the user can fix (a bad option, a bad file) is said as it is, with exit status 2. Anything else (out
of memory, a number too large for the computation, an error inside visualtrainer) gets one sentence that names a
log file holding the details (the traceback), also with exit status 2. Ctrl+C ends with one line and status 130.
The log is ``$XDG_STATE_HOME/visualtrainer/logs/visualtrainer.log`` (``~/.cache/visualtrainer/logs/`` without
XDG_STATE_HOME), kept under about a megabyte (the previous part is kept as ``visualtrainer.log.1``).
"""

import datetime
import os
import sys
import traceback
from pathlib import Path

PROG = "visualtrainer"
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl+C
LOG_LIMIT = 1_000_000


def log_dir():
    """Where the log goes: $XDG_STATE_HOME/visualtrainer/logs, or ~/.cache/visualtrainer/logs."""
    state = os.environ.get("XDG_STATE_HOME")
    return (Path(state) if state else Path.home() / ".cache") / "visualtrainer" / "logs"


def write_log(error, argv=None):
    """Append ``error``'s traceback (with the time and the command) to the log; returns its path, or None when the
    log cannot be written (then the message goes without it)."""
    path = log_dir() / "visualtrainer.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > LOG_LIMIT:
            path.replace(path.with_name(path.name + ".1"))
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        command = " ".join([PROG, *(argv if argv is not None else sys.argv[1:])])
        text = "".join(traceback.format_exception(error))
        with open(path, "a", encoding="utf-8", errors="replace") as handle:
            handle.write(f"--- {stamp} pid {os.getpid()}: {command}\n{text}\n")
    except OSError:
        return None
    return path


def say(text):
    """``visualtrainer: error: text`` on stderr, as one line."""
    line = " ".join(str(text).split("\n")).strip()
    print(f"{PROG}: error: {line}", file=sys.stderr, flush=True)


def describe(error):
    """One sentence (without its full stop) for an error that was not raised with a message for the user."""
    detail = " ".join(str(error).split()) or type(error).__name__
    detail = detail if len(detail) <= 160 else detail[:157] + "..."
    if isinstance(error, MemoryError):
        return (f"out of memory ({detail}); use a smaller network, fewer examples, a smaller grid or mini-batches, or "
                "free some memory")
    if isinstance(error, OverflowError):
        return f"a number is too large for the computation ({detail}); use smaller values"
    if isinstance(error, RecursionError):
        return f"the input is nested too deeply ({detail})"
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror.lower()}"
    return f"an unexpected error ({type(error).__name__}: {detail}); please report it with the log"


def run_guarded(main, argv, plain=()):
    """``main(argv)``'s exit status, with every exception turned into one line on stderr.

    Exceptions of the types ``plain`` carry a message for the user and are said as they are; any other is
    said by ``describe`` and its traceback goes to the log, which the line names.
    """
    try:
        return main(argv)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted.", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (| head): nothing left to say to it
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except plain as error:
        say(error)
        return EXIT_ERROR
    except OSError as error:
        if not error.strerror:
            return _unexpected(error, argv)
        say(f"{describe(error)}.")  # "out.json: permission denied": nothing more to tell
        return EXIT_ERROR
    except Exception as error:  # noqa: BLE001  (the one place every other error ends)
        return _unexpected(error, argv)


def _unexpected(error, argv):
    path = write_log(error, argv)
    say(f"{describe(error)}{f'; details in {path}' if path else ''}.")
    return EXIT_ERROR
