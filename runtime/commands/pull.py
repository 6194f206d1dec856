"""``flowdesk pull DEFINITION_ID --server URL [--version Latest|Published|N] -o FILE``: a definition from an
Elsa 2 server, written in the Elsa 2 export form (the shape ``flowdesk export`` writes)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from runtime.commands.remote import EXIT_OK, EXIT_SERVER, SERVER_EPILOG, run_remote, server_options
from runtime.remote.names import DEFINITION_VERSIONS

if TYPE_CHECKING:
    from runtime.remote.client import ElsaClient

DESCRIPTION = """\
Download one version of a workflow definition from an Elsa 2 server and write it as Elsa 2 workflow JSON,
the form Elsa's own export and 'flowdesk export' write ("$id" numbering, variables as objects), so the file
opens in Flowdesk, imports into Elsa Studio / WoW, and goes back with 'flowdesk push'. The file is written
to a temporary file first and renamed over FILE. A summary line goes to stderr.
"""


def version_option(text: str) -> str:
    """``latest`` → ``Latest`` (the server matches names case-sensitively), or a version number."""
    stripped = text.strip()
    if stripped.isdigit() and int(stripped) >= 1:
        return str(int(stripped))
    for name in DEFINITION_VERSIONS:
        if name.lower() == stripped.lower():
            return name
    raise argparse.ArgumentTypeError(
        f"expected {', '.join(DEFINITION_VERSIONS)} or a version number, got {text!r}"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "pull",
        parents=[server_options()],
        help="download a workflow definition from an Elsa 2 server",
        description=DESCRIPTION,
        epilog=SERVER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("definition_id", metavar="DEFINITION_ID", help="see 'flowdesk remote workflows'")
    parser.add_argument(
        "--version",
        type=version_option,
        default="Latest",
        metavar="Latest|Published|N",
        help="which version (default: Latest, the one Elsa Studio opens)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write")
    parser.add_argument("--indent", type=int, metavar="N", default=None, help="indent the JSON by N spaces")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    async def work(client: ElsaClient) -> int:
        from runtime.elsa_json import save_workflow
        from runtime.errors import WorkflowSaveError

        workflow = await client.get_definition(args.definition_id, args.version)
        try:
            save_workflow(workflow, args.output, indent=args.indent)
        except WorkflowSaveError as error:
            print(f"flowdesk pull: {error}", file=sys.stderr)
            return EXIT_SERVER
        state = "published" if workflow.is_published else "draft"
        print(
            f"pulled {workflow.label} version {workflow.version} ({state}) from {client.url} → {args.output}",
            file=sys.stderr,
        )
        return EXIT_OK

    return run_remote(args, work)
