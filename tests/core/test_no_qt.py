"""Core, data, the app layer and the command line run without Qt: importing them loads no PySide6 or pyqtgraph module."""

import subprocess
import sys


def test_core_data_app_and_cli_import_no_qt():
    code = ("import importlib, pkgutil, sys, visualtrainer.core, visualtrainer.data, visualtrainer.cli; "
            "import visualtrainer.app as app; "
            "[importlib.import_module(m.name) for m in pkgutil.walk_packages(app.__path__, 'visualtrainer.app.')]; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
