"""Start visualtrainer: ``python main.py`` opens the window (``python main.py train …`` runs the command line)."""

import sys

from visualtrainer.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
