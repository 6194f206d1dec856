"""Real mouse events on a QGraphicsView's viewport at scene positions.

QTest.mouseMove carries no pressed buttons, so drags are built from QMouseEvents sent to the viewport
(pytest-qt #260 / #428); the view then does its own scene mapping, exactly as for a person's mouse.

A right-click goes through the view's window, as the window system delivers it: Qt then sends the context
menu event after the press (QTest's widget overload hands the widget only the mouse events).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QCursor, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsView, QMenu

LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def _send(
    view: QGraphicsView,
    kind: QEvent.Type,
    scene_pos: QPointF,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
    modifiers: Qt.KeyboardModifier,
) -> None:
    local = QPointF(view.mapFromScene(scene_pos))
    global_pos = QPointF(view.viewport().mapToGlobal(local.toPoint()))
    event = QMouseEvent(kind, local, global_pos, button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


def press(view, scene_pos, button=LEFT, modifiers=NO_MODIFIER) -> None:
    _send(view, QEvent.Type.MouseButtonPress, scene_pos, button, button, modifiers)


def move(view, scene_pos, buttons=LEFT, modifiers=NO_MODIFIER) -> None:
    _send(view, QEvent.Type.MouseMove, scene_pos, Qt.MouseButton.NoButton, buttons, modifiers)


def release(view, scene_pos, button=LEFT, modifiers=NO_MODIFIER) -> None:
    _send(view, QEvent.Type.MouseButtonRelease, scene_pos, button, Qt.MouseButton.NoButton, modifiers)


def double_click(view, scene_pos) -> None:
    press(view, scene_pos)
    release(view, scene_pos)
    _send(view, QEvent.Type.MouseButtonDblClick, scene_pos, LEFT, LEFT, NO_MODIFIER)
    release(view, scene_pos)


def drag(view, start: QPointF, end: QPointF, steps: int = 6, modifiers=NO_MODIFIER) -> None:
    """Press at ``start``, move in ``steps`` to ``end``, release there."""
    press(view, start, modifiers=modifiers)
    for step in range(1, steps + 1):
        t = step / steps
        move(view, start + (end - start) * t, modifiers=modifiers)
    release(view, end, modifiers=modifiers)


def right_click(view: QGraphicsView, scene_pos: QPointF, modifiers=NO_MODIFIER) -> None:
    """Press and release the right button at ``scene_pos`` through the view's window (so the context menu
    event follows the press, as on a desktop)."""
    top = view.window()
    window = top.windowHandle()
    assert window is not None, "the view must be shown"
    local = view.viewport().mapTo(top, view.mapFromScene(scene_pos))
    QCursor.setPos(top.mapToGlobal(local))  # where Qt looks for the widget under the mouse after a popup
    QTest.mouseMove(window, local)
    QTest.mouseClick(window, Qt.MouseButton.RightButton, modifiers, local)


def click_menu_entry(menu: QMenu, object_name: str) -> None:
    """Click the entry of ``menu`` whose action is named ``object_name`` (the menu must be open)."""
    action = next((a for a in menu.actions() if a.objectName() == object_name), None)
    assert action is not None, f"{object_name} not in {menu.objectName()}"
    QTest.mouseClick(menu, LEFT, NO_MODIFIER, menu.actionGeometry(action).center())


def close_menu(menu: QMenu) -> None:
    """Dismiss an open menu as a person does, with Escape."""
    QTest.keyClick(menu, Qt.Key.Key_Escape)
