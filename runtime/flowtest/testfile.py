"""The ``.flowtest.json`` file: a recorded run and what its replay must do again (format: README).

Reading is strict about the shape (a one-line :class:`FlowTestError` naming the file and the place) and
lenient about what it does not know (kept when the file is written back).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from runtime.errors import FlowdeskError, describe_json_error

FORMAT = 1
SUFFIX = ".flowtest.json"
STATUSES = ("Finished", "Faulted", "Cancelled")


class FlowTestError(FlowdeskError):
    """A test file that cannot be used (not JSON, not a test, a missing workflow...)."""


@dataclass
class PathStep:
    """One executed activity of the expected path."""

    workflow: str
    activity_id: str
    activity: str = ""
    outcomes: tuple[str, ...] = ()
    error: bool = False

    def to_json(self) -> dict[str, Any]:
        step: dict[str, Any] = {
            "workflow": self.workflow,
            "activityId": self.activity_id,
            "activity": self.activity,
            "outcomes": list(self.outcomes),
        }
        if self.error:
            step["faulted"] = True
        return step

    def describe(self) -> str:
        where = f'{self.workflow} / "{self.activity or self.activity_id}"'
        if self.activity and self.activity != self.activity_id:
            where += f" ({self.activity_id})"
        if self.error:
            return f"{where} faulted"
        return f"{where} → {', '.join(self.outcomes) or '(no outcome)'}"


@dataclass
class Expectations:
    """What the replay must do again, and the checks loosened by hand."""

    status: str = "Finished"
    outcomes: list[str] = field(default_factory=list)
    output: Any = None
    fault: str | None = None
    path: list[PathStep] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    """JSONPaths into the output that are not compared at all."""
    any_value: list[str] = field(default_factory=list)
    """JSONPaths into the output that must be there, with any value (a token, a generated id)."""
    check_path: bool = True
    check_fault_text: bool = True


@dataclass
class FlowTest:
    """A test file read (or about to be written)."""

    file: Path
    name: str
    workflow_file: str
    """As the file says it: relative to the test file's folder, or absolute."""
    workflow_hash: str | None = None
    workflow_name: str | None = None
    definition_id: str | None = None
    version: int | None = None
    workflows_folder: str | None = None
    input: Any = None
    clock: datetime | None = None
    store: dict[str, Any] = field(default_factory=lambda: {"types": [], "instances": {}})
    http: list[dict[str, Any]] = field(default_factory=list)
    expect: Expectations = field(default_factory=Expectations)
    extra: dict[str, Any] = field(default_factory=dict)
    """Top-level keys this version does not know, kept."""

    @property
    def workflow_path(self) -> Path:
        path = Path(self.workflow_file)
        return path if path.is_absolute() else (self.file.parent / path).resolve()

    @property
    def library_folder(self) -> Path:
        if self.workflows_folder:
            folder = Path(self.workflows_folder)
            return folder if folder.is_absolute() else (self.file.parent / folder).resolve()
        return self.workflow_path.parent

    def to_json(self) -> dict[str, Any]:
        expect: dict[str, Any] = {
            "status": self.expect.status,
            "outcomes": list(self.expect.outcomes),
            "output": self.expect.output,
        }
        if self.expect.fault is not None:
            expect["fault"] = self.expect.fault
        expect["path"] = [step.to_json() for step in self.expect.path]
        expect["ignore"] = list(self.expect.ignore)
        expect["anyValue"] = list(self.expect.any_value)
        if not self.expect.check_path:
            expect["checkPath"] = False
        if not self.expect.check_fault_text:
            expect["checkFaultText"] = False
        workflow: dict[str, Any] = {"file": self.workflow_file}
        for key, value in (
            ("sha256", self.workflow_hash),
            ("name", self.workflow_name),
            ("definitionId", self.definition_id),
            ("version", self.version),
        ):
            if value is not None:
                workflow[key] = value
        document: dict[str, Any] = {"flowtest": FORMAT, "name": self.name, "workflow": workflow}
        if self.workflows_folder:
            document["workflows"] = self.workflows_folder
        document["input"] = self.input
        document["clock"] = iso_instant(self.clock) if self.clock is not None else None
        document["store"] = self.store
        document["http"] = self.http
        document["expect"] = expect
        return {**document, **{k: v for k, v in self.extra.items() if k not in document}}


def iso_instant(moment: datetime) -> str:
    """``2026-12-01T17:35:02.340Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def relative_to(target: Path, folder: Path) -> str:
    """``target`` as the test file names it: relative to its folder (with /) when it is at most two folders
    up, so a test and its workflow move together; else absolute."""
    try:
        relative = Path(os.path.relpath(target.resolve(), folder.resolve()))
    except ValueError:  # another drive (Windows)
        return target.resolve().as_posix()
    if relative.parts[:3] == ("..", "..", ".."):
        return target.resolve().as_posix()
    return relative.as_posix()


def write_test(test: FlowTest) -> None:
    """Write the test file atomically (a temporary file renamed over it)."""
    from runtime.elsa_json import write_text_atomically

    text = json.dumps(test.to_json(), ensure_ascii=False, indent=2, default=str) + "\n"
    try:
        test.file.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(test.file, text)
    except OSError as error:
        raise FlowTestError(f"{test.file}: cannot be written ({error.strerror or error})") from None


def load_test(path: str | os.PathLike[str]) -> FlowTest:
    """Read a test file; raises :class:`FlowTestError` with one line naming the file and what is wrong."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise FlowTestError(f"{file}: cannot be read ({error.strerror or error})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FlowTestError(f"{file}: {describe_json_error(error)}") from None
    return parse_test(document, file)


