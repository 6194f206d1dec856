"""The log's lines: a step's line is made the short way, and reads as every other line reads."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from runtime.engine.events import EngineEvent, EventKind
from runtime.logfmt import StreamLog, format_event, step_line
from runtime.logsink import LogSink

AT = datetime(2026, 12, 1, 15, 47, 5, 417_000, tzinfo=UTC)


def _step(
    instance: str, label: str, message: str, level: str = "info", workflow: str = "Flow"
) -> EngineEvent:
    return EngineEvent(
        EventKind.ACTIVITY_EXECUTED, instance, workflow, label, label, message, {}, AT, level, None
    )


def test_a_step_line_has_the_stamp_level_tag_instance_workflow_activity_and_outcomes() -> None:
    line = format_event(_step("0123456789abcdef", "set", "→ Done"))
    assert line == "2026-12-01T15:47:05.417Z INFO    ACTIVITY  [01234567] Flow / set: → Done"


def test_what_a_step_line_remembers_is_its_own_instance_activity_outcomes_and_level() -> None:
    lines = [
        step_line(_step("aaaaaaaa11", "set", "→ Done")),
        step_line(_step("bbbbbbbb22", "set", "→ Done", workflow="Other")),
        step_line(_step("aaaaaaaa11", "each", "→ Done")),
        step_line(_step("aaaaaaaa11", "set", "→ True")),
        step_line(_step("aaaaaaaa11", "set", "→ Done", level="warning")),
        step_line(_step("aaaaaaaa11", "set", "→ Done")),
    ]
    tails = [line.split("Z ", 1)[1] for line in lines]
    assert tails == [
        "INFO    ACTIVITY  [aaaaaaaa] Flow / set: → Done",
        "INFO    ACTIVITY  [bbbbbbbb] Other / set: → Done",
        "INFO    ACTIVITY  [aaaaaaaa] Flow / each: → Done",
        "INFO    ACTIVITY  [aaaaaaaa] Flow / set: → True",
        "WARNING ACTIVITY  [aaaaaaaa] Flow / set: → Done",
        "INFO    ACTIVITY  [aaaaaaaa] Flow / set: → Done",
    ]


def test_the_live_log_writes_steps_and_other_events_in_the_order_they_came() -> None:
    stream = io.StringIO()
    log = StreamLog(LogSink(stream))
    log(EngineEvent(EventKind.INSTANCE_STARTED, "0123456789", "Flow", message="started Flow", time=AT))
    log(_step("0123456789", "set", "→ Done"))
    log(EngineEvent(EventKind.LOG, "0123456789", "Flow", "set", "set", "a note", time=AT))
    log(_step("0123456789", "end", "→ Done"))
    log.close()
    assert [line.split("Z ", 1)[1] for line in stream.getvalue().splitlines()] == [
        "INFO    START     [01234567] Flow: started Flow",
        "INFO    ACTIVITY  [01234567] Flow / set: → Done",
        "INFO    LOG       [01234567] Flow / set: a note",
        "INFO    ACTIVITY  [01234567] Flow / end: → Done",
    ]
