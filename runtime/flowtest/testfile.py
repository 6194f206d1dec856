"""The ``.flowtest.json`` file: a recorded run and what its replay must do again (format: README).

Reading is strict about the shape (a one-line :class:`FlowTestError` naming the file and the place) and
lenient about what it does not know (kept when the file is written back).
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from runtime.errors import FlowdeskError, WorkflowSaveError, describe_json_error
from runtime.jsonlimits import JsonLimitError, loads_bounded

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


def check_target(file: Path, workflow: Path | None = None) -> None:
    """Before a run is recorded: raises :class:`FlowTestError` when ``file`` could not be written (a folder,
    a folder that is not there or not writable, the workflow itself), so a mistyped name costs no run."""
    folder = file.parent
    if file.is_dir():
        raise FlowTestError(f"{file}: is a folder; name the test file, such as {file / ('NAME' + SUFFIX)}")
    if not folder.is_dir():
        raise FlowTestError(f"{file}: no such folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FlowTestError(f"{file}: the folder {folder} is not writable")
    if workflow is not None and file.exists() and file.resolve() == workflow.resolve():
        raise FlowTestError(f"{file}: is the workflow file itself")


def write_test(test: FlowTest) -> None:
    """Write the test file atomically (a temporary file renamed over it) in its folder, which must be there:
    a mistyped folder is an error, not a new folder."""
    from runtime.files import write_text_atomically

    text = json.dumps(test.to_json(), ensure_ascii=False, indent=2, default=str) + "\n"
    try:
        write_text_atomically(test.file, text)
    except WorkflowSaveError as error:
        raise FlowTestError(str(error)) from None


def load_test(path: str | os.PathLike[str]) -> FlowTest:
    """Read a test file; raises :class:`FlowTestError` with one line naming the file and what is wrong."""
    file = Path(path)
    return parse_test(_read_document(file), file)


LOOSENINGS = ("ignore", "anyValue")
"""The lists of ``expect`` that loosen a check: paths not compared, paths that take any value."""


def loosen_test(path: str | os.PathLike[str], kind: str, json_path: str) -> FlowTest:
    """Add ``json_path`` to the test's ``expect.ignore`` or ``expect.anyValue``, the rest of the file as it
    was (keys it does not know included); the test as it now reads. :class:`FlowTestError` in one line when
    the file is not a test or the path is not a JSONPath; nothing is written then."""
    from runtime.flowtest.compare import JsonPathError, parse_path

    file = Path(path)
    if kind not in LOOSENINGS:
        raise FlowTestError(
            f"{file}: expect.{kind}: not a loosening (expected one of {', '.join(LOOSENINGS)})"
        )
    try:
        parse_path(json_path)
    except JsonPathError as error:
        raise FlowTestError(f"{file}: expect.{kind}: {error}") from None
    document = _read_document(file)
    test = parse_test(document, file)
    paths = test.expect.ignore if kind == "ignore" else test.expect.any_value
    if json_path not in paths:
        document["expect"] = {**document.get("expect", {}), kind: [*paths, json_path]}
        test = parse_test(document, file)
        from runtime.files import write_text_atomically

        try:
            write_text_atomically(file, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        except WorkflowSaveError as error:
            raise FlowTestError(str(error)) from None
    return test


def _read_document(file: Path) -> Any:
    """The JSON of a test file (bounded: no depth or number can exhaust the reader)."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise FlowTestError(f"{file}: cannot be read ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FlowTestError(f"{file}: is not UTF-8 text (byte {error.start})") from None
    try:
        document = loads_bounded(text)
    except JsonLimitError as error:
        raise FlowTestError(
            f"{file}: cannot be read: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except json.JSONDecodeError as error:
        raise FlowTestError(f"{file}: {describe_json_error(error)}") from None
    return document


_Fail = Callable[[str, str], FlowTestError]
"""Makes the one-line error of a place in the file (``http[0].response.status``) and what is wrong there."""


def parse_test(document: Any, file: Path) -> FlowTest:
    """A test from its parsed JSON, every part the replay uses checked (:class:`FlowTestError` naming the
    first wrong place), so a hand-edited file fails here, in one line, rather than inside its replay."""

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
    if "\0" in workflow["file"]:
        raise fail("workflow.file", "a path cannot hold a NUL character")
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
    http = _exchanges(document.get("http", []), fail)
    expect = _expectations(document.get("expect", {}), fail)
    name = document.get("name")
    known = {"flowtest", "name", "workflow", "workflows", "input", "clock", "store", "http", "expect"}
    workflows = document.get("workflows")
    if isinstance(workflows, str) and "\0" in workflows:
        raise fail("workflows", "a path cannot hold a NUL character")
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


_METHOD = re.compile(r"[A-Za-z]+")


def _exchanges(http: Any, fail: _Fail) -> list[dict[str, Any]]:
    """The ``http`` list, each exchange shaped as the replay answers from it."""
    import httpx

    if not isinstance(http, list):
        raise fail("http", "expected a list of exchanges")
    for index, exchange in enumerate(http):
        place = f"http[{index}]"
        if not isinstance(exchange, dict):
            raise fail(place, 'expected {"request": {...}, "response": {...}}')
        request = exchange.get("request")
        if not isinstance(request, dict):
            raise fail(f"{place}.request", 'expected {"method": ..., "url": ...}')
        url = request.get("url")
        try:
            parsed = httpx.URL(url) if isinstance(url, str) else None
        except (httpx.InvalidURL, ValueError):  # a lone surrogate too
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            raise fail(f"{place}.request.url", "expected an http:// or https:// URL")
        method = request.get("method", "GET")
        if not isinstance(method, str) or not _METHOD.fullmatch(method):
            raise fail(f"{place}.request.method", "expected an HTTP method such as GET or POST")
        _check_message(request, f"{place}.request", fail)
        if not isinstance(exchange.get("anyBody", False), bool):
            raise fail(f"{place}.anyBody", "expected true or false")
        response = exchange.get("response", {})
        if not isinstance(response, dict):
            raise fail(f"{place}.response", 'expected {"status": ..., ...}')
        status = response.get("status", 200)
        if type(status) is not int or not 100 <= status <= 599:
            raise fail(f"{place}.response.status", "expected an HTTP status 100-599")
        _check_message(response, f"{place}.response", fail)
    return http


def _check_message(part: dict[str, Any], place: str, fail: _Fail) -> None:
    """A request's or response's headers (text values) and body (``text``, or ``base64`` that decodes)."""
    headers = part.get("headers", {})
    if not isinstance(headers, dict):
        raise fail(f"{place}.headers", 'expected {"Name": "value", ...}')
    for name, value in headers.items():
        if not name or not isinstance(value, str):
            raise fail(f"{place}.headers.{name}", "expected a header name and its value as text")
    if "text" in part and not isinstance(part["text"], str):
        raise fail(f"{place}.text", "expected text (a body that is not text is kept as base64)")
    if "base64" in part:
        try:
            base64.b64decode(part["base64"], validate=True)
        except (TypeError, ValueError):  # not text; text that is not base64 (binascii.Error)
            raise fail(f"{place}.base64", "expected the body's bytes as base64 text") from None


def _expectations(expect: Any, fail: _Fail) -> Expectations:
    if not isinstance(expect, dict):
        raise fail("expect", "expected an object")
    status = expect.get("status", "Finished")
    if status not in STATUSES:
        raise fail("expect.status", f"{status!r} is not one of {', '.join(STATUSES)}")
    outcomes = expect.get("outcomes", [])
    if not isinstance(outcomes, list) or not all(isinstance(item, str) for item in outcomes):
        raise fail("expect.outcomes", "expected a list of outcome names")
    steps = expect.get("path", [])
    if not isinstance(steps, list):
        raise fail("expect.path", "expected a list of executed activities")
    path = [_path_step(step, f"expect.path[{index}]", fail) for index, step in enumerate(steps)]
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
    if fault is not None and not isinstance(fault, str):
        raise fail("expect.fault", "expected the fault's text")
    checks: dict[str, bool] = {}
    for key in ("checkPath", "checkFaultText"):
        checks[key] = expect.get(key, True)
        if not isinstance(checks[key], bool):
            raise fail(f"expect.{key}", "expected true or false")
    return Expectations(
        status=status,
        outcomes=outcomes,
        output=expect.get("output"),
        fault=fault,
        path=path,
        ignore=lists["ignore"],
        any_value=lists["anyValue"],
        check_path=checks["checkPath"],
        check_fault_text=checks["checkFaultText"],
    )


def _path_step(step: Any, place: str, fail: _Fail) -> PathStep:
    if not isinstance(step, dict) or not isinstance(step.get("activityId"), str):
        raise fail(place, 'expected {"workflow": ..., "activityId": ..., "outcomes": [...]}')
    for key in ("workflow", "activity"):
        if not isinstance(step.get(key, ""), str):
            raise fail(f"{place}.{key}", "expected text")
    outcomes = step.get("outcomes", [])
    if not isinstance(outcomes, list) or not all(isinstance(item, str) for item in outcomes):
        raise fail(f"{place}.outcomes", "expected a list of outcome names")
    faulted = step.get("faulted", False)
    if not isinstance(faulted, bool):
        raise fail(f"{place}.faulted", "expected true or false")
    return PathStep(
        step.get("workflow", ""), step["activityId"], step.get("activity", ""), tuple(outcomes), faulted
    )


SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "site-packages"})
"""Folders never searched for tests (with every folder whose name starts with a dot: .git, .venv ...)."""
MAX_FOLDERS = 5_000
"""Folders a search for tests looks into at most (a workflow saved in a home folder must not walk it all)."""


