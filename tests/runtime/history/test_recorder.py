"""Recording runs: the observer keeps events, the writer stores masked rows in batches, and a record reads
back as the lines the live log printed, the path, the journal and a timeline (local and served runs)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import EngineEvent, EventKind, RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.history.record import (
    HISTORY_KINDS,
    HistoryLimits,
    PendingRun,
    build_row,
    detail_text,
    read_record,
    shaped_item,
)
from runtime.history.recorder import HistoryRecorder, HistoryWriter
from runtime.history.timeline import build_timeline
from runtime.host import BackgroundHost
from runtime.host.endpoints import HostedWorkflow
from runtime.host.server import make_host
from runtime.logfmt import StreamLog
from runtime.logsink import LogSink
from runtime.model import WorkflowDefinition
from runtime.store.history import RunHistory, RunQuery, row_item


def _child() -> WorkflowDefinition:
    return (
        WorkflowBuilder("Child")
        .add("say", "WriteLine", Text="from the child")
        .add(
            "end", "Finish", ActivityOutput=("JavaScript", "({child: true})"), OutcomeNames=("Json", '["ok"]')
        )
        .chain("say", "end")
        .build()
    )


def _parent() -> WorkflowDefinition:
    return (
        WorkflowBuilder("Parent")
        .add("corr", "Correlate", Value=("JavaScript", '"user " + input.password'))
        .add("call", "RunWorkflow", WorkflowDefinitionId="child", Mode="Blocking")
        .add("end", "Finish", ActivityOutput=("JavaScript", "activities.call ? 1 : 2"))
        .chain("corr", "call")
        .connect("call", "end", "ok")
        .build()
    )


def _moment(line: str) -> float:
    return datetime.fromisoformat(line.split(" ", 1)[0].replace("Z", "+00:00")).timestamp()


def _record_runs(tmp_path: Path, *inputs: object, limits: HistoryLimits | None = None):
    parent, child = _parent(), _child()
    writer = HistoryWriter(tmp_path / "store.db")
    recorder = HistoryRecorder(writer, "run", limits)
    recorder.describe(parent, None, b"the file's bytes")
    stream = io.StringIO()
    sink = LogSink(stream)
    log = StreamLog(sink)
    services = RuntimeServices(
        library=WorkflowLibrary(workflows=[parent, child]), store_path=tmp_path / "o.db"
    )
    runner = WorkflowRunner(services, [log, recorder])
    instances = []
    for value in inputs:
        instance = runner.run_sync(parent, value)
        recorder.finished(instance, parent)
        instances.append(instance)
    sink.flush()
    writer.close()
    return instances, stream.getvalue().splitlines(), RunHistory(tmp_path / "store.db")


def test_a_run_reads_back_as_the_lines_the_log_printed(tmp_path: Path) -> None:
    (instance,), printed, history = _record_runs(tmp_path, {"password": "hunter2-secret"})
    row = history.get(instance.id)
    assert row is not None
    assert (row.workflow, row.source, row.status, row.outcomes) == ("Parent", "run", "Finished", ["Done"])
    assert row.file_hash is not None and len(row.file_hash) == 64
    record = read_record(row)
    kept = record.log_lines()
    assert len(kept) == len(printed) == 11
    for stored, shown in zip(kept, printed, strict=True):  # history masks the password it saw in the input
        assert abs(_moment(stored) - _moment(shown)) <= 0.001  # times kept to the microsecond
        stored, shown = stored.split(" ", 1)[1], shown.split(" ", 1)[1]
        assert stored == shown or ("CORRELATE" in shown and stored.endswith("user ****"))
    assert [info.workflow for info in record.instances] == ["Parent", "Child"]
    assert [step[1] for step in record.path()] == ["corr", "say", "end", "call", "end"]
    assert [(i, j.activity_id) for i, j in record.journal] == [
        (instance.id, "corr"),
        (instance.id, "call"),
        (instance.id, "end"),
    ]
    assert record.visits == {"corr": 1, "call": 1, "end": 1}
    assert row.summary["input"] == {"password": "****"} and row.summary["output"] == 2


def test_secrets_are_masked_in_everything_kept(tmp_path: Path) -> None:
    (instance,), printed, history = _record_runs(
        tmp_path, {"password": "hunter2-secret", "Headers": {"Authorization": "Bearer abcdef123456"}}
    )
    row = history.get(instance.id)
    assert row is not None and row.detail is not None
    stored = detail_text(row.detail) + repr(row.summary)
    assert "hunter2-secret" not in stored and "abcdef123456" not in stored
    assert row.summary["input"]["Headers"]["Authorization"] == "Bearer ****"
    record = read_record(row)
    correlated = next(e for e in record.events if e.kind is EventKind.CORRELATED)
    assert correlated.message == "user ****"


def test_the_journal_keeps_its_last_records_and_the_log_all(tmp_path: Path) -> None:
    (instance,), _, history = _record_runs(
        tmp_path, {"password": "x"}, limits=HistoryLimits(journal_records=2)
    )
    row = history.get(instance.id)
    assert row is not None
    record = read_record(row)
    assert [j.activity_id for _, j in record.journal] == ["call", "end"]
    assert record.journal_total == 3
    assert len(record.path()) == 5


def test_many_runs_are_written_and_listed(tmp_path: Path) -> None:
    instances, _, history = _record_runs(tmp_path, *({"password": str(n)} for n in range(20)))
    assert history.count() == 20
    assert [r.run_id for r in history.runs(RunQuery(limit=3))] == [i.id for i in reversed(instances[-3:])]


@pytest.mark.parametrize("ending", ["flush", "close"])
def test_a_flush_or_close_ends_the_writers_gathering_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    """The writer waits after a first run for others to share its transaction, but not when someone waits
    for it: ``flowdesk run`` closes its writer as it exits. With an hour's gathering, the run is written
    and the flush (or close) returns long before its own 10 s time-out."""
    monkeypatch.setattr("runtime.history.recorder.GATHER", 3600.0)
    _, _, history = _record_runs(tmp_path, {"password": "1"})  # closes its writer: returns, so not gathering
    assert history.count() == 1
    writer = HistoryWriter(tmp_path / "store.db")
    recorder = HistoryRecorder(writer, "run")
    workflow = WorkflowBuilder("W").add("say", "WriteLine", Text="hi").build()
    runner = WorkflowRunner(RuntimeServices(store_path=tmp_path / "o.db"), [recorder])
    recorder.finished(runner.run_sync(workflow), workflow)
    while writer._queue.qsize():  # the writer has taken the run and gathers
        pass
    if ending == "flush":
        assert writer.flush(timeout=10.0)
    else:
        writer.close(timeout=10.0)
        assert writer._thread is not None and not writer._thread.is_alive()
    assert RunHistory(tmp_path / "store.db").count() == 2
    writer.close()


def test_a_timeline_nests_the_sub_workflow_under_the_activity_that_ran_it(tmp_path: Path) -> None:
    (instance,), _, history = _record_runs(tmp_path, {"password": "x"})
    row = history.get(instance.id)
    assert row is not None
    timeline = build_timeline(read_record(row).events, "Parent", row.status)
    rows = [(r.workflow, r.activity_id, r.depth) for r in timeline.rows]
    assert rows == [
        ("Parent", "corr", 0),
        ("Parent", "call", 0),
        ("Child", "say", 1),
        ("Child", "end", 1),
        ("Parent", "end", 0),
    ]
    call = timeline.bars[timeline.rows[1].bars[0]]
    children = [timeline.bars[timeline.rows[2].bars[0]], timeline.bars[timeline.rows[3].bars[0]]]
    assert all(call.start <= bar.start <= bar.end <= call.end for bar in children)
    assert all(b.start <= b.end for b in timeline.bars)


def _pong() -> WorkflowDefinition:
    return (
        WorkflowBuilder("Pong")
        .add("http", "HttpEndpoint", Path="/pong", Methods=("Json", '["GET"]'))
        .add("respond", "WriteHttpResponse", StatusCode="OK", ContentType="text/plain", Content="pong")
        .chain("http", "respond")
        .build()
    )


def test_served_runs_are_recorded_with_the_request_the_response_and_the_http_calls(tmp_path: Path) -> None:
    hello = (
        WorkflowBuilder("Hello")
        .add("http", "HttpEndpoint", Path="/hello", Methods=("Json", '["GET"]'))
        .add(
            "call",
            "SendHttpRequest",
            name="call",
            Url=("JavaScript", 'input.QueryString.back + "/pong"'),
            Method="GET",
            ReadContent="true",
            SupportedStatusCodes=("Json", "[200]"),
        )
        .add(
            "respond",
            "WriteHttpResponse",
            StatusCode="OK",
            ContentType="application/json",
            Content=("JavaScript", "JSON.stringify({got: activities.call.ResponseContent()})"),
        )
        .chain("http", "call", "respond")
        .build()
    )
    writer = HistoryWriter(tmp_path / "store.db")
    recorder = HistoryRecorder(writer, "serve")
    app = make_host(
        [HostedWorkflow(hello, "hello.json"), HostedWorkflow(_pong(), "pong.json")],
        [],
        tmp_path / "o.db",
        journal=False,
        history=recorder,
    )
    with BackgroundHost(app) as host:
        answer = httpx.get(
            f"{host.url}/hello",
            params={"back": host.url},
            headers={"Authorization": "Bearer served-secret-1"},
        )
    assert answer.status_code == 200 and answer.json() == {"got": "pong"}
    writer.close()
    history = RunHistory(tmp_path / "store.db")
    rows = history.runs()
    assert sorted(r.workflow for r in rows) == ["Hello", "Pong"] and {r.source for r in rows} == {"serve"}
    row = next(r for r in rows if r.workflow == "Hello")
    full = history.get(row.run_id)
    assert full is not None and full.detail is not None
    assert full.summary["input"]["Path"] == "/hello"
    assert full.summary["input"]["Headers"]["Authorization"] == "Bearer ****"
    assert full.summary["response"]["status"] == 200
    assert "served-secret-1" not in detail_text(full.detail)
    record = read_record(full)
    assert record.journal == []  # served runs keep no journal: the log, the path and the timeline
    assert [step[1] for step in record.path()] == ["http", "call", "respond"]
    timeline = build_timeline(record.events)
    call = timeline.bars[timeline.rows[1].bars[0]]
    assert len(call.http) == 1 and call.http[0].status == 200 and call.http[0].url.endswith("/pong")
    assert call.waits and call.waits[0].why == "HTTP"
    assert call.start <= call.http[0].start <= call.http[0].end <= call.end
    journal = record.journal_or_log({"call": "SendHttpRequest"})
    assert [(item.activity_id, item.activity_type, item.outcomes) for _, item in journal] == [
        ("http", "", ("Done",)),
        ("call", "SendHttpRequest", ("Done", "200")),
        ("respond", "", ("Done",)),
    ], "a served run's journal is made from its log"
    assert {instance for instance, _ in journal} == {row.run_id}


def test_a_served_run_keeps_what_its_log_keeps_unless_asked(tmp_path: Path) -> None:
    writer = HistoryWriter(tmp_path / "store.db")
    recorder = HistoryRecorder(writer, "serve", keep_values=False)
    app = make_host(
        [HostedWorkflow(_pong(), "pong.json")], [], tmp_path / "o.db", journal=False, history=recorder
    )
    with BackgroundHost(app) as host:
        assert httpx.post(f"{host.url}/pong", json={"password": "never-kept-1"}).status_code == 405
        assert httpx.get(f"{host.url}/pong", headers={"X-Note": "never-kept-2"}).text == "pong"
    writer.close()
    history = RunHistory(tmp_path / "store.db")
    [row] = history.runs()
    full = history.get(row.run_id)
    assert full is not None and full.detail is None  # nothing of its own: its path's shape and times
    assert full.summary == {} and "never-kept" not in (full.shape or "")
    record = read_record(full)
    assert (full.request, full.answer, full.shape is not None) == ("GET /pong", 200, True)
    assert [step[1] for step in record.path()] == ["http", "respond"] and record.visits == {
        "http": 1,
        "respond": 1,
    }


class _Events:
    """The events the history observer asks for, kept in a list."""

    kinds = HISTORY_KINDS

    def __init__(self) -> None:
        self.events: list[EngineEvent] = []

    def __call__(self, event: EngineEvent) -> None:
        self.events.append(event)


@pytest.mark.parametrize("fail", [False, True])
def test_a_served_run_built_on_its_thread_is_the_row_the_writer_would_build(
    tmp_path: Path, fail: bool
) -> None:
    """shaped_item (built where a served run ends) and build_row (the writer's) share their shape and
    request line: the same run makes the same stored item either way."""
    builder = (
        WorkflowBuilder("Shaped")
        .add("corr", "Correlate", Value=("JavaScript", '"order " + input.Path'))
        .add("say", "WriteLine", Text="hello")
    )
    builder.add("end", "Fault", Message="no luck") if fail else builder.add(
        "end", "Finish", ActivityOutput="ok"
    )
    workflow = builder.chain("corr", "say", "end").build()
    seen = _Events()
    services = RuntimeServices(library=WorkflowLibrary(workflows=[workflow]), store_path=tmp_path / "o.db")
    instance = WorkflowRunner(services, [seen]).run_sync(workflow, {"Method": "GET", "Path": "/orders"})
    instance.http_connection = object()  # type: ignore[assignment]  # as a served run has
    file = ("/flows/shaped.json", "ab" * 32)
    pending = PendingRun(instance, seen.events, "serve", *file, 3, keep_values=False)
    built = row_item(build_row(pending))
    made = shaped_item(instance, seen.events, "serve", file, 3)
    assert made == built
    assert made[13] == "GET /orders" and isinstance(made[15], str)
    assert (made[17] is not None) and (made[10] is not None) == fail


@pytest.mark.parametrize("limit", [200_000, 7])
def test_events_kept_as_numbers_make_the_row_the_events_themselves_make(tmp_path: Path, limit: int) -> None:
    """The recorder keeps a step as a number (KeptEvents); the row built from that is the row built from
    the events it saw, with a loop, a sub-workflow, logged and correlated events, and a cut log."""
    loop = (
        WorkflowBuilder("Loop")
        .add("corr", "Correlate", Value="order 7")
        .add("each", "ForEach", Items=("Json", "[1, 2, 3]"))
        .add("set", "SetVariable", VariableName="x", Value=("JavaScript", "input"))
        .add("say", "WriteLine", Text=("JavaScript", "'item ' + input"))
        .add("call", "RunWorkflow", WorkflowDefinitionId="child", Mode="Blocking")
        .chain("corr", "each")
        .connect("each", "set", "Iterate")
        .chain("set", "say")
        .connect("each", "call", "Done")
        .build()
    )
    seen = _Events()
    writer = _Queue()
    recorder = HistoryRecorder(writer, "run", HistoryLimits(events=limit))  # type: ignore[arg-type]
    library = WorkflowLibrary(workflows=[loop, _child()])
    instance = WorkflowRunner(RuntimeServices(library, tmp_path / "o.db"), [seen, recorder]).run_sync(loop)
    recorder.finished(instance, loop)
    (pending,) = writer.items
    assert list(pending.events) == seen.events  # read as a sequence: the events, each at its own time
    assert [e.timestamp for e in pending.events] == [e.timestamp for e in seen.events]
    as_list = PendingRun(**{**vars(pending), "events": list(seen.events)})
    kept, listed = build_row(pending), build_row(as_list)
    assert kept == listed
    record = read_record(kept)
    expected = seen.events if len(seen.events) <= limit else seen.events[: limit - 1] + seen.events[-1:]
    assert record.events_total == len(seen.events) > 20
    assert [(e.kind, e.instance_id, e.activity_id, e.message) for e in record.events] == [
        (e.kind, e.instance_id, e.activity_id, e.message) for e in expected
    ]


class _Queue:
    def __init__(self) -> None:
        self.items: list[PendingRun] = []

    def put(self, item: PendingRun) -> None:
        self.items.append(item)


@pytest.mark.parametrize("kept", [False, True])
@pytest.mark.parametrize("count", [40, 400])
def test_history_prints_the_very_stamp_the_log_printed_at_a_milliseconds_edge(kept: bool, count: int) -> None:
    """Times are stored as µs from the start; the nearest µs can read back across a millisecond's edge,
    so an event within a µs of one is stored at the µs that reads back as the log printed it. Short runs
    (a shape), long ones as events and as the recorder keeps them."""
    from datetime import UTC

    from runtime.engine.instance import InstanceStatus, WorkflowInstance
    from runtime.history.record import KeptEvents
    from runtime.logfmt import format_event

    started = 1_764_600_000.1234567
    edges = [int((started + 0.0013 * (n + 1)) * 1000) / 1000 for n in range(count // 8)]
    times = [edge + nudge * 1e-7 for edge in edges for nudge in (-9, -6, -4, -1, 1, 4, 6, 9)]
    instance = WorkflowInstance("Edges", "edges", status=InstanceStatus.FINISHED)
    instance.started_at = datetime.fromtimestamp(started, UTC)
    events = []
    for number, at in enumerate(times):
        activity = f"a{number % 3}"
        event = EngineEvent(EventKind.ACTIVITY_EXECUTED, instance.id, "Edges", activity, activity, "→ Done")
        event.timestamp = at
        events.append(event)
    pending = PendingRun(instance, KeptEvents(events) if kept else events, "run")
    record = read_record(build_row(pending))
    assert len(record.events) == len(events)
    assert record.log_lines() == [format_event(event) for event in events]
