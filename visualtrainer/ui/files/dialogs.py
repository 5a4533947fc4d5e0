"""The file dialogs, skipped when a path is given (as the tests and scripts give it)."""

from PySide6.QtWidgets import QFileDialog


def path_to_save(parent, path, title, suggested, filters):
    """``path`` when given, else the file the user picks in a save dialog ("" when cancelled)."""
    return str(path) if path else QFileDialog.getSaveFileName(parent, title, suggested, filters)[0]


def path_to_open(parent, path, title, folder, filters):
    """``path`` when given, else the file the user picks in an open dialog ("" when cancelled)."""
    return str(path) if path else QFileDialog.getOpenFileName(parent, title, folder, filters)[0]


def paths_to_open(parent, paths, title, filters):
    """``paths`` when given, else the files the user picks (empty when cancelled)."""
    return list(paths) if paths is not None else QFileDialog.getOpenFileNames(parent, title, "", filters)[0]
