"""``flowdesk history``: every ``run`` is kept unless ``--no-history``; list, filter, show, settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import save_workflow
from runtime.store.store import default_store_path


def _flow(tmp_path: Path, name: str = "Greeter", fail: bool = False) -> Path:
    builder = WorkflowBuilder(name).add(
        "corr", "Correlate", Value=("JavaScript", '"greet-" + input.name + " pw " + input.password')
    )
    if fail:
        builder.add("end", "Fault", Message="no luck")
    else:
        builder.add("end", "Finish", ActivityOutput=("JavaScript", '({greeting: "hello"})'))
    path = tmp_path / f"{name.lower()}.json"
    save_workflow(builder.chain("corr", "end").build(), path)
    return path


def _run(path: Path, store: Path, *extra: str) -> int:
    return main(
        [
            "run",
            str(path),
            "--input",
            '{"name": "Ada", "password": "pa55word-x"}',
            "--store",
            str(store),
            *extra,
        ]
    )


def test_runs_are_listed_newest_first_and_filtered(tmp_path: Path, capsys) -> None:
    store = tmp_path / "s.db"
    assert _run(_flow(tmp_path), store) == 0
    assert _run(_flow(tmp_path, "Failing", fail=True), store) == 1
    assert _run(_flow(tmp_path), store, "--no-history") == 0
    capsys.readouterr()
    assert main(["history", "--store", str(store)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert "Faulted" in lines[0] and "Failing" in lines[0] and "no luck" in lines[0]
    assert "Finished" in lines[1] and "Greeter" in lines[1] and " run " in lines[1]
    assert main(["history", "--store", str(store), "--status", "faulted", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [run["workflow"] for run in listed] == ["Failing"]
    assert (
        listed[0]["file"] == str((tmp_path / "failing.json").resolve()) and len(listed[0]["fileHash"]) == 64
    )
    assert main(["history", "--store", str(store), "--workflow", "greeter", "--json"]) == 0
    assert [run["workflow"] for run in json.loads(capsys.readouterr().out)] == ["Greeter"]


def test_show_prints_the_run_as_run_printed_it_masked(tmp_path: Path, capsys) -> None:
    store = tmp_path / "s.db"
    _run(_flow(tmp_path), store)
    printed = [line for line in capsys.readouterr().err.splitlines() if " [" in line]
    assert main(["history", "--store", str(store), "--json"]) == 0
    run_id = json.loads(capsys.readouterr().out)[0]["id"]
    assert main(["history", "show", run_id[:8], "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "pa55word-x" not in out
    assert '"password": "****"' in out
    log = [line for line in out.splitlines() if line[:4].isdigit()]
    assert len(log) == len(printed)
    assert [line.split(maxsplit=3)[1:3] for line in log] == [line.split(maxsplit=3)[1:3] for line in printed]
    assert main(["history", "show", run_id, "--store", str(store), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [step["activityId"] for step in record["path"]] == ["corr", "end"]
    assert record["output"] == {"greeting": "hello"} and record["journal"][0]["activityId"] == "corr"


def test_history_goes_to_the_users_store_by_default(tmp_path: Path, capsys) -> None:
    assert main(["run", str(_flow(tmp_path)), "--input", '{"name": "A", "password": "x"}']) == 0
    capsys.readouterr()
    assert main(["history", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert default_store_path().exists()


def test_unknown_run_and_missing_store(tmp_path: Path, capsys) -> None:
    store = tmp_path / "s.db"
    assert main(["history", "--store", str(store)]) == 2
    _run(_flow(tmp_path), store)
    assert main(["history", "show", "ffffffff", "--store", str(store)]) == 2
    assert "no run 'ffffffff'" in capsys.readouterr().err


def test_settings_and_clear(tmp_path: Path, capsys) -> None:
    store = tmp_path / "s.db"
    for _ in range(3):
        _run(_flow(tmp_path), store)
    capsys.readouterr()
    assert main(["history", "settings", "--store", str(store), "--keep-runs", "2"]) == 0
    assert "keep runs: 2; keep for: 30 days; 2 runs kept now" in capsys.readouterr().out
    assert main(["history", "clear", "--store", str(store)]) == 1
    assert main(["history", "clear", "--store", str(store), "--yes"]) == 0
    assert main(["history", "--store", str(store), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("since", ["1h", "2026-01-01", "2026-01-01T10:00:00Z"])
def test_since_takes_a_duration_or_an_instant(tmp_path: Path, capsys, since: str) -> None:
    store = tmp_path / "s.db"
    _run(_flow(tmp_path), store)
    capsys.readouterr()
    assert main(["history", "--store", str(store), "--since", since, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["history", "settings", "--keep-days", "nan"],
            "--keep-days: expected a number of days of 0 or more",
        ),
        (
            ["history", "settings", "--keep-days", "inf"],
            "--keep-days: expected a number of days of 0 or more",
        ),
        (["history", "settings", "--keep-days", "-1"], "--keep-days: expected a number of days of 0 or more"),
        (["history", "settings", "--keep-runs", "-1"], "--keep-runs: expected a whole number of 0 or more"),
        (["history", "--limit", "-5"], "--limit: expected a whole number of 0 or more"),
    ],
)
def test_counts_and_days_are_checked_where_they_are_given(tmp_path: Path, capsys, argv, said) -> None:
    store = tmp_path / "s.db"
    _run(_flow(tmp_path), store)
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--store", str(store)])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "keep_" not in err


def test_settings_refuse_a_store_that_is_not_there(tmp_path: Path, capsys) -> None:
    mistyped = tmp_path / "sotre.db"
    assert main(["history", "settings", "--store", str(mistyped), "--keep-runs", "5"]) == 2
    assert (
        capsys.readouterr().err
        == f"flowdesk: {mistyped}: no such store file (no run has been recorded there)\n"
    )
    assert not mistyped.exists()


def test_fractions_of_days_are_kept(tmp_path: Path, capsys) -> None:
    store = tmp_path / "s.db"
    _run(_flow(tmp_path), store)
    capsys.readouterr()
    assert main(["history", "settings", "--store", str(store), "--keep-days", "0.5", "--keep-runs", "0"]) == 0
    assert "keep runs: no limit; keep for: 0.5 days; 1 runs kept now" in capsys.readouterr().out


def test_the_sources_listed_are_those_recorded(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["history", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "only runs started by: run, serve, designer, demo" in help_text and "demo, test" not in help_text
