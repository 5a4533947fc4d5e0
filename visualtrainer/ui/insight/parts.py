"""The window's insight parts put together: the Layers and Curvature tabs' measures, why a picture got its class,
stepping at any scale, the path against the cost surface's plane, File > Export run as notebook and
Help > Reproduce the course. Each computes in a worker's thread of its own."""

from pathlib import Path

from visualtrainer.app.course import CAT_FILE, find_cat_file
from visualtrainer.app.notebook import export_notebook
from visualtrainer.core import Network

from ..files.dialogs import path_to_save
from .course_dialog import CourseDialog
from .plane_label import PlaneFitLabel
from .step_panel import StepController
from .watchers import CurvatureController, LayersController
from .why import WhyController


class Insight:
    """Builds the parts for ``window`` (a MainWindow whose ``layers_view`` and ``curvature_view`` exist)."""

    def __init__(self, window):
        self.window = window
        self.layers = LayersController(window)
        self.curvature = CurvatureController(window)
        self.why = WhyController(window)
        self.stepper = StepController(window)
        self.plane = PlaneFitLabel(window)
        self.course = None  # the dialog, made when first asked for

    def workers(self):
        """Every Worker the parts run (the window waits for their threads when it closes)."""
        out = [self.layers.job.worker, self.curvature.job.worker, self.why.worker, self.stepper.values,
               self.plane.worker]
        return out + ([self.course.worker] if self.course is not None else [])

    def export_notebook(self, path=None):
        """File > Export run as notebook: the course's cells that train this network from its start."""
        w, s = self.window, self.window.session
        if s.spec is None:
            return False
        path = path_to_save(w, path, "Export the run as a Jupyter notebook", "run.ipynb", "Notebooks (*.ipynb)")
        if not path:
            return False
        data = s.data
        try:
            notebook, data_file = export_notebook(
                Network(**s.spec.get_params()), data.X_train, data.Y_train, s.settings.iterations, path,
                title=s.run_title())
        except (OSError, ValueError) as error:
            w.show_message(f"{path}: could not export the run ({error}).", error=True)
            return False
        w.show_message(f"Wrote {notebook} and {data_file.name}: open it in Jupyter and run all cells.")
        return True

    def reproduce_course(self):
        """Help > Reproduce the course: the dialog, on the cat file the window has open (or one nearby)."""
        if self.course is None:
            self.course = CourseDialog(self._cat_file(), self.window)
        self.course.show()
        return self.course

    def _cat_file(self):
        dataset = str(self.window.session.settings.dataset)
        if Path(dataset).name == CAT_FILE and Path(dataset).is_file():
            return dataset
        found = find_cat_file()
        return str(found) if found is not None else None

    def close(self):
        """End every part's thread (a course being run is cancelled)."""
        for worker in self.workers():
            worker.close()
