"""Documents: the whole corpus opens and saves losslessly; the unsaved mark follows the undo stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.document import Document, FileStyle
from designer.editing.commands import MoveCommand
from runtime.errors import WorkflowFormatError
from tests.conftest import corpus_files


def without_ids(value):
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "$id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_open_and_save_without_edits_keeps_the_file(path: Path, tmp_path, qapp):
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    document = Document.open(copy)
    assert not document.is_modified
    document.save()
    saved = copy.read_bytes()
    assert saved == path.read_bytes()
    assert without_ids(json.loads(saved.decode("utf-8-sig"))) == without_ids(
        json.loads(path.read_text("utf-8-sig"))
    )


def test_corpus_is_present(corpus_dir):
    assert len(list(corpus_dir.glob("*.json"))) >= 8


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_edit_then_undo_saves_the_original_again(path: Path, tmp_path, qapp):
    document = Document.open(path)
    first = document.workflow.activities[0]
    old = (float(first.x), float(first.y)) if first.x is not None else None
    document.undo_stack.push(MoveCommand(document.workflow, {first.activity_id: (old, (12345, 678))}))
    assert document.is_modified
    document.undo_stack.undo()
    assert not document.is_modified
    target = tmp_path / "out.json"
    document.save(target)
    assert target.read_bytes() == path.read_bytes()


def test_modified_mark_follows_the_clean_state(qapp, qtbot):
    from tests.designer.builders import chain

    document = Document(chain(2))
    with qtbot.waitSignal(document.modifiedChanged) as blocker:
        document.undo_stack.push(MoveCommand(document.workflow, {"a0": ((0, 100), (20, 100))}))
    assert blocker.args == [True] and document.is_modified
    document.undo_stack.undo()
    assert not document.is_modified


def test_save_as_sets_the_path_and_title(tmp_path, qapp):
    document = Document.new()
    assert document.title == "NewWorkflow" and document.path is None
    with pytest.raises(ValueError):
        document.save()
    target = tmp_path / "mine.json"
    document.save(target)
    assert document.path == target.resolve() and document.title == "mine.json"
    reopened = Document.open(target)
    assert reopened.workflow.name == "NewWorkflow" and reopened.workflow.activities == []


def test_export_leaves_the_document_state_alone(tmp_path, qapp):
    from tests.designer.builders import chain

    document = Document(chain(2))
    document.undo_stack.push(MoveCommand(document.workflow, {"a0": ((0, 100), (20, 100))}))
    document.export_to(tmp_path / "copy.json")
    assert document.is_modified and document.path is None
    assert json.loads((tmp_path / "copy.json").read_text())["activities"][0]["x"] == 20


def test_file_style_is_detected():
    assert FileStyle.of_text('{"a":1}') == FileStyle(indent=None, bom=False, final_newline=False)
    assert FileStyle.of_text('\ufeff{\n    "a": 1\n}\n') == FileStyle(indent=4, bom=True, final_newline=True)


def test_bad_file_raises_a_one_line_format_error(tmp_path, qapp):
    bad = tmp_path / "bad.json"
    bad.write_text('{"activities": [', encoding="utf-8")
    with pytest.raises(WorkflowFormatError) as caught:
        Document.open(bad)
    assert "bad.json" in str(caught.value) and "\n" not in str(caught.value)
