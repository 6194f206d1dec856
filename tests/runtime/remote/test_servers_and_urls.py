"""Server URLs and saved servers against a fake Elsa 2 server: credentials never ride in a URL or follow a
redirect, a bad URL is refused when it is given (exit 2), a saved name is not silently replaced, a failed
write of ``servers.json`` loses no keyring credential, and ``remote add/list/remove`` stay light."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from runtime.cli import main
from runtime.errors import WorkflowSaveError
from runtime.remote.client import ElsaClient
from runtime.remote.errors import ServerConfigError
from runtime.remote.servers import ServerEntry, ServerStore, check_url
from tests.runtime.remote.conftest import TOKEN, MemoryKeyring
from tests.runtime.remote.fake_elsa import FakeElsa
from tests.runtime.test_cli_startup import HEAVY, imported_after

PASSWORD = "s3cret-pw-77"


def flowdesk(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def with_user_info(url: str) -> str:
    return url.replace("://", f"://user:{PASSWORD}@", 1)


def cached_text() -> str:
    """Everything the descriptor cache holds."""
    folder = Path(os.environ["FLOWDESK_CACHE_DIR"])
    return "".join(path.read_text() for path in folder.rglob("*") if path.is_file())


def test_a_url_with_a_password_is_refused_before_anything_is_sent_or_saved(
    capsys, elsa: FakeElsa, tmp_path: Path
) -> None:
    url = with_user_info(elsa.url)
    for argv in (
        ["remote", "add", "prod", url],
        ["remote", "workflows", "--server", url],
        ["remote", "activities", "--server", url],
        ["pull", "x", "--server", url, "-o", str(tmp_path / "x.json")],
    ):
        code, out, err = flowdesk(capsys, *argv)
        assert (code, out) == (2, ""), argv
        assert err == (
            f"flowdesk: {elsa.url.replace('://', '://user:****@')}: a server URL cannot carry a user name or "
            "password; give them as --header 'Authorization: Basic …' instead\n"
        ), argv
    assert elsa.requests == [] and ServerStore().entries() == []
    assert not (tmp_path / "x.json").exists() and PASSWORD not in cached_text()
    with pytest.raises(ServerConfigError):
        ElsaClient(url)
    with pytest.raises(ServerConfigError):
        ServerStore(tmp_path / "servers.json", keyring=False).save(ServerEntry("prod", url))
    assert not (tmp_path / "servers.json").exists()


def test_a_password_saved_in_a_url_before_is_masked_in_the_list_and_refused_when_used(
    capsys, elsa: FakeElsa
) -> None:
    store = ServerStore()
    store.path.parent.mkdir(parents=True)
    legacy = {"servers": [{"name": "legacy", "url": with_user_info(elsa.url), "headers": []}]}
    store.path.write_text(json.dumps(legacy))
    for argv in (["remote", "list"], ["remote", "list", "--json"]):
        code, out, err = flowdesk(capsys, *argv)
        assert code == 0 and "user:****@" in out and PASSWORD not in out + err
    code, out, err = flowdesk(capsys, "remote", "workflows", "--server", "legacy")
    assert (code, out) == (2, "") and PASSWORD not in err and "Authorization: Basic" in err
    assert elsa.requests == []


def test_a_redirect_is_reported_not_followed_so_saved_headers_stay_with_their_server(
    capsys, tmp_path: Path
) -> None:
    with FakeElsa() as target, FakeElsa() as moved:
        moved.redirect_to = target.url
        code, _, err = flowdesk(capsys, "remote", "add", "moved", moved.url, "--header", "X-Api-Key: k-123")
        assert code == 0, err
        code, out, err = flowdesk(capsys, "remote", "workflows", "--server", "moved")
        assert (code, out) == (1, "")
        assert err == f"flowdesk: {moved.url}: the server redirects to {target.url}; use that URL\n"
        code, _, err = flowdesk(
            capsys, "pull", "some-id", "--server", "moved", "-o", str(tmp_path / "x.json")
        )
        assert code == 1 and err.endswith(f"the server redirects to {target.url}; use that URL\n")
        assert [request[2].get("x-api-key") for request in moved.requests] == ["k-123", "k-123"]
        assert target.requests == [], "nothing, the key least of all, reached the other host"
        assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "no server URL given"),
        ("   ", "no server URL given"),
        ("http://[::1", "'http://[::1' is not a URL (Invalid IPv6 URL)"),
        ("http://host:port", "'http://host:port' is not a URL"),
        ("ftp://foo", "ftp://foo is not an http:// or https:// URL"),
        ("http://", "'http://' has no host name"),
        (
            "user:pw@host:5000",
            "http://user:****@host:5000: a server URL cannot carry a user name or password",
        ),
    ],
)
def test_a_url_that_cannot_be_a_server_is_refused_when_given_with_exit_2(capsys, url: str, says: str) -> None:
    code, out, err = flowdesk(capsys, "remote", "add", "x", url)
    assert (code, out) == (2, "")
    assert err.startswith(f"flowdesk: {says}") and len(err.splitlines()) == 1
    assert ServerStore().entries() == [] and not ServerStore().path.exists()
    if url.strip():
        code, out, err = flowdesk(capsys, "remote", "workflows", "--server", url)
        assert (code, out) == (2, "") and err.startswith(f"flowdesk: {says}")


def test_check_url_normalizes_what_it_accepts() -> None:
    assert check_url(" localhost:5000/ ") == "http://localhost:5000"
    assert check_url("https://elsa.example.com/base/") == "https://elsa.example.com/base"
    assert check_url("http://[::1]:8080") == "http://[::1]:8080"


def test_adding_a_name_already_saved_is_refused_unless_replace(capsys, secured_elsa: FakeElsa) -> None:
    code, _, err = flowdesk(
        capsys, "remote", "add", "wow", secured_elsa.url, "--header", f"Authorization: {TOKEN}"
    )
    assert code == 0, err
    code, out, err = flowdesk(capsys, "remote", "add", "WOW", "https://other.example.com")
    assert (code, out) == (2, "")
    assert err == (
        f"flowdesk: a server named 'wow' is already saved ({secured_elsa.url}); add --replace to replace it\n"
    )
    saved = ServerStore().get("wow")
    assert saved is not None and (saved.url, saved.headers) == (secured_elsa.url, {"Authorization": TOKEN})
    code, out, err = flowdesk(capsys, "remote", "workflows", "--server", "wow")
    assert code == 0, err
    code, out, err = flowdesk(capsys, "remote", "add", "WOW", "https://other.example.com", "--replace")
    assert code == 0, err
    assert [(e.name, e.url, e.headers) for e in ServerStore().entries()] == [
        ("WOW", "https://other.example.com", {})
    ]
    with pytest.raises(SystemExit):
        main(["remote", "add", "--help"])
    assert "--replace" in capsys.readouterr().out


def test_a_failed_write_of_the_servers_file_loses_no_keyring_credential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring = MemoryKeyring()
    store = ServerStore(tmp_path / "servers.json", keyring=keyring)
    store.save(ServerEntry("wow", "https://wow.example.com", {"Authorization": TOKEN}))
    kept = {("flowdesk", "wow/Authorization"): TOKEN}
    assert keyring.values == kept

    def refuse(target: Path, text: str, mode: int | None = None) -> None:
        raise WorkflowSaveError(f"{target}: cannot be written (disk full)")

    with monkeypatch.context() as patch:
        patch.setattr("runtime.files.write_text_atomically", refuse)
        with pytest.raises(ServerConfigError, match="disk full"):
            store.remove("wow")
        with pytest.raises(ServerConfigError, match="disk full"):
            store.save(ServerEntry("wow", "https://wow.example.com", {"Authorization": "Bearer new"}))
        with pytest.raises(ServerConfigError, match="disk full"):
            store.save(ServerEntry("prod", "https://wow.example.com", {"Authorization": "B x"}), "wow")
        assert keyring.values == kept
        saved = store.get("wow")
        assert saved is not None and saved.headers == {"Authorization": TOKEN}
    store.save(ServerEntry("wow", "https://wow.example.com", {"Authorization": "Bearer new"}))
    assert keyring.values == {("flowdesk", "wow/Authorization"): "Bearer new"}, "replaced, not deleted"
    assert store.remove("wow") and keyring.values == {}


def run_quietly(*argvs: list[str]) -> str:
    """Code running ``flowdesk ARGV...`` in turn, each expected to exit 0."""
    return (
        "import contextlib, io, runtime.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    for argv in {list(argvs)!r}:\n"
        "        assert runtime.cli.main(argv) == 0, argv"
    )


def test_saved_server_commands_import_no_http_client() -> None:
    ServerStore().save(ServerEntry("a", "http://127.0.0.1:1", {"Authorization": TOKEN}))
    assert imported_after(run_quietly(["remote", "list"])).isdisjoint(HEAVY)
    changes = run_quietly(["remote", "add", "b", "http://127.0.0.1:2"], ["remote", "remove", "a"])
    writer = {"pydantic"}  # writing servers.json atomically goes through runtime.elsa_json, which has it
    assert imported_after(changes).isdisjoint(set(HEAVY) - writer)
