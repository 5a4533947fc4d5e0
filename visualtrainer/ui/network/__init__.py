"""The network itself: the diagram, a unit's output, the first layer's weights as pictures, the activation
functions and the computation graph of one step."""
