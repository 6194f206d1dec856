"""``flowdesk history timeline ID -o OUT.png|svg``: the runtime's command draws with the designer's chart,
found through the ``flowdesk.renderers`` entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import save_workflow


@pytest.fixture
def run_id(tmp_path: Path, capsys) -> str:
    child = WorkflowBuilder("Child").add("say", "WriteLine", Text="child").build()
    parent = (
        WorkflowBuilder("Parent")
        .add("first", "SetVariable", VariableName="x", Value="1")
        .add("call", "RunWorkflow", WorkflowDefinitionId="child", Mode="Blocking")
        .add("last", "WriteLine", Text="done")
        .chain("first", "call", "last")
        .build()
    )
    save_workflow(child, tmp_path / "child.json")
    save_workflow(parent, tmp_path / "parent.json")
    assert main(["run", str(tmp_path / "parent.json"), "--store", str(tmp_path / "s.db")]) == 0
    capsys.readouterr()
    assert main(["history", "--store", str(tmp_path / "s.db"), "--json"]) == 0
    return json.loads(capsys.readouterr().out)[0]["id"]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_a_timeline_is_drawn_to_a_picture(tmp_path: Path, capsys, run_id: str, suffix: str) -> None:
    output = tmp_path / f"timeline{suffix}"
    assert (
        main(["history", "timeline", run_id[:8], "-o", str(output), "--store", str(tmp_path / "s.db")]) == 0
    )
    said = capsys.readouterr().out
    assert said.startswith(f"{output}: ") and "4 bars on 4 rows" in said
    if suffix == ".png":
        image = QImage(str(output))
        assert not image.isNull() and image.width() == 2400
    else:
        text = output.read_text(encoding="utf-8")
        assert "<svg" in text and "Parent" in text


def test_a_bad_output_name_is_one_line(tmp_path: Path, capsys, run_id: str) -> None:
    code = main(
        ["history", "timeline", run_id, "-o", str(tmp_path / "x.gif"), "--store", str(tmp_path / "s.db")]
    )
    assert code == 2
    assert "use .png or .svg" in capsys.readouterr().err
