"""The journal keeps each step's facts and makes its record when the record is first read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import RuntimeServices, WorkflowRunner
from runtime.engine.instance import Journal, JournalRecord


def _loop(items: int = 3):
    return (
        WorkflowBuilder("Loop")
        .add("each", "ForEach", Items=("Json", str(list(range(items)))))
        .add("set", "SetVariable", VariableName="x", Value=("JavaScript", "input * 10"))
        .add("fail", "Fault", Message="stop here")
        .connect("each", "set", "Iterate")
        .connect("each", "fail", "Done")
        .build()
    )


def test_a_step_is_kept_as_facts_until_its_record_is_read_and_then_as_that_record() -> None:
    before = datetime.now(UTC)
    instance = WorkflowRunner(RuntimeServices()).run_sync(_loop())
    journal = instance.journal
    assert len(journal) == 8  # each, set three times; each's Done; the Fault
    assert all(type(entry) is tuple for entry in journal.entries)

    second = journal[1]
    assert isinstance(second, JournalRecord)
    assert (second.activity_id, second.activity_type, second.activity_label) == ("set", "SetVariable", "set")
    assert second.inputs == {"VariableName": "x", "Value": 0}  # by property name, as evaluated
    assert second.outcomes == ("Done",)
    assert before - timedelta(seconds=1) <= second.started_at <= datetime.now(UTC)
    assert second.started_at.tzinfo is UTC and second.duration_ms >= 0
    assert journal.entries[1] is second and journal[1] is second  # made once, then kept
    assert type(journal.entries[0]) is tuple  # the others are still facts

    assert [record.activity_id for record in journal] == ["each", "set"] * 3 + ["each", "fail"]
    later = journal[-5:-1]
    assert [record.inputs.get("Value") for record in later if record.activity_id == "set"] == [10, 20]
    assert journal[0].data == {"Current Index": 0}
    last = journal[-1]
    assert last.error is not None and "stop here" in last.error and last.outcomes == ()
    assert list(reversed(journal))[0] is last
    with pytest.raises(IndexError):
        journal[8]


def test_records_appended_as_they_are_compare_and_trim_like_a_list() -> None:
    record = JournalRecord("a", "WriteLine", "a", datetime.now(UTC))
    journal = Journal([record])
    journal.append(record)
    assert journal == [record, record] and journal != [record]
    del journal[:1]
    assert len(journal) == 1 and journal[0] is record
    journal.clear()
    assert not journal and journal == Journal()
