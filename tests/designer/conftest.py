"""Designer test fixtures: leave Qt in a state it can shut down from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _empty_clipboard_afterwards() -> Iterator[None]:
    """Data left on the clipboard is freed by Qt after Python's teardown began: empty it after each test."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        QApplication.clipboard().clear()


@pytest.fixture(autouse=True)
def _no_modifier_key_left_down() -> Iterator[None]:
    """QTest's key click with a modifier leaves that modifier as the application's keyboard state, which
    later selection clicks read (Shift extends a selection): release it after each test."""
    yield
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    if (
        QApplication.instance() is None
        or QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
    ):
        return
    probe = QWidget()
    QTest.keyRelease(probe, Qt.Key.Key_Shift)
    probe.deleteLater()
