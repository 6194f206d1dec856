"""The ``flowdesk`` command line: one argparse subcommand per module in :mod:`runtime.commands`.

Every subcommand module exposes ``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``(args) -> int`` (the exit code). User mistakes are :class:`FlowdeskError` and print one line;
a traceback is only ever shown for a bug.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from runtime import __version__
from runtime.errors import FlowdeskError

COMMAND_MODULES: tuple[str, ...] = (
    "runtime.commands.validate",
    "runtime.commands.export",
    "runtime.commands.run",
    "runtime.commands.serve",
    "runtime.commands.demo",
    "runtime.commands.store",
    "runtime.commands.render",
    "runtime.commands.open",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flowdesk",
        description="Design, run and debug Elsa 2 / World of Workflows workflows on your own machine.",
    )
    parser.add_argument("--version", action="version", version=f"flowdesk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        if "runtime.commands.open" in COMMAND_MODULES:
            args = parser.parse_args(["open", *(argv or [])])
            handler = args.handler
        else:
            parser.print_help()
            return 0
    try:
        return int(handler(args))
    except FlowdeskError as error:
        print(f"flowdesk: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("flowdesk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
