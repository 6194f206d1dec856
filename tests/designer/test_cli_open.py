"""`flowdesk` and `flowdesk open FILE...` reach the designer; the CLI itself never imports Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from designer.cli.open import open_command
from runtime.cli import build_parser


def test_open_parses_files_and_theme():
    args = build_parser().parse_args(["open", "a.json", "b.json", "--theme", "dark"])
    assert args.handler is open_command and args.files == ["a.json", "b.json"] and args.theme == "dark"


def test_open_takes_the_object_store_runs_use():
    args = build_parser().parse_args(["open", "a.json", "--store", "demo.sqlite3"])
    assert args.store == "demo.sqlite3"
    assert build_parser().parse_args(["open"]).store is None


def test_the_cli_does_not_import_qt_until_a_designer_command_runs():
    code = (
        "import sys; from runtime.cli import build_parser; build_parser().parse_args(['validate', 'x.json']);"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert result.stdout.strip() == "False"
