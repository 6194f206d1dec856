"""The designer against a fake Elsa 2 server on loopback: servers added and checked in the Servers dialog,
a definition opened from the server, edited, pushed and published (validation gate, conflict warning),
server instances replayed on the canvas and in the journal, the server's activity types known offline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QPushButton, QTableWidget

from designer.canvas.run_trace import RunStatus
from designer.features.remote import RemoteDialogs, RemoteFeature
from designer.main_window import MainWindow
from runtime.catalog import get_descriptor, remove_added_descriptors
from runtime.remote.cache import load_descriptors
from runtime.remote.servers import ServerEntry, ServerStore
from runtime.validation import UNKNOWN_TYPE
from tests.designer.test_shell import RecordingShell
from tests.runtime.remote.conftest import TOKEN
from tests.runtime.remote.fake_elsa import FakeElsa, corpus_server

WAIT_MS = 10_000


@dataclass
class Answers:
    """Scripted answers to the feature's questions, and the questions asked."""

    confirm: bool = True
    server: str | None = None
    asked: list[tuple[str, str]] = field(default_factory=list)

    def dialogs(self) -> RemoteDialogs:
        def confirm(title: str, text: str) -> bool:
            self.asked.append((title, text))
            return self.confirm

        def choose_server(text: str, names: list[str]) -> str | None:
            self.asked.append(("choose server", text))
            return self.server

        return RemoteDialogs(confirm, choose_server)


@pytest.fixture(autouse=True)
def forget_learned_types() -> Iterator[None]:
    yield
    remove_added_descriptors()


@pytest.fixture
def answers(window: MainWindow) -> Answers:
    scripted = Answers()
    window.remote.dialogs = scripted.dialogs()
    return scripted


@pytest.fixture
def elsa(corpus_dir: Path) -> Iterator[FakeElsa]:
    with corpus_server(corpus_dir, {"Authorization": TOKEN}) as fake:
        yield fake


@pytest.fixture
def saved(elsa: FakeElsa, window: MainWindow) -> ServerEntry:
    """The fake saved as server "wow" with its credentials."""
    entry = ServerStore().save(ServerEntry("wow", elsa.url, {"Authorization": TOKEN}))
    window.remote._servers_changed()
    return entry


def named(fake: FakeElsa, name: str) -> dict:
    return next(v for v in fake.versions if v["name"] == name and v["isLatest"])


def wait_calls(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.remote.calls.busy, timeout=WAIT_MS)


