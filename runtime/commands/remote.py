"""``flowdesk remote workflows|instances|log|activities|add|list|remove``: an Elsa 2 server's REST API.

The server is ``--server URL|NAME`` (a name saved with ``flowdesk remote add``), else ``FLOWDESK_SERVER``;
``--header 'Name: value'`` adds or overrides a header (credentials: sent, never printed). httpx and pydantic
are imported inside the handlers only, so ``flowdesk --help`` stays quick. :func:`server_options` and
:func:`run_remote` are shared with ``pull`` and ``push``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from runtime.remote.names import INSTANCE_STATUSES

if TYPE_CHECKING:
    from runtime.remote.client import ElsaClient
    from runtime.remote.servers import ServerEntry

EXIT_OK = 0
EXIT_SERVER = 1
EXIT_USAGE = 2

SERVER_EPILOG = """\
server: --server takes a base URL (http://host:port, the address Elsa Studio's server-url points at) or the
name of a server saved with "flowdesk remote add"; FLOWDESK_SERVER is the default. A URL is http:// or
https:// without user:password in it. Saved headers are sent with every request (never after a redirect);
--header adds to them or overrides one, e.g. 'Authorization: Basic …'. Header values are never printed.
exit status: 0 done, 1 the server said no or could not be reached (one line says why), 2 bad usage.
"""


def server_options() -> argparse.ArgumentParser:
    """The options every command that talks to a server takes (a parent parser)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--server",
        metavar="URL|NAME",
        default=None,
        help="the server's base URL or a saved server's name (default: $FLOWDESK_SERVER)",
    )
    common.add_argument(
        "--header",
        metavar="'N: v'",
        action="append",
        default=[],
        help="send this header (repeatable), e.g. 'Authorization: Bearer …'",
    )
    common.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=15.0,
        help="give up when the server does not answer in time (default: 15)",
    )
    return common


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("expected a number of seconds above 0")
    return value


