"""``flowdesk run``: stdout is the output JSON, stderr the streamed log; exit 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import runtime.files as files
import runtime.flowtest.testfile as testfile
from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import save_workflow
from runtime.errors import WorkflowSaveError
from runtime.history.recorder import _open_writers
from tests.conftest import PROJECT_ROOT


def _save(tmp_path: Path, builder: WorkflowBuilder, name: str = "flow.json") -> Path:
    path = tmp_path / name
    save_workflow(builder.build(), path)
    return path


def _greeter() -> WorkflowBuilder:
    return (
        WorkflowBuilder("Greeter")
        .add("name", "SetVariable", VariableName="name", Value=("JavaScript", "input.name"))
        .add(
            "corr",
            "Correlate",
            display_name="Correlate - start",
            Value=("JavaScript", '"greet-" + getVariable("name")'),
        )
        .add(
            "finish",
            "Finish",
            ActivityOutput=("JavaScript", '({greeting: "hello " + getVariable("name")})'),
        )
        .chain("name", "corr", "finish")
    )


def test_run_prints_the_output_as_json_and_streams_the_log(tmp_path: Path, capsys) -> None:
    path = _save(tmp_path, _greeter())
    code = main(["run", str(path), "--input", '{"name": "Ada"}', "--store", str(tmp_path / "s.db")])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out) == {"greeting": "hello Ada"}
    lines = captured.err.strip().splitlines()
    assert any("CORRELATE" in line and "greet-Ada" in line and "Correlate - start" in line for line in lines)
    assert lines[-1].split()[2] == "FINISH"


def test_input_from_a_file(tmp_path: Path, capsys) -> None:
    path = _save(tmp_path, _greeter())
    (tmp_path / "in.json").write_text('{"name": "Grace"}')
    assert main(["run", str(path), "--input", f"@{tmp_path / 'in.json'}"]) == 0
    assert json.loads(capsys.readouterr().out) == {"greeting": "hello Grace"}


def test_a_fault_exits_1_and_names_activity_property_and_cause(tmp_path: Path, capsys) -> None:
    builder = WorkflowBuilder("Bad").add(
        "set",
        "SetVariable",
        display_name="Set it",
        VariableName="x",
        Value=("JavaScript", "input.missing.deeper"),
    )
    code = main(["run", str(_save(tmp_path, builder))])
    err = capsys.readouterr().err
    assert code == 1
    assert "faulted" in err and '"Set it"' in err and "property Value" in err
    assert "Traceback" not in err


def test_unusable_input_exits_2_with_one_line(tmp_path: Path, capsys) -> None:
    path = _save(tmp_path, _greeter())
    assert main(["run", str(path), "--input", "{not json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--input: not valid JSON" in err and "column" in err
    (tmp_path / "broken.json").write_text("{")
    assert main(["run", str(tmp_path / "broken.json")]) == 2
    assert "broken.json" in capsys.readouterr().err


def test_sub_workflows_are_found_in_the_folder_of_the_file(tmp_path: Path, capsys) -> None:
    _save(tmp_path, WorkflowBuilder("Child").add("f", "Finish", ActivityOutput="from child"), "child.json")
    parent = (
        WorkflowBuilder("Parent")
        .add("call", "RunWorkflow", name="call", WorkflowDefinitionId="Child", Mode="Blocking")
        .add("f", "Finish", ActivityOutput=("JavaScript", "activities.call.Output().WorkflowOutput"))
        .chain("call", "f")
    )
    assert main(["run", str(_save(tmp_path, parent, "parent.json"))]) == 0
    assert json.loads(capsys.readouterr().out) == "from child"


def test_the_console_script_entry_point_runs_as_a_process(tmp_path: Path) -> None:
    path = _save(tmp_path, _greeter())
    result = subprocess.run(
        [sys.executable, "-m", "runtime.cli", "run", str(path), "--input", '{"name": "Lin"}'],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"greeting": "hello Lin"}


def test_verbose_log_masks_tokens_and_passwords(tmp_path: Path, capsys) -> None:
    builder = (
        WorkflowBuilder("Secrets")
        .add("token", "SetVariable", VariableName="access_token", Value="abcdefghijklmnop1234")
        .add(
            "creds",
            "SetVariable",
            VariableName="Creds",
            Value=("Json", '{"Data1": "wow", "password": "hunter2hunter2"}'),
        )
        .chain("token", "creds")
    )
    assert main(["run", str(_save(tmp_path, builder)), "--verbose"]) == 0
    err = capsys.readouterr().err
    assert 'access_token = "****"' in err
    assert "abcdefghijklmnop" not in err and "hunter2hunter2" not in err
    assert '"Data1": "****"' in err, "a variable named Creds is masked whole, its user name too"


def _record(tmp_path: Path, target: Path) -> int:
    path = _save(tmp_path, _greeter())
    store = tmp_path / "s.db"
    return main(
        ["run", str(path), "--input", '{"name": "Ada"}', "--store", str(store), "--record", str(target)]
    )


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("tets/greeter.flowtest.json", "no such folder"),
        ("folder", "is a folder; name the test file"),
        ("flow.json", "is the workflow file itself"),
    ],
)
def test_a_record_target_that_cannot_be_written_stops_before_the_run(
    tmp_path: Path, capsys, target: str, said: str
) -> None:
    (tmp_path / "folder").mkdir()
    assert _record(tmp_path, tmp_path / target) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, "one line, and nothing ran"
    assert captured.err.startswith(f"flowdesk: --record {tmp_path / target}: {said}")
    assert not (tmp_path / "s.db").exists(), "no store and no history were opened"
    assert not (tmp_path / "tets").exists()


def test_a_record_folder_that_is_not_writable_stops_before_the_run(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setattr(testfile.os, "access", lambda path, mode: False)
    assert _record(tmp_path, tmp_path / "greeter.flowtest.json") == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"flowdesk: --record {tmp_path / 'greeter.flowtest.json'}: the folder {tmp_path} is not writable\n"
    )


def test_a_test_that_cannot_be_written_after_the_run_still_prints_the_output(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    write = files.write_text_atomically

    def refuse(target: Path, text: str, mode: int | None = None) -> None:
        if not target.name.endswith(".flowtest.json"):
            return write(target, text, mode)
        raise WorkflowSaveError(f"{target}: cannot be written (No space left on device)")

    monkeypatch.setattr(files, "write_text_atomically", refuse)
    target = tmp_path / "greeter.flowtest.json"
    assert _record(tmp_path, target) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"greeting": "hello Ada"}
    assert (
        f"flowdesk: {target}: cannot be written (No space left on device); the run was not recorded as a test"
        in captured.err
    )
    assert not any(writer.path == (tmp_path / "s.db").resolve() for writer in _open_writers), "closed"
    assert main(["history", "--store", str(tmp_path / "s.db"), "--json"]) == 0
    assert [run["workflow"] for run in json.loads(capsys.readouterr().out)] == ["Greeter"]


def test_a_record_name_flowdesk_test_would_not_find_is_warned_of(tmp_path: Path, capsys) -> None:
    assert _record(tmp_path, tmp_path / "greeter.json.test") == 0
    err = capsys.readouterr().err
    assert "flowdesk: --record" in err and "does not end in .flowtest.json" in err
    assert "flowdesk: recorded" in err and (tmp_path / "greeter.json.test").is_file()
