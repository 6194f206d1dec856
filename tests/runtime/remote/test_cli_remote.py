"""``flowdesk remote|pull|push`` against a fake Elsa 2 server on loopback: exit codes, one-line errors, the
``--json`` shapes, saved servers and their credentials, and the pull → edit → push → pull round trip."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import pytest

from runtime.cli import main
from runtime.elsa_json import load_workflow, save_workflow
from runtime.remote.cache import load_descriptors
from runtime.remote.servers import ServerStore
from runtime.validation import validate
from tests.runtime.remote.conftest import TOKEN, MemoryKeyring
from tests.runtime.remote.fake_elsa import FakeElsa
from tests.runtime.test_cli_startup import HEAVY, imported_after

BOOKKEEPING = ("$id", "versionId", "version", "isPublished", "isLatest", "createdAt", "id")


def flowdesk(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def definition(fake: FakeElsa, name: str) -> dict:
    return next(v for v in fake.versions if v["name"] == name and v["isLatest"])


def content(path: Path) -> dict:
    """A workflow file without the server's version bookkeeping and ``$id`` numbering."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "$id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    document = json.loads(path.read_text(encoding="utf-8"))
    return {k: strip(v) for k, v in document.items() if k not in BOOKKEEPING}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("argv", [["remote", "--help"], ["pull", "--help"], ["push", "--help"]])
def test_the_server_commands_import_nothing_heavy_for_help(argv: list[str]) -> None:
    code = (
        "import contextlib, io, runtime.cli\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        f"    runtime.cli.main({argv!r})"
    )
    assert imported_after(code).isdisjoint(HEAVY)