def _limit(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def _status(text: str) -> str:
    """An instance status in any letter case, as the server writes it (it matches case-sensitively)."""
    for status in INSTANCE_STATUSES:
        if status.lower() == text.strip().lower():
            return status
    raise argparse.ArgumentTypeError(f"expected one of {', '.join(INSTANCE_STATUSES)}, got {text!r}")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "remote",
        help="browse an Elsa 2 server: workflows, instances, execution logs, activities",
        description=(
            "Talk to an Elsa 2 / World of Workflows server through its REST API (v1): list its workflow "
            "definitions and instances, print an instance's execution log, list its activity types, and "
            "save servers (URL and credential headers) under a name."
        ),
        epilog=SERVER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="remote_action", metavar="ACTION", required=True)
    common = server_options()
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print a JSON array instead of a table")

    workflows = actions.add_parser(
        "workflows",
        parents=[common, as_json],
        help="list the workflow definitions",
        description=(
            "List the server's workflow definitions, one row per definition: its latest version and whether "
            "it (or an older version) is published. --json prints objects with definitionId, name, "
            "displayName, description, version, versionId, isPublished, publishedVersion, createdAt."
        ),
        epilog=SERVER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    workflows.add_argument("--search", metavar="TEXT", help="only those whose name or description has TEXT")
    workflows.set_defaults(handler=workflows_command)

    instances = actions.add_parser(
        "instances",
        parents=[common, as_json],
        help="list workflow instances (newest first)",
        description=(
            "List the server's workflow instances, newest first. --json prints objects with id, "
            "definitionId, definitionVersionId, version, name, status, correlationId, createdAt, "
            "lastExecutedAt, finishedAt, faultedAt, cancelledAt."
        ),
        epilog=SERVER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    instances.add_argument("--workflow", metavar="DEFINITION_ID", help="only instances of this definition")
    instances.add_argument(
        "--status", type=_status, metavar="STATUS", help=f"one of {', '.join(INSTANCE_STATUSES)}"
    )
    instances.add_argument("--correlation-id", metavar="ID", help="only instances with this correlation id")
    instances.add_argument("--limit", type=_limit, default=50, metavar="N", help="at most N (default 50)")
    instances.set_defaults(handler=instances_command)

    log = actions.add_parser(
        "log",
        parents=[common, as_json],
        help="print an instance's execution log",
        description=(
            "Print a workflow instance's execution log in the line format of 'flowdesk run' (time, level, "
            "kind, instance, workflow / activity: what happened). --json prints the server's records."
        ),
        epilog=SERVER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    log.add_argument("instance_id", metavar="INSTANCE_ID")
    log.set_defaults(handler=log_command)

    activities = actions.add_parser(
        "activities",
        parents=[common, as_json],
        help="list the server's activity types",
        description=(
            "List the activity descriptors the server offers (GET v1/activities); types Flowdesk's own "
            "catalog does not describe are marked. They are also cached for the designer, which then draws "
            "and validates those types offline."
        ),
        epilog=SERVER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    activities.set_defaults(handler=activities_command)

    add = actions.add_parser(
        "add",
        help="save a server under a name (URL and headers)",
        description=(
            "Save a server: NAME then works wherever --server is taken. Headers are kept in the user's "
            "config (servers.json, readable by its owner only) or the system keyring where one is "
            "installed; they are never printed. URL is http:// or https:// without a user name or password "
            "(send those as --header 'Authorization: Basic …'). A NAME already saved (in any letter case) is "
            "kept unless --replace."
        ),
    )
    add.add_argument("name", metavar="NAME", help="letters, digits, '.', '_' or '-'")
    add.add_argument("url", metavar="URL", help="the server's base URL, e.g. https://elsa.example.com")
    add.add_argument("--header", metavar="'N: v'", action="append", default=[], help="a header to send")
    add.add_argument(
        "--replace",
        action="store_true",
        help="replace the server already saved under NAME (its URL and headers: give them again)",
    )
    add.set_defaults(handler=add_command)

    listing = actions.add_parser("list", help="list the saved servers (header values masked)")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=list_command)

    remove = actions.add_parser("remove", help="forget a saved server and its headers")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=remove_command)


# --------------------------------------------------------------------------------------------------
# shared by remote, pull and push


def resolve(args: argparse.Namespace) -> ServerEntry:
    """The server of ``--server``/``$FLOWDESK_SERVER`` with ``--header`` on top (a bad one: exit 2)."""
    from runtime.remote.servers import resolve_server

    return resolve_server(args.server, args.header, environ=os.environ)


def run_remote(args: argparse.Namespace, work: Callable[[ElsaClient], Awaitable[int]]) -> int:
    """Run ``work`` with a client of the command's server; a server error is one line and exit 1."""
    import asyncio

    from runtime.remote.client import ElsaClient
    from runtime.remote.errors import RemoteError

    entry = resolve(args)

    async def main() -> int:
        async with ElsaClient(entry.url, entry.headers, timeout=args.timeout) as client:
            return await work(client)

    try:
        return asyncio.run(main())
    except RemoteError as error:
        print(f"flowdesk: {error}", file=sys.stderr)
        return EXIT_SERVER


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell; the last one is left ragged."""
    if not rows:
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for row in [headers, *rows]:
        cells = [cell.ljust(widths[i]) if i < len(row) - 1 else cell for i, cell in enumerate(row)]
        print("  ".join(cells).rstrip())


def short_time(text: str | None) -> str:
    """``2024-05-01T10:00:00.1234567Z`` → ``2024-05-01 10:00:00`` (UTC), for tables."""
    if not text:
        return "-"
    return text.replace("T", " ")[:19]


# --------------------------------------------------------------------------------------------------
# handlers


def workflows_command(args: argparse.Namespace) -> int:
    async def work(client: ElsaClient) -> int:
        rows = await client.definitions(args.search)
        if args.json:
            print_json([row.to_json() for row in rows])
            return EXIT_OK
        if not rows:
            matching = f" matching {args.search!r}" if args.search else ""
            print(f"no workflow definitions{matching}", file=sys.stderr)
            return EXIT_OK
        table = []
        for row in rows:
            published = (
                "yes"
                if row.is_published
                else (f"v{row.published_version}" if row.published_version is not None else "no")
            )
            name = row.display_name or row.name or ""
            if row.name and row.display_name and row.name != row.display_name:
                name = f"{row.display_name} ({row.name})"
            table.append([row.definition_id, str(row.version), published, name])
        print_table(["DEFINITION ID", "VERSION", "PUBLISHED", "NAME"], table)
        return EXIT_OK

    return run_remote(args, work)


def instances_command(args: argparse.Namespace) -> int:
    async def work(client: ElsaClient) -> int:
        found = await client.instances(args.workflow, args.status, args.correlation_id, limit=args.limit)
        if args.json:
            print_json([item.summary_json() for item in found])
            return EXIT_OK
        if not found:
            print("no workflow instances", file=sys.stderr)
            return EXIT_OK
        names = {row.definition_id: row.label for row in await client.definitions()}
        table = [
            [
                item.id,
                item.workflow_status,
                item.name or names.get(item.definition_id, item.definition_id),
                str(item.version),
                item.correlation_id or "-",
                short_time(item.created_at),
                short_time(item.finished_at or item.faulted_at or item.cancelled_at),
            ]
            for item in found
        ]
        print_table(["ID", "STATUS", "WORKFLOW", "VERSION", "CORRELATION ID", "STARTED", "ENDED"], table)
        return EXIT_OK

    return run_remote(args, work)


def log_command(args: argparse.Namespace) -> int:
    async def work(client: ElsaClient) -> int:
        from runtime.remote.errors import RemoteError
        from runtime.remote.replay import log_lines

        instance = await client.get_instance(args.instance_id)
        records = await client.execution_log(args.instance_id)
        if args.json:
            print_json([record.to_api() for record in records])
            return EXIT_OK
        workflow = None
        if instance.definition_version_id:
            try:
                workflow = await client.get_definition_version(instance.definition_version_id)
            except RemoteError:
                workflow = None  # deleted since: the log still reads, with activity types for names
        for line in log_lines(records, instance, workflow):
            print(line)
        return EXIT_OK

    return run_remote(args, work)


def activities_command(args: argparse.Namespace) -> int:
    async def work(client: ElsaClient) -> int:
        from runtime.remote.cache import save_descriptors
        from runtime.remote.client import parse_descriptors
        from runtime.remote.descriptors import server_only_types

        raw = await client.activities_json()
        save_descriptors(client.url, raw)
        descriptors = parse_descriptors(raw, client.url)
        if args.json:
            print_json([d.summary_json() for d in descriptors])
            return EXIT_OK
        own = server_only_types(descriptors)
        table = [
            [d.type, d.category, d.display_name or d.type, "server only" if d.type in own else ""]
            for d in sorted(descriptors, key=lambda d: (d.category.lower(), d.type.lower()))
        ]
        print_table(["TYPE", "CATEGORY", "DISPLAY NAME", ""], table)
        return EXIT_OK

    return run_remote(args, work)


def add_command(args: argparse.Namespace) -> int:
    """Save a server; a name already saved is refused unless ``--replace`` (its headers would be lost)."""
    from runtime.remote.errors import ServerConfigError
    from runtime.remote.servers import ServerEntry, ServerStore, check_url, parse_header, redact_url

    url = check_url(args.url)
    headers = dict(parse_header(text) for text in args.header)
    store = ServerStore()
    saved = store.get(args.name)
    if saved is not None and not args.replace:
        raise ServerConfigError(
            f"a server named {saved.name!r} is already saved ({redact_url(saved.url)}); "
            "add --replace to replace it"
        )
    entry = store.save(ServerEntry(args.name, url, headers))
    where = "the system keyring" if store.keyring is not None and headers else str(store.path)
    shown = ", ".join(f"{k}: {v}" for k, v in entry.masked_headers().items())
    print(f"saved server {entry.name}: {entry.url}" + (f" with {shown} (in {where})" if shown else ""))
    return EXIT_OK


def list_command(args: argparse.Namespace) -> int:
    """The saved servers; header values masked, and a password in a URL saved before they were refused."""
    from runtime.remote.servers import ServerStore, redact_url

    entries = ServerStore().entries()
    if args.json:
        print_json(
            [{"name": e.name, "url": redact_url(e.url), "headers": e.masked_headers()} for e in entries]
        )
        return EXIT_OK
    if not entries:
        print("no saved servers (flowdesk remote add NAME URL saves one)", file=sys.stderr)
        return EXIT_OK
    print_table(
        ["NAME", "URL", "HEADERS"],
        [
            [e.name, redact_url(e.url), ", ".join(f"{k}: {v}" for k, v in e.masked_headers().items())]
            for e in entries
        ],
    )
    return EXIT_OK


def remove_command(args: argparse.Namespace) -> int:
    from runtime.remote.servers import ServerStore

    if not ServerStore().remove(args.name):
        print(f"flowdesk: no saved server named {args.name!r}", file=sys.stderr)
        return EXIT_USAGE
    print(f"removed server {args.name}")
    return EXIT_OK
