"""The window while it trains the cat 12288-7-1 network flat out (or, with ``--network flower``, the window's default
2-4-1 tanh network on the flower set): event-loop stalls, redraw rate, training speed.

    OPENBLAS_NUM_THREADS=2 NUMBA_NUM_THREADS=2 QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_window.py

Reports the largest gap between ticks of a 10 ms QTimer (target < 16 ms; also how many of the gaps were longer, and
the largest over as long a time with the window idle, alone and beside the same training in the headless trainer: the
machine's own floor, what a window with nothing to draw sees under the same load), the redraws a second (target >= 25;
20 while other programs crowd the machine, ``app.machine``) and the iterations a second against the same training
without a window (target >= 95%); benchmarks/bench_launch.py times the launch. ``--busy`` keeps one core busy with a
process of its own for the whole run (window and headless turns alike), as another program on a desktop would.
``--account N`` lists what the window's thread did in each turn's N longest gaps (``gaps.py``).

The machine is shared and its speed drifts by ±10% within seconds, so the two are measured in short turns: a
headless trainer waits in a process of its own (the command line's way: one process's threads share one pool of
kernel threads, so it must not run in this one), and the window's training and its alternate, a few seconds each
(--seconds), the window paused while the trainer runs and the trainer idle while the window trains. Each of the
window's turns is compared with the trainer's turns just before and after it; the median turn is the figure.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
DATA = ROOT.parent / "shared" / "data" / "catvnoncat" / "train_catvnoncat.h5"

# The headless trainer: the same network and data (the window's settings, as JSON), trained on as a command line
# would (fit's loop), a turn of the seconds read from stdin at a time; it prints its iterations a second after each
# turn.
HEADLESS = """
import json, sys, time
from visualtrainer.app.builder import network_for
from visualtrainer.app.session import load_data
from visualtrainer.app.settings import Settings
from visualtrainer.core import iter_training
settings = Settings.from_dict(json.loads(sys.argv[1]))
data, _ = load_data(settings)
net = network_for(settings, data)
net.fit(data.X_train, data.Y_train, 5)
print("ready", flush=True)
for line in sys.stdin:
    seconds, before, began = float(line), net.n_iter_, time.perf_counter()
    for snap in iter_training(net, data.X_train, data.Y_train, 10**9):
        if time.perf_counter() - began >= seconds:
            break
    print((net.n_iter_ - before) / (time.perf_counter() - began), snap.seconds / (net.n_iter_ - before), flush=True)
