"""Property editors by UI hint, through a real inspector over a real undo stack."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QComboBox, QListWidget

from designer.panels.inspector import Inspector
from designer.theme import LIGHT
from runtime.model import WorkflowDefinition
from tests.designer.builders import activity, editor_for


def inspector_for(qtbot, workflow: WorkflowDefinition, activity_id: str) -> tuple[Inspector, QUndoStack]:
    """An inspector editing ``workflow`` through its document's editor; the document's undo stack."""
    editor = editor_for(workflow)
    inspector = Inspector(LIGHT)
    qtbot.addWidget(inspector)
    inspector.set_editor(editor)
    inspector.show_activity(activity_id)
    return inspector, editor.undo_stack


def test_check_list_edits_a_json_array(qtbot):
    workflow = WorkflowDefinition(
        name="W", activities=[activity("ep", "HttpEndpoint", Path="/x")], connections=[]
    )
    inspector, stack = inspector_for(qtbot, workflow, "ep")
    methods = inspector.panel.property_editors["methods"]
    listing = methods.editor.widget
    assert isinstance(listing, QListWidget)
    post = next(listing.item(i) for i in range(listing.count()) if listing.item(i).text() == "POST")
    post.setCheckState(Qt.CheckState.Checked)
    prop = workflow.activity("ep").get_property("Methods")
    assert json.loads(prop.expressions["Json"]) == ["POST"]
    stack.undo()
    assert workflow.activity("ep").get_property("Methods") is None
    assert post.checkState() == Qt.CheckState.Unchecked


def test_checkbox_and_undo_refreshes_the_field(qtbot):
    workflow = WorkflowDefinition(
        name="W", activities=[activity("ep", "HttpEndpoint", Path="/x")], connections=[]
    )
    inspector, stack = inspector_for(qtbot, workflow, "ep")
    box = inspector.panel.property_editors["readcontent"].editor.widget
    assert isinstance(box, QCheckBox)
    box.setChecked(True)
    assert workflow.activity("ep").get_property("ReadContent").expressions["Literal"] == "true"
    stack.undo()
    assert not box.isChecked()


def test_dropdown_for_options(qtbot):
    workflow = WorkflowDefinition(name="W", activities=[activity("h", "SendHttpRequest")], connections=[])
    inspector, _ = inspector_for(qtbot, workflow, "h")
    method = inspector.panel.property_editors["method"].editor.widget
    assert isinstance(method, QComboBox) and method.findText("POST") >= 0
    method.setCurrentText("POST")
    assert workflow.activity("h").get_property("Method").expressions["Literal"] == "POST"


def test_unknown_type_shows_its_properties_as_found(qtbot):
    workflow = WorkflowDefinition(
        name="W", activities=[activity("t", "TaskCreate", Title="Check the invoice")], connections=[]
    )
    inspector, _ = inspector_for(qtbot, workflow, "t")
    title = inspector.panel.property_editors["title"]
    assert title.editor.get_text() == "Check the invoice"


def test_removed_activity_returns_to_workflow_settings(qtbot):
    from designer.panels.inspector import WorkflowPanel

    workflow = WorkflowDefinition(name="W", activities=[activity("a"), activity("b")], connections=[])
    inspector, _ = inspector_for(qtbot, workflow, "a")
    workflow.remove_activity("a")
    assert isinstance(inspector.panel, WorkflowPanel)
