"""QActions as the window and its features make them: a stable object name (for automation), shortcuts,
one tip shown both as tooltip and in the status bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

Shortcut = QKeySequence.StandardKey | str | Sequence[str | QKeySequence] | None
"""A standard key, one key sequence as text, or several (the first is shown in menus)."""


def make_action(
    parent: QObject,
    name: str,
    text: str,
    slot: Callable[[], object] | None = None,
    shortcut: Shortcut = None,
    tip: str = "",
) -> QAction:
    """An action named ``name`` that calls ``slot`` when triggered."""
    action = _action(parent, name, text, shortcut, tip)
    if slot is not None:
        action.triggered.connect(lambda _=False: slot())
    return action


def make_toggle(
    parent: QObject,
    name: str,
    text: str,
    on_toggled: Callable[[bool], object] | None = None,
    shortcut: Shortcut = None,
    tip: str = "",
    checked: bool = False,
) -> QAction:
    """A checkable action named ``name`` that calls ``on_toggled`` with its new state."""
    action = _action(parent, name, text, shortcut, tip)
    action.setCheckable(True)
    action.setChecked(checked)
    if on_toggled is not None:
        action.toggled.connect(on_toggled)
    return action


def _action(parent: QObject, name: str, text: str, shortcut: Shortcut, tip: str) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif isinstance(shortcut, str):
        action.setShortcut(QKeySequence(shortcut))
    elif shortcut is not None:
        action.setShortcuts([QKeySequence(s) for s in shortcut])
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    return action
