"""The saved servers in a combo box, as the Server Instances panel and the Open from Server dialog show them.

The servers file is the user's: when it cannot be read (not JSON, unreadable), the box stays empty and the
caller shows the one-line reason; the window never fails to start over it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox

from runtime.errors import FlowdeskError
from runtime.remote.servers import ServerEntry, ServerStore

NO_SERVER = "No server yet: add one with File ▸ Servers…"


def fill_server_choice(
    box: QComboBox, store: ServerStore, preferred: str | None, label: Callable[[ServerEntry], str]
) -> str | None:
    """List the saved servers in ``box`` (``preferred`` chosen when it is there); the reason when the saved
    servers cannot be read, else None."""
    problem: str | None = None
    entries: list[ServerEntry] = []
    try:
        entries = store.entries()
    except FlowdeskError as error:
        problem = str(error)
    box.blockSignals(True)
    box.clear()
    for entry in entries:
        box.addItem(label(entry), entry.name)
    index = box.findData(preferred) if preferred else 0
    box.setCurrentIndex(max(index, 0))
    box.blockSignals(False)
    return problem


def chosen_server(box: QComboBox, store: ServerStore) -> tuple[ServerEntry | None, str]:
    """The chosen saved server, or None with what to tell the user."""
    name = box.currentData()
    try:
        entry = store.get(str(name)) if name else None
        if entry is None:
            store.names()  # none chosen: is it that none is saved, or that the file cannot be read?
    except FlowdeskError as error:
        return None, str(error)
    return (entry, "") if entry is not None else (None, NO_SERVER)
