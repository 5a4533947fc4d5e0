"""The cost surface of a trained network: J over the plane its descent path spans most, with the path on it.

Trains the course's flower network headless, recording θ about 400 times along the way, then computes J over a
101×101 grid of the path's PCA plane and draws it with the window's own surface view.
"""

import pyqtgraph as pg

from visualtrainer.app.builder import network_for
from visualtrainer.app.settings import Settings
from visualtrainer.core import iter_training
from visualtrainer.core.surface import PATH_POINTS, CostSlicer, PathRecorder, compute_surface, make_plane
from visualtrainer.data import load_dataset
from visualtrainer.ui.surface.surface_view import SurfaceView


def trained_with_path(settings, data):
    """The network ``settings`` make for ``data``, trained, and θ along its way (k, p)."""
    net = network_for(settings, data).initialize()
    recorder = PathRecorder(net.theta_.size)
    recorder.add(0, net.theta_)
    for snap in iter_training(net, data.X_train, data.Y_train, settings.iterations,
                              trace_every=max(1, settings.iterations // PATH_POINTS)):
        recorder.extend(snap.trace_iterations, snap.trace)
    recorder.add(net.n_iter_, net.theta_)
    return net, recorder.points


def main():
    pg.mkQApp("cost surface")
    data = load_dataset("flower", seed=1)
    settings = Settings(dataset="flower", hidden=[(4, "tanh")], learning_rate=1.2, iterations=3000)
    net, path = trained_with_path(settings, data)
    plane = make_plane("pca", net, path)
    surface = compute_surface(CostSlicer(net, data.X_train, data.Y_train), plane, path, grid=101)
    print(f"J from {surface.costs.min():.4f} to {surface.costs.max():.4f} over {plane.labels[0]} × "
          f"{plane.labels[1]}, in {1000 * surface.seconds:.0f} ms")
    view = SurfaceView()
    view.set_surface(surface)
    view.view.setTitle(f"flower, 2-4-1 tanh: {net.n_iter_} iterations")
    view.resize(800, 650)
    view.show()
    pg.exec()


if __name__ == "__main__":
    main()
