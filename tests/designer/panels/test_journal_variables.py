"""The journal and variables panels on their own: rows, details, masking, pins, the JSON tree, edits."""

from __future__ import annotations

from datetime import UTC, datetime

from designer.panels.journal import JournalPanel, JournalRow
from designer.panels.variables import MAX_CHILDREN, VariablesPanel
from designer.theme import LIGHT
from runtime.engine import NO_OUTPUT, JournalRecord


def record(activity_id: str, output=NO_OUTPUT, error: str | None = None, **inputs) -> JournalRecord:
    return JournalRecord(
        activity_id,
        "SendHttpRequest",
        f"Label {activity_id}",
        datetime(2024, 1, 1, tzinfo=UTC),
        duration_ms=12.5,
        inputs=inputs,
        outcomes=("Done", "200"),
        output=output,
        error=error,
    )


def test_journal_rows_show_details_and_mask_secrets_until_revealed(qtbot) -> None:
    panel = JournalPanel(LIGHT)
    qtbot.addWidget(panel)
    requested: list = []
    pins: list = []
    panel.activityRequested.connect(lambda *args: requested.append(args))
    panel.pinRequested.connect(pins.append)
    rows = [
        JournalRow(record("a1", Url="http://x"), "Flow", "flow-id", "inst"),
        JournalRow(record("a2", {"authToken": "tok-0123456789"}), "Flow", None, "inst"),
        JournalRow(record("a3", error="it broke"), "Flow", None, "inst"),
    ]
    panel.add_rows(rows)
    assert panel.model.rowCount() == 3
    assert panel.model.index(0, 4).data() == "Done, 200" and panel.model.index(0, 3).data() == "12.5 ms"
    assert not panel.pin_button.isEnabled()
    panel.select_row(1)
    assert requested[-1] == ("Flow", "", "a2")
    assert "tok-0123456789" not in panel.details.toPlainText()
    assert "tok-0123456789" not in panel.model.index(1, 6).data()
    panel.reveal_button.setChecked(True)
    assert "tok-0123456789" in panel.details.toPlainText()
    assert panel.pin_button.isEnabled()
    panel.pin_button.click()
    assert pins == [rows[1]]
    panel.select_row(2)
    assert "error: it broke" in panel.details.toPlainText()
    panel.clear()
    assert panel.model.rowCount() == 0 and panel.details.toPlainText() == ""


def test_variables_show_live_values_as_a_tree(qtbot) -> None:
    panel = VariablesPanel(LIGHT)
    qtbot.addWidget(panel)
    panel.instance_started("i1", "Flow", {"count": 1, "items": list(range(MAX_CHILDREN + 5))})
    panel.variable_changed("i1", "Flow", "user", {"name": "ann", "password": "s3cr3t-pass"})
    panel.rebuild()
    assert panel.variable_item("count").text(1) == "1"
    user = panel.variable_item("user")
    assert "s3cr3t-pass" not in user.text(1)
    assert {user.child(i).text(0) for i in range(user.childCount())} == {"name", "password"}
    items = panel.variable_item("items")
    assert items.childCount() == MAX_CHILDREN + 1 and items.child(MAX_CHILDREN).text(0) == "… 5 more"
    panel.reveal_button.setChecked(True)
    assert "s3cr3t-pass" in panel.variable_item("user").text(1)


def test_variables_are_editable_only_while_paused_and_only_as_json(qtbot) -> None:
    panel = VariablesPanel(LIGHT)
    qtbot.addWidget(panel)
    edits: list = []
    panel.variableEdited.connect(lambda *args: edits.append(args))
    panel.can_edit = lambda instance_id: instance_id == "i1"
    panel.instance_started("i1", "Flow", {"count": 1})
    assert not panel.edit_variable("count", "2")
    assert "while a debug session is paused" in panel.status.text()
    snapshot = {"variables": {"count": 1}, "outputs": {"Step": {"Output": 3}}, "input": 3}
    panel.paused("i1", "Flow", snapshot, "Step two")
    sections = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert sections == ["Variables", "Last outputs", "Input"]
    assert not panel.edit_variable("count", "two")
    assert "not JSON" in panel.status.text()
    assert panel.edit_variable("count", "2")
    assert edits == [("i1", "count", 2)]
    panel.resumed()
    assert not panel.edit_variable("count", "3")
