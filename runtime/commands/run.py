"""``flowdesk run FILE``: run a workflow headless; the log streams to stderr, the output goes to stdout."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runtime.errors import FlowdeskError, describe_json_error
from runtime.jsonlimits import escape_surrogates, loads_bounded

if TYPE_CHECKING:
    from runtime.engine import WorkflowInstance
    from runtime.flowtest.runner import RunRecording
    from runtime.model import WorkflowDefinition

EXIT_FINISHED, EXIT_FAULTED, EXIT_UNUSABLE = 0, 1, 2


class InputError(FlowdeskError):
    """``--input`` is not JSON, or its file cannot be read."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run a workflow headless",
        description=(
            "Run a workflow on this machine. The correlation log and activity events stream to stderr, one "
            "timestamped line each; the workflow output is printed to stdout as JSON. "
            "Exit status: 0 finished, "
            "1 faulted, 2 unusable input."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the workflow (Elsa 2 JSON)")
    parser.add_argument(
        "--input", metavar="JSON|@FILE", help="the workflow input: JSON text, or @ and a JSON file"
    )
    parser.add_argument("--store", metavar="DB", help="the object store file (default: the user's store)")
    parser.add_argument(
        "--workflows",
        metavar="DIR",
        help="where RunWorkflow finds sub-workflows (default: the folder of FILE)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="also log every variable change")
    parser.add_argument(
        "--record",
        metavar="TEST.flowtest.json",
        type=Path,
        help=(
            "record the run as a regression test that flowdesk test replays offline: its input, the store "
            "records it read, its HTTP exchanges (secret headers left out) and what it did; the clock is "
            "frozen at the start of the run, as the replay freezes it"
        ),
    )
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="do not record the run in the run history (kept in the store file; see flowdesk history)",
    )
    parser.set_defaults(handler=run_command)


def parse_input(text: str | None) -> Any:
    """``--input``: JSON text, or ``@path`` to a JSON file; None when not given."""
    if text is None:
        return None
    source = "--input"
    if text.startswith("@"):
        path = Path(text[1:])
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise InputError(f"{path}: cannot read the input file ({error.strerror})") from None
    try:
        return loads_bounded(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{source}: {describe_json_error(error)}") from None


def run_command(args: argparse.Namespace) -> int:
    from runtime.commands.history import history_recorder
    from runtime.elsa_json import load_workflow
    from runtime.engine import RuntimeServices, WorkflowLibrary, WorkflowRunner
    from runtime.heap import settled_heap
    from runtime.logfmt import StreamLog

    try:
        workflow = load_workflow(args.file)
        workflow_input = parse_input(args.input)
    except FlowdeskError as error:
        print(f"flowdesk: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.record is not None and not _record_target_usable(args.record, Path(args.file)):
        return EXIT_UNUSABLE
    folder = Path(args.workflows) if args.workflows else Path(args.file).resolve().parent
    if args.workflows and not folder.is_dir():
        print(f"flowdesk: --workflows {folder}: no such folder", file=sys.stderr)
        return EXIT_UNUSABLE
    library = WorkflowLibrary([folder], [workflow])
    store_path = Path(args.store) if args.store else None
    services = RuntimeServices(library=library, store_path=store_path)
    log = StreamLog(sys.stderr, verbose=args.verbose)
    runner = WorkflowRunner(services, [log])
    history = None if args.no_history else history_recorder(store_path, "run")
    with settled_heap():  # the history's writer builds its record at the end: inside too
        try:
            if history is not None:
                history.describe(workflow, args.file)
                runner.add_observer(history)
            recording = None
            try:
                if args.record is not None:
                    from runtime.flowtest.runner import RunRecording

                    recording = RunRecording()
                    recording.install(services, runner)
                instance = runner.run_sync(workflow, workflow_input)
            finally:
                services.close()
                log.close()
            if history is not None:
                history.finished(instance, workflow)
            recorded = recording is None or _write_recording(
                recording, args, workflow, workflow_input, instance, folder if args.workflows else None
            )
            code = _report(instance)  # the output is printed even when its test could not be written
            return code if recorded else EXIT_UNUSABLE
        finally:
            if history is not None:
                history.writer.close()


def _record_target_usable(target: Path, workflow: Path) -> bool:
    """``--record``: False (said in one line) when the test could not be written, before anything runs
    (HTTP calls and store writes are not undone); a name ``flowdesk test`` would not find in a folder is
    warned of."""
    from runtime.flowtest.testfile import SUFFIX, check_target

    try:
        check_target(target, workflow)
    except FlowdeskError as error:
        print(f"flowdesk: --record {error}", file=sys.stderr)
        return False
    if not target.name.endswith(SUFFIX):
        print(
            f"flowdesk: --record {target}: the name does not end in {SUFFIX}, so flowdesk test finds it "
            "only when given the file itself (not in a folder)",
            file=sys.stderr,
        )
    return True


def _write_recording(
    recording: RunRecording,
    args: argparse.Namespace,
    workflow: WorkflowDefinition,
    workflow_input: Any,
    instance: WorkflowInstance,
    workflows_folder: Path | None,
) -> bool:
    """Write the recorded run as its test; False (said on stderr) when it cannot be written."""
    from runtime.flowtest.testfile import write_test

    test = recording.make_test(
        args.record, workflow, Path(args.file), workflow_input, instance, workflows_folder
    )
    try:
        write_test(test)
    except FlowdeskError as error:
        print(f"flowdesk: {error}; the run was not recorded as a test", file=sys.stderr)
        return False
    print(
        f"flowdesk: recorded {args.record} ({len(test.http)} HTTP exchanges, "
        f"{sum(len(v) for v in test.store.get('instances', {}).values())} store records, "
        f"{len(test.expect.path)} steps)",
        file=sys.stderr,
    )
    return True


def _report(instance: WorkflowInstance) -> int:
    from runtime.engine import InstanceStatus

    if instance.status is InstanceStatus.FAULTED:
        print(f"flowdesk: faulted: {instance.fault}", file=sys.stderr)
        return EXIT_FAULTED
    if instance.status is InstanceStatus.CANCELLED:
        print("flowdesk: stopped", file=sys.stderr)
        return EXIT_FAULTED
    print(escape_surrogates(json.dumps(instance.output, ensure_ascii=False, indent=2, default=str)))
    return EXIT_FINISHED
