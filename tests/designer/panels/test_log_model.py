"""The correlation log's model: entries from engine events, masking, filters, 100,000 entries, export."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest

from designer.panels import log_model
from designer.panels.log_model import MESSAGE, LogKind, LogModel, entry_from_event
from designer.run.bridge import RunEvent
from runtime.engine import EngineEvent, EventKind
from runtime.masking import SecretMasker

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def event(
    kind: EventKind, message: str = "", instance: str = "i-1", workflow: str = "W", **fields
) -> EngineEvent:
    return EngineEvent(kind=kind, instance_id=instance, workflow_name=workflow, message=message, **fields)


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        (EventKind.CORRELATED, {}, LogKind.CORRELATE),
        (EventKind.ACTIVITY_EXECUTED, {}, LogKind.ACTIVITY),
        (EventKind.LOG, {"data": {"kind": "http"}}, LogKind.HTTP),
        (EventKind.LOG, {"data": {"kind": "console"}}, LogKind.LOG),
        (EventKind.ACTIVITY_FAULTED, {"level": "error"}, LogKind.ERROR),
        (EventKind.INSTANCE_FAULTED, {"level": "error"}, LogKind.ERROR),
        (EventKind.INSTANCE_STARTED, {}, LogKind.INSTANCE),
        (EventKind.INSTANCE_PAUSED, {}, LogKind.INSTANCE),
        (EventKind.VARIABLE_CHANGED, {"data": {"name": "x", "value": 1}}, LogKind.VARIABLE),
    ],
)
def test_each_event_kind_has_a_log_kind(kind, fields, expected) -> None:
    entry = entry_from_event(event(kind, "m", **fields))
    assert entry is not None and entry.kind == expected


def test_executing_events_are_not_logged_and_results_are() -> None:
    assert entry_from_event(event(EventKind.ACTIVITY_EXECUTING)) is None
    finished = entry_from_event(
        event(EventKind.INSTANCE_FINISHED, data={"output": {"orders": [1]}, "outcomes": ["success"]})
    )
    assert finished.message == 'finished (success) → {"orders": [1]}'


def test_secrets_are_masked_until_revealed_and_remembered_across_entries() -> None:
    masker = SecretMasker()
    token = "abcdef-123456-secret"
    variable = entry_from_event(
        event(EventKind.VARIABLE_CHANGED, data={"name": "access_token", "value": token}), masker=masker
    )
    assert token not in variable.masked and variable.masked.endswith('"****"')
    assert token in variable.text(True)
    later = entry_from_event(event(EventKind.CORRELATED, f"got {token}"), masker=masker)
    assert later.masked == "got ****"
    record = entry_from_event(
        event(
            EventKind.VARIABLE_CHANGED,
            data={
                "name": "Creds",
                "value": {"Key": "AccessTokenCreds", "Data1": "wow", "Data2": "pa55word!"},
            },
        ),
        masker=masker,
    )
    assert "pa55word!" not in record.masked and "AccessTokenCreds" in record.masked
    header = entry_from_event(event(EventKind.LOG, "sent Authorization: Bearer zzzzzzzz9876"), masker=masker)
    assert header.masked == "sent Authorization: Bearer ****", "the scheme stays, no character of the token"
    plain = entry_from_event(event(EventKind.CORRELATED, "new access token saved"), masker=masker)
    assert plain.masked == "new access token saved" and not plain.has_secret


def entries(count: int, instances: int = 4):
    kinds = [EventKind.CORRELATED, EventKind.ACTIVITY_EXECUTED, EventKind.LOG]
    for number in range(count):
        kind = kinds[number % 3]
        yield entry_from_event(
            event(
                kind,
                f"message {number}",
                instance=f"instance-{number % instances}",
                activity_id=f"a{number % 10}",
                activity_label=f"Activity {number % 10}",
                data={"kind": "http"} if kind is EventKind.LOG else {},
                time=T0 + timedelta(milliseconds=number),
            )
        )


def test_a_hundred_thousand_entries_are_inserted_in_batches_and_filtered(qtbot) -> None:
    model = LogModel()
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    batch = list(entries(100_000))
    for start in range(0, len(batch), 10_000):
        model.add_entries(batch[start : start + 10_000])
    assert model.rowCount() == 0, "queued until the timer fires"
    qtbot.waitUntil(lambda: model.rowCount() == 100_000)
    assert inserts == [(0, 99_999)], "one beginInsertRows for everything queued"
    assert model.index(99_999, MESSAGE).data() == "message 99999"
    model.set_filter(text="message 4242")
    assert [e.message for e in model.shown] == ["message 4242"] + [f"message 4242{d}" for d in range(10)]
    model.set_filter(text="", kinds={LogKind.CORRELATE})
    assert model.rowCount() == 33_334
    model.set_filter(instance="instance-1")
    assert model.rowCount() == 8_333 and {e.instance_id for e in model.shown} == {"instance-1"}
    model.add_entries(list(entries(3)))
    model.flush()
    assert model.rowCount() == 8_333 and len(model.entries) == 100_003, "new entries obey the filter"
    assert list(model.instances) == ["instance-0", "instance-1", "instance-2", "instance-3"]
    model.clear()
    assert model.rowCount() == 0 and model.entries == [] and model.instances == {}


def test_the_oldest_entries_go_beyond_the_limit(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(log_model, "MAX_ENTRIES", 100)
    model = LogModel()
    model.add_entries(list(entries(150)))
    model.flush()
    assert len(model.entries) == 90 and model.entries[-1].message == "message 149"


def test_revealing_changes_the_shown_text_only(qtbot) -> None:
    model = LogModel()
    model.add_events(
        [RunEvent(event(EventKind.VARIABLE_CHANGED, data={"name": "password", "value": "hunter22"}))]
    )
    model.flush()
    assert model.index(0, MESSAGE).data() == 'password = "****"'
    changed: list = []
    model.dataChanged.connect(lambda *args: changed.append(args))
    model.set_revealed(True)
    assert model.index(0, MESSAGE).data() == 'password = "hunter22"' and changed


def test_export_writes_json_lines_and_csv_atomically(qtbot, tmp_path) -> None:
    model = LogModel()
    model.add_entries(list(entries(5)))
    model.add_events([event(EventKind.VARIABLE_CHANGED, data={"name": "api_key", "value": "k-1234567890"})])
    model.flush()
    target = tmp_path / "log.jsonl"
    target.write_text("old content")
    assert model.export(target) == 6
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["message"] for line in lines[:5]] == [f"message {n}" for n in range(5)]
    assert lines[0]["kind"] == "correlate" and lines[0]["instance"] == "instance-0"
    assert "k-1234567890" not in target.read_text()
    csv_path = tmp_path / "log.csv"
    model.set_filter(kinds={LogKind.HTTP})
    assert model.export(csv_path) == 1
    rows = list(csv.reader(csv_path.open()))
    assert rows[0][:3] == ["time", "kind", "level"] and rows[1][1] == "http"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv", "log.jsonl"], "no temporary file left"