def test_workflows_lists_one_row_per_definition_and_json_has_the_promised_keys(
    capsys, elsa: FakeElsa
) -> None:
    code, out, err = flowdesk(capsys, "remote", "workflows", "--server", elsa.url)
    assert code == 0, err
    assert out.splitlines()[0].split() == ["DEFINITION", "ID", "VERSION", "PUBLISHED", "NAME"]
    assert "CallMyAPI" in out and "faultingWorkflow" in out
    code, out, _ = flowdesk(capsys, "remote", "workflows", "--server", elsa.url, "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 8
    assert all({"definitionId", "name", "version", "isPublished"} <= set(row) for row in rows)
    call = next(row for row in rows if row["name"] == "CallMyAPI")
    assert call["definitionId"] == definition(elsa, "CallMyAPI")["definitionId"]
    assert call["version"] == 2 and call["isPublished"] is False
    code, out, _ = flowdesk(
        capsys, "remote", "workflows", "--server", elsa.url, "--json", "--search", "Settings"
    )
    assert [row["name"] for row in json.loads(out)] == ["GetSettings"]


def test_a_definition_with_a_newer_draft_is_one_row_saying_which_version_is_published(
    capsys, elsa: FakeElsa, tmp_path: Path
) -> None:
    fire = next(v for v in elsa.versions if "fire" in (v["name"] or "").lower())
    assert fire["isPublished"] and fire["isLatest"]
    out_file = tmp_path / "fire.json"
    assert flowdesk(capsys, "pull", fire["definitionId"], "--server", elsa.url, "-o", str(out_file))[0] == 0
    code, out, err = flowdesk(capsys, "push", str(out_file), "--server", elsa.url)
    assert code == 0, err
    assert out.strip() == f"{fire['definitionId']} {fire['version'] + 1} (draft)", "a published latest: N+1"
    code, out, _ = flowdesk(capsys, "remote", "workflows", "--server", elsa.url, "--json")
    row = next(r for r in json.loads(out) if r["definitionId"] == fire["definitionId"])
    assert (row["version"], row["isPublished"], row["publishedVersion"]) == (
        fire["version"] + 1,
        False,
        fire["version"],
    )


def test_pull_edit_push_pull_loses_nothing(capsys, elsa: FakeElsa, tmp_path: Path) -> None:
    call = definition(elsa, "CallMyAPI")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    code, _, err = flowdesk(capsys, "pull", call["definitionId"], "--server", elsa.url, "-o", str(first))
    assert code == 0 and "pulled Call an API that has a refreshing token version 2 (draft)" in err
    assert json.loads(first.read_text())["$id"] == "1", "the export form, as flowdesk export writes it"

    workflow = load_workflow(first)
    activity = workflow.activities[3]
    workflow.move_activity(activity.activity_id, 1234, -56)
    workflow.set_activity_field(activity.activity_id, "display_name", "Renamed on my desk")
    workflow.variables.data["Added"] = {"nested": [1, 2, "three"]}
    workflow.custom_attributes.data["flowdesk"] = {"breakpoints": [activity.activity_id]}
    save_workflow(workflow, first)

    code, out, err = flowdesk(capsys, "push", str(first), "--server", elsa.url)
    assert code == 0, err
    assert out.strip() == f"{call['definitionId']} 2 (draft)", "the latest draft is updated in place"
    code, _, err = flowdesk(capsys, "pull", call["definitionId"], "--server", elsa.url, "-o", str(second))
    assert code == 0, err
    assert content(second) == content(first)
    pulled = load_workflow(second)
    assert pulled.activity(activity.activity_id).display_name == "Renamed on my desk"
    assert pulled.custom_attributes.data["flowdesk"] == {"breakpoints": [activity.activity_id]}
    assert (pulled.activity(activity.activity_id).x, pulled.activity(activity.activity_id).y) == (1234, -56)

    code, out, _ = flowdesk(capsys, "push", str(second), "--server", elsa.url, "--publish", "--json")
    assert code == 0
    assert json.loads(out) == {
        "definitionId": call["definitionId"],
        "versionId": pulled.version_id,
        "version": 2,
        "isPublished": True,
        "created": False,
    }
    third = tmp_path / "third.json"
    assert (
        flowdesk(
            capsys,
            "pull",
            call["definitionId"],
            "--server",
            elsa.url,
            "--version",
            "published",
            "-o",
            str(third),
        )[0]
        == 0
    )
    assert content(third) == content(first)


def test_push_of_a_new_definition_creates_it_under_its_own_id_and_notes_what_elsa_drops(
    capsys, corpus_dir: Path
) -> None:
    with FakeElsa() as empty:
        code, out, err = flowdesk(
            capsys, "push", str(corpus_dir / "elsa-fire-protocol.json"), "--server", empty.url, "--json"
        )
        assert code == 0, err
        result = json.loads(out)
        assert result["created"] is True and result["version"] == 1 and result["isPublished"] is False
        assert result["definitionId"] == load_workflow(corpus_dir / "elsa-fire-protocol.json").definition_id
        assert "does not store activities[].persistOutput" in err
        assert len(err.strip().splitlines()) == 1


def test_push_of_a_file_without_a_definition_id_says_which_id_to_add(
    capsys, corpus_dir: Path, tmp_path: Path
) -> None:
    document = json.loads((corpus_dir / "elsa-fire-protocol.json").read_text(encoding="utf-8"))
    del document["definitionId"]
    path = tmp_path / "no-id.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with FakeElsa() as empty:
        code, out, err = flowdesk(capsys, "push", str(path), "--server", empty.url)
        assert code == 0, err
        created, version, _ = out.split()
        assert created and version == "1" and [v["definitionId"] for v in empty.versions] == [created]
        assert (
            f'flowdesk push: created definition {created}; add "definitionId": "{created}" to {path} '
            "(or pull it) so the next push updates it\n"
        ) in err
        document["definitionId"] = created
        path.write_text(json.dumps(document), encoding="utf-8")
        code, out, err = flowdesk(capsys, "push", str(path), "--server", empty.url, "--json")
        assert code == 0 and json.loads(out)["created"] is False and "created definition" not in err
        assert {v["definitionId"] for v in empty.versions} == {created}, "the second push updated it"


def test_push_validates_first_and_refuses_errors_unless_forced(
    capsys, elsa: FakeElsa, tmp_path: Path
) -> None:
    broken = load_workflow(Path(__file__).parents[3] / "samples" / "call-my-api.json")
    broken.activities[1].name = "not an identifier"
    path = tmp_path / "broken.json"
    save_workflow(broken, path)
    before = len(elsa.versions)
    code, out, err = flowdesk(capsys, "push", str(path), "--server", elsa.url)
    assert code == 1 and out == ""
    assert f"{path}: error:" in err and "not pushed (--force pushes it anyway)" in err
    problems = [line for line in err.splitlines() if line.startswith(f"{path}: ")]
    assert problems == [f"{path}: {p}" for p in validate(broken) if p.severity == "error"], "validate's form"
    assert len(elsa.versions) == before and not any(r[0] == "POST" for r in elsa.requests)
    code, out, err = flowdesk(capsys, "push", str(path), "--server", elsa.url, "--force")
    assert code == 0, err


def test_the_server_says_no_in_one_line_with_exit_1(capsys, elsa: FakeElsa, tmp_path: Path) -> None:
    code, out, err = flowdesk(capsys, "pull", "nope", "--server", elsa.url, "-o", str(tmp_path / "x.json"))
    assert (code, out) == (1, "")
    assert err == f"flowdesk: {elsa.url}: workflow definition nope (version Latest) not found\n"
    assert not (tmp_path / "x.json").exists()
    code, _, err = flowdesk(capsys, "remote", "log", "nope", "--server", elsa.url)
    assert code == 1 and err == f"flowdesk: {elsa.url}: workflow instance nope not found\n"
    port = closed_port()
    code, _, err = flowdesk(capsys, "remote", "workflows", "--server", f"127.0.0.1:{port}")
    assert code == 1 and err == f"flowdesk: cannot reach http://127.0.0.1:{port} (connection refused)\n"
    elsa.delay = 1.0
    code, _, err = flowdesk(capsys, "remote", "activities", "--server", elsa.url, "--timeout", "0.2")
    assert code == 1 and err == f"flowdesk: {elsa.url} did not answer within 0.2 s\n"


def test_bad_usage_is_exit_2(capsys, elsa: FakeElsa, tmp_path: Path) -> None:
    code, _, err = flowdesk(capsys, "remote", "workflows")
    assert code == 2 and err == "flowdesk: no server: give --server URL|NAME, or set FLOWDESK_SERVER\n"
    code, _, err = flowdesk(capsys, "remote", "workflows", "--server", "prod")
    assert code == 2 and "no saved server named 'prod'" in err
    code, _, err = flowdesk(capsys, "remote", "workflows", "--server", elsa.url, "--header", "NoColonHere")
    assert code == 2 and "'Name: value'" in err and "NoColonHere" not in err
    with pytest.raises(SystemExit) as exited:
        main(["pull", "x", "--server", elsa.url, "--version", "latest-ish", "-o", str(tmp_path / "x.json")])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["remote", "instances", "--server", elsa.url, "--status", "Sleeping"])
    assert exited.value.code == 2
    code, _, err = flowdesk(capsys, "push", str(tmp_path / "missing.json"), "--server", elsa.url)
    assert code == 2 and "no such file" in err


