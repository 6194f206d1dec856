"""The live correlation log panel: a table over :class:`LogModel` with filters, follow, copy and export.

Auto-scroll follows new entries while the view is at the bottom and pauses as soon as the user scrolls
up (scrolling back to the bottom, or the Follow button, resumes it). Secrets are masked until the
"Reveal secrets" toggle is switched on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.panels.log_model import (
    ACTIVITY,
    COLUMNS,
    INSTANCE,
    KIND,
    KIND_LABELS,
    TIME,
    WORKFLOW,
    LogEntry,
    LogKind,
    LogModel,
)
from designer.theme import Theme
from runtime.errors import FlowdeskError
from runtime.masking import SecretMasker

COLUMN_WIDTHS = {TIME: 96, KIND: 70, WORKFLOW: 170, INSTANCE: 72, ACTIVITY: 200}
EXPORT_FILTER = "JSON lines (*.jsonl);;CSV (*.csv)"


class LogTable(QTableView):
    """The table; Ctrl+C copies the selected entries (taking the shortcut before the window's Copy)."""

    copyRequested = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class LogPanel(QWidget):
    """``activityRequested(workflow name, definition id or "", activity id)`` when an entry is clicked."""

    activityRequested = Signal(str, str, str)
    exportFailed = Signal(str)

    def __init__(
        self,
        theme: Theme,
        ask_export_path: Callable[[str, str, str], str | None] | None = None,
        parent: QWidget | None = None,
        masker: SecretMasker | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("correlationLogPanel")
        self.setAccessibleName("Correlation log")
        self.ask_export_path = ask_export_path
        self.model = LogModel(self, masker=masker)
        self.follow = True
        self._build()
        self.set_theme(theme)
        self.model.rowsInserted.connect(self._rows_inserted)
        self.model.modelReset.connect(self._update_count)
        self.model.instancesChanged.connect(self._fill_instances)

    # --- building ------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("logFilter")
        self.filter_edit.setPlaceholderText("Filter the log…")
        self.filter_edit.setAccessibleName("Log filter text")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda text: self.model.set_filter(text=text))
        self.kind_button = QToolButton(self)
        self.kind_button.setObjectName("logKinds")
        self.kind_button.setText("Kinds")
        self.kind_button.setAccessibleName("Log entry kinds shown")
        self.kind_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        kind_menu = QMenu(self.kind_button)
        self.kind_actions: dict[LogKind, QAction] = {}
        for kind in LogKind:
            action = kind_menu.addAction(KIND_LABELS[kind])
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda _=False: self._kinds_changed())
            self.kind_actions[kind] = action
        self.kind_button.setMenu(kind_menu)
        self.instance_combo = QComboBox(self)
        self.instance_combo.setObjectName("logInstance")
        self.instance_combo.setAccessibleName("Log instance filter")
        self.instance_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.instance_combo.setMaximumWidth(320)
        self.instance_combo.addItem("All instances", None)
        self.instance_combo.currentIndexChanged.connect(self._instance_chosen)
        self.follow_button = self._tool("logFollow", "Follow", "Scroll to new entries as they come", True)
        self.follow_button.setChecked(True)
        self.follow_button.toggled.connect(self.set_follow)
        self.reveal_button = self._tool(
            "logRevealSecrets", "Reveal secrets", "Show tokens and passwords in clear", True
        )
        self.reveal_button.toggled.connect(self.model.set_revealed)
        copy_button = self._tool("logCopy", "Copy", "Copy the selected entries")
        copy_button.clicked.connect(self.copy_selection)
        export_button = self._tool("logExport", "Export…", "Save the shown entries as JSON lines or CSV")
        export_button.clicked.connect(self.export_dialog)
        clear_button = self._tool("logClear", "Clear", "Remove every entry")
        clear_button.clicked.connect(self.model.clear)
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("logCount")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.filter_edit, 1)
        tools: tuple[QWidget, ...] = (
            self.kind_button,
            self.instance_combo,
            self.follow_button,
            self.reveal_button,
            copy_button,
            export_button,
            clear_button,
            self.count_label,
        )
        for widget in tools:
            bar.addWidget(widget)
        self.table = LogTable(self)
        self.table.setObjectName("logTable")
        self.table.setAccessibleName("Correlation log entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self.table.clicked.connect(self._entry_clicked)
        self.table.activated.connect(self._entry_clicked)
        self.table.copyRequested.connect(self.copy_selection)
        scroll = self.table.verticalScrollBar()
        scroll.valueChanged.connect(self._scrolled)
        scroll.rangeChanged.connect(self._range_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self._update_count()

    def _tool(self, name: str, text: str, tip: str, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.setCheckable(checkable)
        return button

    def set_theme(self, theme: Theme) -> None:
        self.model.error_color = theme.color("error")
        self.model.warning_color = theme.color("warning")
        self.model.muted_color = theme.color("muted_text")
        self.model.kind_colors = {
            LogKind.CORRELATE: theme.color("selection"),
            LogKind.HTTP: theme.category_color("HTTP"),
            LogKind.ERROR: theme.color("error"),
        }
        self.table.viewport().update()

    # --- filters ----------------------------------------------------------------------------------------

    def _kinds_changed(self) -> None:
        self.model.set_filter(kinds=[k for k, a in self.kind_actions.items() if a.isChecked()])
        shown = sum(a.isChecked() for a in self.kind_actions.values())
        self.kind_button.setText("Kinds" if shown == len(self.kind_actions) else f"Kinds ({shown})")

    def set_kinds(self, kinds: set[LogKind]) -> None:
        for kind, action in self.kind_actions.items():
            blocked = action.blockSignals(True)
            action.setChecked(kind in kinds)
            action.blockSignals(blocked)
        self._kinds_changed()

    def _fill_instances(self) -> None:
        current = self.instance_combo.currentData()
        blocked = self.instance_combo.blockSignals(True)
        self.instance_combo.clear()
        self.instance_combo.addItem("All instances", None)
        for instance_id, workflow in self.model.instances.items():
            self.instance_combo.addItem(f"{workflow} · {instance_id[:8]}", instance_id)
        index = self.instance_combo.findData(current) if current else 0
        self.instance_combo.setCurrentIndex(max(index, 0))
        self.instance_combo.blockSignals(blocked)
        if current and index < 0:
            self.model.set_filter(instance=None)

    def _instance_chosen(self, index: int) -> None:
        self.model.set_filter(instance=self.instance_combo.itemData(index))

    def set_instance(self, instance_id: str | None) -> None:
        index = self.instance_combo.findData(instance_id) if instance_id else 0
        self.instance_combo.setCurrentIndex(max(index, 0))

    # --- follow -----------------------------------------------------------------------------------------

    def set_follow(self, on: bool) -> None:
        self.follow = on
        if self.follow_button.isChecked() != on:
            blocked = self.follow_button.blockSignals(True)
            self.follow_button.setChecked(on)
            self.follow_button.blockSignals(blocked)
        if on:
            self.table.scrollToBottom()

    def _scrolled(self, value: int) -> None:
        at_bottom = value >= self.table.verticalScrollBar().maximum() - 2
        if at_bottom != self.follow:
            self.set_follow(at_bottom)

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self.follow:
            self.table.verticalScrollBar().setValue(maximum)

    def _rows_inserted(self) -> None:
        self._update_count()
        if self.follow:
            self.table.scrollToBottom()

    def _update_count(self) -> None:
        shown, total = len(self.model.shown), len(self.model.entries)
        self.count_label.setText(f"{shown:,}" if shown == total else f"{shown:,} of {total:,}")

    # --- entries ----------------------------------------------------------------------------------------

    def _entry_clicked(self, index: QModelIndex) -> None:
        entry = self.model.entry(index.row())
        if entry is not None and entry.activity_id:
            self.activityRequested.emit(entry.workflow, entry.definition_id or "", entry.activity_id)

    def selected_entries(self) -> list[LogEntry]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [entry for row in rows if (entry := self.model.entry(row)) is not None]

    def copy_selection(self) -> str:
        """Put the selected entries on the clipboard as tab-separated lines; returns the text."""
        text = self.model.lines(self.selected_entries())
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def export_dialog(self) -> None:
        if self.ask_export_path is None:
            return
        path = self.ask_export_path("Export the log", "correlation-log.jsonl", EXPORT_FILTER)
        if path:
            self.export(path)

    def export(self, path: str | Path) -> int:
        """Write the shown entries (JSON lines, or CSV for a .csv name); reports a failure, never raises."""
        try:
            return self.model.export(path)
        except FlowdeskError as error:
            self.exportFailed.emit(str(error))
        except OSError as error:
            self.exportFailed.emit(f"{path}: {error.strerror or error}")
        return 0


__all__ = ["COLUMNS", "LogPanel", "LogTable"]
