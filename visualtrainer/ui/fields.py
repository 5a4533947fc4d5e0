"""Fields that stay out of the way: a spin box, combo box or slider changes only when the user means it (the wheel
scrolls the panel past it unless it has focus), and the window's shortcuts (Space, S, R, Ctrl+E …) work while it has
focus (a number field has no use for a space or a letter)."""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractSpinBox, QComboBox, QSlider, QStyle, QStyleOptionComboBox, QStylePainter,
                               QToolTip)

#: What a number field needs from the keyboard: digits and signs, moving, deleting, and the standard edits.
_FIELD_KEYS = {Qt.Key_Period, Qt.Key_Comma, Qt.Key_Minus, Qt.Key_Plus, Qt.Key_Backspace, Qt.Key_Delete,
               Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down, Qt.Key_Home, Qt.Key_End, Qt.Key_PageUp,
               Qt.Key_PageDown, Qt.Key_Return, Qt.Key_Enter, Qt.Key_Tab, Qt.Key_Backtab, Qt.Key_Escape}
_EDITS = (QKeySequence.Copy, QKeySequence.Cut, QKeySequence.Paste, QKeySequence.Undo, QKeySequence.Redo,
          QKeySequence.SelectAll)
_GUARDED = (QAbstractSpinBox, QComboBox, QSlider)


def field_keeps(event):
    """Whether a number field keeps the key of ``event`` (a QKeyEvent) rather than letting a shortcut have it."""
    key = event.key()
    if Qt.Key_0 <= key <= Qt.Key_9 or key in _FIELD_KEYS:
        return True
    return any(event.matches(edit) for edit in _EDITS)


class FieldGuard(QObject):
    """An event filter for fields: the wheel goes on to the panel under a field without focus, and shortcuts that
    a field has no use for reach the window."""

    def eventFilter(self, watched, event):
        kind = event.type()
        if kind == QEvent.Type.Wheel and not watched.hasFocus():
            event.ignore()  # handled here, not accepted: the panel behind scrolls instead
            return True
        if kind == QEvent.Type.ShortcutOverride and not field_keeps(event):
            event.ignore()  # the shortcut, if the window has one for this key, takes it
            return True
        return False


_GUARD = None


def guard(*widgets):
    """Guard ``widgets`` (spin boxes, combo boxes, sliders; others are left alone); returns the first."""
    global _GUARD
    if _GUARD is None:
        _GUARD = FieldGuard()
    for widget in widgets:
        if isinstance(widget, _GUARDED):
            widget.setFocusPolicy(Qt.StrongFocus)  # not WheelFocus: the wheel alone never picks a field
            widget.installEventFilter(_GUARD)
    return widgets[0] if widgets else None


def guard_all(parent):
    """Guard every field inside ``parent`` (a widget), as it is now."""
    guard(*[child for kind in _GUARDED for child in parent.findChildren(kind)])


class PathCombo(QComboBox):
    """A combo box of names and file paths: a path longer than the box shows its end (the file's name, after "…"),
    and its tooltip is the whole text. (A plain box shows a path's start: the same folders for every file.)"""

    def event(self, event):
        if event.type() == QEvent.ToolTip:  # the text as it is now, whatever set it (signals blocked or not)
            QToolTip.showText(event.globalPos(), self.currentText(), self)
            return True
        return super().event(event)

    def _option(self):
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(QStyle.CC_ComboBox, option, QStyle.SC_ComboBoxEditField, self)
        option.currentText = self.fontMetrics().elidedText(self.currentText(), Qt.ElideLeft, field.width() - 4)
        return option

    def shown_text(self):
        """The current text as the box draws it."""
        return self._option().currentText

    def paintEvent(self, event):  # noqa: N802  (Qt's name)
        painter = QStylePainter(self)
        option = self._option()
        painter.drawComplexControl(QStyle.CC_ComboBox, option)
        painter.drawControl(QStyle.CE_ComboBoxLabel, option)
