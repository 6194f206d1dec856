"""The palette: the catalog's activity types by category, searchable, dragged onto the canvas."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.canvas.quick_add import matches, search_text
from designer.canvas.view import PALETTE_MIME
from designer.icons import activity_icon, initials
from designer.theme import Theme
from runtime.catalog import all_descriptors, categories

TYPE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class PaletteTree(QTreeWidget):
    """Starts a drag carrying the activity type name."""

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:  # noqa: N802 (Qt API)
        mime = QMimeData()
        type_name = next((item.data(0, TYPE_ROLE) for item in items if item.data(0, TYPE_ROLE)), None)
        if type_name:
            mime.setData(PALETTE_MIME, type_name.encode("utf-8"))
            mime.setText(type_name)
        return mime

    def startDrag(self, actions: Qt.DropAction) -> None:  # noqa: N802 (Qt API)
        item = self.currentItem()
        if item is None or not item.data(0, TYPE_ROLE):
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.setPixmap(item.icon(0).pixmap(24, 24))
        drag.exec(Qt.DropAction.CopyAction)


class PalettePanel(QWidget):
    """Search box over a category tree; double-click or Enter adds the activity to the canvas."""

    activityRequested = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("paletteSearch")
        self.search.setPlaceholderText("Search activities")
        self.search.setClearButtonEnabled(True)
        self.tree = PaletteTree(self)
        self.tree.setObjectName("paletteTree")
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._fill(theme)
        self.search.textChanged.connect(self.filter)
        self.tree.itemActivated.connect(self._activated)

    def _fill(self, theme: Theme) -> None:
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for category in categories():
            group = QTreeWidgetItem([category])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            groups[category] = group
        for descriptor in all_descriptors():
            item = QTreeWidgetItem([descriptor.display_name])
            item.setIcon(
                0,
                activity_icon(
                    descriptor.icon, initials(descriptor.type), theme.category_color(descriptor.category)
                ),
            )
            item.setToolTip(0, f"{descriptor.type}\n{descriptor.description}")
            item.setData(0, TYPE_ROLE, descriptor.type)
            item.setData(0, SEARCH_ROLE, search_text(descriptor))
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
            )
            groups[descriptor.category].addChild(item)
        self.tree.expandAll()

    def set_theme(self, theme: Theme) -> None:
        query = self.search.text()
        self._fill(theme)
        self.filter(query)

    def filter(self, query: str) -> None:
        """Show the types every word of ``query`` matches, and the categories that still have one."""
        for group, children in self._groups():
            shown = 0
            for child in children:
                hidden = not matches(child.data(0, SEARCH_ROLE), query)
                child.setHidden(hidden)
                shown += not hidden
            group.setHidden(shown == 0)

    def visible_types(self) -> list[str]:
        """The type names shown now, in palette order."""
        return [
            str(child.data(0, TYPE_ROLE))
            for group, children in self._groups()
            if not group.isHidden()
            for child in children
            if not child.isHidden()
        ]

    def _groups(self) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
        """Each category item with its type items."""
        groups = (self.tree.topLevelItem(index) for index in range(self.tree.topLevelItemCount()))
        return [
            (group, [child for i in range(group.childCount()) if (child := group.child(i)) is not None])
            for group in groups
            if group is not None
        ]

    def _activated(self, item: QTreeWidgetItem) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.activityRequested.emit(type_name)
