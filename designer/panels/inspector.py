"""The inspector: edit the selected activity (or, with none selected, the workflow's settings).

Every change goes through the document's :class:`~designer.editing.editor.WorkflowEditor`, as one undo
command (typing in one field is one undo step, by session merging). The panel follows the model's events,
so an undo or a change made elsewhere shows up here at once; edits the panel makes itself are not echoed
back into the field being typed in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from designer.editing.editor import WorkflowEditor
from designer.panels.code_editor import CodeEditor
from designer.theme import Theme
from runtime.catalog import descriptor_for, effective_syntax
from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor
from runtime.catalog.outcomes import parse_list_text
from runtime.model import Activity, ModelEvent, ModelEventKind, VariableBag, WorkflowDefinition
from runtime.validation import is_javascript_identifier

PERSISTENCE_BEHAVIOURS = ("Suspension", "WorkflowBurst", "WorkflowPassCompleted", "ActivityExecuted")
SCRIPT_TYPES = frozenset({"RunJavaScript"})
ERROR_STYLE = "color: #d93b3b;"


@dataclass
class ValueEditor:
    """A widget that edits one expression text, whatever its kind (line, checkbox, list, code...)."""

    widget: QWidget
    get_text: Callable[[], str]
    set_text: Callable[[str], None]
    connect: Callable[[Callable[[], None]], object]
    """Call the function whenever the person changes the text."""


def line_editor(multi: bool = False) -> ValueEditor:
    if multi:
        edit = QPlainTextEdit()
        edit.setFixedHeight(70)
        return ValueEditor(edit, edit.toPlainText, edit.setPlainText, lambda f: edit.textChanged.connect(f))
    line = QLineEdit()
    return ValueEditor(line, line.text, line.setText, lambda f: line.textEdited.connect(lambda _: f()))


def code_editor(language: str, dark: bool) -> ValueEditor:
    editor = CodeEditor(language, dark)
    editor.setMinimumHeight(90)
    editor.setMaximumHeight(220)
    return ValueEditor(
        editor, editor.toPlainText, editor.setPlainText, lambda f: editor.textChanged.connect(f)
    )


def checkbox_editor() -> ValueEditor:
    box = QCheckBox()

    def set_text(text: str) -> None:
        box.setChecked(text.strip().lower() == "true")

    return ValueEditor(
        box,
        lambda: "true" if box.isChecked() else "false",
        set_text,
        lambda f: box.toggled.connect(lambda _: f()),
    )


def dropdown_editor(options: tuple[str, ...], editable: bool) -> ValueEditor:
    combo = QComboBox()
    combo.setEditable(editable)
    combo.addItems(list(options))

    def set_text(text: str) -> None:
        if combo.findText(text) < 0 and text:
            combo.addItem(text)
        combo.setCurrentText(text)

    return ValueEditor(
        combo, combo.currentText, set_text, lambda f: combo.currentTextChanged.connect(lambda _: f())
    )


def check_list_editor(options: tuple[str, ...], as_json: bool) -> ValueEditor:
    """Options as checkboxes; the text is a JSON array (Json syntax) or comma-separated (Literal)."""
    listing = QListWidget()
    listing.setFixedHeight(min(24 * max(1, len(options)) + 6, 170))
    for option in options:
        item = QListWidgetItem(option)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        listing.addItem(item)

    def get_text() -> str:
        chosen = [
            listing.item(i).text()
            for i in range(listing.count())
            if listing.item(i).checkState() == Qt.CheckState.Checked
        ]
        return json.dumps(chosen) if as_json else ",".join(chosen)

    def set_text(text: str) -> None:
        values = {str(v).lower() for v in (parse_list_text(text, allow_comma_separated=True) or [])}
        for i in range(listing.count()):
            item = listing.item(i)
            checked = item.text().lower() in values
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    return ValueEditor(listing, get_text, set_text, lambda f: listing.itemChanged.connect(lambda _: f()))


def value_editor(activity: Activity, descriptor: PropertyDescriptor, syntax: str, dark: bool) -> ValueEditor:
    """The editor for a property's text under ``syntax``, chosen by the descriptor's UI hint."""
    hint = descriptor.ui_hint
    if syntax in ("JavaScript", "Liquid"):
        return code_editor(syntax, dark)
    if hint == "check-list" and descriptor.options:
        return check_list_editor(descriptor.options, as_json=syntax == "Json")
    if syntax == "Json" or hint in ("json", "dictionary", "switch-case"):
        return code_editor("Json", dark)
    if hint == "code-editor":
        return code_editor("JavaScript" if activity.type in SCRIPT_TYPES else "Json", dark)
    if hint == "checkbox":
        return checkbox_editor()
    if hint in ("dropdown", "radio-list") and descriptor.options:
        return dropdown_editor(descriptor.options, editable=hint == "dropdown")
    return line_editor(multi=hint == "multi-line")


class FocusSessions(QObject):
    """A new merge session each time a field gains focus: typing in one visit is one undo step."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.current: dict[int, object] = {}

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)
        self.current[id(widget)] = object()

    def session(self, widget: QWidget) -> object:
        return self.current.setdefault(id(widget), object())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusIn:
            self.current[id(watched)] = object()
        return False


