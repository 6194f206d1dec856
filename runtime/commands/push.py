"""``flowdesk push FILE --server URL [--publish] [--force]``: save a workflow file on an Elsa 2 server as
the draft of its definition (or publish it), after validating it."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from runtime.commands.remote import (
    EXIT_OK,
    EXIT_SERVER,
    EXIT_USAGE,
    SERVER_EPILOG,
    print_json,
    run_remote,
    server_options,
)

if TYPE_CHECKING:
    from runtime.remote.client import ElsaClient

DESCRIPTION = """\
Save FILE on an Elsa 2 server under its definitionId (a server that does not have it creates it with that
id; a FILE without one makes a new definition on every push, so the id the server chose is printed, to be
added to FILE). When the server's latest version is a draft, that draft is replaced; when it is published,
a new draft version is made; --publish publishes what is saved. Every field is sent, customAttributes
included, so a pull gives the same definition back. FILE is validated first: a workflow with errors is not
pushed unless --force. Prints "DEFINITION_ID VERSION (draft|published)" on stdout; notes on anything Elsa 2
does not store (keys it has no field for) go to stderr.
"""

EPILOG = """\
exit status: 0 saved, 1 the server said no or could not be reached, or FILE has errors (not pushed),
2 FILE could not be read or bad usage.
""" + SERVER_EPILOG.split("exit status:")[0]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "push",
        parents=[server_options()],
        help="save (or publish) a workflow file on an Elsa 2 server",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="the workflow JSON file")
    parser.add_argument("--publish", action="store_true", help="publish it (default: save a draft)")
    parser.add_argument("--force", action="store_true", help="push even when validation finds errors")
    parser.add_argument("--json", action="store_true", help="print the result as a JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from runtime.elsa_json import load_workflow
    from runtime.errors import WorkflowFormatError
    from runtime.validation import validate

    try:
        workflow = load_workflow(args.file)
    except WorkflowFormatError as error:
        print(f"{args.file}: error: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    errors = 0
    for problem in validate(workflow):
        if problem.severity == "error":
            errors += 1
            print(f"{args.file}: {problem}", file=sys.stderr)
    if errors and not args.force:
        print(
            f"flowdesk push: {args.file} has {errors} error(s); not pushed (--force pushes it anyway)",
            file=sys.stderr,
        )
        return EXIT_SERVER

    async def work(client: ElsaClient) -> int:
        result = await client.save(workflow, publish=args.publish)
        for note in result.notes:
            print(f"flowdesk push: note: {note}", file=sys.stderr)
        saved = result.workflow
        if result.created and not workflow.definition_id:
            # the server chose the id: without it in FILE, every push would create another definition
            created = saved.definition_id
            print(
                f'flowdesk push: created definition {created}; add "definitionId": "{created}" '
                f"to {args.file} (or pull it) so the next push updates it",
                file=sys.stderr,
            )
        state = "published" if saved.is_published else "draft"
        if args.json:
            print_json(
                {
                    "definitionId": saved.definition_id,
                    "versionId": saved.version_id,
                    "version": saved.version,
                    "isPublished": bool(saved.is_published),
                    "created": result.created,
                }
            )
        else:
            print(f"{saved.definition_id} {saved.version} ({state})")
        return EXIT_OK

    return run_remote(args, work)