def click(qtbot, parent, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def double_click_row(qtbot, table: QTableWidget, row: int) -> None:
    table.scrollToItem(table.item(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def row_of(table: QTableWidget, text: str, column: int = 0) -> int:
    return next(r for r in range(table.rowCount()) if text in table.item(r, column).text())


def test_the_servers_dialog_adds_checks_edits_and_removes_servers(
    qtbot, window: MainWindow, answers: Answers, elsa: FakeElsa, tmp_path: Path
) -> None:
    window.actions_by_name["actionServers"].trigger()
    dialog = window.remote.servers_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "wow")
    qtbot.keyClicks(dialog.url, elsa.url)
    click(qtbot, dialog, "headerAdd")
    dialog.headers.item(0, 1).setText(TOKEN)
    assert TOKEN not in dialog.masked.displayText(TOKEN, None), "header values show masked"
    dialog.grab().save(str(tmp_path / "servers.png"))
    click(qtbot, dialog, "serverSave")
    assert ServerStore().get("wow").headers == {"Authorization": TOKEN}
    assert dialog.servers.count() == 1 and dialog.status.text() == "Saved wow"
    assert window.remote.panel.server.currentData() == "wow", "the instances panel lists it"

    click(qtbot, dialog, "serverCheck")
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Connected"), timeout=WAIT_MS)
    assert dialog.status.text() == "Connected: Elsa 2.15.1 · 8 workflow(s) · 4 activity types, 3 of its own"
    assert "TaskCreate" in window.palette_panel.visible_types(), "the server's own types are in the palette"
    assert load_descriptors(elsa.url) is not None, "cached for offline work"

    dialog.headers.item(0, 1).setText("Bearer wrong")
    click(qtbot, dialog, "serverCheck")
    qtbot.waitUntil(lambda: "refused the credentials" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.status.property("error") is True and "wrong" not in dialog.status.text()

    dialog.name.setText("wow-prod")
    dialog.headers.item(0, 1).setText(TOKEN)
    click(qtbot, dialog, "serverSave")
    assert ServerStore().names() == ["wow-prod"], "renamed, not copied"
    answers.confirm = False
    click(qtbot, dialog, "serverDelete")
    assert ServerStore().names() == ["wow-prod"] and answers.asked[-1][0] == "Remove server"
    answers.confirm = True
    click(qtbot, dialog, "serverDelete")
    assert ServerStore().names() == []
    dialog.close()


def test_the_servers_dialog_refuses_a_url_with_a_password_without_showing_it(
    qtbot, window: MainWindow, answers: Answers, elsa: FakeElsa
) -> None:
    window.actions_by_name["actionServers"].trigger()
    dialog = window.remote.servers_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name, "wow")
    qtbot.keyClicks(dialog.url, elsa.url.replace("://", "://user:pa55word@"))
    click(qtbot, dialog, "serverSave")
    assert "cannot carry a user name or password" in dialog.status.text()
    assert "pa55word" not in dialog.status.text() and dialog.status.property("error") is True
    assert ServerStore().entries() == []
    dialog.show_status("")
    click(qtbot, dialog, "serverCheck")
    qtbot.waitUntil(lambda: "Authorization: Basic" in dialog.status.text(), timeout=WAIT_MS)
    assert "pa55word" not in dialog.status.text() and elsa.requests == []
    dialog.close()


def test_open_from_server_edit_push_and_publish(
    qtbot, window: MainWindow, answers: Answers, elsa: FakeElsa, saved: ServerEntry, script, tmp_path: Path
) -> None:
    call = named(elsa, "CallMyAPI")
    window.actions_by_name["actionOpenFromServer"].trigger()
    dialog = window.remote.open_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 8, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.search, "refreshing")
    assert dialog.visible_ids() == [call["definitionId"]]
    dialog.grab().save(str(tmp_path / "open-from-server.png"))
    double_click_row(qtbot, dialog.table, row_of(dialog.table, "refreshing"))
    qtbot.waitUntil(lambda: window.current_tab() is not None, timeout=WAIT_MS)
    wait_calls(qtbot, window)
    tab = window.current_tab()
    link = window.remote.links[tab]
    assert (link.server, link.definition_id, link.version) == ("wow", call["definitionId"], 2)
    assert len(tab.scene.cards) == len(call["activities"]) and not tab.document.is_modified
    assert window.actions_by_name["actionPushToServer"].text() == "P&ush to Server (wow)"

    first = tab.document.workflow.activities[0]
    tab.document.workflow.move_activity(first.activity_id, 777, 333)
    window.actions_by_name["actionPushToServer"].trigger()
    wait_calls(qtbot, window)
    assert script.errors == [] and answers.asked == []
    stored = named(elsa, "CallMyAPI")
    assert (stored["version"], stored["isPublished"]) == (2, False), "the draft updated in place"
    moved = next(a for a in stored["activities"] if a["activityId"] == first.activity_id)
    assert (moved["x"], moved["y"]) == (777, 333)

    # someone else saves the draft meanwhile: same version number, other content
    stored["displayName"] = "Changed by a colleague"
    window.actions_by_name["actionPublishToServer"].trigger()
    wait_calls(qtbot, window)
    title, text = answers.asked[-1]
    assert title == "The server's version changed" and "version 2 was saved again" in text
    assert named(elsa, "CallMyAPI")["isPublished"] is True, "confirmed: published"
    assert named(elsa, "CallMyAPI")["displayName"] == "Call an API that has a refreshing token"
    assert tab.document.workflow.is_published is True and window.remote.links[tab].version == 2

    answers.confirm = False
    window.actions_by_name["actionPushToServer"].trigger()
    wait_calls(qtbot, window)
    assert len(answers.asked) == 1, "no conflict: the tab has what the server has"
    assert named(elsa, "CallMyAPI")["version"] == 3, "a published latest: the push made a new draft"

    path = tmp_path / "call.json"
    tab.document.save(path)
    window.close_tab(window.tabs.indexOf(tab))
    [again] = window.open_files([path])
    link = window.remote.links[again]
    assert (link.server, link.definition_id, link.version) == ("wow", call["definitionId"], 3), (
        "kept for the file"
    )


def test_the_validation_gate_and_a_new_server_for_a_local_file(
    qtbot, window: MainWindow, answers: Answers, elsa: FakeElsa, saved: ServerEntry, corpus_dir: Path
) -> None:
    [tab] = window.open_files([corpus_dir / "elsa-fire-protocol.json"])
    activity = tab.document.workflow.activities[0]
    tab.document.workflow.set_activity_field(activity.activity_id, "name", "not valid")
    answers.confirm = False
    assert not window.remote.push(publish=False)
    assert answers.asked[-1][0] == "Push with errors?" and "1 error(s)" in answers.asked[-1][1]
    assert not any(method == "POST" for method, _, _ in elsa.requests)

    tab.document.workflow.set_activity_field(activity.activity_id, "name", None)
    answers.server = "wow"
    answers.confirm = True
    assert window.remote.push(publish=False)
    wait_calls(qtbot, window)
    assert answers.asked[-2] == ("choose server", "Push elsa-fire-protocol.json to which server?")
    assert answers.asked[-1][0] == "The server's version changed", "the server has it: say so first"
    link = window.remote.links[tab]
    assert link.server == "wow" and link.version == 4


def test_a_server_instance_is_replayed_on_the_canvas_and_in_the_journal(
    qtbot, window: MainWindow, answers: Answers, elsa: FakeElsa, saved: ServerEntry, tmp_path: Path
) -> None:
    call = named(elsa, "CallMyAPI")
    ids = [a["activityId"] for a in call["activities"]]
    done = elsa.add_instance(call["definitionId"], [(ids[0], ["Done"])], correlation_id="order-1", version=2)
    faulted = elsa.add_instance(
        call["definitionId"],
        [(ids[0], ["Done"]), (ids[1], ["Done"]), (ids[0], ["Done"])],
        fault=(ids[1], "The remote server returned 500"),
        correlation_id="order-2",
        version=2,
        activity_data={ids[0]: {"ObjectType": "Settings", "Output": [{"Key": "AccessToken"}]}},
    )
    panel = window.remote.show_instances()
    click(qtbot, panel, "instancesRefresh")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=WAIT_MS)
    assert [panel.table.item(r, 6).text() for r in range(2)] == [faulted, done]
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("Faulted"))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=WAIT_MS)
    panel.correlation.setText("order-1")
    panel.status_filter.setCurrentIndex(0)
    qtbot.waitUntil(
        lambda: panel.table.rowCount() == 1 and panel.table.item(0, 6).text() == done, timeout=WAIT_MS
    )
    panel.correlation.clear()
    panel.workflow.setCurrentIndex(panel.workflow.findData(named(elsa, "GetSettings")["definitionId"]))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0, timeout=WAIT_MS)
    panel.workflow.setCurrentIndex(panel.workflow.findData(call["definitionId"]))
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("Faulted"))
    qtbot.waitUntil(
        lambda: panel.table.rowCount() == 1 and panel.table.item(0, 6).text() == faulted, timeout=WAIT_MS
    )
    panel.grab().save(str(tmp_path / "instances.png"))

    double_click_row(qtbot, panel.table, 0)
    qtbot.waitUntil(lambda: window.current_tab() is not None, timeout=WAIT_MS)
    wait_calls(qtbot, window)
    tab = window.current_tab()
    assert window.remote.links[tab].instance_id == faulted
    overlay = window.run.controller.overlay_of(tab)
    first, second = overlay.trace.activities[ids[0]], overlay.trace.activities[ids[1]]
    assert (first.status, first.visits) == (RunStatus.DONE, 2)
    assert (second.status, second.visits, second.error) == (
        RunStatus.FAULTED,
        2,
        "The remote server returned 500",
    )
    assert overlay.state_of(ids[1]).has_note, "the fault is written under the card"
    rows = window.run.controller.journal_panel.model.rows
    assert [row.record.activity_id for row in rows] == [ids[0], ids[1], ids[0], ids[1]]
    assert rows[-1].record.error == "The remote server returned 500" and rows[0].instance_id == faulted
    assert rows[0].record.output == [{"Key": "AccessToken"}]
    journal_dock = window.findChild(QDockWidget, "journalPanel")
    assert journal_dock.isVisible()
    log = window.run.controller.log_panel.model
    assert any("The remote server returned 500" in entry.message for entry in log.entries)
    tab.view.set_zoom(1.0)
    tab.view.center_on_activity(ids[1])
    tab.view.viewport().repaint()
    tab.view.grab().save(str(tmp_path / "instance-canvas.png"))
    window.grab().save(str(tmp_path / "window.png"))

    double_click_row(qtbot, panel.table, 0)
    wait_calls(qtbot, window)
    assert len(window.editor_tabs()) == 1, "the same instance again: its tab comes forward"


