"""The Problems panel: the runtime's validation of the current workflow, one row per problem.

Activities that share a label (two "If/Else") are told apart by their name, else by the start of their id,
so no two rows about different activities read the same; a problem inside a property's text (an expression
that does not compile) says the property, line and column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from designer.theme import Theme
from runtime.model import Activity, WorkflowDefinition
from runtime.validation import Problem

ACTIVITY_ROLE = Qt.ItemDataRole.UserRole
SEVERITY_ORDER = {"error": 0, "warning": 1}


def summary(problems: Sequence[Problem]) -> str:
    """ "2 errors, 1 warning" (or "No problems")."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return ", ".join(parts) or "No problems"


def activity_label(activity: Activity, shared: bool) -> str:
    """How a row names an activity: its label, plus its name or the start of its id when ``shared``."""
    label = activity.label
    if not shared:
        return label
    if activity.name and activity.name != label:
        return f"{label} ({activity.name})"
    return f"{label} (#{activity.activity_id[:8]})"


class ProblemsPanel(QWidget):
    """Double-click (or Enter) on a row asks for its activity to be selected."""

    activitySelected = Signal(str)
    summaryChanged = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("problemsList")
        self.tree.setHeaderLabels(["", "Activity", "Problem"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.tree.setColumnWidth(1, 220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self.tree.itemActivated.connect(self._activated)
        self.problems: list[Problem] = []

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme

    def set_problems(self, problems: Sequence[Problem], workflow: WorkflowDefinition | None) -> None:
        self.problems = sorted(problems, key=lambda p: SEVERITY_ORDER.get(p.severity, 2))
        self.tree.clear()
        counts = Counter(a.label for a in workflow.activities) if workflow is not None else Counter()
        for problem in self.problems:
            activity = workflow.activity(problem.activity_id) if workflow and problem.activity_id else None
            if activity is not None:
                label = activity_label(activity, counts[activity.label] > 1)
            else:
                label = problem.activity_id or "Workflow"
            item = QTreeWidgetItem([problem.severity, label, problem.message])
            color = QColor(self.theme.error if problem.severity == "error" else self.theme.warning)
            item.setForeground(0, QBrush(color))
            item.setToolTip(2, f"{problem.message} ({problem.code})")
            item.setData(0, ACTIVITY_ROLE, problem.activity_id)
            self.tree.addTopLevelItem(item)
        self.summaryChanged.emit(summary(self.problems))

    def select_activity(self, activity_id: str) -> bool:
        """Select every row about ``activity_id`` (the first current and in view); False when none is."""
        items = (self.tree.topLevelItem(index) for index in range(self.tree.topLevelItemCount()))
        rows = [item for item in items if item is not None and item.data(0, ACTIVITY_ROLE) == activity_id]
        self.tree.clearSelection()
        if not rows:
            return False
        self.tree.setCurrentItem(rows[0])
        for row in rows:
            row.setSelected(True)
        self.tree.scrollToItem(rows[0])
        return True

    def selected_activity_ids(self) -> list[str]:
        """The activities of the selected rows, in row order."""
        return [item.data(0, ACTIVITY_ROLE) for item in self.tree.selectedItems()]

    def _activated(self, item: QTreeWidgetItem) -> None:
        activity_id = item.data(0, ACTIVITY_ROLE)
        if activity_id:
            self.activitySelected.emit(activity_id)
