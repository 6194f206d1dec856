"""``flowdesk open FILE...`` (and plain ``flowdesk``): start the designer with these workflows.

Registered through the ``flowdesk.commands`` entry point ``open``; Qt is imported inside the handler only.
"""

from __future__ import annotations

import argparse

from designer.cli import require_qt


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "open",
        help="open the designer (with these workflows)",
        description="Start the Flowdesk designer, opening each FILE in its own tab.",
    )
    parser.add_argument("files", metavar="FILE", nargs="*", help="workflows to open (Elsa 2 JSON)")
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        default="system",
        help="colours (default: follow the system)",
    )
    parser.add_argument(
        "--store", metavar="DB", help="the object store runs use (default: the last one chosen)"
    )
    parser.set_defaults(handler=open_command)


def open_command(args: argparse.Namespace) -> int:
    require_qt("the designer")
    from designer.app import run_designer

    return run_designer(args.files, theme=args.theme, store=args.store)
