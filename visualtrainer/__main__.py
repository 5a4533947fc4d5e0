"""``python -m visualtrainer`` (and the ``visualtrainer`` command): the window, or a command-line subcommand."""

import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    from visualtrainer import cli

    if argv and (argv[0] in cli.COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return cli.main(argv)
    from visualtrainer.ui.app import main as run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
