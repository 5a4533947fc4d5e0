"""What the window shows as training starts, stops or fails, and while the kernels load: the Train button, the busy
bar, the news line, and the views that show results only once training has stopped (mistakes, cards, the unit)."""

from visualtrainer.app.builder import network_for


def sentence(text):
    """``text`` with its first letter capitalised (str.capitalize would lower every other letter)."""
    return text[:1].upper() + text[1:]


def stop_text(net, steps):
    """What the news line says when training stopped by itself, after a run of ``steps`` iterations."""
    if net.stop_reason_ == "max_iterations":
        if steps == 1:
            return f"One step: iteration {net.n_iter_:,}, J = {net.costs_[-1]:.6g}. S steps again, Space trains."
        return (f"Stopped at iteration {net.n_iter_:,}: the iterations set are done (raise them to train on, or "
                "Reset).")
    return sentence(net.stop_message_)


class TrainingFeedback:
    """Connects ``window.training``'s signals to ``window``'s parts; ``training_finished`` is emitted on the window
    once everything shows the stopped network."""

    def __init__(self, window):
        self.window = window
        self.background = False  # the kernels' warm-up waits until the window is painted
        self._news = ("", False)  # what the news line said before the warm-up
        t = window.training
        t.started.connect(self._on_started)
        t.stopped.connect(self._on_stopped)
        t.failed.connect(self._on_failed)
        t.warmed.connect(self._on_warmed)

    def start_background(self):
        """Load the kernels and compute the first cost surface in their threads, now that the window is painted."""
        self.background = True
        self.window.surface_panel.release()
        self.warm_up()

    def warm_up(self):
        """Load the session network's kernels in the training thread, or start compiling them in the background."""
        w, s = self.window, self.window.session
        if s.data is not None and s.net is not None and self.background:
            w.busy.show()
            if not w.status.news.startswith("Preparing"):
                self._news = (w.status.news, w.status.error)  # said again once the kernels are ready
            w.show_message("Preparing the training kernels…")
            params = network_for(s.settings, s.data).get_params()  # not the live network's: it may be training
            w.training.warm_up(params, s.data.X_train, s.data.Y_train)

    def _on_warmed(self, ready):
        w = self.window
        if not w.training.training:
            w.busy.hide()
            if w.status.news.startswith("Preparing"):  # keep any other news (a warning, say)
                text, error = self._news
                text = text or "Ready: press Space to train."
                if not ready:
                    text += (" (The fast engine compiles in the background, the first time only; training runs on "
                             "numpy until then.)")
                w.show_message(text, error)

    def _on_started(self):
        w = self.window
        w.toolbar.set_training(True)
        w.busy.show()
        w.show_message("Training…")
        w.presenter.start()

    def _on_stopped(self, progress):
        w, s = self.window, self.window.session
        w.toolbar.set_training(False)
        w.busy.hide()
        w.presenter.finish(progress)
        w.mistakes_view.show_results(s.data, s.model())
        w.network.show_graph()
        w.network.show_unit()
        w.pictures.reclassify()
        net = s.net
        if progress is not None and progress.paused:
            w.show_message(f"Paused at iteration {net.n_iter_:,}: Space goes on, S steps.")
        elif net.stop_reason_ == "diverged":
            self._show_divergence(net)
        elif net.stop_message_:
            w.show_message(stop_text(net, w.training.requested))
        w.training_finished.emit(progress)

    def _show_divergence(self, net):
        """Where it diverged (the parameters are those kept from before), with the cost it blew up to."""
        w = self.window
        w.toolbar.set_diverged(len(net.costs_) - 1)
        kept = net.costs_[net.n_iter_] if net.n_iter_ < len(net.costs_) else float("nan")
        w.status.counters.setText(f"diverged at iteration {len(net.costs_) - 1:,}   kept iteration {net.n_iter_:,}"
                                  f"   cost {kept:.6g}")
        w.cost_plot.mark_divergence(len(net.costs_) - 1, net.costs_[-1])
        w.show_message(sentence(net.stop_message_), error=True)

    def _on_failed(self, message):
        w = self.window
        w.toolbar.set_training(False)
        w.busy.hide()
        w.presenter.finish(None)
        w.show_message(message, error=True)