class PropertyEditor(QWidget):
    """One property: its label, a syntax switch (Default / Literal / JavaScript / ...) and its value."""

    def __init__(self, panel: ActivityPanel, descriptor: PropertyDescriptor) -> None:
        super().__init__()
        self.panel = panel
        self.descriptor = descriptor
        self.setObjectName(f"property_{descriptor.name}")
        self.syntax = QComboBox()
        self.syntax.setObjectName(f"syntax_{descriptor.name}")
        self.syntax.addItem(f"Default ({descriptor.default_syntax})", None)
        for choice in dict.fromkeys((descriptor.default_syntax, *descriptor.supported_syntaxes)):
            self.syntax.addItem(choice, choice)
        self.syntax.setEnabled(self.syntax.count() > 2)
        self.syntax.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.syntax.setMinimumContentsLength(10)
        title = QLabel(descriptor.label or descriptor.name)
        title.setWordWrap(True)
        title.setToolTip(descriptor.hint)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.syntax)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 2, 0, 6)
        self.layout_.addLayout(header)
        if descriptor.hint:
            hint = QLabel(descriptor.hint)
            hint.setWordWrap(True)
            hint.setEnabled(False)
            self.layout_.addWidget(hint)
        self.issue_label = QLabel(self)
        self.issue_label.setObjectName(f"expressionIssue_{descriptor.name}")
        self.issue_label.setStyleSheet(ERROR_STYLE)
        self.issue_label.setWordWrap(True)
        self.issue_label.hide()
        self.layout_.addWidget(self.issue_label)
        self.editor: ValueEditor | None = None
        self.editor_syntax = ""
        self.syntax.currentIndexChanged.connect(self._syntax_chosen)
        self.refresh()

    @property
    def activity(self) -> Activity:
        return self.panel.activity

    def current_syntax(self) -> str | None:
        prop = self.activity.get_property(self.descriptor.name)
        return prop.syntax if prop is not None else None

    def refresh(self) -> None:
        """Show the model's values (the syntax switch, then the text of the effective syntax)."""
        prop = self.activity.get_property(self.descriptor.name)
        chosen = prop.syntax if prop is not None else None
        index = self.syntax.findData(chosen)
        if index < 0:
            self.syntax.addItem(str(chosen), chosen)
            index = self.syntax.count() - 1
        blocked = self.syntax.blockSignals(True)
        self.syntax.setCurrentIndex(index)
        self.syntax.blockSignals(blocked)
        syntax = effective_syntax(prop, self.descriptor)
        if self.editor is None or syntax != self.editor_syntax:
            self._build_editor(syntax)
        text = (prop.expression(syntax) if prop is not None else None) or ""
        assert self.editor is not None
        if self.editor.get_text() != text:
            blocked = self.editor.widget.blockSignals(True)
            self.editor.set_text(text)
            self.editor.widget.blockSignals(blocked)

    def _build_editor(self, syntax: str) -> None:
        if self.editor is not None:
            self.layout_.removeWidget(self.editor.widget)
            self.editor.widget.deleteLater()
        self.editor = value_editor(self.activity, self.descriptor, syntax, self.panel.theme.is_dark)
        self.editor.widget.setObjectName(f"value_{self.descriptor.name}")
        self.editor_syntax = syntax
        self.layout_.insertWidget(self.layout_.indexOf(self.issue_label), self.editor.widget)
        self.panel.sessions.watch(self.editor.widget)
        self.editor.connect(self._text_edited)
        self._show_issue(None)
        if isinstance(self.editor.widget, CodeEditor):
            self.editor.widget.issueChanged.connect(self._show_issue)

    def _show_issue(self, issue: object) -> None:
        """Say under the editor what the code editor marked in its gutter (nothing when it compiles)."""
        editor = self.editor.widget if self.editor is not None else None
        text = editor.issue_text() if isinstance(editor, CodeEditor) and issue is not None else ""
        self.issue_label.setText(text)
        self.issue_label.setVisible(bool(text))

    def _expressions(self) -> dict[str, str | None]:
        prop = self.activity.get_property(self.descriptor.name)
        return dict(prop.expressions) if prop is not None else {}

    def _text_edited(self) -> None:
        assert self.editor is not None
        expressions = self._expressions()
        expressions[self.editor_syntax] = self.editor.get_text()
        session = self.panel.sessions.session(self.editor.widget)
        activity_id, name, syntax = self.activity.activity_id, self.descriptor.name, self.current_syntax()
        self.panel.inspector.edit(
            lambda editor: editor.set_property(activity_id, name, syntax, expressions, session)
        )

    def _syntax_chosen(self) -> None:
        chosen = self.syntax.currentData()
        activity_id, name, expressions = self.activity.activity_id, self.descriptor.name, self._expressions()
        self.panel.inspector.edit(lambda editor: editor.set_property(activity_id, name, chosen, expressions))
        self.refresh()


