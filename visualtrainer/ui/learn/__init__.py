"""Learning by comparing: lessons, sweeps and the runs kept side by side."""
