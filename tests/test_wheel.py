"""A wheel built from the tree works once installed: ``flowdesk demo`` from a fresh virtual environment.

Marked ``wheel`` and left out of the default run (it builds a wheel, ~20 s); ``.ci/run`` runs it with
``pytest -m wheel``. The fresh environment gets the wheel itself with ``--no-deps`` and borrows the
dependencies from this interpreter's site-packages through a ``.pth`` line (a path added that way has its
own ``.pth`` files ignored, so the editable install of the checkout stays out of it); it runs from a folder
outside the checkout, so what it imports is what the wheel holds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.wheel

SOURCES = ("pyproject.toml", "setup.py", "README.md", "runtime", "designer", "samples")


def run(argv: list[str | Path], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of a copy of the tree (so building leaves nothing in the checkout)."""
    tree = tmp_path_factory.mktemp("tree")
    for name in SOURCES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, tree / name)
    built = run([sys.executable, "-m", "pip", "wheel", ".", "-w", "dist", "--no-deps", "-q"], tree)
    assert built.returncode == 0, built.stderr
    (path,) = (tree / "dist").glob("flowdesk-*.whl")
    return path


def test_the_wheel_holds_the_samples_the_prelude_and_the_designer_commands(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    samples = {p.name for p in (PROJECT_ROOT / "samples").glob("*.json")}
    assert {f"runtime/samples/{name}" for name in samples} <= names
    assert {"runtime/expressions/prelude.js", "runtime/expressions/clr_types.js"} <= names
    assert {"runtime/py.typed", "designer/py.typed", "designer/cli/open.py"} <= names
    assert not any(name.startswith(("tests/", "benchmarks/", "samples/")) for name in names)
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[flowdesk.commands]" in text and "open = designer.cli.open:register" in text


def test_flowdesk_demo_runs_from_a_fresh_environment(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    installed = run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel],
        tmp_path,
    )
    assert installed.returncode == 0, installed.stderr
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path)
    site_packages = Path(purelib.stdout.strip())
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n")

    where = run([python, "-c", "import runtime, designer.cli; print(runtime.__file__)"], tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv)

    flowdesk = venv / ("Scripts/flowdesk.exe" if os.name == "nt" else "bin/flowdesk")
    demo = run([flowdesk, "demo"], tmp_path, timeout=120)
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert demo.stdout.strip().endswith("demo: OK")
    shown = run([flowdesk, "--help"], tmp_path)
    assert "open" in shown.stdout and "render" in shown.stdout