def test_a_server_that_wants_credentials_is_reported_in_one_line(
    qtbot, window: MainWindow, answers: Answers, elsa: FakeElsa, script
) -> None:
    ServerStore().save(ServerEntry("bare", elsa.url, {}))
    window.remote._servers_changed()
    window.remote.open_definition("bare", named(elsa, "CallMyAPI")["definitionId"])
    wait_calls(qtbot, window)
    assert script.errors == [
        (
            "Cannot open from server",
            f"{elsa.url}: the server refused the credentials (HTTP 401; no credential header was sent "
            "(--header 'Name: value'))",
        )
    ]
    assert window.current_tab() is None


def test_cached_activity_types_are_known_offline(
    qtbot, tmp_path: Path, corpus_dir: Path, elsa: FakeElsa
) -> None:
    entry = ServerStore().save(ServerEntry("wow", elsa.url, {"Authorization": TOKEN}))
    assert httpx.get(f"{elsa.url}/v1/activities", headers=entry.headers).status_code == 200
    from runtime.remote.cache import save_descriptors

    save_descriptors(elsa.url, httpx.get(f"{elsa.url}/v1/activities", headers=entry.headers).json())
    elsa.stop()
    shell = RecordingShell(tmp_path)
    qtbot.addWidget(shell.top)
    changed: list[bool] = []
    feature = RemoteFeature(catalog_changed=lambda: changed.append(True))
    feature.install(shell)
    assert changed == [True] and get_descriptor("TaskCreate") is not None
    assert "serverInstances" in shell.panels
    assert shell.menus[next(iter(shell.menus))][-4:] == [
        "actionOpenFromServer",
        "actionPushToServer",
        "actionPublishToServer",
        "actionServers",
    ]
    from runtime.elsa_json import load_workflow
    from runtime.validation import validate

    task = load_workflow(corpus_dir / "wow-create-backgound-task.json")
    assert not any(problem.code == UNKNOWN_TYPE for problem in validate(task))
    feature.shutdown()


