"""Train the course's flower network in a worker thread and watch its cost J fall, live.

The window's own pattern in a few lines: the training job (app.training.train) runs in a ui Worker and yields a
Progress after each chunk of iterations; the plot draws each one as it arrives in the window's thread.
"""

import pyqtgraph as pg
from PySide6.QtCore import QObject, Slot

from visualtrainer.app.builder import network_for
from visualtrainer.app.settings import Settings
from visualtrainer.app.training import Mailbox, TrainingPlan, train
from visualtrainer.data import load_dataset
from visualtrainer.ui.training.cost_plot import CostPlot
from visualtrainer.ui.worker import Worker


class LivePlot(QObject):
    """Draws the progress the worker posts (a slot of an object in the window's thread: queued)."""

    def __init__(self, plot):
        super().__init__()
        self.plot = plot

    @Slot(object)
    def on_progress(self, result):
        progress = result.value
        snap = progress.snapshot
        self.plot.append_costs(snap.first_iteration, snap.costs)
        if progress.train_accuracy is not None:
            self.plot.add_accuracy(snap.iteration, progress.train_accuracy, progress.test_accuracy)
        self.plot.refresh()

    @Slot(object)
    def on_finished(self, result):
        self.plot.fit_to_data()
        print(f"{result.value.snapshot.message.rstrip('.')}; J = {result.value.snapshot.cost:.4f}")


def main():
    app = pg.mkQApp("live cost plot")
    data = load_dataset("flower", seed=1, test_fraction=0.2)
    settings = Settings(dataset="flower", hidden=[(4, "tanh")], learning_rate=1.2, iterations=10_000)
    net = network_for(settings, data).initialize()
    plot = CostPlot()
    plot.resize(700, 450)
    plot.show()
    live = LivePlot(plot)
    worker = Worker("training")
    worker.yielded.connect(live.on_progress)
    worker.finished.connect(live.on_finished)
    app.aboutToQuit.connect(worker.close)
    print(f"training {'-'.join(map(str, net.layer_dims))} on {data.name} for {settings.iterations:,} iterations")
    worker.start(train, Mailbox(net), TrainingPlan(data.X_train, data.Y_train, settings.iterations, data.X_test,
                                                   data.Y_test))
    pg.exec()


if __name__ == "__main__":
    main()
