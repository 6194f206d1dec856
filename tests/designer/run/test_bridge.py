"""The bridge: engine events from another thread reach the GUI thread in order, in batches."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from designer.run.bridge import EventBridge, RunEnded, RunEvent
from runtime.builder import WorkflowBuilder
from runtime.engine import EngineEvent, EventKind, WorkflowInstance


def event(kind: EventKind, instance_id: str = "i1", **fields) -> EngineEvent:
    return EngineEvent(kind=kind, instance_id=instance_id, workflow_name="W", **fields)


def test_events_posted_from_a_thread_arrive_in_order_on_the_gui_thread(qtbot) -> None:
    bridge = EventBridge()
    received: list = []
    threads: list = []

    def take(batch: list) -> None:
        threads.append(QThread.currentThread())
        received.extend(batch)

    bridge.delivered.connect(take)

    def engine() -> None:
        for number in range(500):
            bridge.observe(event(EventKind.LOG, message=str(number)))
        bridge.post_end(RunEnded(1, None))

    worker = threading.Thread(target=engine)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(received) == 501)
    assert [item.event.message for item in received[:-1]] == [str(n) for n in range(500)]
    assert isinstance(received[-1], RunEnded)
    assert all(thread is bridge.thread() for thread in threads)
    assert len(threads) < 501, "events arrive in batches, not one slot call each"


def test_events_of_registered_instances_carry_their_journal_record_and_start_variables(qtbot) -> None:
    bridge = EventBridge()
    workflow = WorkflowBuilder("W", definition_id="w-1").variables(count=1).build()
    instance = WorkflowInstance(workflow_name="W", definition_id="w-1", id="i1", variables={"count": 1})
    bridge.registry.add(instance, workflow)
    from datetime import UTC, datetime

    from runtime.engine import JournalRecord

    record = JournalRecord("a1", "WriteLine", "Say hello", datetime.now(UTC), outcomes=("Done",))
    instance.journal.append(record)
    received: list = []
    bridge.delivered.connect(received.extend)
    bridge.observe(event(EventKind.INSTANCE_STARTED))
    instance.variables["count"] = 2
    bridge.observe(event(EventKind.ACTIVITY_EXECUTED, activity_id="a1"))
    bridge.observe(event(EventKind.ACTIVITY_EXECUTED, instance_id="other", activity_id="a1"))
    bridge.flush()
    started, executed, unknown = received
    assert isinstance(started, RunEvent) and started.variables == {"count": 1}
    assert started.definition_id == "w-1"
    assert executed.record is record
    assert unknown.record is None and unknown.definition_id is None


def test_followed_instances_are_described_while_they_run_and_are_not_the_designers_own(qtbot) -> None:
    from datetime import UTC, datetime

    from runtime.engine import JournalRecord

    bridge = EventBridge()
    workflow = WorkflowBuilder("Served", definition_id="s-1").build()
    instance = WorkflowInstance(workflow_name="Served", definition_id="s-1", id="i1")
    record = JournalRecord("a1", "WriteLine", "Say hello", datetime.now(UTC), outcomes=("Done",))
    instance.journal.append(record)
    received: list = []
    bridge.delivered.connect(received.extend)
    bridge.follow(instance, workflow)
    assert bridge.registry.get("i1") is None, "a followed instance is not one of the designer's runs"
    bridge.observe(event(EventKind.ACTIVITY_EXECUTED, activity_id="a1"))
    bridge.unfollow(instance)
    bridge.observe(event(EventKind.ACTIVITY_EXECUTED, activity_id="a1"))
    bridge.flush()
    followed, after = received
    assert followed.record is record and followed.definition_id == "s-1"
    assert after.record is None
