"""The look every list of rows in the designer shares (runs, tests, journal, server instances and
definitions): whole rows chosen one at a time, nothing edited in place, no row numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView


def read_only_rows(table: QTableView) -> None:
    """Set ``table`` to show rows to pick from, one at a time, none editable, without row numbers."""
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
