"""Copy and paste through the real system clipboard, across documents."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from designer.document import Document
from designer.editing.clipboard import FRAGMENT_MIME, read_fragment
from runtime.model import WorkflowDefinition
from tests.designer.builders import activity, chain, connection, editor_for


def test_copy_then_paste_in_another_document_gets_new_ids_and_keeps_inner_connections(qapp):
    source = Document(chain(3))
    source.workflow.add_connection(connection("a2", "a0", "Loop"))
    source_editor = editor_for(source)
    source_editor.scene.select_activities({"a0", "a1"})
    assert source_editor.copy()

    target_workflow = WorkflowDefinition(name="Other", activities=[activity("a0", x=0, y=0)], connections=[])
    target = Document(target_workflow)
    target_editor = editor_for(target)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasFormat(FRAGMENT_MIME) and '"activities"' in mime.text()
    new_ids = target_editor.paste_clipboard()
    assert len(new_ids) == 2 and not set(new_ids) & {"a0", "a1", "a2"}
    pasted = [target_workflow.activity(i) for i in new_ids]
    assert [a.name for a in pasted] == ["a1", "a2"] or all(a.name not in ("a0",) for a in pasted)
    assert len({a.name for a in target_workflow.activities}) == 3, "names stay unique"
    assert [(c.source_activity_id, c.target_activity_id, c.outcome) for c in target_workflow.connections] == [
        (new_ids[0], new_ids[1], "Done")
    ]
    assert [(a.x, a.y) for a in pasted] == [(40, 140), (300, 140)]
    assert set(target_editor.scene.selected_activity_ids()) == set(new_ids)
    assert target.undo_stack.count() == 1
    target.undo_stack.undo()
    assert [a.activity_id for a in target_workflow.activities] == ["a0"]
    assert len(source.workflow.activities) == 3, "the source is untouched"


def test_paste_plain_text_workflow_and_ignore_garbage(qapp):
    from PySide6.QtCore import QMimeData

    document = Document(chain(1))
    editor = editor_for(document)
    garbage = QMimeData()
    garbage.setText("hello")
    assert editor.paste(garbage) == []
    text = QMimeData()
    text.setText('{"activities":[{"activityId":"z","type":"WriteLine","x":5,"y":5}],"connections":[]}')
    ids = editor.paste(text)
    assert len(ids) == 1 and document.workflow.activity(ids[0]).type == "WriteLine"


def test_paste_at_an_anchor_and_duplicate(qapp):
    from PySide6.QtCore import QPointF

    document = Document(chain(2))
    editor = editor_for(document)
    editor.scene.select_activities({"a0", "a1"})
    mime = editor.copy_selection()
    ids = editor.paste(mime, anchor=QPointF(1000, 1000))
    assert [(document.workflow.activity(i).x, document.workflow.activity(i).y) for i in ids] == [
        (1000, 1000),
        (1260, 1000),
    ]
    duplicated = editor.duplicate_selection()
    assert len(duplicated) == 2 and document.undo_stack.undoText() == "Duplicate"
    assert read_fragment(None) is None
