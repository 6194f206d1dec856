"""The Flowdesk designer: the PySide6 node-graph editor (a view and editor of the runtime's model)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow


def launch(paths: Sequence[str], store: str | None = None) -> QMainWindow:
    """The automation entry point: create (or reuse) the QApplication, open ``paths`` in a window whose
    runs use the object store ``store`` (default: the user's store), show it and return it without
    entering the event loop (the caller drives it, e.g. pytest-qt's ``qtbot``)."""
    from designer.app import create_application
    from designer.main_window import MainWindow

    create_application()
    window = MainWindow(store_path=store)
    window.show()
    window.open_files(paths)
    return window
