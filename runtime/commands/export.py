"""``flowdesk export FILE -o OUT``: re-serialise a workflow as Elsa 2 JSON, losslessly."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

EXIT_OK = 0
EXIT_NOT_WRITTEN = 1
EXIT_UNREADABLE = 2

DESCRIPTION = """\
Read a workflow file and write it again as Elsa 2 workflow JSON, the way Elsa Studio / World of Workflows
export it (camelCase keys, "$id" numbering), so it can be imported there. Nothing is lost: keys Flowdesk
does not know, every syntax's expression text and the canvas positions are kept. The output is written to a
temporary file first and renamed over OUT, so OUT is never left half-written.
"""

EPILOG = """\
exit status: 0 written, 1 OUT could not be written (it is left as it was), 2 FILE could not be read.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="re-serialise a workflow as Elsa 2 JSON (lossless)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="the workflow JSON file to read")
    parser.add_argument("-o", "--output", metavar="OUT", required=True, help="the file to write")
    parser.add_argument(
        "--indent",
        type=int,
        metavar="N",
        default=None,
        help="indent the JSON by N spaces (default: compact, as World of Workflows exports it)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from runtime.elsa_json import load_workflow, save_workflow
    from runtime.errors import WorkflowFormatError, WorkflowSaveError

    try:
        workflow = load_workflow(args.file)
    except WorkflowFormatError as error:
        print(f"{args.file}: error: {error.message}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        with _terminate_as_exit():
            save_workflow(workflow, args.output, indent=args.indent)
    except WorkflowSaveError as error:
        print(f"flowdesk export: {error}", file=sys.stderr)
        return EXIT_NOT_WRITTEN
    return EXIT_OK


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM while writing unwinds like Ctrl-C (exit 143), so the temporary file is removed on the way
    out; SIGKILL cannot be caught, and the next write of the same file removes what it left."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
