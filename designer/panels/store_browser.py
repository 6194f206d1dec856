"""The object store browser: types, their instances in an editable table, OData filter, seed import/export.

Every change (cell edit, add, delete, import) is a command on the browser's own undo stack, executed
against the :class:`~runtime.store.store.ObjectStore`. Errors are one line under the table; a bad filter
leaves the rows as they were. The store shown is the window's (``store_source``); a file opened with
"Open store…" is shown until the window's store changes. While the panel is visible it refreshes itself
when anyone else (a workflow run, the Serve host) changes the store.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.panels.store_commands import (
    AddInstanceCommand,
    CommandHooks,
    DeleteInstancesCommand,
    EditValueCommand,
    ImportSeedCommand,
)
from designer.panels.store_models import StoreInstancesModel, StoreTypesModel
from designer.panels.store_watch import StoreChangeWatch
from designer.theme import LIGHT, Theme
from runtime.errors import FlowdeskError
from runtime.files import write_text_atomically
from runtime.store.fields import OBJECT_ID, ObjectType
from runtime.store.store import ObjectStore

SEED_FILTER = "Store seeds (*.json);;All files (*)"
STORE_FILTER = "Object stores (*.sqlite3 *.sqlite *.db);;All files (*)"
WATCH_INTERVAL_MS = 1000
MIN_COLUMN, MAX_COLUMN = 72, 320
Record = dict[str, Any]


@dataclass
class StoreDialogs:
    """File questions of the browser; tests replace these functions (no modal dialog ever blocks)."""

    open_seed: Callable[[str], str | None]
    save_seed: Callable[[str, str], str | None]
    open_store: Callable[[str], str | None]


def qt_store_dialogs(parent: QWidget) -> StoreDialogs:
    def open_file(file_filter: str) -> Callable[[str], str | None]:
        def ask(caption: str) -> str | None:
            path, _ = QFileDialog.getOpenFileName(parent, caption, "", file_filter)
            return path or None

        return ask

    def save_seed(caption: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, SEED_FILTER)
        return path or None

    return StoreDialogs(open_file(SEED_FILTER), save_seed, open_file(STORE_FILTER))


def _tool_button(parent: QWidget, name: str, text: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setObjectName(name)
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.rstrip("…"))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class StoreBrowser(QWidget):
    """Browse and edit an object store (types, instances, filter, seeds) with its own undo history.

    The store is opened lazily (:meth:`activate`) and watched for changes made by runs or other processes
    only while the panel is visible."""

    def __init__(
        self,
        store_source: Callable[[], Path],
        dialogs: StoreDialogs | None = None,
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("storeBrowserPanel")
        self.setAccessibleName("Object store browser")
        self.store_source = store_source
        self.dialogs = dialogs if dialogs is not None else qt_store_dialogs(self)
        self.theme = theme
        self.store: ObjectStore | None = None
        self._followed_source: Path | None = None
        self.applied_filter = ""
        self.undo_stack = QUndoStack(self)
        self.hooks = CommandHooks(changed=self._store_changed, failed=self.show_error)
        self._committing = False
        self._watch: StoreChangeWatch | None = None
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_INTERVAL_MS)
        self._watch_timer.timeout.connect(self._poll)
        self._build()

    # --- layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.path_label = QLabel("No store open", self)
        self.path_label.setObjectName("storePath")
        self.path_label.setAccessibleName("Store file")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = _tool_button(self, "openStoreButton", "Open store…", "Browse another store file")
        self.open_button.clicked.connect(self.open_store_dialog)
        self.refresh_button = _tool_button(self, "refreshStoreButton", "Refresh", "Read the store again")
        self.refresh_button.clicked.connect(self.refresh)
        self.import_button = _tool_button(self, "importSeedButton", "Import…", "Import a seed file")
        self.import_button.clicked.connect(self.import_seed_dialog)
        self.export_button = _tool_button(self, "exportSeedButton", "Export…", "Export the store as a seed")
        self.export_button.clicked.connect(self.export_seed_dialog)
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setObjectName("storeUndo")
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setObjectName("storeRedo")
        self.reveal_button = _tool_button(
            self, "storeRevealSecrets", "Reveal secrets", "Show tokens and passwords in clear"
        )
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self.set_revealed)
        self.undo_button = QToolButton(self)
        self.undo_button.setObjectName("storeUndoButton")
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.setAccessibleName("Undo store change")
        self.redo_button = QToolButton(self)
        self.redo_button.setObjectName("storeRedoButton")
        self.redo_button.setDefaultAction(self.redo_action)
        self.redo_button.setAccessibleName("Redo store change")
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 2)
        top.addWidget(self.path_label, 1)
        for widget in (
            self.open_button,
            self.refresh_button,
            self.import_button,
            self.export_button,
            self.reveal_button,
            self.undo_button,
            self.redo_button,
        ):
            top.addWidget(widget)

        self.types_model = StoreTypesModel()
        self.types_view = QListView(self)
        self.types_view.setObjectName("storeTypes")
        self.types_view.setAccessibleName("Object types")
        self.types_view.setModel(self.types_model)
        self.types_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.types_view.selectionModel().currentChanged.connect(lambda *_: self._type_chosen())

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("storeFilter")
        self.filter_edit.setAccessibleName("Filter (OData)")
        self.filter_edit.setPlaceholderText("Filter, e.g. Key eq 'AccessToken'  (Enter applies)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._filter_text_changed)
        self.add_button = _tool_button(self, "addInstanceButton", "Add", "Add an instance of this type")
        self.add_button.clicked.connect(self.add_instance)
        self.delete_button = _tool_button(self, "deleteInstanceButton", "Delete", "Delete the selected rows")
        self.delete_button.clicked.connect(self.delete_selected)
        filter_row = QHBoxLayout()
        filter_row.setContentsMargins(0, 0, 0, 0)
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.add_button)
        filter_row.addWidget(self.delete_button)

        self.instances_model = StoreInstancesModel(self.theme.muted_text)
        self.instances_model.edit_handler = self._edit_value
        self.instances_model.rejected = self.show_error
        self.table = QTableView(self)
        self.table.setObjectName("storeInstances")
        self.table.setAccessibleName("Instances")
        self.table.setModel(self.instances_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(170)
        header.setMinimumSectionSize(60)

        self.message = QLabel(self)
        self.message.setObjectName("storeMessage")
        self.message.setAccessibleName("Store browser message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("storeCount")
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.count_label)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 4, 2)
        right_layout.addLayout(filter_row)
        right_layout.addWidget(self.table, 1)
        right_layout.addLayout(bottom)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.types_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([180, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        for view in (self.types_view, self.table):
            view.installEventFilter(self)
        self._update_enabled()

    def set_revealed(self, revealed: bool) -> None:
        """Show secrets in clear (an explicit action) or masked, as the log does."""
        self.instances_model.set_revealed(revealed)
        if self.reveal_button.isChecked() != revealed:
            self.reveal_button.setChecked(revealed)

    # --- store --------------------------------------------------------------------------------------

    @property
    def store_path(self) -> Path | None:
        return self.store.path if self.store is not None else None

    def activate(self) -> None:
        """Show the window's store: opened the first time, and again whenever the window switches store.

        A file opened with "Open store…" stays shown until the window's store changes.
        """
        source = Path(self.store_source())
        if self.store is None or source != self._followed_source:
            self._followed_source = source
            self.open_store(source)
        else:
            self.refresh()

    def open_store(self, path: str | Path) -> bool:
        """Browse the store in ``path`` (created when missing); the undo history belongs to the old one."""
        try:
            store = ObjectStore(Path(path))
        except FlowdeskError as error:
            self.show_error(str(error))
            return False
        self.close_store()
        self.store = store
        self._watch = StoreChangeWatch(store.path)
        self.path_label.setText(f"Store: {store.path}")
        self.path_label.setToolTip(str(store.path))
        self.applied_filter = ""
        self.filter_edit.clear()
        self.refresh()
        self.show_error("")
        return True

    def open_store_dialog(self) -> None:
        path = self.dialogs.open_store("Open object store")
        if path:
            self.open_store(path)

    def close_store(self) -> None:
        self.undo_stack.clear()
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        if self.store is not None:
            self.store.close()
            self.store = None

    def shutdown(self) -> None:
        self._watch_timer.stop()
        self.close_store()

    def set_watching(self, on: bool) -> None:
        """Follow changes made by others while the panel is visible."""
        if on:
            self._watch_timer.start()
        else:
            self._watch_timer.stop()

    def _poll(self) -> None:
        if (
            self._watch is not None
            and self._watch.changed()
            and self.table.state() not in (QAbstractItemView.State.EditingState,)
        ):
            self.refresh(quiet=True)

    # --- reading --------------------------------------------------------------------------------------

    def current_type(self) -> ObjectType | None:
        row = self.types_view.currentIndex().row()
        return self.types_model.types[row] if 0 <= row < len(self.types_model.types) else None

    def refresh(self, quiet: bool = False) -> None:
        """Read the types and the current type's rows again (keeping the type, filter and selection)."""
        if self.store is None:
            return
        current = self.current_type()
        try:
            types = self.store.list_types()
        except FlowdeskError as error:
            self.show_error(str(error))
            return
        blocked = self.types_view.selectionModel().blockSignals(True)
        self.types_model.set_types(types)
        row = self.types_model.row_of(current.name) if current is not None else -1
        if row < 0 and types:
            row = 0
        if row >= 0:
            self.types_view.setCurrentIndex(self.types_model.index(row, 0))
        self.types_view.selectionModel().blockSignals(blocked)
        self._load_rows(self.applied_filter, quiet=quiet)
        self._update_enabled()

    def select_type(self, name: str) -> bool:
        row = self.types_model.row_of(name)
        if row < 0:
            return False
        self.types_view.setCurrentIndex(self.types_model.index(row, 0))
        return True

    def _type_chosen(self) -> None:
        self.applied_filter = ""
        blocked = self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(blocked)
        self._load_rows("")
        self.show_error("")
        self._update_enabled()

    def apply_filter(self, text: str | None = None) -> bool:
        """Show the rows matching the filter; a bad filter is a one-line error and the rows stay."""
        if text is not None:
            self.filter_edit.setText(text)
        if self._load_rows(self.filter_edit.text().strip()):
            self.show_error("")
            return True
        return False

    def _filter_text_changed(self, text: str) -> None:
        if not text and self.applied_filter:
            self.apply_filter()

    def _load_rows(self, filter_text: str, quiet: bool = False) -> bool:
        object_type = self.current_type()
        if self.store is None or object_type is None:
            self.instances_model.set_content(None, [])
            self._update_count()
            return True
        try:
            records = self.store.list_instances(object_type.name, filter=filter_text or None)
        except FlowdeskError as error:
            if not quiet:
                self.show_error(str(error))
            return False
        self.applied_filter = filter_text
        self._show_records(object_type, records)
        return True

    def _show_records(self, object_type: ObjectType, records: list[Record]) -> None:
        model = self.instances_model
        same_shape = model.object_type == object_type and [r.get(OBJECT_ID) for r in model.records] == [
            r.get(OBJECT_ID) for r in records
        ]
        if same_shape:
            model.update_records(records)
        elif self._committing and self.table.state() == QAbstractItemView.State.EditingState:
            # The row set changes under the editor being committed: show it once the commit is over.
            QTimer.singleShot(0, self.refresh)
            return
        else:
            new_type = model.object_type != object_type
            selected = self.selected_object_ids()
            model.set_content(object_type, records)
            self._reselect(selected)
            if new_type:
                self._fit_columns()
        self._update_count()

    def _fit_columns(self) -> None:
        """Columns as wide as their first rows need, within bounds (the user's widths win afterwards)."""
        header = self.table.horizontalHeader()
        for column in range(self.instances_model.columnCount()):
            self.table.resizeColumnToContents(column)
            header.resizeSection(column, max(MIN_COLUMN, min(MAX_COLUMN, header.sectionSize(column) + 12)))

    def _update_count(self) -> None:
        count = len(self.instances_model.records)
        noun = "instance" if count == 1 else "instances"
        suffix = f" match {self.applied_filter}" if self.applied_filter else ""
        if self.applied_filter and count == 1:
            suffix = f" matches {self.applied_filter}"
        self.count_label.setText(f"{count} {noun}{suffix}" if self.current_type() is not None else "")

    # --- selection ------------------------------------------------------------------------------------

    def selected_object_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.instances_model.records[row][OBJECT_ID] for row in rows]

    def select_object_ids(self, object_ids: list[int]) -> None:
        self._reselect(object_ids)

    def _reselect(self, object_ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        rows = [row for row in map(self.instances_model.row_of, object_ids) if row >= 0]
        for row in rows:
            selection.select(self.instances_model.index(row, 0), flags)
        if rows:
            current = self.instances_model.index(rows[0], 0)
            selection.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)

    # --- changes --------------------------------------------------------------------------------------

    def _store_changed(self, type_name: str | None) -> None:
        current = self.current_type()
        if type_name is not None and current is not None and current.name.lower() != type_name.lower():
            self.select_type(type_name)
        self.refresh()

    def _edit_value(self, record: Record, field_name: str, value: Any) -> bool:
        object_type = self.current_type()
        if self.store is None or object_type is None:
            return False
        command = EditValueCommand(
            self.store,
            self.hooks,
            object_type.name,
            record[OBJECT_ID],
            field_name,
            record.get(field_name),
            value,
        )
        self.show_error("")
        self._committing = True
        try:
            self.undo_stack.push(command)
        finally:
            self._committing = False
        return not command.failed

    def add_instance(self) -> int | None:
        """A new, empty instance of the current type, selected for editing; returns its ObjectId."""
        object_type = self.current_type()
        if self.store is None or object_type is None:
            return None
        command = AddInstanceCommand(self.store, self.hooks, object_type.name)
        self.show_error("")
        self.undo_stack.push(command)
        object_id = command.object_id
        if object_id is not None:
            self._reselect([object_id])
            row = self.instances_model.row_of(object_id)
            if row >= 0:
                self.table.scrollTo(self.instances_model.index(row, 1))
        return object_id

    def delete_selected(self) -> int:
        """Delete the selected rows (one undoable step); returns how many."""
        object_type = self.current_type()
        ids = set(self.selected_object_ids())
        if self.store is None or object_type is None or not ids:
            return 0
        records = [r for r in self.instances_model.records if r[OBJECT_ID] in ids]
        self.show_error("")
        self.undo_stack.push(DeleteInstancesCommand(self.store, self.hooks, object_type.name, records))
        return len(records)

    # --- seeds ----------------------------------------------------------------------------------------

    def import_seed_dialog(self) -> None:
        path = self.dialogs.open_seed("Import store seed")
        if path:
            self.import_seed(Path(path))

    def import_seed(self, path: Path) -> bool:
        if self.store is None:
            return False
        command = ImportSeedCommand(self.store, self.hooks, path)
        self.show_error("")
        self.undo_stack.push(command)
        if command.summary:
            self.show_info(f"Imported {command.summary}")
            return True
        return False

    def export_seed_dialog(self) -> None:
        if self.store is None:
            return
        suggested = str(self.store.path.with_name(f"{self.store.path.stem}-seed.json"))
        path = self.dialogs.save_seed("Export store seed", suggested)
        if path:
            self.export_seed(Path(path))

    def export_seed(self, path: Path) -> bool:
        """Write every type and instance as a seed file (atomically)."""
        if self.store is None:
            return False
        try:
            text = json.dumps(self.store.export_seed(), ensure_ascii=False, indent=2) + "\n"
            write_text_atomically(path, text)
        except FlowdeskError as error:
            self.show_error(str(error))
            return False
        self.show_info(f"Exported the store to {path}")
        return True

    # --- messages -------------------------------------------------------------------------------------

    @property
    def error_text(self) -> str:
        return self.message.text() if self.message.property("kind") == "error" else ""

    def show_error(self, text: str) -> None:
        self._show_message(text.splitlines()[0] if text else "", "error", self.theme.error)

    def show_info(self, text: str) -> None:
        self._show_message(text, "info", self.theme.muted_text)

    def _show_message(self, text: str, kind: str, color: str) -> None:
        self.message.setProperty("kind", kind if text else "")
        self.message.setStyleSheet(f"color: {color}")
        self.message.setText(text)
        self.message.setToolTip(text)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.instances_model.muted_color = QColor(theme.muted_text)

    def _update_enabled(self) -> None:
        has_store = self.store is not None
        has_type = self.current_type() is not None
        store_widgets: tuple[QWidget, ...] = (self.refresh_button, self.import_button, self.export_button)
        for widget in store_widgets:
            widget.setEnabled(has_store)
        for widget in (self.add_button, self.delete_button, self.filter_edit):
            widget.setEnabled(has_type)

    # --- keys -------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Ctrl+Z / Ctrl+Shift+Z / Delete act on the store while its lists have the focus."""
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            action = self._key_action(event, watched is self.table)
            if action is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    action()
                return True
        return super().eventFilter(watched, event)

    def _key_action(self, event: QKeyEvent, in_table: bool) -> Callable[[], object] | None:
        if event.matches(QKeySequence.StandardKey.Undo):
            return self.undo_stack.undo
        if event.matches(QKeySequence.StandardKey.Redo):
            return self.undo_stack.redo
        if in_table and event.matches(QKeySequence.StandardKey.Delete):
            return self.delete_selected
        return None
