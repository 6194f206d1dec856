"""The Server Instances panel: a server's workflow instances, filtered by workflow, status and correlation
id, newest first; opening one replays it on the canvas (the instance viewer Elsa Studio has)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
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

from designer.remote.calls import RemoteCalls
from designer.remote.server_choice import chosen_server, fill_server_choice
from designer.tables import read_only_rows
from designer.theme import Theme
from runtime.remote.client import DefinitionRow
from runtime.remote.models import InstanceSummary
from runtime.remote.names import INSTANCE_STATUSES
from runtime.remote.servers import ServerEntry, ServerStore

COLUMNS = ("Status", "Workflow", "Version", "Correlation ID", "Started", "Ended", "Instance ID")
ID_ROLE = Qt.ItemDataRole.UserRole
LIMIT = 200


@dataclass
class InstanceQuery:
    """What the filters ask for."""

    workflow: str | None
    status: str | None
    correlation_id: str | None


@dataclass
class InstancesPage:
    """What a refresh brings: the instances and the server's definitions (for names and the filter)."""

    instances: list[InstanceSummary]
    definitions: list[DefinitionRow]


Loader = Callable[[ServerEntry, InstanceQuery], Awaitable[InstancesPage]]


def short_time(text: str | None) -> str:
    return text.replace("T", " ")[:19] if text else ""


class InstancesPanel(QWidget):
    """``instanceRequested(server name, instance id)`` on double-click or Open."""

    instanceRequested = Signal(str, str)

    def __init__(
        self,
        store: ServerStore,
        calls: RemoteCalls,
        load: Loader,
        theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("serverInstancesWidget")
        self.setAccessibleName("Server instances")
        self.store = store
        self.calls = calls
        self.load = load
        self.error_color = theme.color("error")
        self.instances: list[InstanceSummary] = []
        self._asked = 0
        """Bumped by each refresh: only the answer to the latest one is shown."""
        self.names: dict[str, str] = {}
        self.server = QComboBox(self)
        self.server.setObjectName("instancesServer")
        self.server.setAccessibleName("Server")
        self.server.setMinimumWidth(160)
        self.workflow = QComboBox(self)
        self.workflow.setObjectName("instancesWorkflow")
        self.workflow.setAccessibleName("Workflow")
        self.workflow.setMinimumWidth(180)
        self.workflow.addItem("All workflows", "")
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("instancesStatus")
        self.status_filter.setAccessibleName("Status")
        self.status_filter.addItem("Any status", "")
        for status in INSTANCE_STATUSES:
            self.status_filter.addItem(status, status)
        self.correlation = QLineEdit(self)
        self.correlation.setObjectName("instancesCorrelation")
        self.correlation.setPlaceholderText("Correlation id")
        self.correlation.setClearButtonEnabled(True)
        self.correlation.returnPressed.connect(self.refresh)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("instancesRefresh")
        self.refresh_button.clicked.connect(lambda _=False: self.refresh())
        self.open_button = QPushButton("Open on Canvas", self)
        self.open_button.setObjectName("instancesOpen")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda _=False: self.open_current())
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("instancesTable")
        self.table.setAccessibleName("Workflow instances on the server")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        read_only_rows(self.table)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((80, 200, 60, 250, 140, 140)):
            self.table.setColumnWidth(column, width)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self.open_current())
        self.table.itemSelectionChanged.connect(
            lambda: self.open_button.setEnabled(self.current_instance() is not None)
        )
        self.message = QLabel("", self)
        self.message.setObjectName("instancesMessage")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        for widget in (self.server, self.workflow, self.status_filter):
            bar.addWidget(widget)
        bar.addWidget(self.correlation, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.fill_servers()
        self.server.currentIndexChanged.connect(lambda _index: self._server_changed())
        self.workflow.currentIndexChanged.connect(lambda _index: self.refresh())
        self.status_filter.currentIndexChanged.connect(lambda _index: self.refresh())

    def set_theme(self, theme: Theme) -> None:
        self.error_color = theme.color("error")

    def fill_servers(self, preferred: str | None = None) -> None:
        """List the saved servers again (keeping the chosen one when it is still there)."""
        problem = fill_server_choice(
            self.server, self.store, preferred or self.server_name(), lambda entry: entry.name
        )
        if problem is not None:
            self.message.setText(problem)

    def server_name(self) -> str | None:
        data = self.server.currentData()
        return str(data) if data else None

    def _server_changed(self) -> None:
        self.workflow.blockSignals(True)
        while self.workflow.count() > 1:
            self.workflow.removeItem(1)
        self.workflow.setCurrentIndex(0)
        self.workflow.blockSignals(False)
        self.refresh()

    def query(self) -> InstanceQuery:
        return InstanceQuery(
            workflow=str(self.workflow.currentData() or "") or None,
            status=str(self.status_filter.currentData() or "") or None,
            correlation_id=self.correlation.text().strip() or None,
        )

    def refresh(self) -> None:
        """Ask the chosen server for its instances, as the filters say."""
        entry, problem = chosen_server(self.server, self.store)
        if entry is None:
            self.message.setText(problem)
            return
        query = self.query()
        self._asked += 1
        asked = self._asked
        self.message.setText(f"Loading the instances of {entry.url}…")
        self.calls.call(
            lambda: self.load(entry, query),
            lambda page: self._loaded(asked, page),
            lambda text: self.message.setText(text) if asked == self._asked else None,
        )

    def _loaded(self, asked: int, page: InstancesPage) -> None:
        if asked != self._asked:
            return  # a newer refresh is under way
        self.names = {row.definition_id: row.label for row in page.definitions}
        self._fill_workflows(page.definitions)
        self.set_instances(page.instances)
        more = f" (the newest {LIMIT})" if len(page.instances) >= LIMIT else ""
        self.message.setText(f"{len(page.instances)} instance(s){more}")

    def _fill_workflows(self, definitions: list[DefinitionRow]) -> None:
        chosen = self.workflow.currentData()
        self.workflow.blockSignals(True)
        while self.workflow.count() > 1:
            self.workflow.removeItem(1)
        for row in sorted(definitions, key=lambda r: r.label.lower()):
            self.workflow.addItem(row.label, row.definition_id)
        self.workflow.setCurrentIndex(max(self.workflow.findData(chosen), 0))
        self.workflow.blockSignals(False)

    def set_instances(self, instances: list[InstanceSummary]) -> None:
        self.instances = list(instances)
        self.table.setRowCount(0)
        for index, instance in enumerate(instances):
            self.table.insertRow(index)
            cells = (
                instance.workflow_status,
                instance.name or self.names.get(instance.definition_id, instance.definition_id),
                str(instance.version),
                instance.correlation_id or "",
                short_time(instance.created_at),
                short_time(instance.finished_at or instance.faulted_at or instance.cancelled_at),
                instance.id,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, instance.id)
                if instance.workflow_status == "Faulted":
                    item.setForeground(QColor(self.error_color))
                self.table.setItem(index, column, item)
        self.open_button.setEnabled(False)

    def current_instance(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return str(item.data(ID_ROLE)) if item is not None else None

    def open_current(self) -> None:
        instance_id = self.current_instance()
        name = self.server_name()
        if instance_id and name:
            self.instanceRequested.emit(name, instance_id)
