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
