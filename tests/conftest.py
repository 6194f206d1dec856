"""Shared fixtures. GUI tests run headless: Qt uses the offscreen platform."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
CORPUS = SHARED / "elsa-corpus"


@pytest.fixture(autouse=True)
def _own_config_and_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved Elsa servers, descriptor caches and the default store (a singleton's lock lives there) of each
    test's own (never the user's; no keyring)."""
    base = tmp_path_factory.mktemp("flowdesk-user")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("FLOWDESK_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("FLOWDESK_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("FLOWDESK_NO_KEYRING", "1")
    monkeypatch.delenv("FLOWDESK_SERVER", raising=False)


@pytest.fixture
def corpus_dir() -> Path:
    """The real Elsa 2 / WoW exports beside the project (tests skip where they are absent)."""
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/elsa-corpus not found at {CORPUS}: corpus fixtures unavailable")
    return CORPUS


def corpus_files() -> list[Path]:
    """Every corpus file, for parametrised tests (empty where ../shared is absent)."""
    return sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


@pytest.fixture
def samples_dir() -> Path:
    return PROJECT_ROOT / "samples"


def start_serve(folder: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """``flowdesk serve FOLDER`` as its own process on a free port (its store in the folder), and the URL it
    says it serves on; the process's stderr is left to read after that line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "serve", str(folder), "--port", "0"]
        + ["--store", str(folder / "s.db"), *options],
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        found = re.search(r"serving on (http://\S+)", line)
        if found:
            return process, found.group(1)
    process.wait(10)
    raise AssertionError(f"flowdesk serve {folder} did not start (exit {process.returncode})")
