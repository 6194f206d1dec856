"""Copy and paste through the real system clipboard, across documents."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from designer.canvas.clipboard import FRAGMENT_MIME, read_fragment
from designer.canvas.scene import WorkflowScene
from designer.document import Document
from designer.theme import LIGHT
from runtime.model import WorkflowDefinition
from tests.designer.builders import activity, chain, connection


def test_copy_then_paste_in_another_document_gets_new_ids_and_keeps_inner_connections(qapp):
    source = Document(chain(3))
    source.workflow.add_connection(connection("a2", "a0", "Loop"))
    source_scene = WorkflowScene(source, LIGHT)
    source_scene.select_activities({"a0", "a1"})
    QGuiApplication.clipboard().setMimeData(source_scene.copy_selection())

    target_workflow = WorkflowDefinition(name="Other", activities=[activity("a0", x=0, y=0)], connections=[])
    target = Document(target_workflow)
    target_scene = WorkflowScene(target, LIGHT)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasFormat(FRAGMENT_MIME) and '"activities"' in mime.text()
    new_ids = target_scene.paste(mime)
    assert len(new_ids) == 2 and not set(new_ids) & {"a0", "a1", "a2"}
    pasted = [target_workflow.activity(i) for i in new_ids]
    assert [a.name for a in pasted] == ["a1", "a2"] or all(a.name not in ("a0",) for a in pasted)
    assert len({a.name for a in target_workflow.activities}) == 3, "names stay unique"
    assert [(c.source_activity_id, c.target_activity_id, c.outcome) for c in target_workflow.connections] == [
        (new_ids[0], new_ids[1], "Done")
    ]
    assert [(a.x, a.y) for a in pasted] == [(40, 140), (300, 140)]
    assert set(target_scene.selected_activity_ids()) == set(new_ids)
    assert target.undo_stack.count() == 1
    target.undo_stack.undo()
    assert [a.activity_id for a in target_workflow.activities] == ["a0"]
    assert len(source.workflow.activities) == 3, "the source is untouched"


def test_paste_plain_text_workflow_and_ignore_garbage(qapp):
    from PySide6.QtCore import QMimeData

    document = Document(chain(1))
    scene = WorkflowScene(document, LIGHT)
    garbage = QMimeData()
    garbage.setText("hello")
    assert scene.paste(garbage) == []
    text = QMimeData()
    text.setText('{"activities":[{"activityId":"z","type":"WriteLine","x":5,"y":5}],"connections":[]}')
    ids = scene.paste(text)
    assert len(ids) == 1 and document.workflow.activity(ids[0]).type == "WriteLine"


def test_paste_at_an_anchor_and_duplicate(qapp):
    from PySide6.QtCore import QPointF

    document = Document(chain(2))
    scene = WorkflowScene(document, LIGHT)
    scene.select_activities({"a0", "a1"})
    mime = scene.copy_selection()
    ids = scene.paste(mime, anchor=QPointF(1000, 1000))
    assert [(document.workflow.activity(i).x, document.workflow.activity(i).y) for i in ids] == [
        (1000, 1000),
        (1260, 1000),
    ]
    duplicated = scene.duplicate_selection()
    assert len(duplicated) == 2 and document.undo_stack.undoText() == "Duplicate"
    assert read_fragment(None) is None
