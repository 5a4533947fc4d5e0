"""The network as the views show it: on every new network (``Session.network_changed``) the diagram, the
activation plot, the weight pictures, the boundary plot's data, the Neuron and Graph tabs start again from it; while
it trains they follow the latest snapshot's parameters. Forward passes use the session's ``spec`` (an untrained
copy with the network's settings) with those parameters, never the network another thread trains."""

import time
from dataclasses import dataclass

import numpy as np

from visualtrainer.core.surface import parameter_index
from visualtrainer.data.features import FeaturedDataset, derive, feature_names, plane_of

PICTURES_SECONDS = 0.5  # the weight pictures: twice a second is enough to watch them form
MAPS_SECONDS = 0.1  # the diagram's unit maps: ten times a second
MAP_SIDE = 24  # points a side of the grid the unit maps are computed on (a neuron is at most 34 pixels across)
NEURON_HINT = "Click a neuron in the diagram to see what it computes."


@dataclass
class NetworkViews:
    """The widgets that show the network, and the lower tabs and toolbar spin box they live with."""

    diagram: object  # NetworkView
    activations: object  # ActivationPlot
    weight_pictures: object  # WeightPictures
    boundary: object  # BoundaryPlot
    neuron: object  # NeuronDetail
    graph: object  # GraphView
    surface: object  # SurfacePanel (a click picks its plane's parameters)
    tabs: object  # the lower QTabWidget
    example: object  # the toolbar's QSpinBox of the example shown


