"""Help > Reproduce the course: the course's published experiments run in a worker's thread, with progress, and a
table of each printed number beside ours, a tick or a cross, and the time each experiment took."""

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from visualtrainer.app.course import (CAT_FILE, COMPILING, Compiling, Finished, Progress, Started, run_course,
                                      summary_line)
from visualtrainer.app.course_book import EXPERIMENTS

from ..worker import Worker

HEADERS = ("experiment", "number", "course", "ours", "", "time")
GOOD, BAD, GREY = QColor(30, 130, 60), QColor(190, 30, 30), QColor(120, 120, 120)


class CourseDialog(QDialog):
    """Runs ``run_course`` for the cat file ``cat_path`` (None: the cat experiments are not run); ``finished_run``
    with the Report."""

    finished_run = Signal(object)

    def __init__(self, cat_path=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Reproduce the course")
        self.resize(860, 640)
        self.cat_path = cat_path
        self._title = ""  # the experiment running
        self.cat_label = QLabel()
        self.choose = QPushButton("Cat file…")
        self.choose.clicked.connect(self.choose_cat_file)
        self.run_button = QPushButton("Run")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000 * len(EXPERIMENTS))
        self.status = QLabel("Each experiment of the course trains its network again here; every number its "
                             "notebooks print is set beside ours.")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setColumnWidth(0, 230)
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        top = QHBoxLayout()
        top.addWidget(self.cat_label, 1)
        top.addWidget(self.choose)
        top.addWidget(self.run_button)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.worker = Worker("course")
        self.worker.yielded.connect(self._on_event)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.job, self.report, self.rows = None, None, {}
        self._done = 0
        self._show_cat_path()

    def _show_cat_path(self):
        self.cat_label.setText(f"Cats: {self.cat_path}" if self.cat_path else
                               f"Cats: no {CAT_FILE} chosen, so the cat experiments will not run (Cat file…).")

    def choose_cat_file(self, path=None):
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "The course's training file", "",
                                                  f"Course files ({CAT_FILE} *.h5)")
        if path:
            self.cat_path = path
            self._show_cat_path()

    @property
    def running(self):
        return self.job is not None

    def run(self):
        """Run every experiment again (the table starts empty)."""
        if self.running:
            return False
        self.table.setRowCount(0)
        self.rows, self._done, self.report = {}, 0, None
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = self.worker.start(run_course, self.cat_path)
        return True

    def cancel(self):
        if self.job is not None:
            self.job.cancel()

    @Slot(object)
    def _on_event(self, result):
        event = result.value
        if isinstance(event, Started):
            self._title = event.title
            self.status.setText(f"Training: {event.title}…")
        elif isinstance(event, Compiling):
            self.status.setText(f"{self._title}: {COMPILING.strip()}")
        elif isinstance(event, Progress):
            self.progress.setValue(int(1000 * (self._done + event.fraction)))
        elif isinstance(event, Finished):
            self._done += 1
            self.progress.setValue(1000 * self._done)
            self._add(event)

    def _add(self, finished):
        first = self.table.rowCount()
        for check in finished.checks:
            row = self.table.rowCount()
            self.table.insertRow(row)
            mark = "✓" if check.ok else "–" if check.ok is None else "✗"
            colour = GOOD if check.ok else GREY if check.ok is None else BAD
            cells = ("", check.label, check.published + check.unit,
                     check.ours_text + (check.unit if check.ours is not None else ""), mark, "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 4:
                    item.setForeground(colour)
                    item.setTextAlignment(Qt.AlignCenter)
                if check.note:
                    item.setToolTip(check.note)
                self.table.setItem(row, column, item)
        if self.table.rowCount() > first:
            title = QTableWidgetItem(finished.title + (f"\n(not run: {finished.skipped})" if finished.skipped else ""))
            self.table.setItem(first, 0, title)
            self.table.setItem(first, 5, QTableWidgetItem("—" if finished.skipped else f"{finished.seconds:.1f} s"))
            self.table.setSpan(first, 0, len(finished.checks), 1)
            self.table.setSpan(first, 5, len(finished.checks), 1)
        self.rows[finished.key] = (first, len(finished.checks))

    def _ended(self):
        self.job = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    @Slot(object)
    def _on_finished(self, result):
        self._ended()
        self.report = result.value
        self.status.setText(summary_line(self.report) + " Hover a number for a note where the course's own code "
                                                        "varies.")
        self.finished_run.emit(self.report)

    @Slot(object)
    def _on_failed(self, result):
        self._ended()
        self.status.setText(f"<span style='color:#b00020'>{result.value}</span>")
        self.finished_run.emit(None)

    def close_thread(self):
        return self.worker.close()
