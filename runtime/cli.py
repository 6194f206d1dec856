"""The ``flowdesk`` command line: one argparse subcommand per module in :mod:`runtime.commands`, plus the
commands other packages add through the ``flowdesk.commands`` entry-point group.

Every subcommand module exposes ``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``(args) -> int`` (the exit code); an entry point of the group names such a function. The runtime's
modules are listed in :data:`COMMANDS` under the command each registers, so a command line naming one builds
that parser alone. The designer
adds ``open`` and ``render`` that way (:mod:`designer.cli`), so the runtime never imports the designer and
works where Qt is not installed. Plain ``flowdesk`` runs ``open`` when it is there, and says the designer is
missing when it is not. User mistakes are :class:`FlowdeskError` and print one line; a traceback is only
ever shown for a bug.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from runtime import __version__
from runtime.errors import FlowdeskError

COMMANDS: dict[str, str] = {
    "validate": "runtime.commands.validate",
    "export": "runtime.commands.export",
    "run": "runtime.commands.run",
    "serve": "runtime.commands.serve",
    "demo": "runtime.commands.demo",
    "store": "runtime.commands.store",
    "history": "runtime.commands.history",
    "test": "runtime.commands.flowtest",
    "remote": "runtime.commands.remote",
    "pull": "runtime.commands.pull",
    "push": "runtime.commands.push",
}
"""The runtime's own commands, each with the module whose ``register`` adds it, in the order ``--help``
lists them (plug-in commands follow). Named here so ``flowdesk validate`` imports and builds only the
validate parser."""

COMMAND_MODULES: tuple[str, ...] = tuple(COMMANDS.values())
"""The modules of the runtime's own commands, in :data:`COMMANDS` order."""

PLUGIN_GROUP = "flowdesk.commands"
"""The entry-point group whose entries (``name = "module:register"``) add commands from other packages."""

DEFAULT_COMMAND = "open"
"""What plain ``flowdesk`` runs: the designer, when a plug-in registered it."""

NO_DESIGNER = (
    "the designer is not installed (no `open` command in the flowdesk.commands entry points); "
    "reinstall flowdesk, or use the headless commands: flowdesk --help"
)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command. Given the arguments, it builds only what they can reach: the one
    runtime command they start with (without the plug-ins), or none for ``--version``; so ``flowdesk
    validate`` neither reads entry points nor registers the other commands. Anything else (no command,
    ``--help``, a plug-in's or an unknown command) gets every command, so the help and argparse's "invalid
    choice" list are complete."""
    parser = argparse.ArgumentParser(
        prog="flowdesk",
        description="Design, run and debug Elsa 2 / World of Workflows workflows on your own machine.",
    )
    parser.add_argument("--version", action="version", version=f"flowdesk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _command_modules(argv):
        importlib.import_module(module_name).register(subparsers)
    if argv is None or _may_need_plugins(argv, set(COMMANDS)):
        for register in plugin_commands(set(subparsers.choices)):
            register(subparsers)
    return parser


def _command_modules(argv: Sequence[str] | None) -> Sequence[str]:
    """The modules whose commands ``argv`` can reach. A runtime command's name first hands every later
    argument to that command's parser, and ``--version`` first ends parsing before any command is looked
    at; otherwise all of them."""
    if argv:
        if argv[0] in COMMANDS:
            return (COMMANDS[argv[0]],)
        if argv[0] == "--version":
            return ()
    return COMMAND_MODULES


def _may_need_plugins(argv: Sequence[str], runtime_commands: set[str]) -> bool:
    if "--version" in argv:
        return False
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    return command not in runtime_commands


def plugin_commands(taken: set[str]) -> list[Callable[[Any], None]]:
    """The ``register`` functions of the ``flowdesk.commands`` entry points, one per new command name.

    An entry whose package cannot be imported is skipped (the command is absent, the rest still works);
    the first entry of a name wins, and none replaces a runtime command.
    """
    from importlib.metadata import entry_points

    found: list[Callable[[Any], None]] = []
    names = set(taken)
    for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        if entry.name in names:
            continue
        try:
            register = entry.load()
        except ImportError:
            continue
        names.add(entry.name)
        found.append(register)
    return found


PYDANTIC_PLUGINS_SWITCH = "PYDANTIC_DISABLE_PLUGINS"
"""pydantic reads this variable when it builds its first model, and with ``1`` it looks for no plug-ins."""

LEAVE_TO_EXIT = frozenset({"validate", "export"})
"""Commands that hold no file, connection or thread once they return: as the process's own command line,
their memory is left to the exit (:func:`runtime.heap.leave_to_the_exit`)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (the process's own, ``sys.argv[1:]``, when None) and return the exit
    code. As the process's own command line, flowdesk is the program, so it switches pydantic's plug-ins off
    unless the user set :data:`PYDANTIC_PLUGINS_SWITCH` (to an empty value to keep them): looking for them
    reads the metadata of every installed package, which no flowdesk command needs, before each start; it
    sets the collector for a program (:func:`runtime.heap.as_the_program`), and leaves the memory of the
    :data:`LEAVE_TO_EXIT` commands to the exit that follows."""
    if argv is None:
        from runtime.heap import as_the_program

        as_the_program()
        os.environ.setdefault(PYDANTIC_PLUGINS_SWITCH, "1")
        arguments = sys.argv[1:]
        try:
            return main(arguments)
        finally:
            if arguments and arguments[0] in LEAVE_TO_EXIT:
                from runtime.heap import leave_to_the_exit

                leave_to_the_exit()
    _tolerant_output()
    arguments = list(argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        if not _has_command(parser, DEFAULT_COMMAND):
            print(f"flowdesk: {NO_DESIGNER}", file=sys.stderr)
            return 2
        args = parser.parse_args([DEFAULT_COMMAND, *arguments])
        handler = args.handler
    try:
        return int(handler(args))
    except FlowdeskError as error:
        print(f"flowdesk: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("flowdesk: interrupted", file=sys.stderr)
        return 130


def _tolerant_output() -> None:
    """Text the terminal cannot encode (a lone surrogate read from a JSON escape, an emoji on a legacy
    console) is written as a backslash escape (``\\ud800``, which is also its JSON escape), never a crash.
    stderr does this by default; stdout is strict unless told."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):  # a detached or closed stream: nothing to print to
            reconfigure(errors="backslashreplace")


def _has_command(parser: argparse.ArgumentParser, name: str) -> bool:
    return any(
        isinstance(action, argparse._SubParsersAction) and name in action.choices
        for action in parser._actions
    )


if __name__ == "__main__":
    sys.exit(main())
