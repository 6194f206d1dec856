"""The log panel: follow that pauses when scrolled up, filters, copy, export, clicks on entries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from designer.panels.log import LogPanel
from designer.panels.log_model import LogKind, entry_from_event
from designer.theme import LIGHT
from runtime.engine import EngineEvent, EventKind


def entry(number: int, instance: str = "instance-a", kind: EventKind = EventKind.CORRELATED):
    return entry_from_event(
        EngineEvent(
            kind=kind,
            instance_id=instance,
            workflow_name="Flow",
            activity_id=f"act-{number}",
            activity_label=f"Activity {number}",
            message=f"entry {number}",
            time=datetime(2024, 1, 1, tzinfo=UTC),
        ),
        "flow-id",
    )


@pytest.fixture
def panel(qtbot) -> LogPanel:
    exported: list[tuple[str, str, str]] = []
    widget = LogPanel(LIGHT, lambda *args: exported.append(args) or None)
    widget.exported = exported
    widget.resize(900, 300)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add(panel: LogPanel, entries) -> None:
    panel.model.add_entries(list(entries))
    panel.model.flush()


def test_follow_pauses_when_scrolled_up_and_resumes_at_the_bottom(qtbot, panel: LogPanel) -> None:
    add(panel, (entry(n) for n in range(200)))
    bar = panel.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    bar.setValue(0)
    assert not panel.follow and not panel.follow_button.isChecked()
    add(panel, (entry(n) for n in range(200, 300)))
    assert bar.value() == 0, "the user's place is kept while they read"
    bar.setValue(bar.maximum())
    assert panel.follow
    add(panel, (entry(n) for n in range(300, 400)))
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert panel.count_label.text() == "400"


def test_clicking_an_entry_asks_for_its_activity(qtbot, panel: LogPanel) -> None:
    add(panel, [entry(1), entry(2)])
    with qtbot.waitSignal(panel.activityRequested) as signal:
        panel.table.clicked.emit(panel.model.index(1, 0))
    assert signal.args == ["Flow", "flow-id", "act-2"]


def test_filters_by_text_kind_and_instance(qtbot, panel: LogPanel) -> None:
    add(panel, [entry(1), entry(2, "instance-b"), entry(3, kind=EventKind.ACTIVITY_EXECUTED)])
    assert panel.instance_combo.count() == 3
    panel.filter_edit.setText("ENTRY 2")
    assert [e.message for e in panel.model.shown] == ["entry 2"]
    assert panel.count_label.text() == "1 of 3"
    panel.filter_edit.clear()
    panel.set_kinds({LogKind.ACTIVITY})
    assert [e.message for e in panel.model.shown] == ["entry 3"]
    assert panel.kind_button.text() == "Kinds (1)"
    panel.set_kinds(set(LogKind))
    panel.set_instance("instance-b")
    assert [e.message for e in panel.model.shown] == ["entry 2"]
    panel.set_instance(None)
    assert len(panel.model.shown) == 3


def test_copy_puts_the_selected_entries_on_the_clipboard(qtbot, panel: LogPanel) -> None:
    add(panel, [entry(1), entry(2), entry(3)])
    panel.table.selectRow(0)
    panel.table.selectionModel().select(
        panel.model.index(2, 0),
        panel.table.selectionModel().SelectionFlag.Select | panel.table.selectionModel().SelectionFlag.Rows,
    )
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert [line.split("\t")[-1] for line in lines] == ["entry 1", "entry 3"]


def test_export_asks_where_and_reports_a_failure(qtbot, panel: LogPanel, tmp_path) -> None:
    add(panel, [entry(1)])
    panel.export_dialog()
    assert panel.exported[0][1] == "correlation-log.jsonl"
    failures: list[str] = []
    panel.exportFailed.connect(failures.append)
    assert panel.export(tmp_path / "missing" / "log.csv") == 0
    assert len(failures) == 1 and "missing" in failures[0]
    assert panel.export(tmp_path / "log.csv") == 1
