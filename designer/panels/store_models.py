"""Qt models of the object store browser: the type list and the instances table of one type.

Cells show a value as text (numbers as typed, booleans ``true``/``false``, datetimes in the store's
canonical UTC form, JSON compact); what the user types is converted by the runtime's own field rules
(:func:`runtime.store.fields.stored_value`), so the browser accepts exactly what a workflow may store.

Secrets are masked as the log masks them (:class:`runtime.masking.SecretMasker`: a record whose ``Key``
names a token or password has its other text fields masked, as do fields named like one) until the person
reveals them; editing a cell is explicit and shows its real value in the editor.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from runtime.masking import SecretMasker
from runtime.store.fields import OBJECT_ID, TITLE, FieldDef, FieldValueError, ObjectType, stored_value

Record = dict[str, Any]
ModelIndex = QModelIndex | QPersistentModelIndex
EditHandler = Callable[[Record, str, Any], bool]
"""(record, column name, new value) → whether the change was made."""

TITLE_FIELD = FieldDef(TITLE, "string")


def display_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def cell_value(field_def: FieldDef, text: str) -> Any:
    """The value to store for ``text`` typed in a cell of ``field_def``; raises FieldValueError.

    An empty cell clears a typed field (a string field keeps the empty text).
    """
    if field_def.type == "json":
        if not text.strip():
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise FieldValueError(
                f'field "{field_def.name}" expects JSON: {error.msg} (column {error.colno})'
            ) from None
        return stored_value(field_def, value, strict=False)
    return stored_value(field_def, text, strict=False)


class StoreTypesModel(QAbstractListModel):
    """The list of the store's object types (names) for the browser's type list."""

    def __init__(self) -> None:
        super().__init__()
        self.types: list[ObjectType] = []

    def set_types(self, types: list[ObjectType]) -> None:
        self.beginResetModel()
        self.types = list(types)
        self.endResetModel()

    def row_of(self, name: str) -> int:
        return next((row for row, item in enumerate(self.types) if item.name.lower() == name.lower()), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.types)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        object_type = self.types[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return object_type.name
        if role == Qt.ItemDataRole.ToolTipRole:
            fields = ", ".join(f"{item.name} ({item.type})" for item in object_type.fields) or "no fields"
            return f"{object_type.name}: {fields}"
        return None


class StoreInstancesModel(QAbstractTableModel):
    """ObjectId, Title, then the type's fields; an edited cell asks :attr:`edit_handler` for the change."""

    def __init__(self, muted_color: str = "#8a8f98", masker: SecretMasker | None = None) -> None:
        super().__init__()
        self.object_type: ObjectType | None = None
        self.records: list[Record] = []
        self.masker = masker or SecretMasker()
        self.revealed = False
        """Whether secrets are shown in clear (an explicit action, as in the log)."""
        self._masked: list[Record | None] = []
        self.edit_handler: EditHandler | None = None
        self.rejected: Callable[[str], None] = lambda _message: None
        """Told the one-line reason when a typed value does not fit its field."""
        self.muted_color = QColor(muted_color)

    # --- content ------------------------------------------------------------------------------------

    @property
    def columns(self) -> list[str]:
        fields = self.object_type.field_names if self.object_type is not None else []
        return [OBJECT_ID, TITLE, *fields]

    def set_content(self, object_type: ObjectType | None, records: list[Record]) -> None:
        self.beginResetModel()
        self.object_type = object_type
        self.records = list(records)
        self._masked = [None] * len(self.records)
        self.endResetModel()

    def update_records(self, records: list[Record]) -> None:
        """New values for the same rows (same ids in the same order)."""
        self.records = list(records)
        self._masked = [None] * len(self.records)
        self._changed_all()

    def set_revealed(self, revealed: bool) -> None:
        """Show secrets in clear, or masked again."""
        if revealed != self.revealed:
            self.revealed = revealed
            self._changed_all()

    def _changed_all(self) -> None:
        if self.records:
            last = self.index(len(self.records) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def shown_record(self, row: int) -> Record:
        """The record at ``row`` as displayed (masked unless revealed)."""
        record = self.records[row]
        if self.revealed:
            return record
        if len(self._masked) != len(self.records):
            self._masked = [None] * len(self.records)
        masked = self._masked[row]
        if masked is None:
            masked = self._masked[row] = self.masker.value(record)
        return masked

    def field_of(self, column: int) -> FieldDef | None:
        """The field a column edits (None for ObjectId)."""
        name = self.columns[column]
        if name == OBJECT_ID:
            return None
        if name == TITLE:
            return TITLE_FIELD
        assert self.object_type is not None
        return self.object_type.field(name)

    def row_of(self, object_id: int) -> int:
        return next((row for row, r in enumerate(self.records) if r.get(OBJECT_ID) == object_id), -1)

    # --- Qt model -------------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            field_def = self.field_of(section)
            return "number (given by the store)" if field_def is None else field_def.type
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()] != OBJECT_ID:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        name = self.columns[index.column()]
        if role == Qt.ItemDataRole.EditRole:
            return display_text(record.get(name))
        value = self.shown_record(index.row()).get(name)
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display_text(value)
            if isinstance(value, dict | list):
                return json.dumps(value, ensure_ascii=False, indent=2)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            field_def = self.field_of(index.column())
            if field_def is None or field_def.type == "number":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and name == OBJECT_ID:
            return self.muted_color
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.edit_handler is None:
            return False
        field_def = self.field_of(index.column())
        if field_def is None:
            return False
        record = self.records[index.row()]
        try:
            new_value = cell_value(field_def, "" if value is None else str(value))
        except FieldValueError as error:
            self.rejected(f"ObjectId {record.get(OBJECT_ID)}: {error}")
            return False
        if new_value == record.get(field_def.name) and type(new_value) is type(record.get(field_def.name)):
            return False
        return self.edit_handler(record, field_def.name, new_value)
