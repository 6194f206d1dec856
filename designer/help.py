"""The Help menu's windows: every keyboard shortcut in a searchable list, and About (versions).

The shortcut list is generated from the window's actions when it opens (the features' actions included),
plus the canvas gestures that are not actions, so it never falls out of step with the menus.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterable
from dataclasses import dataclass

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runtime import __version__ as FLOWDESK_VERSION  # noqa: N812 (a constant)

CANVAS_GESTURES: tuple[tuple[str, str], ...] = (
    ("Add an activity at the mouse (quick-add)", "Tab"),
    ("Add an activity there (quick-add)", "Double-click on empty canvas"),
    ("Add and connect an activity", "Drag from an outcome port to empty canvas"),
    ("Connect two activities", "Drag from an outcome port onto a card"),
    ("Insert an activity into a connection", "Drop it on the wire"),
    ("Edit an activity in the inspector", "Double-click the card"),
    ("Commands for a card, wire, note or the canvas", "Right-click it"),
    (
        "Write a sticky note (Markdown)",
        "Double-click the note; Ctrl+Enter or click away keeps it, Esc drops it",
    ),
    ("Resize a sticky note", "Drag its bottom-right corner"),
    ("Select several activities", "Drag on empty canvas; Shift/Ctrl+click"),
    ("Move the selection", "Arrow keys (Shift: one pixel)"),
    ("Zoom around the mouse", "Ctrl+wheel"),
    ("Pan", "Wheel, Shift+wheel, middle-drag, Space+drag"),
)
"""What the canvas does that no action stands for (listed under "Canvas")."""


@dataclass(frozen=True)
class ShortcutRow:
    """One line of the list: what it does, its keys, and where it is found."""

    command: str
    keys: str
    section: str


def action_rows(actions: Iterable[QAction], section_of: dict[str, str] | None = None) -> list[ShortcutRow]:
    """A row per action with text (its shortcuts as the platform writes them, or none)."""
    rows = []
    sections = section_of or {}
    for action in actions:
        text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()
        if not text or action.isSeparator():
            continue
        keys = ", ".join(
            shortcut.toString(QKeySequence.SequenceFormat.NativeText) for shortcut in action.shortcuts()
        )
        rows.append(ShortcutRow(text, keys, sections.get(action.objectName(), "")))
    return rows


def canvas_rows() -> list[ShortcutRow]:
    return [ShortcutRow(command, keys, "Canvas") for command, keys in CANVAS_GESTURES]


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard Shortcuts (F1): type to filter by command, key or menu."""

    def __init__(self, rows: list[ShortcutRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.resize(620, 560)
        self.search = QLineEdit(self)
        self.search.setObjectName("shortcutsSearch")
        self.search.setPlaceholderText("Search commands and keys")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search shortcuts")
        self.list = QTreeWidget(self)
        self.list.setObjectName("shortcutsList")
        self.list.setHeaderLabels(["Command", "Keys", "Menu"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSortingEnabled(False)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.set_rows(rows)
        self.search.textChanged.connect(self.filter)

    def set_rows(self, rows: list[ShortcutRow]) -> None:
        self.list.clear()
        for row in rows:
            item = QTreeWidgetItem([row.command, row.keys, row.section])
            item.setToolTip(0, row.command)
            self.list.addTopLevelItem(item)
        self.filter(self.search.text())

    def filter(self, query: str) -> None:
        """Show the rows where every word of ``query`` appears (command, keys or menu)."""
        words = query.lower().split()
        for item in self._items():
            haystack = " ".join(item.text(column) for column in range(3)).lower()
            item.setHidden(not all(word in haystack for word in words))

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item for item in items if item is not None]

    def visible_commands(self) -> list[str]:
        return [item.text(0) for item in self._items() if not item.isHidden()]

    def open_searching(self) -> None:
        self.search.clear()
        self.open()
        self.raise_()
        self.search.setFocus()


def versions() -> dict[str, str]:
    """The versions About shows."""
    return {
        "Flowdesk": FLOWDESK_VERSION,
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "Python": f"{platform.python_version()} ({sys.implementation.name})",
        "System": f"{platform.system()} {platform.release()}",
    }


class AboutDialog(QDialog):
    """Help ▸ About Flowdesk: what it is and the versions of Flowdesk, Qt and Python."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Flowdesk")
        self.setAccessibleName("About Flowdesk")
        title = QLabel("<h2>Flowdesk</h2>", self)
        about = QLabel(
            "A desktop designer and local runtime for Elsa 2 / World of Workflows workflows: open what you "
            "exported, run and debug it on your own machine, save it back.",
            self,
        )
        about.setWordWrap(True)
        rows = "".join(
            f"<tr><td><b>{name}</b>&nbsp;&nbsp;</td><td>{value}</td></tr>"
            for name, value in versions().items()
        )
        self.versions = QLabel(f"<table>{rows}</table>", self)
        self.versions.setObjectName("aboutVersions")
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(about)
        layout.addWidget(self.versions)
        layout.addWidget(buttons)
        self.resize(440, 280)
