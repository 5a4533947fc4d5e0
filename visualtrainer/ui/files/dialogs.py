"""The file dialogs, skipped when a path is given (as the tests and scripts give it). They open in the folder last
used (remembered in the window's store) or the user's home, never the folder the app happened to start in."""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

LAST_FOLDER = "files/last_folder"


def start_folder(parent):
    """The folder a dialog opens in: the last one a file was picked in, while it exists, else the home folder."""
    store = getattr(parent, "store", None)
    folder = store.value(LAST_FOLDER) if store is not None else None
    return str(folder) if folder and Path(str(folder)).is_dir() else str(Path.home())


def _picked(parent, path):
    store = getattr(parent, "store", None)
    if path and store is not None:
        store.setValue(LAST_FOLDER, str(Path(path).parent))
    return path


def path_to_save(parent, path, title, suggested, filters):
    """``path`` when given, else the file the user picks in a save dialog ("" when cancelled)."""
    if path:
        return str(path)
    chosen = QFileDialog.getSaveFileName(parent, title, str(Path(start_folder(parent)) / suggested), filters)[0]
    return _picked(parent, chosen)


def path_to_open(parent, path, title, folder, filters):
    """``path`` when given, else the file the user picks in an open dialog ("" when cancelled)."""
    if path:
        return str(path)
    return _picked(parent, QFileDialog.getOpenFileName(parent, title, folder or start_folder(parent), filters)[0])


def paths_to_open(parent, paths, title, filters):
    """``paths`` when given, else the files the user picks (empty when cancelled)."""
    if paths is not None:
        return list(paths)
    chosen = QFileDialog.getOpenFileNames(parent, title, start_folder(parent), filters)[0]
    if chosen:
        _picked(parent, chosen[0])
    return chosen
