"""The application without a window: settings, the session (dataset, network, runs, histories), the network
builder the command line shares, sweeps, lessons and session files. No Qt here: the window observes it."""
