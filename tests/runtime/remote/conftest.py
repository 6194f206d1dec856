"""A fake Elsa 2 server on loopback, seeded with the real exports of ``../shared/elsa-corpus``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.remote.fake_elsa import FakeElsa, corpus_server

TOKEN = "Bearer s3cr3t-token-0042"


class MemoryKeyring:
    """A keyring in a dict (the part of the ``keyring`` API the server store uses)."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service_name: str, username: str) -> str | None:
        return self.values.get((service_name, username))

    def set_password(self, service_name: str, username: str, password: str) -> None:
        self.values[(service_name, username)] = password

    def delete_password(self, service_name: str, username: str) -> None:
        self.values.pop((service_name, username), None)


@pytest.fixture
def elsa(corpus_dir: Path) -> Iterator[FakeElsa]:
    """The corpus on a fake Elsa server (no authentication), started on a free port."""
    with corpus_server(corpus_dir) as fake:
        yield fake


@pytest.fixture
def secured_elsa(corpus_dir: Path) -> Iterator[FakeElsa]:
    """The same, behind a host that wants ``Authorization: Bearer …`` (401 without it)."""
    with corpus_server(corpus_dir, {"Authorization": TOKEN}) as fake:
        yield fake
