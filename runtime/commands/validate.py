"""``flowdesk validate FILE...``: list the problems of workflow files, one line each."""

from __future__ import annotations

import argparse
import sys

EXIT_CLEAN = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2

DESCRIPTION = """\
Check Elsa 2 / World of Workflows workflow files without running them.

Each problem is printed on one line:  FILE: error|warning: ACTIVITY: message
(ACTIVITY is the activity's display name, name or type, or "workflow" for the workflow as a whole).
Errors stop a workflow from running correctly (a required property left empty, a duplicate or invalid
activity name, a connection to a missing activity). Warnings point at likely mistakes: unknown activity
types, connections from outcomes an activity never emits, unreachable activities, loops nothing leaves,
and variables that are read but never set.
"""

EPILOG = """\
exit status: 0 no errors (warnings allowed), 1 some file has errors, 2 some file could not be read
(that file gets one line "FILE: error: reason" on stderr; the other files are still checked).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="list the problems of workflow files (one line each)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="workflow JSON files to check")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from runtime.elsa_json import load_workflow
    from runtime.errors import WorkflowFormatError
    from runtime.validation import validate

    unreadable = False
    has_errors = False
    for file in args.files:
        try:
            workflow = load_workflow(file)
        except WorkflowFormatError as error:
            print(f"{file}: error: {error.message}", file=sys.stderr)
            unreadable = True
            continue
        for problem in validate(workflow):
            print(f"{file}: {problem.severity}: {problem.subject}: {problem.message}")
            has_errors = has_errors or problem.severity == "error"
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if has_errors else EXIT_CLEAN
