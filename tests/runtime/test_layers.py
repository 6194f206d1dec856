"""Dependencies run one way: model → catalog → engine → activities → host → command line, designer above.

Read from the source (every ``import`` statement, also those inside functions and ``TYPE_CHECKING``), so a
wrong-way import fails here before it becomes a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

RUNTIME = PROJECT_ROOT / "runtime"

LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(layer)
    for layer in (
        {"errors", "secrets", "masking", "logsink", "resources", "modelbase", "model", "builder"}
        | {"jsonlimits", "processes", "files", "heap", "lazylist"},
        {"elsa_json", "graph", "catalog", "expressions", "store"},
        {"validation"},
        {"engine"},
        {"activities", "design_data"},
        {"logfmt", "host", "remote", "history", "flowtest"},
        {"commands", "cli"},
    )
)
"""Each runtime unit (a top-level module or subpackage) may import its own layer and the ones before it."""

FACADE = "runtime/__init__.py"
"""The public API re-exports every layer (lazily); the runtime imports only ``__version__`` from it."""


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(unit: str) -> int:
    for number, layer in enumerate(LAYERS):
        if unit in layer:
            return number
    raise AssertionError(f"runtime.{unit} is in no layer: add it to LAYERS in {__file__}")


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "runtime":
                found += [(node.lineno, f"runtime.{alias.name}") for alias in node.names]
    return found


def runtime_files() -> list[Path]:
    return sorted(p for p in RUNTIME.rglob("*.py") if p.relative_to(PROJECT_ROOT).as_posix() != FACADE)


@pytest.mark.parametrize("path", runtime_files(), ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_runtime_imports_run_one_way(path: Path):
    relative = path.relative_to(PROJECT_ROOT).with_suffix("")
    here = layer_of(relative.parts[1] if len(relative.parts) > 1 and relative.parts[1] != "__init__" else "")
    wrong = []
    for line, module in imports(path):
        top = module.split(".")[0]
        if top == "designer" or top == "PySide6":
            wrong.append(f"line {line}: {module} (the runtime never imports the designer or Qt)")
        elif top == "runtime" and module != "runtime":
            unit = unit_of(module)
            if unit in ("__version__",):
                continue
            if layer_of(unit) > here:
                wrong.append(f"line {line}: {module} (layer {layer_of(unit)} above {here})")
    assert not wrong, "\n".join(wrong)


def test_every_runtime_unit_has_a_layer():
    units = {p.stem if p.is_file() else p.name for p in RUNTIME.iterdir() if p.suffix == ".py" or p.is_dir()}
    units -= {"__init__", "__pycache__", "samples"}
    for unit in units:
        if (RUNTIME / unit).is_dir() and not any((RUNTIME / unit).glob("*.py")):
            continue
        layer_of(unit)
