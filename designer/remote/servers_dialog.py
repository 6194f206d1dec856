"""File ▸ Servers…: add, edit and remove Elsa servers (name, base URL, headers) and check a connection.

The servers are the ones ``flowdesk remote add`` saves (:class:`~runtime.remote.servers.ServerStore`: the
user's config, mode 0600, or the keyring). Header values are shown masked unless "Show values" is on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.remote.calls import RemoteCalls
from runtime.errors import FlowdeskError
from runtime.remote.servers import ServerEntry, ServerStore
from runtime.secrets import mask_secret

Checker = Callable[[ServerEntry], Awaitable[Any]]
"""Asks the server (off the GUI thread); its result goes to the ``on_checked`` callable."""
Confirm = Callable[[str, str], bool]


class MaskedValues(QStyledItemDelegate):
    """Shows header values masked (``Bearer ****``) unless ``revealed``; the editor shows the text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.revealed = False

    def displayText(self, value: object, locale: object) -> str:  # noqa: N802 (Qt API)
        text = "" if value is None else str(value)
        return text if self.revealed or not text else str(mask_secret(text))


class ServersDialog(QDialog):
    """The saved servers on the left; the chosen one's name, URL and headers on the right."""

    serversChanged = Signal()

    def __init__(
        self,
        store: ServerStore,
        calls: RemoteCalls,
        check: Checker,
        confirm: Confirm,
        parent: QWidget | None,
        on_checked: Callable[[Any], str] = str,
    ) -> None:
        """``on_checked`` turns a check's result into the status line (on the GUI thread)."""
        super().__init__(parent)
        self.setObjectName("serversDialog")
        self.setWindowTitle("Elsa Servers")
        self.setAccessibleName("Elsa servers")
        self.store = store
        self.calls = calls
        self.check_server = check
        self.on_checked = on_checked
        self.confirm = confirm
        self.editing: str | None = None
        """The saved name of the server in the form (None: a new one)."""
        self.servers = QListWidget(self)
        self.servers.setObjectName("serverList")
        self.servers.setAccessibleName("Saved servers")
        self.servers.currentItemChanged.connect(self._chosen)
        self.name = QLineEdit(self)
        self.name.setObjectName("serverName")
        self.name.setPlaceholderText("wow-prod")
        self.url = QLineEdit(self)
        self.url.setObjectName("serverUrl")
        self.url.setPlaceholderText("https://elsa.example.com")
        self.headers = QTableWidget(0, 2, self)
        self.headers.setObjectName("serverHeaders")
        self.headers.setAccessibleName("Headers sent with every request")
        self.headers.setHorizontalHeaderLabels(["Header", "Value"])
        self.headers.verticalHeader().setVisible(False)
        self.headers.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.headers.setColumnWidth(0, 150)
        self.headers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.masked = MaskedValues(self.headers)
        self.headers.setItemDelegateForColumn(1, self.masked)
        self.reveal = QCheckBox("Show values", self)
        self.reveal.setObjectName("showHeaderValues")
        self.reveal.toggled.connect(self._reveal)
        add_header = self._button("headerAdd", "Add Header", self.add_header_row)
        remove_header = self._button("headerRemove", "Remove Header", self._remove_header_row)
        self.status = QLabel("", self)
        self.status.setObjectName("serverStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Base URL", self.url)
        header_bar = QHBoxLayout()
        header_bar.addWidget(add_header)
        header_bar.addWidget(remove_header)
        header_bar.addStretch(1)
        header_bar.addWidget(self.reveal)
        actions = QHBoxLayout()
        actions.addWidget(self._button("serverCheck", "Check Connection", self.check_connection))
        actions.addStretch(1)
        actions.addWidget(self._button("serverSave", "Save", self.save))
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(QLabel("Headers (credentials are stored outside workflow files)", self))
        right.addWidget(self.headers, 1)
        right.addLayout(header_bar)
        right.addLayout(actions)
        right.addWidget(self.status)
        left = QVBoxLayout()
        left.addWidget(self.servers, 1)
        list_bar = QHBoxLayout()
        list_bar.addWidget(self._button("serverNew", "New", self.new_server))
        list_bar.addWidget(self._button("serverDelete", "Remove", self.remove_server))
        left.addLayout(list_bar)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.resize(760, 420)
        self.reload()

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _=False: slot())
        return button

    # --- the list ------------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Re-read the saved servers; select ``select`` (or the first one)."""
        try:
            entries = self.store.entries()
        except FlowdeskError as error:
            entries = []
            self.show_status(str(error), error=True)
        self.servers.blockSignals(True)
        self.servers.clear()
        for entry in entries:
            item = QListWidgetItem(entry.name)
            item.setToolTip(entry.url)
            item.setData(Qt.ItemDataRole.UserRole, entry.name)
            self.servers.addItem(item)
        self.servers.blockSignals(False)
        names = [entry.name for entry in entries]
        wanted = select if select in names else (names[0] if names else None)
        if wanted is None:
            self.new_server()
            return
        self.servers.setCurrentRow(names.index(wanted))
        self._chosen(self.servers.currentItem(), None)

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        entry = self.store.get(str(item.data(Qt.ItemDataRole.UserRole)))
        if entry is not None:
            self.show_entry(entry)

    def show_entry(self, entry: ServerEntry) -> None:
        self.editing = entry.name
        self.name.setText(entry.name)
        self.url.setText(entry.url)
        self.headers.setRowCount(0)
        for name, value in entry.headers.items():
            self.add_header_row(name, value)
        self.show_status("")

    def new_server(self) -> None:
        """Empty the form for a new server."""
        self.editing = None
        self.servers.clearSelection()
        self.name.clear()
        self.url.clear()
        self.headers.setRowCount(0)
        self.show_status("")
        self.name.setFocus()

    # --- headers -------------------------------------------------------------------------------------

    def add_header_row(self, name: str = "Authorization", value: str = "") -> None:
        row = self.headers.rowCount()
        self.headers.insertRow(row)
        self.headers.setItem(row, 0, QTableWidgetItem(name))
        self.headers.setItem(row, 1, QTableWidgetItem(value))

    def _remove_header_row(self) -> None:
        row = self.headers.currentRow()
        if row >= 0:
            self.headers.removeRow(row)

    def _reveal(self, on: bool) -> None:
        self.masked.revealed = on
        self.headers.viewport().update()

    def header_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for row in range(self.headers.rowCount()):
            name_item, value_item = self.headers.item(row, 0), self.headers.item(row, 1)
            name = name_item.text().strip() if name_item is not None else ""
            if name:
                values[name] = value_item.text().strip() if value_item is not None else ""
        return values

    def entry(self) -> ServerEntry:
        """The server as the form says (not saved)."""
        return ServerEntry(self.name.text().strip(), self.url.text().strip(), self.header_values())

    # --- commands ------------------------------------------------------------------------------------

    def save(self) -> bool:
        entry = self.entry()
        if not entry.url:
            self.show_status("Give the server's base URL", error=True)
            return False
        try:
            saved = self.store.save(entry, previous_name=self.editing)
        except FlowdeskError as error:
            self.show_status(str(error), error=True)
            return False
        self.reload(select=saved.name)
        self.show_status(f"Saved {saved.name}")
        self.serversChanged.emit()
        return True

    def remove_server(self) -> bool:
        if self.editing is None:
            return False
        name = self.editing
        if not self.confirm("Remove server", f"Remove the server {name} and its saved headers?"):
            return False
        self.store.remove(name)
        self.reload()
        self.serversChanged.emit()
        return True

    def check_connection(self) -> None:
        """Ask the server (as the form says, saved or not) for its version, definitions and activities."""
        entry = self.entry()
        if not entry.url:
            self.show_status("Give the server's base URL", error=True)
            return
        self.show_status(f"Checking {entry.url}…")
        self.calls.call(
            lambda: self.check_server(entry),
            lambda result: self.show_status(self.on_checked(result)),
            lambda message: self.show_status(message, error=True),
        )

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        self.status.setStyleSheet("color: #c62828;" if error else "")