class NetworkPresenter:
    """Keeps ``views`` showing ``session``'s network; ``show_message`` says what a click cannot show."""

    def __init__(self, session, views, show_message, clock=time.perf_counter):
        self.session, self.views, self._show_message, self.clock = session, views, show_message, clock
        self._pictures_drawn = self._maps_drawn = 0.0
        self._unit = None  # (layer, unit) shown in the Neuron tab
        session.network_changed.connect(self.show_network)
        views.diagram.neuron_clicked.connect(self.on_neuron_clicked)
        views.diagram.link_clicked.connect(self.on_link_clicked)
        views.example.valueChanged.connect(self._on_example)
        views.tabs.currentChanged.connect(lambda _: self.show_graph())

    # -- a new network ----------------------------------------------------------------------------------------
    def show_network(self):
        s, v = self.session, self.views
        spec, data = s.spec, s.data
        names = feature_names(data) if isinstance(data, FeaturedDataset) else None  # x₁², sin x₁, …
        v.diagram.set_architecture(spec.layer_dims, spec.activations, data.image_shape, names)
        v.diagram.set_params(s.params)
        v.activations.set_activations(spec.activations)
        self._unit = None
        v.neuron.clear(NEURON_HINT)
        v.example.setRange(0, data.m - 1)
        self._show_data()
        grid_X, _ = s.grid_points()
        if grid_X is not None:  # numpy, not the compiled kernels (their first call would load them in this thread)
            self.show_output(spec.forward_layers(grid_X, s.params)[-1][1])
        self.show_example()
        self.show_unit_maps()
        self.show_graph()

    def _show_data(self):
        s, v = self.session, self.views
        data = s.data
        v.boundary.show_dataset(data, s.grid)
        v.weight_pictures.setVisible(data.image_shape is not None)
        if data.image_shape is not None:
            v.weight_pictures.set_architecture(s.spec.layer_dims[1], data.image_shape)
            v.weight_pictures.set_weights(s.params["W1"])

    def show_output(self, P):
        """The network's output over the boundary plot's grid: P (n_y, k) or (n_y, *grid shape)."""
        s = self.session
        _, shape = s.grid_points()
        self.views.boundary.show_output(s.data, s.grid, np.asarray(P).reshape((-1, *shape)))

    # -- while it trains --------------------------------------------------------------------------------------
    def show_params(self, final=False):
        """The diagram, the example's activations and the graph, from the session's latest parameters (the pictures
        of what the units compute: ``show_pictures``)."""
        self.views.diagram.set_params(self.session.params)
        self.show_example()
        self.show_graph()

    def show_pictures(self, final=False):
        """From the session's latest parameters, the weight pictures (at most twice a second) and the diagram's
        unit maps (ten times a second), each at once for a run's end."""
        pictures, now = self.views.weight_pictures, self.clock()
        if not pictures.isHidden() and (final or now - self._pictures_drawn >= PICTURES_SECONDS):
            self._pictures_drawn = now
            pictures.set_weights(self.session.params["W1"])
        if final or now - self._maps_drawn >= MAPS_SECONDS:
            self._maps_drawn = now
            self.show_unit_maps()

    def show_unit_maps(self):
        """For 2-D data, every unit's value over the plane in its neuron (a numpy forward pass on a coarse copy of
        the boundary plot's grid); nothing for other data."""
        s = self.session
        if s.spec is None or plane_of(s.data).n_x != 2 or s.data.image_shape is not None or s.grid is None:
            self.views.diagram.set_unit_maps(None)
            return
        xx, yy = s.grid
        rows, columns = (np.unique(np.linspace(0, n - 1, MAP_SIDE).round().astype(int)) for n in xx.shape)
        xx, yy = xx[np.ix_(rows, columns)], yy[np.ix_(rows, columns)]  # the grid's edges kept
        X = np.vstack([xx.ravel(), yy.ravel()])
        if isinstance(s.data, FeaturedDataset):
            X = derive(X, s.data.features)
        layers = s.spec.forward_layers(X, s.params)
        self.views.diagram.set_unit_maps([X.reshape(-1, *xx.shape)] + [A.reshape(-1, *xx.shape) for _, A in layers])

    def show_example(self):
        """Shade the diagram by the chosen training example's activations."""
        s = self.session
        if s.spec is None:
            return
        data = s.data
        i = min(s.view.example, data.m - 1)
        layers = s.spec.forward_layers(data.X_train[:, i : i + 1], s.params)
        x = data.X_train[:, i] / 255.0 if data.X_train.dtype == np.uint8 else data.X_train[:, i]
        self.views.diagram.set_example_activations([x] + [A[:, 0] for _, A in layers])

    def show_graph(self):
        """The computation graph of the latest step, when its tab is showing."""
        s, v = self.session, self.views
        if s.spec is None or v.tabs.currentWidget() is not v.graph:
            return
        v.graph.show_graph(s.spec, s.data, s.view.example, s.params, s.iteration)

    def show_picture(self, card):
        """Shade the diagram by a picture card's activations."""
        s = self.session
        x = card.pixels.reshape(-1, 1)
        layers = s.spec.forward_layers(x, s.params)
        self.views.diagram.set_example_activations([x[:, 0] / 255.0] + [A[:, 0] for _, A in layers])
        self._show_message(f"{card.path}: {card.predicted}; the diagram shows its activations.")

    def _on_example(self, index):
        self.session.view.example = index
        self.show_example()
        self.show_graph()

    # -- clicks -----------------------------------------------------------------------------------------------
    def on_link_clicked(self, layer, unit, source):
        """A weight picked for the cost surface's plane."""
        v = self.views
        v.tabs.setCurrentWidget(v.surface)
        v.surface.pick_parameter(parameter_index(f"W{layer}[{unit},{source}]", self.session.spec.layer_dims))

    def on_neuron_clicked(self, layer, unit):
        """A unit's bias picked for the surface's plane (while it picks parameters), else what the unit computes."""
        v = self.views
        if v.tabs.currentWidget() is v.surface and v.surface.picking:
            v.surface.pick_parameter(parameter_index(f"b{layer}[{unit}]", self.session.spec.layer_dims))
            return
        v.tabs.setCurrentWidget(v.neuron)
        self._unit = (layer, unit)
        self.show_unit()

    def show_unit(self):
        """What the unit picked in the diagram computes with the latest parameters, in the Neuron tab."""
        if self._unit is None:
            return
        (layer, unit), s = self._unit, self.session
        title = f"A[{layer}] unit {unit + 1}"
        if plane_of(s.data).n_x == 2:
            xx, yy = s.grid
            values = s.spec.forward_layers(s.grid_points()[0], s.params)[layer - 1][1][unit]
            self.views.neuron.show_plane(xx, yy, values.reshape(xx.shape), f"{title}: its output over the plane")
        elif s.data.image_shape is not None and layer == 1:
            self.views.neuron.show_weights(s.params["W1"][unit], s.data.image_shape,
                                           f"{title}: its incoming weights W[1]")
        else:
            self._show_message(f"{title}: pictures show the first layer's units (or any unit, for 2-D data).")
