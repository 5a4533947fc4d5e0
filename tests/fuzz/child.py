"""A fuzz runner in a process of its own (a hang shows as a case that started and never ended): its JSON lines."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_lines(module, folder, timeout, env=None):
    """(its JSON lines, its exit status, its stderr) of ``python -m module folder``, killed after ``timeout``
    seconds with what it printed so far."""
    child = subprocess.Popen([sys.executable, "-m", module, str(folder)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")], child.returncode, err
