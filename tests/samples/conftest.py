"""The demo environment on loopback: samples/ served with a fresh store whose APIBaseURL points at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from runtime.engine import RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.host import BackgroundHost
from runtime.host.server import load_hosted, make_host
from runtime.store.store import ObjectStore
from tests.conftest import PROJECT_ROOT

SAMPLES = PROJECT_ROOT / "samples"


@dataclass
class DemoEnvironment:
    host: BackgroundHost
    store: ObjectStore
    store_path: Path
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    events: list = field(default_factory=list)

    def auth_calls(self) -> int:
        return sum(1 for method, path, _ in self.requests if (method, path) == ("POST", "/auth"))

    def setting(self, key: str) -> dict:
        return next(r for r in self.store.list_instances("Settings") if r["Key"] == key)

    def set_setting(self, key: str, **values: str) -> None:
        self.store.update_instance(self.setting(key)["ObjectId"], values)

    def runner(self, *folders: Path) -> WorkflowRunner:
        services = RuntimeServices(
            library=WorkflowLibrary(list(folders) or [SAMPLES]), store_path=self.store_path
        )
        return WorkflowRunner(services, [self.events.append])


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoEnvironment]:
    store_path = tmp_path / "store.sqlite3"
    store = ObjectStore(store_path)
    store.import_seed(SAMPLES / "store.json")
    app = make_host(load_hosted([SAMPLES]), [SAMPLES], store_path)
    host = BackgroundHost(app).start()
    environment = DemoEnvironment(host, store, store_path)
    app.on_request = lambda method, path, status, ms, instance: environment.requests.append(
        (method, path, status)
    )
    environment.set_setting("APIBaseURL", Data1=host.url)
    environment.set_setting("AccessToken", Data1="expired-token", Data2="2000-01-01T00:00:00Z")
    yield environment
    host.stop()
    store.close()