def test_a_server_that_wants_credentials_says_so_in_one_line(capsys, secured_elsa: FakeElsa) -> None:
    code, out, err = flowdesk(capsys, "remote", "workflows", "--server", secured_elsa.url)
    assert (code, out) == (1, "")
    assert err.startswith(f"flowdesk: {secured_elsa.url}: the server refused the credentials (HTTP 401")
    assert len(err.splitlines()) == 1
    code, out, err = flowdesk(
        capsys, "remote", "workflows", "--server", secured_elsa.url, "--header", "Authorization: Bearer wrong"
    )
    assert code == 1 and "refused the credentials (HTTP 401)" in err and "wrong" not in err
    code, out, err = flowdesk(
        capsys, "remote", "workflows", "--server", secured_elsa.url, "--header", f"Authorization: {TOKEN}"
    )
    assert code == 0 and "CallMyAPI" in out


def test_a_saved_server_carries_its_headers_in_a_private_file_never_printed(
    capsys, secured_elsa: FakeElsa, monkeypatch
) -> None:
    code, out, err = flowdesk(
        capsys, "remote", "add", "wow", secured_elsa.url, "--header", f"Authorization: {TOKEN}"
    )
    assert code == 0, err
    assert "s3cr3t" not in out + err and "Bearer ****" in out
    path = ServerStore().path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    code, out, _ = flowdesk(capsys, "remote", "list")
    assert code == 0 and "wow" in out and "s3cr3t" not in out
    code, out, err = flowdesk(capsys, "remote", "workflows", "--server", "wow", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 8
    monkeypatch.setenv("FLOWDESK_SERVER", "wow")
    code, out, _ = flowdesk(capsys, "remote", "instances", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = flowdesk(capsys, "remote", "activities", "--server", secured_elsa.url)
    assert code == 0, "a URL that a saved server has uses its headers"
    assert secured_elsa.requests[-1][2]["authorization"] == TOKEN
    assert flowdesk(capsys, "remote", "remove", "wow")[0] == 0
    assert flowdesk(capsys, "remote", "workflows")[0] == 2, "FLOWDESK_SERVER names a server no longer saved"


def test_with_a_keyring_the_config_file_keeps_only_header_names(tmp_path: Path) -> None:
    from runtime.remote.servers import ServerEntry, resolve_server

    keyring = MemoryKeyring()
    store = ServerStore(tmp_path / "servers.json", keyring=keyring)
    store.save(ServerEntry("wow", "https://wow.example.com/", {"Authorization": TOKEN, "X-Tenant": "t1"}))
    assert TOKEN not in (tmp_path / "servers.json").read_text()
    assert keyring.values[("flowdesk", "wow/Authorization")] == TOKEN
    resolved = resolve_server("wow", ["X-Tenant: t2"], store, environ={})
    assert resolved.url == "https://wow.example.com"
    assert resolved.headers == {"Authorization": TOKEN, "X-Tenant": "t2"}
    store.save(ServerEntry("prod", "https://wow.example.com", {}), previous_name="wow")
    assert store.names() == ["prod"] and keyring.values == {}, "renaming forgets the old secrets"


def test_instances_json_and_filters(capsys, elsa: FakeElsa) -> None:
    faulting = definition(elsa, "faultingWorkflow")
    ids = [a["activityId"] for a in faulting["activities"]]
    failed = elsa.add_instance(faulting["definitionId"], [(ids[0], ["Done"])], fault=(ids[1], "kaboom"))
    call = definition(elsa, "GetSettings")
    finished = elsa.add_instance(
        call["definitionId"],
        [(a["activityId"], ["Done"]) for a in call["activities"]],
        correlation_id="order-42",
        version=call["version"],
    )
    code, out, _ = flowdesk(capsys, "remote", "instances", "--server", elsa.url, "--json")
    rows = json.loads(out)
    assert code == 0 and [row["id"] for row in rows] == [finished, failed], "newest first"
    assert {"id", "definitionId", "status", "correlationId", "createdAt", "finishedAt", "faultedAt"} <= set(
        rows[0]
    )
    assert rows[1]["status"] == "Faulted" and rows[1]["faultedAt"] and rows[0]["status"] == "Finished"
    for argv, expected in (
        (["--status", "faulted"], [failed]),
        (["--correlation-id", "order-42"], [finished]),
        (["--workflow", faulting["definitionId"]], [failed]),
        (["--limit", "1"], [finished]),
    ):
        code, out, _ = flowdesk(capsys, "remote", "instances", "--server", elsa.url, "--json", *argv)
        assert [row["id"] for row in json.loads(out)] == expected, argv
    code, out, _ = flowdesk(capsys, "remote", "instances", "--server", elsa.url)
    assert "faulting Workflow" in out and "order-42" in out


def test_log_prints_the_execution_log_in_runs_line_format(capsys, elsa: FakeElsa) -> None:
    faulting = definition(elsa, "faultingWorkflow")
    endpoint, fault = (a["activityId"] for a in faulting["activities"])
    instance = elsa.add_instance(faulting["definitionId"], [(endpoint, ["Done"])], fault=(fault, "kaboom"))
    code, out, err = flowdesk(capsys, "remote", "log", instance, "--server", elsa.url)
    assert code == 0, err
    lines = out.splitlines()
    tags = [line.split()[1:3] for line in lines]
    assert tags == [["INFO", "START"], ["INFO", "ACTIVITY"], ["ERROR", "FAULT"], ["ERROR", "FAULTED"]]
    assert lines[1].endswith(f"[{instance[:8]}] faultingWorkflow / GET /fault1: → Done")
    assert lines[2].endswith("faultingWorkflow / Fault: kaboom")
    assert lines[0][:4] == "2024" and lines[0][23] == "Z"
    code, out, _ = flowdesk(capsys, "remote", "log", instance, "--server", elsa.url, "--json")
    records = json.loads(out)
    assert [r["eventName"] for r in records] == ["Executing", "Executed", "Executing", "Faulted", "Executed"]


def test_activities_lists_the_servers_types_marks_its_own_and_caches_them(capsys, elsa: FakeElsa) -> None:
    code, out, _ = flowdesk(capsys, "remote", "activities", "--server", elsa.url)
    assert code == 0
    task = next(line for line in out.splitlines() if line.startswith("TaskCreate"))
    assert task.endswith("server only")
    assert not next(line for line in out.splitlines() if line.startswith("WriteLine")).endswith("server only")
    code, out, _ = flowdesk(capsys, "remote", "activities", "--server", elsa.url, "--json")
    items = json.loads(out)
    assert [item["type"] for item in items] == [
        "WriteLine",
        "TaskCreate",
        "RemoveWorkflowInstances",
        "SignalReceived",
    ]
    assert "properties" not in items[1] and items[1]["inputProperties"][0]["name"] == "Title"
    cached = load_descriptors(elsa.url)
    assert cached is not None and [a["type"] for a in cached[0]] == [item["type"] for item in items]