class ActivityPanel(QWidget):
    """Common fields and every property of one activity."""

    def __init__(self, inspector: Inspector, workflow: WorkflowDefinition, activity: Activity) -> None:
        super().__init__()
        self.inspector = inspector
        self.workflow = workflow
        self.activity = activity
        self.theme = inspector.theme
        self.sessions = FocusSessions(self)
        self.descriptor: ActivityDescriptor = descriptor_for(activity, workflow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        heading = QLabel(self.descriptor.display_name)
        heading.setObjectName("inspectorHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        heading.setFont(font)
        layout.addWidget(heading)
        about = QLabel(self.descriptor.description)
        about.setWordWrap(True)
        about.setEnabled(False)
        layout.addWidget(about)
        common = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("activityName")
        self.name_error = QLabel()
        self.name_error.setObjectName("activityNameError")
        self.name_error.setStyleSheet(ERROR_STYLE)
        self.name_error.setWordWrap(True)
        self.name_error.hide()
        self.display_name = QLineEdit()
        self.display_name.setObjectName("activityDisplayName")
        self.description = QPlainTextEdit()
        self.description.setObjectName("activityDescription")
        self.description.setFixedHeight(54)
        common.addRow("Name", self.name)
        common.addRow("", self.name_error)
        common.addRow("Display name", self.display_name)
        common.addRow("Description", self.description)
        layout.addLayout(common)
        for widget in (self.name, self.display_name, self.description):
            self.sessions.watch(widget)
        self.name.textEdited.connect(self._name_edited)
        self.display_name.textEdited.connect(
            lambda text: self._field_edited("display_name", text, self.display_name)
        )
        self.description.textChanged.connect(
            lambda: self._field_edited("description", self.description.toPlainText(), self.description)
        )
        self.property_editors: dict[str, PropertyEditor] = {}
        groups: dict[str, QVBoxLayout] = {}
        for prop in self.descriptor.properties:
            group = groups.get(prop.category)
            if group is None:
                box = QGroupBox(prop.category)
                group = QVBoxLayout(box)
                groups[prop.category] = group
                layout.addWidget(box)
            editor = PropertyEditor(self, prop)
            group.addWidget(editor)
            self.property_editors[prop.name.lower()] = editor
        layout.addStretch(1)
        self.refresh_fields()

    def refresh_fields(self) -> None:
        for widget, value in (
            (self.name, self.activity.name or ""),
            (self.display_name, self.activity.display_name or ""),
        ):
            if widget.text() != value:
                widget.setText(value)
        if self.description.toPlainText() != (self.activity.description or ""):
            blocked = self.description.blockSignals(True)
            self.description.setPlainText(self.activity.description or "")
            self.description.blockSignals(blocked)

    def refresh_property(self, name: str) -> None:
        editor = self.property_editors.get(name.lower())
        if editor is not None:
            editor.refresh()

    def name_problem(self, text: str) -> str | None:
        """Why ``text`` cannot be this activity's name (None when it can)."""
        if not text:
            return None
        if not is_javascript_identifier(text):
            return f"'{text}' is not a JavaScript identifier (letters, digits, _ and $; no leading digit)"
        other = self.workflow.activity_by_name(text)
        if other is not None and other is not self.activity:
            return f"'{text}' is already the name of {other.label}"
        return None

    def _name_edited(self, text: str) -> None:
        problem = self.name_problem(text)
        self.name_error.setText(problem or "")
        self.name_error.setVisible(problem is not None)
        if problem is None:
            self._field_edited("name", text or None, self.name)

    def _field_edited(self, field_name: str, value: str | None, widget: QWidget) -> None:
        if getattr(self.activity, field_name) == value or (
            value == "" and getattr(self.activity, field_name) is None
        ):
            return
        session = self.sessions.session(widget)
        activity_id = self.activity.activity_id
        self.inspector.edit(lambda editor: editor.set_activity_field(activity_id, field_name, value, session))


class WorkflowPanel(QWidget):
    """The workflow's settings: name, display name, description, variables, singleton, persistence, tag."""

    def __init__(self, inspector: Inspector, workflow: WorkflowDefinition) -> None:
        super().__init__()
        self.inspector = inspector
        self.workflow = workflow
        self.sessions = FocusSessions(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        heading = QLabel("Workflow")
        heading.setObjectName("inspectorHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        heading.setFont(font)
        layout.addWidget(heading)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for field_name, label in (("name", "Name"), ("display_name", "Display name"), ("tag", "Tag")):
            line = QLineEdit()
            line.setObjectName(f"workflow_{field_name}")
            self.sessions.watch(line)
            line.textEdited.connect(lambda text, f=field_name, w=line: self._edited(f, text or None, w))
            form.addRow(label, line)
            self.fields[field_name] = line
        self.description = QPlainTextEdit()
        self.description.setObjectName("workflow_description")
        self.description.setFixedHeight(60)
        self.sessions.watch(self.description)
        self.description.textChanged.connect(
            lambda: self._edited("description", self.description.toPlainText() or None, self.description)
        )
        form.addRow("Description", self.description)
        self.singleton = QCheckBox("Only one instance at a time")
        self.singleton.setObjectName("workflow_is_singleton")
        self.singleton.toggled.connect(lambda checked: self._edited("is_singleton", checked, None))
        form.addRow("Singleton", self.singleton)
        self.persistence = QComboBox()
        self.persistence.setObjectName("workflow_persistence_behavior")
        self.persistence.addItems(list(PERSISTENCE_BEHAVIOURS))
        self.persistence.currentTextChanged.connect(
            lambda text: self._edited("persistence_behavior", text, None)
        )
        form.addRow("Persistence", self.persistence)
        layout.addLayout(form)
        layout.addWidget(QLabel("Variables (JSON object of initial values)"))
        self.variables = CodeEditor("Json", inspector.theme.is_dark)
        self.variables.setObjectName("workflow_variables")
        self.variables.setMinimumHeight(120)
        self.sessions.watch(self.variables)
        self.variables.textChanged.connect(self._variables_edited)
        layout.addWidget(self.variables)
        self.variables_error = QLabel()
        self.variables_error.setObjectName("workflowVariablesError")
        self.variables_error.setStyleSheet(ERROR_STYLE)
        self.variables_error.hide()
        layout.addWidget(self.variables_error)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        workflow = self.workflow
        for field_name, line in self.fields.items():
            value = getattr(workflow, field_name) or ""
            if line.text() != value:
                line.setText(value)
        for widget, setter, value in (
            (self.description, self.description.setPlainText, workflow.description or ""),
            (self.variables, self.variables.setPlainText, json.dumps(workflow.variable_data(), indent=2)),
        ):
            current = widget.toPlainText()
            same = current == value or (
                widget is self.variables and _same_json(current, workflow.variable_data())
            )
            if not same:
                blocked = widget.blockSignals(True)
                setter(value)
                widget.blockSignals(blocked)
        blocked = self.singleton.blockSignals(True)
        self.singleton.setChecked(bool(workflow.is_singleton))
        self.singleton.blockSignals(blocked)
        blocked = self.persistence.blockSignals(True)
        self.persistence.setCurrentText(workflow.persistence_behavior or "WorkflowBurst")
        self.persistence.blockSignals(blocked)

    def _edited(self, field_name: str, value: object, widget: QWidget | None) -> None:
        if getattr(self.workflow, field_name) == value:
            return
        session = self.sessions.session(widget) if widget is not None else None
        self.inspector.edit(lambda editor: editor.set_workflow_field(field_name, value, session))

    def _variables_edited(self) -> None:
        text = self.variables.toPlainText().strip() or "{}"
        try:
            data = json.loads(text)
        except ValueError as error:
            self.variables_error.setText(f"Variables are not valid JSON: {error}")
            self.variables_error.show()
            return
        if not isinstance(data, dict):
            self.variables_error.setText('Variables must be a JSON object: {"name": value, ...}')
            self.variables_error.show()
            return
        self.variables_error.hide()
        if data == self.workflow.variable_data():
            return
        bag = self.workflow.variables.model_copy(update={"data": data}) if self.workflow.variables else None
        bag = bag if bag is not None else VariableBag(data=data)
        session = self.sessions.session(self.variables)
        self.inspector.edit(lambda editor: editor.set_workflow_field("variables", bag, session))


def _same_json(text: str, data: dict) -> bool:
    try:
        return json.loads(text or "{}") == data
    except ValueError:
        return False


class Inspector(QScrollArea):
    """Shows an :class:`ActivityPanel` for one selected activity, else the :class:`WorkflowPanel`."""

    focusRequested = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectorArea")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.theme = theme
        self.workflow: WorkflowDefinition | None = None
        self.editor: WorkflowEditor | None = None
        self.panel: ActivityPanel | WorkflowPanel | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._applying = False
        self._empty()

    def _empty(self) -> None:
        placeholder = QLabel("Open or create a workflow to edit its activities here.")
        placeholder.setWordWrap(True)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.panel = None
        self.setWidget(placeholder)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._rebuild()

    def set_editor(self, editor: WorkflowEditor | None) -> None:
        """Edit the document of ``editor`` (None: no document is open)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.editor = editor
        self.workflow = editor.workflow if editor is not None else None
        if self.workflow is None:
            self._empty()
            return
        self._unsubscribe = self.workflow.subscribe(self._on_model_event)
        self.show_workflow()

    def show_activity(self, activity_id: str | None) -> None:
        """Edit this activity (None: the workflow settings)."""
        if self.workflow is None:
            return
        activity = self.workflow.activity(activity_id) if activity_id else None
        if activity is None:
            self.show_workflow()
            return
        if isinstance(self.panel, ActivityPanel) and self.panel.activity is activity:
            return
        self.panel = ActivityPanel(self, self.workflow, activity)
        self.setWidget(self.panel)

    def show_workflow(self) -> None:
        if self.workflow is None:
            return
        if isinstance(self.panel, WorkflowPanel) and self.panel.workflow is self.workflow:
            return
        self.panel = WorkflowPanel(self, self.workflow)
        self.setWidget(self.panel)

    def focus_first_field(self) -> None:
        if isinstance(self.panel, ActivityPanel):
            self.panel.name.setFocus()
            self.panel.name.selectAll()

    def focus_display_name(self) -> None:
        """Put the cursor in the activity's display name, all of it selected (Rename)."""
        if isinstance(self.panel, ActivityPanel):
            self.panel.display_name.setFocus()
            self.panel.display_name.selectAll()

    def _rebuild(self) -> None:
        if isinstance(self.panel, ActivityPanel):
            activity_id = self.panel.activity.activity_id
            self.panel = None
            self.show_activity(activity_id)
        elif isinstance(self.panel, WorkflowPanel):
            self.panel = None
            self.show_workflow()

    def edit(self, change: Callable[[WorkflowEditor], None]) -> None:
        """Make a change through the editor without echoing it back into the field being typed in."""
        if self.editor is None:
            return
        self._applying = True
        try:
            change(self.editor)
        finally:
            self._applying = False

    def _on_model_event(self, event: ModelEvent) -> None:
        panel = self.panel
        if isinstance(panel, WorkflowPanel):
            if event.kind is ModelEventKind.WORKFLOW_CHANGED and not self._applying:
                panel.refresh()
            return
        if not isinstance(panel, ActivityPanel) or event.activity_id != panel.activity.activity_id:
            return
        if event.kind is ModelEventKind.ACTIVITY_REMOVED:
            self.show_workflow()
        elif event.kind is ModelEventKind.PROPERTY_CHANGED:
            if not self._applying:
                panel.refresh_property(event.detail.get("property", ""))
        elif event.kind is ModelEventKind.ACTIVITY_CHANGED:
            if event.detail.get("field") == "properties":
                for editor in panel.property_editors.values():
                    editor.refresh()
            elif not self._applying:
                panel.refresh_fields()
