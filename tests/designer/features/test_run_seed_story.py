"""The seed's story in the window, through the automation contract (``designer.launch``), against the demo
auth server and API on loopback: run CallMyAPI with an expired token, watch the sub-workflow refresh it
in the log, then debug: stop at the activity that stores the new token, step, continue; the store holds
the new token.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QGraphicsView

import designer
from designer.canvas.run_trace import RunStatus
from designer.main_window import MainWindow
from designer.panels.log_model import LogKind
from runtime.engine import InstanceStatus
from runtime.store.store import ObjectStore
from tests.designer.features.conftest import Script, close_window, wait_idle, wait_paused
from tests.samples.conftest import SAMPLES, DemoEnvironment

SET_NEW_TOKEN = "ba3515d2-3823-54bf-bf0c-32e30af12258"
"""CallMyAPI's "Set access_token (new)"."""
GET_BASE_URL_LIST = "48690705-48c8-5d72-884f-ab210c63366d"
"""What CallMyAPI runs next: "get setting instance for APIBaseURL"."""
UPDATE_TOKEN = "dee82565-16b0-5c95-a984-cc50cdaef422"
"""GetChangingAccessTokenAuthentication's "Update AccessToken instance"."""
SAVED_CORRELATE = "69cd3f9d-ef55-5ecb-a090-9225cbc95a47"


