"""Hostile and unlucky workflow files (issue 14): ``$ref`` bombs and cycles, deep nesting, lone surrogates,
wild coordinates, and writers killed mid-write. Every one ends in one line, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import (
    MAX_REF_EXPANSION,
    clean_newtonsoft,
    dumps_workflow,
    loads_workflow,
    save_workflow,
)
from runtime.errors import WorkflowFormatError, WorkflowSaveError
from runtime.files import remove_stale_temporaries, write_bytes_atomically, write_text_atomically
from runtime.jsonlimits import MAX_NESTING, JsonLimitError, escape_surrogates, loads_bounded
from runtime.validation import BAD_POSITION, drawable_position, validate
from tests.conftest import PROJECT_ROOT

ACTIVITY = {
    "activityId": "a1",
    "type": "WriteLine",
    "name": "w",
    "properties": [{"name": "Text", "expressions": {"Literal": "hi"}}],
}


def _workflow(**extra: object) -> dict[str, object]:
    return {
        "definitionId": "w",
        "name": "W",
        "version": 1,
        "activities": [ACTIVITY],
        "connections": [],
        **extra,
    }


def _ref_bomb(levels: int) -> dict[str, object]:
    """Each level refers twice to the one below: a few hundred bytes standing for 2**levels objects."""
    nodes: list[dict[str, object]] = [{"$id": "b0", "v": "x"}]
    for level in range(1, levels + 1):
        nodes.append({"$id": f"b{level}", "l": {"$ref": f"b{level - 1}"}, "r": {"$ref": f"b{level - 1}"}})
    return _workflow(defs=nodes, top={"$ref": f"b{levels}"})


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- $ref -----------------------------------------------------------------------------------------


def test_a_ref_bomb_is_refused_in_one_line_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(WorkflowFormatError) as raised:
        loads_workflow(json.dumps(_ref_bomb(40)), "bomb.json")
    assert time.perf_counter() - started < 2.0, "measured without expanding (before: 33 s at 22 levels)"
    message = str(raised.value)
    assert "\n" not in message and f"more than {MAX_REF_EXPANSION:,} values" in message


def test_shared_references_within_the_bound_are_expanded_as_copies() -> None:
    document = _workflow(shared={"$id": "s", "v": [1, 2]}, uses=[{"$ref": "s"}, {"$ref": "s"}])
    workflow = loads_workflow(json.dumps(document))
    uses = workflow.model_extra["uses"]
    assert uses == [{"v": [1, 2]}, {"v": [1, 2]}] and uses[0] is not uses[1]
    assert json.loads(dumps_workflow(workflow))["uses"][1]["v"] == [1, 2]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"loop": {"$id": "c", "self": {"$ref": "c"}}}, "refers to itself"),
        ({"a": {"$id": "a", "b": {"$id": "b", "back": {"$ref": "a"}}}}, "refers to itself"),
        ({"x": {"$ref": "nowhere"}}, "refers to no object"),
    ],
)
def test_reference_cycles_and_dangling_references_are_one_line(extra: dict[str, object], words: str) -> None:
    with pytest.raises(WorkflowFormatError, match=words):
        clean_newtonsoft(_workflow(**extra), "f.json")


def test_references_that_nest_past_the_limit_once_resolved_are_refused() -> None:
    chain: list[dict[str, object]] = [{"$id": "n0", "v": 1}]
    for index in range(1, MAX_NESTING + 5):
        chain.append({"$id": f"n{index}", "down": {"$ref": f"n{index - 1}"}})
    once_resolved = "nested deeper than 128 levels once '\\$ref's are resolved"
    with pytest.raises(WorkflowFormatError, match=once_resolved):
        clean_newtonsoft(_workflow(chain=chain, top={"$ref": f"n{MAX_NESTING + 4}"}), "f.json")


# --- nesting ----------------------------------------------------------------------------------------


def _nested(depth: int, kind: str = "list") -> str:
    return "[" * depth + "]" * depth if kind == "list" else '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 494, 100_000])
@pytest.mark.parametrize("kind", ["list", "object"])
def test_deep_nesting_is_a_one_line_error_with_its_place(depth: int, kind: str) -> None:
    text = json.dumps(_workflow(extra=0)).replace('"extra": 0', f'"extra": {_nested(depth, kind)}')
    with pytest.raises(WorkflowFormatError) as raised:
        loads_workflow(text, "deep.json")
    message = str(raised.value)
    assert message.startswith("deep.json: cannot be read: nested deeper than 128 levels (line 1, column ")
    assert "\n" not in message


def test_nesting_up_to_the_limit_loads_validates_and_exports() -> None:
    text = json.dumps(_workflow(extra=0)).replace('"extra": 0', f'"extra": {_nested(MAX_NESTING - 1)}')
    workflow = loads_workflow(text)
    validate(workflow)
    assert json.loads(dumps_workflow(workflow))["extra"] is not None


def test_the_bounded_reader_reports_numbers_python_will_not_read() -> None:
    with pytest.raises(JsonLimitError, match="a number longer than 4300 digits") as raised:
        loads_bounded('{"n": ' + "9" * 5000 + "}")
    assert raised.value.colno == 7
    with pytest.raises(WorkflowFormatError, match="cannot be read: a number longer than 4300 digits"):
        loads_workflow(json.dumps(_workflow()).replace('"version": 1', '"version": ' + "9" * 5000))


@pytest.mark.parametrize("command", ["validate", "export", "run", "render"])
def test_every_command_answers_deep_files_and_bombs_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    if command == "render":
        pytest.importorskip("PySide6")
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps(_workflow(extra=0)).replace('"extra": 0', f'"extra": {_nested(5000)}'))
    bomb = tmp_path / "bomb.json"
    bomb.write_text(json.dumps(_ref_bomb(30)))
    for path in (deep, bomb):
        extra = {"export": ["-o", str(tmp_path / "out.json")], "render": ["-o", str(tmp_path / "out.png")]}
        args = [command, str(path), *extra.get(command, [])]
        if command == "run":
            args += ["--store", str(tmp_path / "store.db")]
        code, out, err = _cli(capsys, *args)
        assert code == 2, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in err and "cannot be read" in lines[0]


def test_serve_skips_a_deep_file_in_a_folder_with_a_warning(tmp_path: Path) -> None:
    from runtime.host.server import load_hosted

    deep = json.dumps(_workflow(extra=0)).replace('"extra": 0', f'"extra": {_nested(3000)}')
    (tmp_path / "deep.json").write_text(deep)
    (tmp_path / "bomb.json").write_text(json.dumps(_ref_bomb(30)))
    warnings: list[str] = []
    assert load_hosted([tmp_path], warnings.append) == []
    assert len(warnings) == 2 and all("cannot be read" in warning for warning in warnings)


def test_deep_json_in_an_expression_or_the_input_is_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builder = WorkflowBuilder("J").add("f", "Finish", ActivityOutput=("Json", _nested(50_000)))
    path = tmp_path / "j.json"
    save_workflow(builder.build(), path)
    assert _cli(capsys, "validate", str(path))[0] in (0, 1)
    code, out, err = _cli(capsys, "run", str(path), "--store", str(tmp_path / "s.db"))
    assert "Traceback" not in err
    store = str(tmp_path / "s.db")
    code, out, err = _cli(capsys, "run", str(path), "--input", _nested(50_000), "--store", store)
    assert code == 2 and err.startswith("flowdesk: --input: not valid JSON: nested deeper than 128 levels")


# --- lone surrogates --------------------------------------------------------------------------------


SURROGATE_WORKFLOW = {
    "definitionId": "sur",
    "name": "S\ud800",
    "version": 1,
    "activities": [
        {
            "activityId": "a1",
            "type": "SetVariable",
            "name": "n\ud800",
            "displayName": "d\udc00",
            "properties": [
                {"name": "VariableName", "expressions": {"Literal": "v\ud800"}},
                {"name": "Value", "syntax": "Literal", "expressions": {"Literal": "val\udbff"}},
            ],
        },
        {
            "activityId": "a2",
            "type": "Finish",
            "name": "fin",
            "properties": [
                {"name": "ActivityOutput", "syntax": "Literal", "expressions": {"Literal": "out\ud802"}},
                {"name": "Check", "syntax": "JavaScript", "expressions": {"JavaScript": "'\ud801'"}},
            ],
        },
    ],
    "connections": [{"sourceActivityId": "a1", "targetActivityId": "a2", "outcome": "Done"}],
    "variables": {"data": {"x\udfff": "y\ud800"}},
}


def test_lone_surrogates_are_escaped_on_every_output(tmp_path: Path) -> None:
    """In a real process (strict UTF-8 stdout): validate, export, run and their log lines."""
    source = tmp_path / "sur.json"
    source.write_text(json.dumps(SURROGATE_WORKFLOW), encoding="utf-8")  # ASCII: "\ud800" escapes
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for args in (
        ["validate", str(source)],
        ["export", str(source), "-o", str(tmp_path / "out.json")],
        ["run", str(source), "--store", str(tmp_path / "s.db"), "-v"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "runtime.cli", *args], capture_output=True, cwd=PROJECT_ROOT, env=env
        )
        out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")  # valid UTF-8 throughout
        assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
        assert result.returncode in (0, 1), err
    exported = (tmp_path / "out.json").read_bytes().decode("utf-8")
    assert "\\ud800" in exported and json.loads(exported)["name"] == "S\ud800"
    assert json.loads(out) == "out\ud802", "the run's output is JSON with the surrogate escaped"
    assert escape_surrogates("a\udfffb") == "a\\udfffb"


# --- coordinates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y", "drawn"),
    [
        (1e308, 5, (1_000_000.0, 5.0)),
        (-(10**400), 3, (-1_000_000.0, 3.0)),
        (float("nan"), 0, None),
        (float("inf"), 0, None),
        (1_000_000, -1_000_000, (1_000_000.0, -1_000_000.0)),
    ],
)
def test_wild_coordinates_are_a_warning_and_drawable(x: float, y: float, drawn: object) -> None:
    workflow = WorkflowBuilder("C").add("w", "WriteLine", Text="hi", at=(0, 0)).build()
    workflow.activities[0].x, workflow.activities[0].y = x, y
    codes = [problem.code for problem in validate(workflow)]
    assert (BAD_POSITION in codes) == (drawn != (1_000_000.0, -1_000_000.0))
    assert drawable_position(x, y) == drawn


def test_validate_warns_about_a_file_with_nan_and_huge_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.json"
    text = json.dumps({**_workflow(), "activities": [{**ACTIVITY, "x": 0, "y": 0}]})
    path.write_text(text.replace('"x": 0, "y": 0', '"x": NaN, "y": 1e400'))
    code, out, _ = _cli(capsys, "validate", str(path))
    assert code == 0 and "warning: w: position (nan, inf) is not a finite number within ±1,000,000" in out


# --- writers ----------------------------------------------------------------------------------------


def _temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "is-a-folder"
    target.mkdir()
    with pytest.raises(WorkflowSaveError, match="cannot be written"):
        write_text_atomically(target, "text")
    assert _temporaries(tmp_path) == []

    class Boom(Exception):
        pass

    def fail(fd: int) -> None:
        raise Boom

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(Boom):
        write_bytes_atomically(tmp_path / "x.json", b"data")
    assert _temporaries(tmp_path) == [] and not (tmp_path / "x.json").exists()


def test_a_temporary_file_of_a_dead_writer_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".out.json.{dead.stdout.strip()}.abcd1234.tmp"
    stale.write_text("half a file")
    alive = tmp_path / f".out.json.{os.getppid()}.abcd1234.tmp"  # a live process's write in progress
    alive.write_text("being written")
    unnamed_old = tmp_path / ".out.json.k3j4h5.tmp"
    unnamed_old.write_text("from an older Flowdesk")
    os.utime(unnamed_old, (time.time() - 7200, time.time() - 7200))
    other = tmp_path / ".other.json.1.abcd.tmp"
    other.write_text("another file's")
    write_text_atomically(target, "new")
    assert _temporaries(tmp_path) == sorted([alive, other])
    assert remove_stale_temporaries(target) == 0


def test_export_killed_mid_write_is_cleaned_up_and_sigterm_removes_its_own(tmp_path: Path) -> None:
    """A real export of a ~6 MB workflow, stopped while its temporary file exists."""
    big = WorkflowBuilder("Big")
    for index in range(3000):
        big.add(f"a{index}", "WriteLine", Text="x" * 2000)
    source = tmp_path / "big.json"
    save_workflow(big.build(), source)
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    out = out_folder / "big.json"

    def export_and_stop(sig: signal.Signals) -> int | None:
        process = subprocess.Popen(
            [sys.executable, "-m", "runtime.cli", "export", str(source), "-o", str(out)], cwd=PROJECT_ROOT
        )
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if _temporaries(out_folder):
                process.send_signal(sig)
                break
            time.sleep(0.0005)
        return process.wait(60)

    codes = [export_and_stop(signal.SIGTERM) for _ in range(2)]
    assert _temporaries(out_folder) == [], f"SIGTERM unwinds and removes the temporary file ({codes})"
    export_and_stop(signal.SIGKILL)
    left = _temporaries(out_folder)
    export = [sys.executable, "-m", "runtime.cli", "export", str(source), "-o", str(out)]
    subprocess.run(export, cwd=PROJECT_ROOT, check=True)
    assert _temporaries(out_folder) == [], f"the next export removes what a killed one left ({left})"
    assert (out.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_saved_servers_are_written_atomically_and_privately(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from runtime.remote.servers import ServerEntry, ServerStore

    monkeypatch.setenv("FLOWDESK_CONFIG_DIR", str(tmp_path))
    store = ServerStore()
    store.save(ServerEntry("a", "http://127.0.0.1:1", {}))
    assert (store.path.stat().st_mode & 0o777) == 0o600
    assert _temporaries(store.path.parent) == []
