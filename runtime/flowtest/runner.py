"""Recording a run as a test, and replaying a test offline to see whether the workflow still does the same.

Recording (:class:`RunRecording`, used by ``flowdesk run --record`` and the designer's "Save run as test"):
the run's HTTP exchanges, the store instances it found before it changed them, its input, the clock at its
start (frozen for the whole run, as the replay will freeze it) and what it did (status, outcomes, output,
the executed activities of it and its sub-workflows).

Replaying (:func:`run_test`): the store seeded from the test into a temporary database, HTTP answered from
the recording (:class:`~runtime.flowtest.recording.ReplayTransport`: no network; a request it cannot answer
fails the test, named), the clock frozen at the recorded instant, sub-workflows from the workflow's folder.
Then the replay is compared with the expectations: unrecorded requests, status and fault, the path (the
first activity that went otherwise), the outcomes, and the output as a JSON diff naming the activity that
produced it (with the test's ``ignore`` and ``anyValue`` paths loosened).
"""

from __future__ import annotations

import copy
import logging
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from runtime.elsa_json import file_identity, load_workflow
from runtime.engine import RuntimeServices, WorkflowInstance, WorkflowLibrary, WorkflowRunner
from runtime.engine.events import EngineEvent, EventKind
from runtime.engine.instance import InstanceStatus
from runtime.errors import FlowdeskError
from runtime.flowtest.compare import Loosening, as_json, differing_paths, json_differences
from runtime.flowtest.recording import RecordingStore, RecordingTransport, ReplayTransport, StoreReads
from runtime.flowtest.stand_ins import StandIns, exchange_bodies, secrets_in
from runtime.flowtest.testfile import (
    SUFFIX,
    Expectations,
    FlowTest,
    FlowTestError,
    PathStep,
    load_test,
    relative_to,
)
from runtime.model import WorkflowDefinition

logger = logging.getLogger(__name__)


class PathObserver:
    """An engine observer keeping the executed activities in order (every instance of the run)."""

    kinds = frozenset({EventKind.ACTIVITY_EXECUTED, EventKind.ACTIVITY_FAULTED})

    def __init__(self) -> None:
        self.steps: list[PathStep] = []

    def __call__(self, event: EngineEvent) -> None:
        if event.kind is EventKind.ACTIVITY_EXECUTED:
            outcomes = tuple(str(item) for item in event.data.get("outcomes") or ())
            self.steps.append(
                PathStep(event.workflow_name, event.activity_id or "", event.activity_label or "", outcomes)
            )
        elif event.kind is EventKind.ACTIVITY_FAULTED:
            self.steps.append(
                PathStep(event.workflow_name, event.activity_id or "", event.activity_label or "", error=True)
            )


