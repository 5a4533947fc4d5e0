"""File commands: datasets, models, exports and sessions, with their dialogs."""