def tests_in(folder: Path, max_folders: int = MAX_FOLDERS) -> list[Path]:
    """The ``*.flowtest.json`` files under ``folder``, sorted, without looking into hidden, package or
    dependency folders, nor into more than ``max_folders`` folders."""
    found: list[Path] = []
    for seen, (where, folders, files) in enumerate(os.walk(folder)):
        if seen >= max_folders:
            break
        folders[:] = sorted(f for f in folders if not f.startswith(".") and f not in SKIPPED_FOLDERS)
        found.extend(Path(where) / name for name in files if name.endswith(SUFFIX))
    return sorted(found)


def tests_of(
    workflow_path: Path, folder: Path | None = None, max_folders: int = MAX_FOLDERS
) -> tuple[list[FlowTest], list[tuple[Path, FlowTestError]]]:
    """The tests under ``folder`` (default: the workflow's) that replay ``workflow_path``, and the test
    files there that cannot be read (which workflow they meant is not known: they are shown, not hidden)."""
    target = workflow_path.resolve()
    tests: list[FlowTest] = []
    problems: list[tuple[Path, FlowTestError]] = []
    for path in tests_in(folder or target.parent, max_folders):
        try:
            test = load_test(path)
        except FlowTestError as error:
            problems.append((path, error))
            continue
        if test.workflow_path == target:
            tests.append(test)
    return tests, problems


def find_tests(paths: list[str | os.PathLike[str]]) -> tuple[list[Path], list[str]]:
    """The test files named or found (recursively, ``*.flowtest.json``) in folders; and one line per path
    that is neither."""
    found: list[Path] = []
    problems: list[str] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(tests_in(path))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique, problems


__all__ = [
    "FORMAT",
    "LOOSENINGS",
    "SUFFIX",
    "Expectations",
    "FlowTest",
    "FlowTestError",
    "PathStep",
    "check_target",
    "find_tests",
    "iso_instant",
    "load_test",
    "loosen_test",
    "parse_test",
    "relative_to",
    "tests_in",
    "tests_of",
    "write_test",
]