"""


class Headless:
    """The headless trainer's process: ``rate(seconds)`` trains that long and returns its iterations a second and
    the seconds an iteration took in the compiled loop."""

    def __init__(self, settings):
        self.process = subprocess.Popen([sys.executable, "-c", HEADLESS, json.dumps(settings.to_dict())],
                                        stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def rate(self, seconds):
        self.begin(seconds)
        return self.result()

    def begin(self, seconds):
        """Starts a turn of ``seconds`` and returns at once."""
        self.process.stdin.write(f"{seconds}\n")
        self.process.stdin.flush()

    def result(self):
        """The turn's iterations a second and seconds an iteration, when it ends."""
        rate, kernel = map(float, self.process.stdout.readline().split())
        return rate, kernel

    def cpu_seconds(self):
        """The trainer's processor time so far (Linux's /proc; 0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self):
        self.process.stdin.close()
        self.process.wait()


BINS = (0.016, 0.020, 0.030, 0.060, float("inf"))


def long_gaps(gaps):
    """How many of ``gaps`` fall in each of ``BINS``' ranges, a second of ticks (the guest's own waits for a core
    are a tick or two of its scheduler, 4-8 ms; a pause of the whole machine by its host, about 100 ms)."""
    seconds = sum(gaps)
    counts = [sum(lo <= g < hi for g in gaps) / seconds for lo, hi in zip(BINS, BINS[1:])]
    names = [f"{lo * 1e3:.0f}-{hi * 1e3:.0f}" if hi != float("inf") else f">={lo * 1e3:.0f}"
             for lo, hi in zip(BINS, BINS[1:])]
    return ", ".join(f"{n}: {c:.2f}" for n, c in zip(names, counts))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="the length of a turn of training")
    parser.add_argument("--rounds", type=int, default=9, help="the window's turns, each between two headless ones")
    parser.add_argument("--data", default=str(DATA), help="the cat pictures (an .h5 file)")
    parser.add_argument("--network", choices=("cat", "flower"), default="cat",
                        help="12288-7-1 ReLU on the cat pictures (the default), or the window's default network")
    parser.add_argument("--surface", choices=("follow", "still", "hidden"), default="follow",
                        help="the cost surface tab: shown and following training (the default), shown but not "
                             "following, or another tab shown")
    parser.add_argument("--tab", help="show this lower tab instead (its text: Layers, Curvature, …)")
    parser.add_argument("--busy", action="store_true", help="keep one core busy for the whole run")
    parser.add_argument("--no-drawing", action="store_true",
                        help="the window draws no frames (a diagnosis: what the drawing costs the training)")
    parser.add_argument("--account", type=int, default=0, metavar="N",
                        help="after each turn, what the window's thread did in its N longest gaps (benchmarks/gaps.py)")
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from visualtrainer.ui.main_window import MainWindow
    from visualtrainer.app.settings import Settings

    app = QApplication.instance() or QApplication([])
    store = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.IniFormat)
    if args.network == "cat":
        settings = Settings(dataset=args.data, hidden=[(7, "relu")], init="small", learning_rate=0.0075,
                            iterations=10_000_000, test_fraction=0.0)
    else:
        settings = Settings(iterations=10_000_000)
    window = MainWindow(store=store, settings=settings)
    window.show()
    window.surface_panel.follow.setChecked(args.surface == "follow")
    if args.surface == "hidden":
        window.lower_tabs.setCurrentWidget(window.activation_plot)
    if args.tab:
        window.show_tab(args.tab)
    if args.no_drawing:
        window.presenter.schedule = lambda: None
    from baselines import stolen_seconds

    stolen = stolen_seconds()
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy else None
    headless = Headless(settings)

    ticks = []
    timer = QTimer(interval=10)
    timer.setTimerType(Qt.PreciseTimer)  # a coarse timer may fire up to 5% late on its own
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    account = None
    if args.account:
        from gaps import GapAccount

        p = window.presenter
        account = GapAccount(app, {p.timer: "frame", p.details_timer: "details", p.output_timer: "output",
                                   p.pictures_timer: "pictures", p.path_timer: "path", timer: "tick"})
        timer.timeout.connect(account.tick)
    rounds, state = [], {"headless": [headless.rate(args.seconds)]}
    floor, loaded_floor, loaded_cores = [], [], []

    def measure_floor(gaps, beside_training=False):
        """The same timer with the window shown and idle (after the turns), as long as all the turns: the machine's
        floor; ``beside_training``, while the headless trainer trains as long (the same load on the cores as the
        window's training, with nothing for the window to do)."""
        if beside_training:
            cpu = headless.cpu_seconds()
            headless.begin(args.seconds * args.rounds)
        ticks.clear()
        began = time.perf_counter()
        app.processEvents()
        while time.perf_counter() - began < args.seconds * args.rounds:
            app.processEvents(QEventLoop.WaitForMoreEvents, 50)
        gaps.extend(b - a for a, b in zip(ticks, ticks[1:]))
        if beside_training:
            headless.result()
            loaded_cores.append((headless.cpu_seconds() - cpu) / (time.perf_counter() - began))

    def begin_round():
        state.pop("start", None)
        window.toggle_training()

    def on_progress(_):
        if "start" not in state and not window.surface_panel.busy:  # past the resumed run's first surface
            state["start"] = time.perf_counter()
            state["iter0"] = window.session.iteration
            state["frames0"] = window.presenter.frames_drawn
            state["cpu0"], state["proc0"] = time.thread_time(), sum(os.times()[:2])
            state["surfaces0"] = window.surface_panel.surfaces_computed
            state["kernel0"] = window.session.latest.snapshot.seconds
            ticks.clear()
            if account:
                account.clear()
            QTimer.singleShot(int(args.seconds * 1000), end_round)

    def end_round():
        end = time.perf_counter()
        seconds = end - state["start"]
        gaps = [b - a for a, b in zip(ticks, ticks[1:]) if b < end]
        iterations = window.session.iteration - state["iter0"]
        result = dict(
            window_rate=iterations / seconds,
            kernel=(window.session.latest.snapshot.seconds - state["kernel0"]) / max(iterations, 1),
            frames=(window.presenter.frames_drawn - state["frames0"]) / seconds,
            gui=(time.thread_time() - state["cpu0"]) / seconds,
            process=(sum(os.times()[:2]) - state["proc0"]) / seconds,
            surfaces=window.surface_panel.surfaces_computed - state["surfaces0"],
            gap=max(gaps), median_gap=sorted(gaps)[len(gaps) // 2], long=sum(g >= 0.016 for g in gaps) / len(gaps),
            gaps=gaps,
        )
        window.training.pause()
        if account:
            result["account"] = account.report(args.account, end)
        QTimer.singleShot(100, lambda: finish_round(result))

    def finish_round(result):
        if window.worker.busy or window.surface_panel.busy:  # the paused run's final surface: let it end first
            QTimer.singleShot(50, lambda: finish_round(result))
            return
        state["headless"].append(headless.rate(args.seconds))
        (before, kernel_before), (after, kernel_after) = state["headless"][-2:]
        result["headless"], result["headless_kernel"] = (before + after) / 2, (kernel_before + kernel_after) / 2
        rounds.append(result)
        r = result
        print(f"turn {len(rounds)}: {r['window_rate']:,.0f} it/s in the window, {r['headless']:,.0f} headless "
              f"({r['window_rate'] / r['headless']:.0%}); largest gap {r['gap'] * 1e3:.1f} ms ({r['long']:.1%} of them "
              f">= 16 ms); {r['frames']:.1f} "
              f"redraws a second; window thread {r['gui']:.0%} of a core, process {r['process']:.0%}; "
              f"{r['surfaces']} surfaces; {r['kernel'] * 1e3:.3g} ms an iteration in the compiled loop, "
              f"{r['headless_kernel'] * 1e3:.3g} headless", flush=True)
        print("\n".join(r.get("account", [])), flush=True)
        if len(rounds) < args.rounds:
            begin_round()
        else:
            measure_floor(floor)
            measure_floor(loaded_floor, beside_training=True)
            app.quit()

    window.progress_shown.connect(on_progress)
    timer.start()
    QTimer.singleShot(0, begin_round)
    app.exec()
    window.close()
    headless.close()
    if spinner is not None:
        spinner.kill()
        spinner.wait()

    ratios = sorted(r["window_rate"] / r["headless"] for r in rounds)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from baselines import machine

    print(machine())
    print(f"the host took {stolen_seconds() - stolen:.1f} s of the cores during the run (steal time: 0 on a machine "
          "of its own; pauses of the whole machine show in the gaps and in the idle window's alike)")
    shown = f"; the {args.tab} tab shown" if args.tab else ""
    print(f"{args.network} network; cost surface: {args.surface}{shown}; {args.rounds} turns of {args.seconds:g} s in the window, each "
          f"against the headless turns just before and after it{'; one core kept busy' if args.busy else ''}")
    print(f"largest event-loop gap while training: {max(r['gap'] for r in rounds) * 1e3:.1f} ms "
          f"(median gap {rounds[0]['median_gap'] * 1e3:.1f} ms; {sum(r['long'] for r in rounds) / len(rounds):.2%} of "
          f"the gaps 16 ms or longer)")
    for name, gaps in (("with the window idle, as long", floor),
                       ("with the window idle beside the same training headless (the trainer using "
                        f"{loaded_cores[0]:.0%} of a core)", loaded_floor)):
        print(f"{name}: {max(gaps) * 1e3:.1f} ms ({sum(g >= 0.016 for g in gaps) / len(gaps):.2%} of the gaps 16 ms "
              "or longer)")
    print("the gaps of 16 ms or longer by length (ms), a second of the timer's: " + "; ".join(
        f"{name} {long_gaps(gaps)}" for name, gaps in (("training", [g for r in rounds for g in r["gaps"]]),
                                                        ("idle", floor), ("idle beside", loaded_floor))))
    print(f"redraws: {min(r['frames'] for r in rounds):.1f}-{max(r['frames'] for r in rounds):.1f} a second; the "
          f"window's thread used {min(r['gui'] for r in rounds):.0%}-{max(r['gui'] for r in rounds):.0%} of a core")
    kernels = sorted(r["headless_kernel"] / r["kernel"] for r in rounds)
    print(f"the compiled loop alone ran at {kernels[len(kernels) // 2]:.0%} of its headless speed (median); the rest "
          f"went to the hand-overs between chunks, accuracies and cost surfaces")
    print(f"training in the window: {ratios[len(ratios) // 2]:.0%} of its headless speed (median; turns "
          f"{', '.join(f'{x:.0%}' for x in ratios)})")


if __name__ == "__main__":
    main()
