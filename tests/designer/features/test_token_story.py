"""The guided seed story from the start page, and the notices that say what to do when a run hits a
missing object type or a refused loopback connection (each with a button that does it), with real clicks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from designer.main_window import MainWindow
from designer.story import STORY_FILES, StoryStoreDialog, demo_store_path, import_seed_by_key, point_base_url
from runtime.engine import InstanceStatus
from runtime.store.store import ObjectStore
from tests.designer.features.conftest import Script, wait_idle
from tests.samples.conftest import SAMPLES

LEFT = Qt.MouseButton.LeftButton


def settings_of(store_path: Path) -> dict[str, dict]:
    with ObjectStore(store_path) as store:
        return {record["Key"]: record for record in store.list_instances("Settings")}


def log_texts(window: MainWindow) -> list[str]:
    model = window.run.controller.log_panel.model
    model.flush()
    return [entry.text(False) for entry in model.entries]


def test_the_story_imports_the_store_opens_the_samples_serves_them_and_runs(
    qtbot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    users_store = window.store_path
    story_store = tmp_path / "story.sqlite3"
    script.story_store_answer = str(story_store)
    assert window.stack.currentWidget() is window.start_page
    qtbot.mouseClick(window.start_page.findChild(QPushButton, "startTokenStory"), LEFT)

    [(offered_demo, offered_current)] = script.story_store_offers
    assert offered_demo == str(demo_store_path()) != str(users_store), "the default is a demo store"
    assert offered_current == str(users_store)
    assert [tab.document.path.name for tab in window.editor_tabs()] == list(STORY_FILES)
    tab = window.current_tab()
    assert tab is not None and tab.document.workflow.name == "CallMyAPI"
    assert window.store_path == story_store.resolve()
    serve = window.serve.controller
    assert serve.is_serving
    settings = settings_of(story_store)
    assert set(settings) == {"APIBaseURL", "AccessToken", "AccessTokenCreds"}
    assert settings["APIBaseURL"]["Data1"] == serve.url, "the API base URL is where Serve listens"
    assert tab.notice.isVisible() and tab.notice.button.text() == "Run CallMyAPI"

    qtbot.mouseClick(tab.notice.button, LEFT)
    wait_idle(qtbot, window)
    assert script.errors == []
    assert window.run.session.root.status is InstanceStatus.FINISHED
    log = log_texts(window)
    assert "new access token saved" in log
    assert any(text.startswith("finished (success)") for text in log)
    assert settings_of(story_store)["AccessToken"]["Data1"], "the refreshed token is in the story's store"
    assert not tab.notice.isVisible(), "the notice went when the run started"


def test_cancelling_the_store_question_changes_nothing(qtbot, window: MainWindow, script: Script) -> None:
    store = window.store_path
    script.story_store_answer = None
    assert window.try_token_story() == []
    assert window.editor_tabs() == [] and window.store_path == store
    assert not window.serve.controller.is_serving


def test_the_store_question_defaults_to_the_demo_store(qtbot) -> None:
    dialog = StoryStoreDialog("/data/demo.sqlite3", "/data/mine.sqlite3")
    qtbot.addWidget(dialog)
    assert dialog.demo.isChecked() and dialog.chosen() == "/data/demo.sqlite3"
    dialog.current.setChecked(True)
    assert dialog.chosen() == "/data/mine.sqlite3"


def test_importing_by_key_never_overwrites_other_records_and_adds_nothing_twice(tmp_path: Path) -> None:
    store_path = tmp_path / "mine.sqlite3"
    with ObjectStore(store_path) as store:
        store.create_type("Customer", ["Name"])
        customer = store.create_instance("Customer", {"Name": "Ann"})
    import_seed_by_key(store_path)
    import_seed_by_key(store_path)
    with ObjectStore(store_path) as store:
        assert store.get_instance(customer["ObjectId"])["Name"] == "Ann"
        assert len(store.list_instances("Settings")) == 3


def test_a_run_that_finds_no_object_type_offers_to_import_the_samples_settings(
    qtbot, window: MainWindow, script: Script
) -> None:
    [tab] = window.open_files([SAMPLES / "call-my-api.json"])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    notice = tab.notice
    assert notice.isVisible()
    assert 'no type "Settings"' in notice.label.text() and str(window.store_path) in notice.label.text()
    assert notice.button.text() == "Import the samples' settings"

    qtbot.mouseClick(notice.button, LEFT)
    assert set(settings_of(window.store_path)) == {"APIBaseURL", "AccessToken", "AccessTokenCreds"}
    assert notice.isVisible() and notice.button.text() == "Run again"


def test_a_refused_loopback_call_offers_to_turn_serve_on_then_to_run_again(
    qtbot, window: MainWindow, script: Script
) -> None:
    serve = window.serve.controller
    import_seed_by_key(window.store_path)
    point_base_url(window.store_path, f"http://127.0.0.1:{serve.port}")
    [tab] = window.open_files([SAMPLES / "call-my-api.json"])
    window.actions_by_name["actionRun"].trigger()
    wait_idle(qtbot, window)
    assert window.run.session.root.status is InstanceStatus.FAULTED
    notice = tab.notice
    assert notice.isVisible() and "connection refused" in notice.label.text()
    assert f"http://127.0.0.1:{serve.port}/auth" in notice.label.text()
    assert notice.button.text() == "Turn Serve on"

    qtbot.mouseClick(notice.button, LEFT)
    assert serve.is_serving
    assert notice.button.text() == "Run again"
    qtbot.mouseClick(notice.button, LEFT)
    wait_idle(qtbot, window)
    assert window.run.session.root.status is InstanceStatus.FINISHED
    assert "new access token saved" in log_texts(window)
