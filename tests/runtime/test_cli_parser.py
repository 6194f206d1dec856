"""The command line builds only the parser it needs (``flowdesk validate`` registers validate alone), and
what anyone sees is what the full parser shows: ``--help``, each command's help, errors and ``--version``."""

from __future__ import annotations

import argparse
import importlib

import pytest

from runtime import cli


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | str | None, str, str]:
    """Exit code, stdout and stderr of ``flowdesk ARGV`` run in this process."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def full_parser_says(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int | str | None, str, str]:
    """What the parser with every command (runtime and plug-ins) prints for ``argv``."""
    with pytest.raises(SystemExit) as exit_info:
        cli.build_parser().parse_args(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def choices(parser: argparse.ArgumentParser) -> list[str]:
    (subparsers,) = (action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    return list(subparsers.choices)


@pytest.mark.parametrize(("name", "module"), list(cli.COMMANDS.items()))
def test_each_command_module_registers_the_command_it_is_listed_under(name: str, module: str) -> None:
    parser = argparse.ArgumentParser(prog="flowdesk")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    importlib.import_module(module).register(subparsers)
    assert list(subparsers.choices) == [name]


def test_a_runtime_command_builds_its_own_parser_only() -> None:
    assert choices(cli.build_parser(["validate", "x.json"])) == ["validate"]
    assert choices(cli.build_parser(["--version"])) == []


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h", "validate"], ["bogus"], ["open"]])
def test_anything_else_builds_every_runtime_command(argv: list[str]) -> None:
    assert choices(cli.build_parser(argv))[: len(cli.COMMANDS)] == list(cli.COMMANDS)


def test_help_is_the_full_parsers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--help"], capsys)
    assert (code, err) == (0, "")
    assert out == cli.build_parser().format_help()
    assert all(name in out for name in [*cli.COMMANDS, "open", "render"])


@pytest.mark.parametrize("name", list(cli.COMMANDS))
def test_a_commands_help_is_the_full_parsers(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([name, "--help"], capsys) == full_parser_says([name, "--help"], capsys)


def test_validate_help_works(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate", "--help"], capsys)
    assert code == 0 and out.startswith("usage: flowdesk validate [-h] FILE [FILE ...]")


@pytest.mark.parametrize(
    "argv",
    [["bogus"], ["Validate", "x.json"], ["-x"], ["validate"], ["validate", "-q", "x.json"], ["--version"]],
)
def test_errors_and_version_are_the_full_parsers(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    said = run(argv, capsys)
    assert said == full_parser_says(argv, capsys)
    if argv[0] == "bogus":
        assert "invalid choice: 'bogus'" in said[2] and "'validate'" in said[2] and "'open'" in said[2]