def parse_test(document: Any, file: Path) -> FlowTest:
    def fail(place: str, message: str) -> FlowTestError:
        return FlowTestError(f"{file}: {place}: {message}" if place else f"{file}: {message}")

    if not isinstance(document, dict) or "flowtest" not in document:
        raise fail("", 'not a Flowdesk test (no "flowtest" key)')
    if document["flowtest"] != FORMAT:
        raise fail("flowtest", f"format {document['flowtest']!r} is not one this version reads ({FORMAT})")
    workflow = document.get("workflow")
    if isinstance(workflow, str):
        workflow = {"file": workflow}
    if not isinstance(workflow, dict) or not isinstance(workflow.get("file"), str) or not workflow["file"]:
        raise fail("workflow", 'expected {"file": "path/to/workflow.json", ...}')
    clock = document.get("clock")
    moment = None
    if clock is not None:
        if not isinstance(clock, str):
            raise fail("clock", "expected an ISO-8601 instant such as 2026-01-01T12:00:00.000Z")
        try:
            moment = datetime.fromisoformat(clock.replace("Z", "+00:00"))
        except ValueError:
            raise fail("clock", f"{clock!r} is not an ISO-8601 instant") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    store = document.get("store", {"types": [], "instances": {}})
    if not isinstance(store, dict):
        raise fail("store", 'expected a seed {"types": [...], "instances": {...}}')
    http = document.get("http", [])
    if not isinstance(http, list) or not all(isinstance(item, dict) for item in http):
        raise fail("http", "expected a list of exchanges")
    for index, exchange in enumerate(http):
        request = exchange.get("request")
        if not isinstance(request, dict) or not isinstance(request.get("url"), str):
            raise fail(f"http[{index}].request", 'expected {"method": ..., "url": ...}')
        if not isinstance(exchange.get("response", {}), dict):
            raise fail(f"http[{index}].response", 'expected {"status": ..., ...}')
    expect = _expectations(document.get("expect", {}), fail)
    name = document.get("name")
    known = {"flowtest", "name", "workflow", "workflows", "input", "clock", "store", "http", "expect"}
    workflows = document.get("workflows")
    return FlowTest(
        file=file,
        name=name if isinstance(name, str) and name else file.name.removesuffix(SUFFIX),
        workflow_file=workflow["file"],
        workflow_hash=workflow.get("sha256") if isinstance(workflow.get("sha256"), str) else None,
        workflow_name=workflow.get("name") if isinstance(workflow.get("name"), str) else None,
        definition_id=workflow.get("definitionId") if isinstance(workflow.get("definitionId"), str) else None,
        version=workflow.get("version") if isinstance(workflow.get("version"), int) else None,
        workflows_folder=workflows if isinstance(workflows, str) and workflows else None,
        input=document.get("input"),
        clock=moment,
        store=store,
        http=http,
        expect=expect,
        extra={key: value for key, value in document.items() if key not in known},
    )


def _expectations(expect: Any, fail: Any) -> Expectations:
    if not isinstance(expect, dict):
        raise fail("expect", "expected an object")
    status = expect.get("status", "Finished")
    if status not in STATUSES:
        raise fail("expect.status", f"{status!r} is not one of {', '.join(STATUSES)}")
    outcomes = expect.get("outcomes", [])
    if not isinstance(outcomes, list) or not all(isinstance(item, str) for item in outcomes):
        raise fail("expect.outcomes", "expected a list of outcome names")
    path: list[PathStep] = []
    for index, step in enumerate(expect.get("path", [])):
        if not isinstance(step, dict) or not isinstance(step.get("activityId"), str):
            raise fail(
                f"expect.path[{index}]", 'expected {"workflow": ..., "activityId": ..., "outcomes": [...]}'
            )
        path.append(
            PathStep(
                str(step.get("workflow", "")),
                step["activityId"],
                str(step.get("activity", "")),
                tuple(str(item) for item in step.get("outcomes", []) or ()),
                bool(step.get("faulted", False)),
            )
        )
    lists: dict[str, list[str]] = {}
    for key in ("ignore", "anyValue"):
        value = expect.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(f"expect.{key}", 'expected a list of JSONPaths such as "$.token"')
        from runtime.flowtest.compare import JsonPathError, parse_path

        for index, item in enumerate(value):
            try:
                parse_path(item)
            except JsonPathError as error:
                raise fail(f"expect.{key}[{index}]", str(error)) from None
        lists[key] = value
    fault = expect.get("fault")
    return Expectations(
        status=status,
        outcomes=outcomes,
        output=expect.get("output"),
        fault=fault if isinstance(fault, str) else None,
        path=path,
        ignore=lists["ignore"],
        any_value=lists["anyValue"],
        check_path=bool(expect.get("checkPath", True)),
        check_fault_text=bool(expect.get("checkFaultText", True)),
    )


def find_tests(paths: list[str | os.PathLike[str]]) -> tuple[list[Path], list[str]]:
    """The test files named or found (recursively, ``*.flowtest.json``) in folders; and one line per path
    that is neither."""
    found: list[Path] = []
    problems: list[str] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique, problems


__all__ = [
    "FORMAT",
    "SUFFIX",
    "Expectations",
    "FlowTest",
    "FlowTestError",
    "PathStep",
    "find_tests",
    "iso_instant",
    "load_test",
    "parse_test",
    "relative_to",
    "write_test",
]