class RunRecording:
    """What a run reaches outside the engine, recorded while it runs (:meth:`install` before the run)."""

    def __init__(self, clock: datetime | None = None) -> None:
        now = datetime.now(UTC)
        self.clock = clock or now.replace(microsecond=now.microsecond // 1000 * 1000)
        """The run's clock, frozen (milliseconds, as the test file writes it)."""
        self.exchanges: list[dict[str, Any]] = []
        self.reads = StoreReads()
        self.path = PathObserver()

    def install(
        self, services: RuntimeServices, runner: WorkflowRunner | None = None, freeze_clock: bool = True
    ) -> None:
        """Record through these services: HTTP, the store (at their store file) and, unless told not to
        (the designer's runs, which keep the real clock), the clock frozen at the start."""
        from runtime.store.store import default_store_path

        exchanges = self.exchanges
        services.http_transport = lambda: RecordingTransport(httpx.AsyncHTTPTransport(), exchanges)
        services.use_store(RecordingStore(services.store_path or default_store_path(), self.reads))
        if freeze_clock:
            services.clock = self.clock
        if runner is not None:
            runner.add_observer(self.path)

    def make_test(
        self,
        file: Path,
        workflow: WorkflowDefinition,
        workflow_path: Path,
        workflow_input: Any,
        instance: WorkflowInstance,
        workflows_folder: Path | None = None,
        name: str | None = None,
    ) -> FlowTest:
        """The test of this recorded run (its expectations: what the run did)."""
        folder = file.parent
        _, digest = file_identity(workflow_path)
        fault = str(instance.fault) if instance.fault is not None else None
        seed, exchanges = self.reads.seed(), list(self.exchanges)
        stand_ins = StandIns(secrets_in(seed, exchange_bodies(exchanges)))
        return FlowTest(
            file=file,
            name=name or file.name.removesuffix(SUFFIX),
            workflow_file=relative_to(workflow_path, folder),
            workflow_hash=digest,
            workflow_name=workflow.name or workflow.label,
            definition_id=workflow.definition_id,
            version=workflow.version,
            workflows_folder=relative_to(workflows_folder, folder) if workflows_folder is not None else None,
            input=stand_ins.value(as_json(workflow_input)),
            clock=self.clock,
            store=stand_ins.value(seed),
            http=stand_ins.value(exchanges),
            expect=Expectations(
                status=instance.status.value,
                outcomes=list(instance.finish_outcomes),
                output=stand_ins.value(as_json(instance.output)),
                fault=None if fault is None else stand_ins.text(fault),
                path=list(self.path.steps),
            ),
        )


@dataclass
class TestResult:
    """How one test went: passed, failed (with the differences), or unusable (``error``)."""

    file: Path
    name: str
    failures: list[str] = field(default_factory=list)
    """One section per difference (its first line says what; more lines the detail)."""
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    actual_path: list[PathStep] = field(default_factory=list)
    test: FlowTest | None = None
    instance: WorkflowInstance | None = None

    @property
    def expected_path(self) -> list[PathStep]:
        """The path the test expects (none when the file could not be read)."""
        return list(self.test.expect.path) if self.test is not None else []

    @property
    def output_paths(self) -> list[str]:
        """The JSONPaths where the output differs from the expected one (what a check can be loosened by)."""
        test, instance = self.test, self.instance
        if test is None or instance is None:
            return []
        loosening = Loosening(test.expect.ignore, test.expect.any_value)
        return differing_paths(test.expect.output, as_json(instance.output), loosening)

    @property
    def passed(self) -> bool:
        return self.error is None and not self.failures

    @property
    def outcome(self) -> str:
        return "error" if self.error is not None else "passed" if not self.failures else "failed"

    def summary(self) -> str:
        """The first line of what went wrong (JUnit's failure message)."""
        if self.error is not None:
            return self.error
        if self.failures:
            return self.failures[0].splitlines()[0]
        return "passed"

    def report(self) -> str:
        """The readable report: a header line, then the differences, indented."""
        label = {"passed": "PASS", "failed": "FAIL", "error": "ERROR"}[self.outcome]
        lines = [f"{label} {self.name} ({self.file}) {self.seconds:.2f} s"]
        if self.error is not None:
            lines.append(f"  {self.error}")
        for failure in self.failures:
            first, *rest = failure.splitlines()
            lines.append(f"  {first}")
            lines.extend(f"    {line}" for line in rest)
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def run_test_file(path: Path) -> TestResult:
    """Read and replay one test file (an unusable file is a result with ``error``, and so is a test whose
    replay met a defect: the other tests still run, and are reported)."""
    started = time.perf_counter()
    try:
        test = load_test(path)
    except FlowdeskError as error:
        return TestResult(path, path.name.removesuffix(SUFFIX), error=str(error), seconds=_since(started))
    try:
        return run_test(test)
    except Exception as error:
        logger.exception("the replay of %s stopped on an internal error", path)
        problem = f"{path}: the replay stopped on an internal error: {type(error).__name__}: {error}"
        return TestResult(path, test.name, error=problem, seconds=_since(started), test=test)


def run_test(test: FlowTest) -> TestResult:
    """Replay ``test`` offline and compare (see the module)."""
    from runtime.store.store import ObjectStore

    started = time.perf_counter()
    result = TestResult(test.file, test.name, test=test)
    workflow_path = test.workflow_path
    if not workflow_path.is_file():
        result.error = f"{test.file}: the workflow {test.workflow_file} ({workflow_path}) does not exist"
        result.seconds = _since(started)
        return result
    try:
        workflow = load_workflow(workflow_path)
        loosening = Loosening(test.expect.ignore, test.expect.any_value)
    except (FlowdeskError, ValueError) as error:
        result.error = f"{test.file}: {error}"
        result.seconds = _since(started)
        return result
    _, digest = file_identity(workflow_path)
    if test.workflow_hash and digest and digest != test.workflow_hash:
        result.notes.append(f"{test.workflow_file} changed since the test was recorded")
    transport = ReplayTransport(test.http)
    with tempfile.TemporaryDirectory(prefix="flowdesk-test-") as folder:
        store_path = Path(folder) / "store.sqlite3"
        try:
            with ObjectStore(store_path) as store:
                store.import_seed(test.store)
        except FlowdeskError as error:
            result.error = f"{test.file}: store: {error}"
            result.seconds = _since(started)
            return result
        services = RuntimeServices(
            library=WorkflowLibrary([test.library_folder], [workflow]),
            store_path=store_path,
            http_transport=lambda: transport,
            clock=test.clock,
        )
        observer = PathObserver()
        runner = WorkflowRunner(services, [observer])
        try:
            instance = runner.run_sync(workflow, copy.deepcopy(test.input))
        finally:
            services.close()
    result.instance = instance
    result.actual_path = observer.steps
    result.failures = compare(test.expect, instance, observer.steps, transport, loosening, workflow)
    unused = transport.unused()
    if unused and not result.failures:
        result.notes.append(f"recorded requests the replay did not make: {', '.join(unused[:5])}")
    result.seconds = _since(started)
    return result


def expect_what_the_replay_does(test: FlowTest) -> TestResult:
    """Replay a test just recorded, once. A run that cannot replay the same (the designer's runs keep the
    real clock) would fail its own test: then the test expects what the replay did, which is what
    ``flowdesk test`` will see. The replay's result says what differed."""
    result = run_test(test)
    instance = result.instance
    if not result.passed and instance is not None:
        test.expect.status = instance.status.value
        test.expect.outcomes = list(instance.finish_outcomes)
        test.expect.output = as_json(instance.output)
        test.expect.fault = str(instance.fault) if instance.fault is not None else None
        test.expect.path = list(result.actual_path)
    return result


def compare(
    expect: Expectations,
    instance: WorkflowInstance,
    path: list[PathStep],
    transport: ReplayTransport,
    loosening: Loosening,
    workflow: WorkflowDefinition,
) -> list[str]:
    """The differences between a replay and the expectations, most telling first."""
    failures = [problem for problem in transport.unrecorded]
    status = instance.status.value
    if status != expect.status:
        said = f": {instance.fault}" if instance.fault is not None else ""
        failures.append(f"status: expected {expect.status}, got {status}{said}")
    elif status == InstanceStatus.FAULTED.value and expect.check_fault_text and expect.fault is not None:
        actual_fault = str(instance.fault) if instance.fault is not None else ""
        if actual_fault != expect.fault:
            failures.append(f"fault: expected\n{expect.fault}\ngot\n{actual_fault}")
    if expect.check_path:
        difference = path_difference(expect.path, path)
        if difference is not None:
            failures.append(difference)
    if list(instance.finish_outcomes) != list(expect.outcomes):
        wanted, got = list(expect.outcomes) or "(none)", list(instance.finish_outcomes) or "(none)"
        failures.append(f"outcomes: expected {wanted}, got {got}")
    if status == InstanceStatus.FINISHED.value or expect.status == InstanceStatus.FINISHED.value:
        differences = json_differences(expect.output, as_json(instance.output), loosening)
        if differences:
            failures.append(
                f"output of {_output_source(instance, path, workflow)} differs:\n" + "\n".join(differences)
            )
    return failures


def path_difference(expected: list[PathStep], actual: list[PathStep]) -> str | None:
    """Where the executed activities first went otherwise, or None when they are the same."""
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else None
        got = actual[index] if index < len(actual) else None
        if want is not None and got is not None and _same_step(want, got):
            continue
        before = (
            f" (after {expected[index - 1].describe()})" if index > 0 and index - 1 < len(expected) else ""
        )
        if want is None and got is not None:
            return f"path: step {index + 1}{before}: expected the run to end, got {got.describe()}"
        if got is None and want is not None:
            return f"path: step {index + 1}{before}: expected {want.describe()}, but the run ended"
        assert want is not None and got is not None
        return f"path: step {index + 1}{before}: expected {want.describe()}, got {got.describe()}"
    return None


def _same_step(expected: PathStep, actual: PathStep) -> bool:
    return (
        expected.workflow == actual.workflow
        and expected.activity_id == actual.activity_id
        and expected.error == actual.error
        and [o.lower() for o in expected.outcomes] == [o.lower() for o in actual.outcomes]
    )


def _output_source(instance: WorkflowInstance, path: list[PathStep], workflow: WorkflowDefinition) -> str:
    """The activity the output came from: the Finish that ended the run, else the last with an output."""
    name = workflow.name or workflow.label
    if instance.finished_by is not None:
        activity = workflow.activity(instance.finished_by)
        label = activity.label if activity is not None else instance.finished_by
        return f'"{label}" ({instance.finished_by}, {name})'
    for step in reversed(path):
        if step.workflow == name and "Output" in instance.outputs_by_id.get(step.activity_id, {}):
            return f'"{step.activity or step.activity_id}" ({step.activity_id}, {name})'
    return f"the workflow {name}"


def _since(started: float) -> float:
    return time.perf_counter() - started


__all__ = [
    "PathObserver",
    "RunRecording",
    "TestResult",
    "FlowTestError",
    "compare",
    "path_difference",
    "run_test",
    "run_test_file",
]
