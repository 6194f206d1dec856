"""File ▸ Open from Server…: a server's workflow definitions, searchable; the chosen one opens in a tab
that remembers its server and definition id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.canvas.quick_add import matches
from designer.remote.calls import RemoteCalls
from designer.remote.server_choice import chosen_server, fill_server_choice
from designer.tables import read_only_rows
from runtime.remote.client import DefinitionRow
from runtime.remote.servers import ServerEntry, ServerStore

Loader = Callable[[ServerEntry], Awaitable[list[DefinitionRow]]]
COLUMNS = ("Name", "Version", "Published", "Definition ID")
ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


def published_text(row: DefinitionRow) -> str:
    if row.is_published:
        return "yes"
    return f"v{row.published_version}" if row.published_version is not None else "no"


class OpenFromServerDialog(QDialog):
    """``chosen(server name, definition id)`` when a definition is opened."""

    chosen = Signal(str, str)

    def __init__(
        self,
        store: ServerStore,
        calls: RemoteCalls,
        load: Loader,
        parent: QWidget | None,
        server: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("openFromServerDialog")
        self.setWindowTitle("Open from Server")
        self.store = store
        self.calls = calls
        self.load = load
        self.rows: list[DefinitionRow] = []
        self._asked = 0
        self.server = QComboBox(self)
        self.server.setObjectName("openServer")
        self.server.setAccessibleName("Server")
        self.search = QLineEdit(self)
        self.search.setObjectName("openSearch")
        self.search.setPlaceholderText("Search by name, description or id")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        refresh = QPushButton("Refresh", self)
        refresh.setObjectName("openRefresh")
        refresh.setAutoDefault(False)
        refresh.clicked.connect(lambda _=False: self.refresh())
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("openDefinitions")
        self.table.setAccessibleName("Workflow definitions on the server")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        read_only_rows(self.table)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 70), (2, 80), (3, 270)):
            self.table.setColumnWidth(column, width)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self.open_current())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.status = QLabel("", self)
        self.status.setObjectName("openStatus")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setObjectName("openButton")
        self.open_button.setEnabled(False)
        self.buttons.accepted.connect(self.open_current)
        self.buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Server", self))
        bar.addWidget(self.server, 1)
        bar.addWidget(self.search, 2)
        bar.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(820, 460)
        self.fill_servers(server)
        self.server.currentIndexChanged.connect(lambda _index: self.refresh())

    def fill_servers(self, preferred: str | None = None) -> None:
        problem = fill_server_choice(
            self.server, self.store, preferred, lambda entry: f"{entry.name} — {entry.url}"
        )
        if problem is not None:
            self.status.setText(problem)

    def server_name(self) -> str | None:
        data = self.server.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        """Load the chosen server's definitions."""
        entry, problem = chosen_server(self.server, self.store)
        self.set_rows([])
        if entry is None:
            self.status.setText(problem)
            return
        self.status.setText(f"Loading the workflows of {entry.url}…")
        self._asked += 1
        asked = self._asked
        self.calls.call(
            lambda: self.load(entry),
            lambda rows: self._loaded(asked, rows),
            lambda message: self.status.setText(message) if asked == self._asked else None,
        )

    def _loaded(self, asked: int, rows: list[DefinitionRow]) -> None:
        if asked != self._asked:
            return  # the person chose another server, or refreshed, meanwhile
        self.set_rows(rows)
        self.status.setText(f"{len(rows)} workflow(s)")

    def set_rows(self, rows: list[DefinitionRow]) -> None:
        self.rows = list(rows)
        self.table.setRowCount(0)
        for index, row in enumerate(sorted(rows, key=lambda r: r.label.lower())):
            self.table.insertRow(index)
            name = row.label if not row.name or row.name == row.label else f"{row.label} ({row.name})"
            cells = (name, str(row.version), published_text(row), row.definition_id)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.definition_id)
                item.setData(SEARCH_ROLE, f"{name} {row.description or ''} {row.definition_id}".lower())
                if row.description:
                    item.setToolTip(row.description)
                self.table.setItem(index, column, item)
        self.filter(self.search.text())

    def filter(self, query: str) -> None:
        first_shown = -1
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            hidden = item is None or not matches(str(item.data(SEARCH_ROLE)), query)
            self.table.setRowHidden(row, hidden)
            if not hidden and first_shown < 0:
                first_shown = row
        current = self.table.currentRow()
        if (current < 0 or self.table.isRowHidden(current)) and first_shown >= 0:
            self.table.selectRow(first_shown)
        self._selection_changed()

    def visible_ids(self) -> list[str]:
        return [
            str(item.data(ID_ROLE))
            for row in range(self.table.rowCount())
            if not self.table.isRowHidden(row) and (item := self.table.item(row, 0)) is not None
        ]

    def current_id(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 and not self.table.isRowHidden(row) else None
        return str(item.data(ID_ROLE)) if item is not None else None

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(self.current_id() is not None)

    def open_current(self) -> None:
        definition_id = self.current_id()
        name = self.server_name()
        if definition_id is None or name is None:
            return
        self.chosen.emit(name, definition_id)
        self.accept()