@pytest.fixture
def isolated_settings(tmp_path: Path) -> Iterator[None]:
    """``launch`` uses the default QSettings: point them at a temporary folder."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)


@pytest.fixture
def launched(qtbot, demo: DemoEnvironment, script: Script, isolated_settings) -> Iterator[MainWindow]:
    window = designer.launch([str(SAMPLES / "call-my-api.json")], store=str(demo.store_path))
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.dialogs = script.dialogs()
    qtbot.waitExposed(window)
    yield window
    close_window(window)


def messages(window: MainWindow) -> list[str]:
    window.run.controller.log_panel.model.flush()
    return [entry.text(False) for entry in window.run.controller.log_panel.model.entries]


def token(demo: DemoEnvironment) -> dict:
    with ObjectStore(demo.store_path) as store:
        return next(r for r in store.list_instances("Settings") if r["Key"] == "AccessToken")


def test_launch_shows_the_window_with_its_stable_names(launched: MainWindow) -> None:
    assert launched.isVisible()
    assert launched.store_path == Path(launched.store_path).resolve()
    assert launched.findChild(QGraphicsView, "canvas") is launched.current_view()
    for name in ("palette", "inspector", "problemsPanel", "correlationLog", "journalPanel", "variablesPanel"):
        dock = launched.findChild(QDockWidget, name)
        assert dock is not None, name
        assert dock.widget().accessibleName(), name
    for name in (
        "actionRun",
        "actionDebug",
        "actionStep",
        "actionContinue",
        "actionStop",
        "actionToggleBreakpoint",
        "actionSave",
        "actionUndo",
        "actionRedo",
    ):
        action = launched.findChild(QAction, name)
        assert action is not None and action.text(), name


def test_run_then_debug_the_refresh_of_the_access_token(qtbot, launched: MainWindow, demo, script) -> None:
    window = launched
    actions = window.actions_by_name
    tab = window.current_tab()
    assert tab is not None and tab.document.workflow.name == "CallMyAPI"

    # Run with the pre-filled input (the sample input the workflow carries).
    actions["actionRun"].trigger()
    assert (
        script.prefills[-1][1].replace(" ", "").replace("\n", "") == '{"api":"/api/orders","method2":"GET"}'
    )
    wait_idle(qtbot, window)
    assert script.errors == []
    log = messages(window)
    assert "starting to get access token" in log
    assert "new access token saved" in log
    finished = [m for m in log if m.startswith("finished (success) →") and "coffee" in m]
    assert finished, "the API's result is in the log"
    sub_entries = [e for e in window.run.controller.log_panel.model.entries if e.kind == LogKind.CORRELATE]
    assert {e.workflow for e in sub_entries} == {"CallMyAPI", "GetChangingAccessTokenAuthentication"}
    assert demo.auth_calls() == 1
    assert window.run.session.root.status is InstanceStatus.FINISHED

    # The overlay shows the path taken.
    overlay = window.run.controller.overlay_of(tab)
    assert overlay.state_of(SET_NEW_TOKEN).trace.status is RunStatus.DONE
    taken = {(w.connection.source_activity_id, w.outcome) for w in tab.scene.wires.values() if w.run_taken}
    assert ("647caef9-28ea-5b98-81b6-b9543b478a60", "True") in taken
    assert ("647caef9-28ea-5b98-81b6-b9543b478a60", "False") not in taken

    # Expire the token again; a breakpoint on the activity that stores the new token.
    demo.set_setting("AccessToken", Data1="expired-token", Data2="2000-01-01T00:00:00Z")
    tab.scene.select_activities({SET_NEW_TOKEN})
    actions["actionToggleBreakpoint"].trigger()
    assert tab.document.breakpoints == {SET_NEW_TOKEN}
    assert not tab.document.is_modified, "a breakpoint is not an edit"
    assert overlay.state_of(SET_NEW_TOKEN).breakpoint

    # Debug: it stops there.
    actions["actionDebug"].trigger()
    wait_paused(qtbot, window, SET_NEW_TOKEN)
    assert window.current_tab() is tab
    assert overlay.paused_at == SET_NEW_TOKEN
    assert overlay.state_of(SET_NEW_TOKEN).paused
    assert tab.scene.selected_activity_ids() == [SET_NEW_TOKEN]
    assert actions["actionContinue"].isEnabled() and actions["actionStep"].isEnabled()
    assert not actions["actionDebug"].isEnabled()
    variables = window.run.controller.variables_panel
    assert variables.paused_instance == window.run.session.root.id
    assert "getAuthToken" in variables.values[variables.paused_instance].outputs

    # Step: the activity runs, the session pauses before the next one.
    actions["actionStep"].trigger()
    wait_paused(qtbot, window, GET_BASE_URL_LIST)
    assert overlay.state_of(SET_NEW_TOKEN).trace.status is RunStatus.DONE
    assert not overlay.state_of(SET_NEW_TOKEN).paused

    # Continue to the end.
    actions["actionContinue"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.status is InstanceStatus.FINISHED
    assert overlay.paused_at is None
    saved = token(demo)
    assert saved["Data1"] == "demo-token-5f0c9a7e41b2"
    assert datetime.fromisoformat(saved["Data2"].replace("Z", "+00:00")) > datetime.now(UTC)
    assert demo.auth_calls() == 2


def test_debug_steps_into_the_sub_workflow_that_updates_the_store(qtbot, launched: MainWindow, demo) -> None:
    window = launched
    root_tab = window.current_tab()
    [sub_tab] = window.open_files([SAMPLES / "get-changing-access-token-authentication.json"])
    sub_tab.scene.select_activities({UPDATE_TOKEN})
    window.actions_by_name["actionToggleBreakpoint"].trigger()
    window.tabs.setCurrentWidget(root_tab)

    window.actions_by_name["actionDebug"].trigger()
    wait_paused(qtbot, window, UPDATE_TOKEN)
    assert window.current_tab() is sub_tab, "the paused sub-workflow is brought forward"
    assert window.run.controller.overlay_of(sub_tab).paused_at == UPDATE_TOKEN
    assert token(demo)["Data1"] == "expired-token", "paused before the update"

    window.actions_by_name["actionStep"].trigger()
    wait_paused(qtbot, window, SAVED_CORRELATE)
    assert token(demo)["Data1"] == "demo-token-5f0c9a7e41b2"

    window.actions_by_name["actionRun"].trigger()  # F5 while paused continues
    wait_idle(qtbot, window)
    assert window.run.session.root.status is InstanceStatus.FINISHED
