"""Insight: why the network decides (pixel contributions), how its layers and the curvature of J are doing, a step
at any scale, the course's results checked, and a run as a notebook."""
