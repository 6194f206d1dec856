"""The Variables panel: the live variables of a run's instances as a JSON tree.

While a debug session is paused, the paused instance's variables, the last outputs of its activities and
its current input are shown; a variable's value can be edited (double-click the value, type JSON) and the
edit is applied before the instance goes on.

Until the person picks an instance, the panel follows the newest instance of the workflow in front
(:meth:`VariablesPanel.prefer_workflow`), not whichever instance started last (a served API the run
called, say); with no instance of that workflow it follows the newest one.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.panels.journal import json_text
from designer.panels.log_model import short_json
from designer.theme import Theme
from runtime.masking import SecretMasker

MAX_CHILDREN = 200
"""Children shown per object or list (the rest is summarised): a huge value must not freeze the tree."""
REFRESH_MS = 120
NAME_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class InstanceValues:
    """What the panel knows of one instance: variables (live), and while paused its input and outputs."""

    workflow: str
    variables: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    input: Any = None
    has_input: bool = False


def parse_value(text: str) -> tuple[Any, str | None]:
    """(value, None) for valid JSON text, else (None, one line saying what is wrong)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f'not JSON: {error.msg} at line {error.lineno}, column {error.colno} (quote text: "...")'


class VariablesPanel(QWidget):
    """``variableEdited(instance id, name, value)`` when the user changes a value while paused."""

    variableEdited = Signal(str, str, object)

    def __init__(
        self, theme: Theme, parent: QWidget | None = None, masker: SecretMasker | None = None
    ) -> None:
        super().__init__(parent)
        self.masker = masker or SecretMasker()
        self.setObjectName("variablesPanelWidget")
        self.setAccessibleName("Variables")
        self.values: dict[str, InstanceValues] = {}
        self.current: str | None = None
        self.followed = True
        """Whether the shown instance follows the run (until the user picks one)."""
        self.preferred_workflow: str | None = None
        """The workflow in front: its newest instance is the one followed."""
        self.paused_instance: str | None = None
        self.revealed = False
        self.can_edit: Callable[[str], bool] = lambda _instance: False
        self.instance_combo = QComboBox(self)
        self.instance_combo.setObjectName("variablesInstance")
        self.instance_combo.setAccessibleName("Instance whose variables are shown")
        self.instance_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.instance_combo.setMaximumWidth(320)
        self.instance_combo.activated.connect(self._instance_chosen)
        self.reveal_button = QToolButton(self)
        self.reveal_button.setObjectName("variablesRevealSecrets")
        self.reveal_button.setText("Reveal secrets")
        self.reveal_button.setAccessibleName("Reveal secrets")
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self._reveal)
        self.status = QLabel("", self)
        self.status.setObjectName("variablesStatus")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.instance_combo)
        bar.addWidget(self.reveal_button)
        bar.addWidget(self.status, 1)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("variablesTree")
        self.tree.setAccessibleName("Variable values")
        self.tree.setHeaderLabels(["Name", "Value"])
        self.tree.setColumnWidth(0, 220)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.itemChanged.connect(self._item_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.tree)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.rebuild)
        self._building = False
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self.muted = theme.color("muted_text")

    # --- what the run tells ----------------------------------------------------------------------------

    def clear(self) -> None:
        self.values = {}
        self.current = None
        self.followed = True
        self.paused_instance = None
        self.instance_combo.clear()
        self.status.setText("")
        self.tree.clear()

    def instance_started(self, instance_id: str, workflow: str, variables: Mapping[str, Any] | None) -> None:
        self.values[instance_id] = InstanceValues(workflow, dict(variables or {}))
        self.instance_combo.addItem(f"{workflow} · {instance_id[:8]}", instance_id)
        if self.current is None or (self.followed and self._follows(workflow)):
            self._show(instance_id)
        self._schedule()

    def _follows(self, workflow: str) -> bool:
        """Whether a new instance of ``workflow`` replaces the followed one."""
        preferred = self.preferred_workflow
        if preferred is None or workflow == preferred:
            return True
        shown = self.values.get(self.current or "")
        return shown is None or shown.workflow != preferred

    def prefer_workflow(self, workflow: str | None) -> None:
        """Follow the instances of ``workflow`` (the one in front); shows its newest at once."""
        self.preferred_workflow = workflow
        if not self.followed or workflow is None or self.paused_instance is not None:
            return
        newest = next((i for i, v in reversed(self.values.items()) if v.workflow == workflow), None)
        if newest is not None and newest != self.current:
            self._show(newest)
            self._schedule()

    def variable_changed(self, instance_id: str, workflow: str, name: str, value: Any) -> None:
        values = self.values.get(instance_id)
        if values is None:
            self.instance_started(instance_id, workflow, None)
            values = self.values[instance_id]
        values.variables[name] = value
        if instance_id == self.current:
            self._schedule()

    def paused(self, instance_id: str, workflow: str, snapshot: Mapping[str, Any], activity: str) -> None:
        """A debug session waits before ``activity`` in ``instance_id``: show and allow editing."""
        values = self.values.get(instance_id)
        if values is None:
            self.instance_started(instance_id, workflow, None)
            values = self.values[instance_id]
        values.variables = copy.deepcopy(dict(snapshot.get("variables") or values.variables))
        values.outputs = dict(snapshot.get("outputs") or {})
        values.input = snapshot.get("input")
        values.has_input = "input" in snapshot
        self.paused_instance = instance_id
        self.followed = True
        self._show(instance_id)
        self.status.setText(f"Paused before {activity}: double-click a value to change it")
        self.rebuild()

    def resumed(self) -> None:
        self.paused_instance = None
        self.status.setText("")
        self._schedule()

    def _show(self, instance_id: str) -> None:
        self.current = instance_id
        index = self.instance_combo.findData(instance_id)
        if index >= 0 and index != self.instance_combo.currentIndex():
            self.instance_combo.setCurrentIndex(index)

    def _instance_chosen(self, index: int) -> None:
        self.current = self.instance_combo.itemData(index)
        self.followed = False
        self.rebuild()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    # --- the tree ----------------------------------------------------------------------------------------

    def _reveal(self, on: bool) -> None:
        self.revealed = on
        self.rebuild()

    def _shown(self, name: str, value: Any) -> Any:
        return value if self.revealed else self.masker.value(value, name)

    def rebuild(self) -> None:
        """Redraw the tree of the shown instance (expanded sections are kept)."""
        self._timer.stop()
        self._building = True
        try:
            expanded = self._expanded_paths()
            self.tree.clear()
            values = self.values.get(self.current or "")
            if values is None:
                return
            editable = self.current == self.paused_instance and self.can_edit(self.current or "")
            section = self._section("Variables", "variables")
            for name, value in sorted(values.variables.items(), key=lambda item: item[0].lower()):
                item = self._value_item(section, name, self._shown(name, value), f"variables/{name}")
                item.setData(0, NAME_ROLE, name)
                if editable:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            section.setExpanded(True)
            if self.current == self.paused_instance:
                outputs = self._section("Last outputs", "outputs")
                for name, value in values.outputs.items():
                    self._value_item(outputs, name, self._shown(name, value), f"outputs/{name}")
                outputs.setExpanded(True)
                if values.has_input:
                    self._value_item(
                        self.tree.invisibleRootItem(), "Input", self._shown("", values.input), "input"
                    )
            self._restore_expanded(expanded)
        finally:
            self._building = False

    def _section(self, title: str, path: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title, ""])
        item.setData(1, Qt.ItemDataRole.UserRole + 1, path)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)
        return item

    def _value_item(self, parent: QTreeWidgetItem, name: str, value: Any, path: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [name, short_json(value, 400)])
        item.setData(1, Qt.ItemDataRole.UserRole + 1, path)
        item.setToolTip(1, json_text(value, 2)[:4000])
        self._add_children(item, value, path)
        return item

    def _add_children(self, item: QTreeWidgetItem, value: Any, path: str) -> None:
        if isinstance(value, dict):
            pairs = list(value.items())
        elif isinstance(value, list):
            pairs = [(f"[{i}]", v) for i, v in enumerate(value)]
        else:
            return
        for key, child in pairs[:MAX_CHILDREN]:
            child_item = QTreeWidgetItem(item, [str(key), short_json(child, 400)])
            child_item.setData(1, Qt.ItemDataRole.UserRole + 1, f"{path}/{key}")
            self._add_children(child_item, child, f"{path}/{key}")
        if len(pairs) > MAX_CHILDREN:
            more = QTreeWidgetItem(item, [f"… {len(pairs) - MAX_CHILDREN} more", ""])
            more.setForeground(0, self.muted)

    def _expanded_paths(self) -> set[str]:
        paths: set[str] = set()

        def walk(item: QTreeWidgetItem) -> None:
            for index in range(item.childCount()):
                child = item.child(index)
                if child is not None and child.isExpanded():
                    paths.add(str(child.data(1, Qt.ItemDataRole.UserRole + 1)))
                    walk(child)

        walk(self.tree.invisibleRootItem())
        return paths

    def _restore_expanded(self, paths: set[str]) -> None:
        def walk(item: QTreeWidgetItem) -> None:
            for index in range(item.childCount()):
                child = item.child(index)
                if child is not None and str(child.data(1, Qt.ItemDataRole.UserRole + 1)) in paths:
                    child.setExpanded(True)
                    walk(child)

        walk(self.tree.invisibleRootItem())

    def variable_item(self, name: str) -> QTreeWidgetItem | None:
        root = self.tree.topLevelItem(0)
        if root is None:
            return None
        for index in range(root.childCount()):
            child = root.child(index)
            if child is not None and child.data(0, NAME_ROLE) == name:
                return child
        return None

    # --- editing -------------------------------------------------------------------------------------

    def _double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEditable:
            name = item.data(0, NAME_ROLE)
            values = self.values.get(self.current or "")
            if values is not None and name in values.variables:
                self._building = True
                item.setText(1, json_text(values.variables[name]))
                self._building = False
            self.tree.editItem(item, 1)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._building or column != 1 or item.data(0, NAME_ROLE) is None:
            return
        self.edit_variable(str(item.data(0, NAME_ROLE)), item.text(1))

    def edit_variable(self, name: str, text: str) -> bool:
        """Change ``name`` of the paused instance to the JSON ``text``; False (and a message) if invalid."""
        instance_id = self.paused_instance
        if instance_id is None or not self.can_edit(instance_id):
            self.status.setText("Variables can be changed while a debug session is paused")
            return False
        value, error = parse_value(text)
        if error is not None:
            self.status.setText(f"{name}: {error}")
            self._schedule()
            return False
        self.values[instance_id].variables[name] = value
        self.status.setText(f"{name} will be {short_json(value, 80)} when the run goes on")
        self.variableEdited.emit(instance_id, name, value)
        self._schedule()
        return True
