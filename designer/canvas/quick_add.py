"""Quick-add: a search list of activity types shown at the cursor (Tab, or a link dropped on empty canvas).

It is not modal: it emits ``chosen`` with a type name, and whoever opened it decides what to do (add an
activity there, connected to the port the link came from).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from designer.icons import activity_icon, initials
from designer.theme import Theme
from runtime.catalog import all_descriptors
from runtime.catalog.descriptors import ActivityDescriptor
from runtime.model import Connection

TYPE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class LinkRequest:
    """A new activity asked for at the end of a dragged link: connect ``outcome`` of ``source_id`` to it."""

    source_id: str
    outcome: str


@dataclass(frozen=True)
class SpliceRequest:
    """A new activity asked for on a wire: insert it into ``connection`` (Insert Activity)."""

    connection: Connection


def search_text(descriptor: ActivityDescriptor) -> str:
    """What a search matches: display name, type, category and description."""
    return " ".join(
        (descriptor.display_name, descriptor.type, descriptor.category, descriptor.description)
    ).lower()


def matches(haystack: str, query: str) -> bool:
    """Every word of the query appears somewhere (so "http req" finds Send HTTP Request)."""
    return all(word in haystack for word in query.lower().split())


class QuickAddPopup(QFrame):
    """A popup with a search field over the catalog's activity types."""

    chosen = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("quickAdd")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.search = QLineEdit(self)
        self.search.setObjectName("quickAddSearch")
        self.search.setPlaceholderText("Add activity: type to search")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("quickAddList")
        self.list.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.resize(300, 340)
        self._fill(theme)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(self._choose_item)
        self.list.itemClicked.connect(self._choose_item)

    def _fill(self, theme: Theme) -> None:
        for descriptor in all_descriptors():
            item = QListWidgetItem(
                activity_icon(
                    descriptor.icon, initials(descriptor.type), theme.category_color(descriptor.category)
                ),
                f"{descriptor.display_name}    ·  {descriptor.category}",
            )
            item.setData(TYPE_ROLE, descriptor.type)
            item.setData(SEARCH_ROLE, search_text(descriptor))
            item.setToolTip(descriptor.description)
            self.list.addItem(item)

    def open_at(self, global_position: QPoint) -> None:
        self.search.clear()
        self._filter("")
        self.move(global_position)
        self.show()
        self.raise_()
        self.search.setFocus()

    def visible_types(self) -> list[str]:
        return [
            self.list.item(row).data(TYPE_ROLE)
            for row in range(self.list.count())
            if not self.list.item(row).isHidden()
        ]

    def choose(self, type_name: str) -> None:
        """Pick a type (what Enter or a click does)."""
        self.hide()
        self.chosen.emit(type_name)

    def _filter(self, query: str) -> None:
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = not matches(item.data(SEARCH_ROLE), query)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def _choose_item(self, item: QListWidgetItem) -> None:
        if item is not None and not item.isHidden():
            self.choose(item.data(TYPE_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose_item(self.list.currentItem())
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
        return super().eventFilter(watched, event)

    def _step(self, direction: int) -> None:
        rows = [row for row in range(self.list.count()) if not self.list.item(row).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        position = rows.index(current) if current in rows else -1
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, position + direction))])
