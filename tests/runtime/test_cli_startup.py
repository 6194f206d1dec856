"""The command line starts at once: ``--help`` and ``--version`` import nothing heavy, each command only
what it uses, and the runtime imports without the host, the store or Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

HEAVY = ("pydantic", "networkx", "httpx", "quickjs", "liquid", "uvicorn", "starlette", "PySide6", "sqlite3")


def imported_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["run", "--help"], ["serve", "--help"]])
def test_help_and_version_import_nothing_heavy(argv: list[str]) -> None:
    code = (
        "import contextlib, io, runtime.cli\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        f"    runtime.cli.main({argv!r})"
    )
    assert imported_after(code).isdisjoint(HEAVY)


def test_validate_imports_neither_the_engine_nor_the_host() -> None:
    """Validation compiles the JavaScript and parses the Liquid it finds (QuickJS and python-liquid, only
    then, never running anything), but needs no host, store or Qt, nor pydantic: the workflow model is
    plain Python (importing pydantic and building its schemas was most of ``validate``'s start)."""
    code = (
        "import contextlib, io, runtime.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    runtime.cli.main(['validate', {str(PROJECT_ROOT / 'samples' / 'call-my-api.json')!r}])"
    )
    modules = imported_after(code)
    assert modules.isdisjoint({"uvicorn", "starlette", "PySide6", "sqlite3", "pydantic", "networkx"})


def test_validate_without_expressions_loads_no_expression_engine(tmp_path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(
        json.dumps({"activities": [{"activityId": "a", "type": "WriteLine", "properties": []}]}),
        encoding="utf-8",
    )
    code = (
        "import contextlib, io, runtime.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    runtime.cli.main(['validate', {str(plain)!r}])"
    )
    unwanted = {"quickjs", "liquid", "uvicorn", "starlette", "PySide6", "sqlite3"}
    assert imported_after(code).isdisjoint(unwanted)


def test_the_engine_runs_without_host_store_or_qt() -> None:
    """Nor httpx (0.15-0.2 s to import): a run imports it with its first HTTP request; nor networkx (0.3-0.4
    s): a step follows the compiled outcome tables, and the graph is built when something asks for it."""
    code = (
        "from runtime.builder import WorkflowBuilder\n"
        "from runtime.engine import WorkflowRunner\n"
        "w = WorkflowBuilder('W').add('s', 'SetVariable', VariableName='x', Value='1').build()\n"
        "assert WorkflowRunner().run_sync(w).variables == {'x': '1'}"
    )
    unwanted = {"uvicorn", "starlette", "PySide6", "designer", "httpx", "networkx"}
    assert imported_after(code).isdisjoint(unwanted)


PLUGIN_PROBE = """
import contextlib, gc, importlib.metadata, io, os, sys
asked = []
everything = importlib.metadata.entry_points
importlib.metadata.entry_points = lambda **kw: asked.append(kw.get("group")) or everything(**kw)
import runtime.cli
sys.argv = ["flowdesk", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()):
    code = runtime.cli.main(None if os.environ.get("PROBE_ARGV") != "given" else sys.argv[1:])
import runtime.remote.models  # the server's answers are pydantic models: building them looks for plug-ins
print(repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS")), "pydantic" in asked, code, gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize(
    ("setting", "argv_given", "expected"),
    [
        (None, False, "'1' False 0 True"),  # flowdesk is the program: no plug-ins, memory left to the exit
        ("", False, "'' True 0 True"),  # the user's own setting wins (empty: plug-ins on)
        (None, True, "None True 0 False"),  # main(argv) called by another program: its process is its own
    ],
)
def test_flowdesk_as_the_program_switches_pydantic_plugins_off_and_leaves_memory_to_the_exit(
    setting: str | None, argv_given: bool, expected: str
) -> None:
    env = {name: value for name, value in os.environ.items() if name != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    if argv_given:
        env["PROBE_ARGV"] = "given"
    sample = str(PROJECT_ROOT / "samples" / "call-my-api.json")
    result = subprocess.run(
        [sys.executable, "-c", PLUGIN_PROBE, "validate", sample],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    assert result.stdout.strip().splitlines()[-1] == expected


def test_only_runtime_commands_leave_their_memory_to_the_exit() -> None:
    from runtime import cli

    assert cli.LEAVE_TO_EXIT.issubset(cli.COMMANDS)
