"""Training: the settings panel, the toolbar, the controller that runs the training thread, the presenter that
paces the drawing, and the plots that follow it (cost and accuracy, decision boundary)."""
