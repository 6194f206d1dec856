"""The command line finds the designer's commands through the ``flowdesk.commands`` entry points, never by
importing ``designer`` itself; the runtime and its headless commands work where Qt cannot be imported."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import designer.cli.open
from runtime import cli
from runtime.builder import WorkflowBuilder
from runtime.elsa_json import save_workflow
from tests.conftest import PROJECT_ROOT

WITHOUT_QT = """
import sys
from importlib.abc import MetaPathFinder

class NoQt(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoQt())
import runtime.cli
try:
    code = runtime.cli.main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print("loaded:", sorted({m.split(".")[0] for m in sys.modules} & {"PySide6", "shiboken6", "designer"}))
sys.exit(code)
"""


def without_qt(*argv: str) -> subprocess.CompletedProcess[str]:
    """``flowdesk ARGV`` in a fresh interpreter where importing PySide6 fails as if it were not installed."""
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_QT, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )


def test_run_and_validate_work_without_qt(tmp_path: Path):
    workflow = (
        WorkflowBuilder("NoQt")
        .add("set", "SetVariable", VariableName="x", Value=("JavaScript", "6 * 7"))
        .add("finish", "Finish", ActivityOutput=("JavaScript", "({answer: getVariable('x')})"))
        .chain("set", "finish")
        .build()
    )
    path = tmp_path / "no-qt.json"
    save_workflow(workflow, path)
    ran = without_qt("run", str(path), "--store", str(tmp_path / "store.sqlite3"))
    assert ran.returncode == 0, ran.stderr
    output, loaded = ran.stdout.rsplit("loaded:", 1)
    assert json.loads(output) == {"answer": 42}
    assert json.loads(loaded.replace("'", '"')) == []
    checked = without_qt("validate", str(PROJECT_ROOT / "samples" / "call-my-api.json"))
    assert checked.returncode == 0, checked.stderr
    assert "loaded: []" in checked.stdout


def test_help_lists_the_designer_commands_without_qt():
    shown = without_qt("--help")
    assert shown.returncode == 0
    listed = shown.stdout.split("loaded:")[0]
    assert "open" in listed and "render" in listed and "validate" in listed
    assert "PySide6" not in shown.stdout.split("loaded:")[1]


@pytest.mark.parametrize("argv", [(), ("open",), ("render", "x.json", "-o", "x.png")])
def test_a_designer_command_without_qt_says_so_in_one_line(argv: tuple[str, ...]):
    result = without_qt(*argv)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("flowdesk: ") and "needs Qt (PySide6)" in line and "Traceback" not in line


def test_plain_flowdesk_opens_the_designer(monkeypatch):
    opened: list[list[str]] = []
    monkeypatch.setattr(designer.cli.open, "open_command", lambda args: opened.append(args.files) or 0)
    assert cli.main([]) == 0
    assert opened == [[]]


def test_plain_flowdesk_without_the_designer_says_so(monkeypatch, capsys):
    monkeypatch.setattr(cli, "plugin_commands", lambda taken: [])
    assert cli.main([]) == 2
    assert capsys.readouterr().err.strip() == f"flowdesk: {cli.NO_DESIGNER}"


def test_plugins_come_from_the_entry_point_group_and_never_replace_a_runtime_command(monkeypatch):
    def broken() -> None:
        raise ModuleNotFoundError("No module named 'gone'", name="gone")

    entries = [
        SimpleNamespace(name="hello", load=lambda: "register hello"),
        SimpleNamespace(name="run", load=lambda: "a second run"),
        SimpleNamespace(name="gone", load=broken),
        SimpleNamespace(name="hello", load=lambda: "a second hello"),
    ]
    asked: list[str] = []

    def entry_points(group: str) -> list[SimpleNamespace]:
        asked.append(group)
        return entries

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    assert cli.plugin_commands({"run", "validate"}) == ["register hello"]
    assert asked == [cli.PLUGIN_GROUP]


def test_the_installed_metadata_registers_open_and_render():
    entries = {e.name: e.value for e in importlib.metadata.entry_points(group=cli.PLUGIN_GROUP)}
    assert entries == {"open": "designer.cli.open:register", "render": "designer.cli.render:register"}


@pytest.mark.parametrize("argv", [["run", "--help"], ["--version"], ["validate", "--help"]])
def test_runtime_commands_read_no_entry_points(argv: list[str]):
    code = (
        "import contextlib, io, sys, runtime.cli\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        f"    runtime.cli.main({argv!r})\n"
        "print(sorted(m for m in sys.modules if m == 'designer' or m == 'importlib.metadata'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
