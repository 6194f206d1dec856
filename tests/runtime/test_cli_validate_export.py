"""``flowdesk validate`` and ``flowdesk export``: output format and exit codes, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from runtime import __version__
from runtime.cli import main
from tests.conftest import PROJECT_ROOT

SOUND = {
    "activities": [
        {
            "activityId": "a",
            "type": "WriteLine",
            "displayName": "Say hi",
            "properties": [{"name": "Text", "expressions": {"Literal": "hi"}}],
        },
        {"activityId": "b", "type": "Finish", "properties": []},
    ],
    "connections": [{"sourceActivityId": "a", "targetActivityId": "b", "outcome": "Done"}],
}
WITH_WARNING = {
    "activities": [{"activityId": "x", "type": "TaskCreate", "name": "task", "properties": []}],
    "connections": [],
}
WITH_ERROR = {
    "activities": [
        {"activityId": "s", "type": "SendHttpRequest", "displayName": "Call API", "properties": []},
    ],
    "connections": [],
}


def write(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_validate_clean_file_prints_nothing_and_exits_0(tmp_path, capsys) -> None:
    path = write(tmp_path, "ok.json", SOUND)
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_validate_warnings_only_exit_0(tmp_path, capsys) -> None:
    path = write(tmp_path, "warn.json", WITH_WARNING)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: warning: task: activity type TaskCreate is not known; it will be kept as is but cannot "
        "run locally"
    ]


def test_validate_errors_exit_1_one_line_each(tmp_path, capsys) -> None:
    path = write(tmp_path, "bad.json", WITH_ERROR)
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: error: Call API: required property Url is missing"
    ]


def test_validate_workflow_level_problem_is_labelled_workflow(tmp_path, capsys) -> None:
    path = write(tmp_path, "empty.json", {"activities": [], "connections": []})
    assert main(["validate", str(path)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{path}: error: workflow: ")


def test_validate_unreadable_file_exits_2_and_checks_the_others(tmp_path, capsys) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"activities": [', encoding="utf-8")
    missing = tmp_path / "missing.json"
    bad = write(tmp_path, "bad.json", WITH_ERROR)
    assert main(["validate", str(broken), str(bad), str(missing)]) == 2
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"{broken}: error: is not valid JSON") and "line 1, column" in err[0]
    assert err[1] == f"{missing}: error: no such file"
    assert captured.out.splitlines() == [f"{bad}: error: Call API: required property Url is missing"]


def test_validate_corpus_output_format(corpus_dir, capsys) -> None:
    files = sorted(str(path) for path in corpus_dir.glob("*.json"))
    assert main(["validate", *files]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines
    for line in lines:
        file, severity, subject, message = line.split(": ", 3)
        assert file in files and severity in {"error", "warning"} and subject and message
    call_my_api = str(corpus_dir / "wow-call-my-api.json")
    assert any(
        line.startswith(f"{call_my_api}: warning: Send HTTP Request - api: ") and '"BaseURL"' in line
        for line in lines
    )


def test_validate_requires_a_file(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate"])
    assert exit_info.value.code == 2
    assert "FILE" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["validate", "export"])
def test_help_explains_the_command(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "exit status" in text and "FILE" in text


def test_export_is_lossless_for_every_corpus_file(corpus_dir, tmp_path, capsys) -> None:
    for path in sorted(corpus_dir.glob("*.json")):
        out = tmp_path / path.name
        assert main(["export", str(path), "-o", str(out)]) == 0
        assert json.loads(out.read_text(encoding="utf-8")) == json.loads(path.read_text(encoding="utf-8-sig"))
    assert capsys.readouterr().err == ""


def test_export_indent(tmp_path) -> None:
    source = write(tmp_path, "ok.json", SOUND)
    out = tmp_path / "pretty.json"
    assert main(["export", str(source), "-o", str(out), "--indent", "2"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith('{\n  "$id": "1",')
    assert json.loads(text)["activities"][0]["displayName"] == "Say hi"


def test_export_unreadable_input_exits_2_and_writes_nothing(tmp_path, capsys) -> None:
    source = tmp_path / "list.json"
    source.write_text("[1, 2]", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["export", str(source), "-o", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{source}: error: is a list, not a workflow definition (expected a JSON object)"
    )
    assert not out.exists()


def test_export_to_a_missing_folder_exits_1_with_one_line(tmp_path, capsys) -> None:
    source = write(tmp_path, "ok.json", SOUND)
    out = tmp_path / "no" / "such" / "out.json"
    assert main(["export", str(source), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and str(out) in err[0]
    assert not out.parent.exists()


def test_module_entry_point_help_and_version() -> None:
    for args, expected in ((["--help"], "validate"), (["--version"], f"flowdesk {__version__}")):
        result = subprocess.run(
            [sys.executable, "-m", "runtime.cli", *args],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