def test_a_learned_type_is_drawn_and_inspected_as_the_server_describes_it(
    qtbot, window: MainWindow, answers: Answers, elsa: FakeElsa, saved: ServerEntry, corpus_dir: Path
) -> None:
    [tab] = window.open_files([corpus_dir / "wow-create-backgound-task.json"])
    task = next(a for a in tab.document.workflow.activities if a.type == "TaskCreate")
    assert not tab.scene.cards[task.activity_id].content.known
    assert any(p.code == UNKNOWN_TYPE for p in tab.problems)
    window.actions_by_name["actionServers"].trigger()
    click(qtbot, window.remote.servers_dialog, "serverCheck")
    qtbot.waitUntil(lambda: window.remote.learned.get(elsa.url) is not None, timeout=WAIT_MS)
    card = tab.scene.cards[task.activity_id]
    assert card.content.known and card.content.category == "Tasks"
    tab.document.workflow.set_property(
        task.activity_id, "Branches", "Json", {"Json": '["Approve", "Reject"]'}
    )
    assert card.content.outcomes == ("Approve", "Reject", "Done"), "Branches are outcomes, as the server says"
    assert not any(p.code == UNKNOWN_TYPE for p in tab.problems)
    tab.scene.select_activities({task.activity_id})
    editors = window.inspector.panel.property_editors
    assert {"title", "severity", "branches"} <= set(editors)
    assert editors["severity"].descriptor.options == ("Low", "Normal", "High")
    window.remote.servers_dialog.close()


def test_a_servers_file_that_is_not_json_does_not_stop_the_window(qtbot, tmp_path: Path) -> None:
    """The servers file is the user's: the window starts, says what is wrong in one line, loses nothing."""
    from PySide6.QtCore import QSettings

    from designer.remote.open_dialog import OpenFromServerDialog

    path = ServerStore().path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{broken", encoding="utf-8")
    main = MainWindow(
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        theme_choice="light",
        store_path=tmp_path / "store.sqlite3",
    )
    qtbot.addWidget(main)
    panel = main.remote.panel
    assert panel.server.count() == 0
    assert "is not JSON; fix or delete it" in panel.message.text()
    panel.refresh()
    assert "is not JSON" in panel.message.text()
    dialog = OpenFromServerDialog(main.remote.store, main.remote.calls, lambda *_: None, main)
    assert "is not JSON" in dialog.status.text()
    assert path.read_text(encoding="utf-8") == "{broken", "the user's file is left as it was"
    main.run.session.shutdown()
