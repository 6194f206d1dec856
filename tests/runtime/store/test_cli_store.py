"""``flowdesk store import | export | list`` through runtime.cli.main, on real store files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runtime import cli
from runtime.store import ObjectStore

SEED = {
    "types": [{"name": "Settings", "fields": ["Key", "Data1", "Data2"]}],
    "instances": {
        "Settings": [
            {"Key": "APIBaseURL", "Data1": "http://127.0.0.1:5080", "Data2": ""},
            {"Key": "AccessToken", "Data1": "token-1234", "Data2": "2024-07-22T07:05:40.000Z"},
            {"Key": "AccessTokenCreds", "Data1": "analyst", "Data2": "pw"},
        ]
    },
}


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(SEED), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


def test_store_is_a_registered_command() -> None:
    assert "runtime.commands.store" in cli.COMMAND_MODULES


def test_import_prints_a_summary_on_stderr(
    seed_file: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["store", "import", str(seed_file), "--store", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"{seed_file}: 1 type created, 0 fields added, 3 instances created, 0 updated\n"
    with ObjectStore(db) as store:
        assert len(store.list_instances("Settings")) == 3


def test_list_prints_matching_records_as_json(
    seed_file: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["store", "import", str(seed_file), "--store", str(db)])
    capsys.readouterr()
    assert (
        cli.main(["store", "list", "Settings", "--filter", "Key eq 'AccessToken'", "--store", str(db)]) == 0
    )
    out, err = capsys.readouterr()
    assert json.loads(out) == [
        {
            "ObjectId": 2,
            "Title": "",
            "Key": "AccessToken",
            "Data1": "token-1234",
            "Data2": "2024-07-22T07:05:40.000Z",
        }
    ]
    assert err == ""
    argv = [
        "store",
        "list",
        "Settings",
        "--order-by",
        "Key desc",
        "--skip",
        "1",
        "--limit",
        "1",
        "--store",
        str(db),
    ]
    assert cli.main(argv) == 0
    # binary order, descending: AccessTokenCreds, AccessToken, APIBaseURL
    assert [record["Key"] for record in json.loads(capsys.readouterr().out)] == ["AccessToken"]


def test_export_to_stdout_and_to_a_file(
    seed_file: Path, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["store", "import", str(seed_file), "--store", str(db)])
    capsys.readouterr()
    assert cli.main(["store", "export", "--store", str(db)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["types"] == SEED["types"]
    assert [record["Key"] for record in printed["instances"]["Settings"]] == [
        "APIBaseURL",
        "AccessToken",
        "AccessTokenCreds",
    ]
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    target.write_text("old content")
    assert cli.main(["store", "export", "-o", str(target), "--store", str(db)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == printed
    assert [path.name for path in target.parent.iterdir()] == ["export.json"]  # no temporary file left


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["list", "Planets"], 'flowdesk: object type "Planets" not found in store '),
        (
            ["list", "Settings", "--filter", "Key eq"],
            "flowdesk: filter \"Key eq\" : expected a value after 'eq' at position 6",
        ),
        (
            ["list", "Settings", "--filter", "Colour eq 'red'"],
            'flowdesk: filter "Colour eq \'red\'" : unknown field "Colour"',
        ),
        (
            ["list", "Settings", "--order-by", "Key sideways"],
            "flowdesk: order by \"Key sideways\" : expected ',', 'asc'",
        ),
    ],
)
def test_list_errors_are_one_line_exit_2(
    seed_file: Path, db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    cli.main(["store", "import", str(seed_file), "--store", str(db)])
    capsys.readouterr()
    assert cli.main(["store", *argv, "--store", str(db)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_bad_seed_is_one_line_exit_2_and_writes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "types": [{"name": "T", "fields": [{"name": "When", "type": "datetime"}]}],
                "instances": {"T": [{"When": "soon"}]},
            }
        )
    )
    assert cli.main(["store", "import", str(bad), "--store", str(db)]) == 2
    err = capsys.readouterr().err
    assert err == f'flowdesk: {bad}: instances.T[0]: field "When" expects a datetime, got "soon"\n'
    with ObjectStore(db) as store:
        assert store.list_types() == []


def test_reading_a_missing_store_does_not_create_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.sqlite3"
    assert cli.main(["store", "list", "Settings", "--store", str(missing)]) == 2
    hint = f"flowdesk store import SEED.json --store {missing} creates one"
    assert capsys.readouterr().err == f"flowdesk: {missing}: no store here ({hint})\n"
    assert not missing.exists()
    assert cli.main(["store", "export", "--store", str(missing)]) == 2


def test_default_store_comes_from_the_user_data_directory(
    seed_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    default = tmp_path / "data" / "store.sqlite3"
    monkeypatch.setattr("runtime.store.default_store_path", lambda: default)
    assert cli.main(["store", "import", str(seed_file)]) == 0
    assert default.is_file()
    capsys.readouterr()
    assert cli.main(["store", "list", "Settings", "--limit", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.parametrize("action", ["import", "export", "list"])
def test_every_action_has_help(action: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["store", action, "--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert "--store DB" in help_text
    assert f"usage: flowdesk store {action}" in help_text


def test_usage_mistakes_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["store"], ["store", "list"], ["store", "list", "Settings", "--skip", "-1"]):
        with pytest.raises(SystemExit) as exited:
            cli.main(argv)
        assert exited.value.code == 2
    assert "expected a whole number of 0 or more, got '-1'" in capsys.readouterr().err
