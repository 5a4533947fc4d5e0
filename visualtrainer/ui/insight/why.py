"""Why this class: the pixels' contributions worked out in a worker's thread for the picture cards and the
Mistakes tab while their "Why this class?" box is ticked, and again whenever their pictures or the network change."""

from PySide6.QtCore import QObject, Slot

from visualtrainer.app.insight import explain

from ..worker import Worker


class WhyController(QObject):
    """Explains the pictures of ``window.drop_classifier`` and ``window.mistakes_view`` (each a view with ``why``
    (a QCheckBox), ``cards_changed``, ``pixels()`` and ``set_explanations``)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.worker = Worker("why")
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.views = {"cards": window.drop_classifier, "mistakes": window.mistakes_view}
        self._generation = {name: 0 for name in self.views}
        self.explained = {name: 0 for name in self.views}  # explanations shown (for tests)
        for name, view in self.views.items():
            view.why.toggled.connect(lambda on, name=name: self.refresh(name))
            view.cards_changed.connect(lambda name=name: self.refresh(name))

    def refresh(self, name):
        """Explain the view's pictures anew (ticked), or show them plain."""
        view = self.views[name]
        self._generation[name] += 1
        s = self.window.session
        if not view.why.isChecked() or not view.cards or s.spec is None or s.data.image_shape is None:
            view.set_explanations([None] * len(view.cards))
            return
        pixels = view.pixels()
        if pixels.shape[1] != s.spec.layer_dims[0]:
            return
        self.worker.start(explain, s.spec.get_params(), s.params, pixels, tuple(s.data.image_shape),
                          generation=(name, self._generation[name]))

    @Slot(object)
    def _on_finished(self, result):
        name, generation = result.generation
        if generation == self._generation[name]:
            self.views[name].set_explanations(result.value)
            self.explained[name] += 1

    @Slot(object)
    def _on_failed(self, result):
        name, generation = result.generation
        if generation == self._generation[name]:
            self.window.show_message(f"Why this class: {result.value}", error=True)

    def close(self):
        return self.worker.close()
