"""The main window: tabs, files, unsaved changes, inspector, problems, palette, clipboard, themes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QGraphicsView, QLineEdit

from designer.dialogs import Dialogs, SaveChoice
from designer.main_window import MainWindow
from designer.theme import DARK, LIGHT


class Answers:
    """Scripted answers to the window's questions, and a record of what it asked."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.asked_to_save: list[str] = []
        self.save_choice = SaveChoice.CANCEL
        self.open_answer: list[str] = []
        self.save_answer: str | None = None

    def dialogs(self) -> Dialogs:
        def ask(title: str) -> SaveChoice:
            self.asked_to_save.append(title)
            return self.save_choice

        return Dialogs(
            report_error=lambda title, message: self.errors.append((title, message)),
            ask_save=ask,
            open_paths=lambda caption: list(self.open_answer),
            save_path=lambda caption, suggested: self.save_answer,
        )


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def window(qtbot, tmp_path, answers) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(settings=settings, dialogs=answers.dialogs(), theme_choice="light")
    main.resize(1400, 900)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    for tab in main.editor_tabs():
        tab.document.undo_stack.setClean()
    main.close()


@pytest.fixture
def workflow_copy(corpus_dir, tmp_path) -> Path:
    target = tmp_path / "call-my-api.json"
    shutil.copy(corpus_dir / "wow-call-my-api.json", target)
    return target


def test_stable_object_names(window):
    window.new_document()
    assert window.findChild(QGraphicsView, "canvas") is window.current_view()
    for name in ("palette", "inspector", "problemsPanel", "historyPanel"):
        assert window.findChild(QDockWidget, name) is not None
    for name in (
        "actionSave",
        "actionUndo",
        "actionRedo",
        "actionOpen",
        "actionNew",
        "actionCopy",
        "actionPaste",
    ):
        assert window.findChild(QAction, name) is not None, name
    assert window.findChild(QAction, "actionSave").shortcut().toString() == "Ctrl+S"


def test_open_shows_the_workflow_its_problems_and_title(window, workflow_copy):
    [tab] = window.open_files([workflow_copy])
    assert len(tab.scene.cards) == 17 and len(tab.scene.wires) == 17
    assert window.windowTitle().startswith("call-my-api.json")
    assert window.problems.tree.topLevelItemCount() == len(tab.problems) > 0
    assert any("BaseURL" in p.message for p in tab.problems)
    assert window.open_files([workflow_copy]) == [tab] and window.tabs.count() == 1, "opened once"
    assert window.recent_files()[0] == str(workflow_copy.resolve())


def test_a_bad_file_reports_one_line_and_the_window_keeps_working(window, tmp_path, workflow_copy, answers):
    bad = tmp_path / "broken.json"
    bad.write_text('{"activities": [{"activityId": "x"', encoding="utf-8")
    assert window.open_files([bad]) == []
    [(title, message)] = answers.errors
    assert title == "Cannot open workflow"
    assert "broken.json" in message and "\n" not in message
    assert window.tabs.count() == 0
    assert len(window.open_files([workflow_copy])) == 1


def test_closing_with_unsaved_changes_asks(window, workflow_copy, answers):
    [tab] = window.open_files([workflow_copy])
    tab.scene.select_activities({tab.document.workflow.activities[0].activity_id})
    tab.editor.nudge(20, 0)
    assert tab.document.is_modified and window.isWindowModified()
    answers.save_choice = SaveChoice.CANCEL
    assert not window.close()
    assert answers.asked_to_save == ["call-my-api.json"] and window.isVisible()
    answers.save_choice = SaveChoice.SAVE
    before = workflow_copy.read_bytes()
    assert window.close_tab(0)
    assert workflow_copy.read_bytes() != before
    assert window.tabs.count() == 0 and window.stack.currentWidget() is window.start_page


def test_discarding_a_new_document_and_saving_one_asks_where(window, tmp_path, answers):
    tab = window.new_document()
    tab.add_activity("WriteLine")
    answers.save_answer = str(tmp_path / "fresh.json")
    assert window.save()
    assert (tmp_path / "fresh.json").is_file() and not tab.document.is_modified
    assert window.windowTitle().startswith("fresh.json")
    window.findChild(QAction, "actionSelectAll").trigger()
    window.findChild(QAction, "actionDelete").trigger()
    answers.save_choice = SaveChoice.DISCARD
    assert window.close_tab(0)
    assert '"WriteLine"' in (tmp_path / "fresh.json").read_text()


def test_inspector_renames_with_validation_as_one_undo_step(window, workflow_copy, qtbot):
    [tab] = window.open_files([workflow_copy])
    http = next(a for a in tab.document.workflow.activities if a.type == "SendHttpRequest")
    tab.scene.select_activities({http.activity_id})
    panel = window.inspector.panel
    name = panel.findChild(QLineEdit, "activityName")
    assert name.text() == "httpAPI"
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "callApi")
    assert http.name == "callApi"
    assert tab.document.undo_stack.count() == 1
    qtbot.keyClicks(name, " x")
    assert http.name == "callApi", "an invalid identifier is not applied"
    assert panel.name_error.isVisible() and "identifier" in panel.name_error.text()
    other = next(a for a in tab.document.workflow.activities if a.name and a is not http)
    name.setText("")
    qtbot.keyClicks(name, other.name)
    assert "already the name" in panel.name_error.text()
    assert http.name != other.name, "a duplicate name is never applied"
    assert tab.document.undo_stack.count() == 1, "typing in one field visit is one undo step"
    tab.document.undo_stack.undo()
    assert http.name == "httpAPI" and name.text() == "httpAPI"


def test_inspector_syntax_switch_keeps_each_syntax_text(window, workflow_copy):
    [tab] = window.open_files([workflow_copy])
    http = next(a for a in tab.document.workflow.activities if a.type == "SendHttpRequest")
    tab.scene.select_activities({http.activity_id})
    editor = window.inspector.panel.property_editors["url"]
    assert editor.editor_syntax == "JavaScript"
    literal = editor.syntax.findData("Literal")
    editor.syntax.setCurrentIndex(literal)
    prop = http.get_property("Url")
    assert prop.syntax == "Literal" and editor.editor_syntax == "Literal"
    assert editor.editor.get_text() == prop.expressions["Literal"]
    assert prop.expressions["JavaScript"] == 'getVariable("BaseURL").Data1+getVariable("api")'
    tab.document.undo_stack.undo()
    assert prop.syntax == "JavaScript" and editor.editor_syntax == "JavaScript"


def test_editing_status_codes_in_the_inspector_updates_ports_at_once(window, workflow_copy):
    [tab] = window.open_files([workflow_copy])
    http = next(a for a in tab.document.workflow.activities if a.type == "SendHttpRequest")
    tab.scene.select_activities({http.activity_id})
    editor = window.inspector.panel.property_editors["supportedstatuscodes"]
    editor.editor.widget.setPlainText('["200", "404"]')
    card = tab.scene.cards[http.activity_id]
    assert "404" in card.content.outcomes
    assert http.get_property("SupportedStatusCodes").expressions["Json"] == '["200", "404"]'


def test_workflow_settings_when_nothing_is_selected(window, workflow_copy):
    [tab] = window.open_files([workflow_copy])
    tab.scene.select_activities(set())
    panel = window.inspector.panel
    tag = panel.findChild(QLineEdit, "workflow_tag")
    tag.setText("")
    tag.textEdited.emit("v2")
    assert tab.document.workflow.tag == "v2"
    panel.variables.setPlainText('{"APIBaseURL": "http://127.0.0.1:5080"}')
    assert tab.document.workflow.variable_data() == {"APIBaseURL": "http://127.0.0.1:5080"}
    panel.variables.setPlainText("{oops")
    assert panel.variables_error.isVisibleTo(panel)
    assert tab.document.workflow.variable_data() == {"APIBaseURL": "http://127.0.0.1:5080"}


def test_problem_double_click_selects_the_activity(window, workflow_copy):
    [tab] = window.open_files([workflow_copy])
    item = window.problems.tree.topLevelItem(0)
    window.problems.tree.itemActivated.emit(item, 0)
    assert tab.scene.selected_activity_ids() == [item.data(0, Qt.ItemDataRole.UserRole)]


def test_problems_follow_edits(window, workflow_copy, qtbot):
    [tab] = window.open_files([workflow_copy])
    before = len(tab.problems)
    window.findChild(QAction, "actionSelectAll").trigger()
    window.findChild(QAction, "actionDelete").trigger()
    qtbot.waitUntil(lambda: len(tab.problems) != before, timeout=3000)
    assert [p.code for p in tab.problems] == ["no-start"]


def test_palette_search_and_add(window):
    tab = window.new_document()
    window.palette_panel.search.setText("http req")
    found = window.palette_panel.visible_types()
    assert "SendHttpRequest" in found and "If" not in found
    window.palette_panel.search.setText("send http")
    assert window.palette_panel.visible_types() == ["SendHttpRequest"]
    window.palette_panel.activityRequested.emit("SendHttpRequest")
    assert [a.type for a in tab.document.workflow.activities] == ["SendHttpRequest"]
    assert tab.scene.selected_activity_ids() == [tab.document.workflow.activities[0].activity_id]


def test_copy_paste_across_tabs_with_the_actions(window, workflow_copy):
    [source] = window.open_files([workflow_copy])
    ids = [a.activity_id for a in source.document.workflow.activities[:3]]
    source.scene.select_activities(ids)
    window.findChild(QAction, "actionCopy").trigger()
    target = window.new_document()
    window.findChild(QAction, "actionPaste").trigger()
    pasted = target.document.workflow.activities
    assert len(pasted) == 3 and not {a.activity_id for a in pasted} & set(ids)
    window.findChild(QAction, "actionUndo").trigger()
    assert target.document.workflow.activities == []
    window.findChild(QAction, "actionRedo").trigger()
    assert len(target.document.workflow.activities) == 3


def test_theme_switch_repaints_canvas(window, workflow_copy):
    [tab] = window.open_files([workflow_copy])
    window.apply_theme("dark")
    assert tab.scene.backgroundBrush().color().name() == DARK.canvas
    assert window.settings.value("theme") == "dark"
    window.apply_theme("light")
    assert tab.scene.backgroundBrush().color().name() == LIGHT.canvas


def test_double_click_on_a_card_focuses_the_inspector(window, workflow_copy, qtbot):
    from tests.designer import mouse

    [tab] = window.open_files([workflow_copy])
    tab.view.set_zoom(1.0)
    http = next(a for a in tab.document.workflow.activities if a.type == "SendHttpRequest")
    card = tab.scene.cards[http.activity_id]
    tab.view.centerOn(card.card_rect().center())
    mouse.double_click(tab.view, card.card_rect().center() + QPointF(-40, 0))
    name = window.inspector.panel.findChild(QLineEdit, "activityName")
    qtbot.waitUntil(name.hasFocus, timeout=2000)
    assert window.inspector.panel.activity is http


def test_card_badges_carry_the_problem_messages(window, workflow_copy):
    [tab] = window.open_files([workflow_copy])
    http = next(a for a in tab.document.workflow.activities if a.type == "SendHttpRequest")
    card = tab.scene.cards[http.activity_id]
    assert card.problem is not None and card.problem.severity == "warning"
    assert "BaseURL" in card.tooltip_text()


def test_start_page_lists_samples_and_opens_them(window, samples_dir):
    if not samples_dir.is_dir() or not list(samples_dir.glob("*.json")):
        pytest.skip("no samples in the project yet")
    listing = window.start_page.samples
    paths = [listing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listing.count())]
    assert paths and all(Path(p).parent == samples_dir.resolve() for p in paths)
    assert "store.json" not in {Path(p).name for p in paths}, "the store seed is not a workflow"
    window.start_page.openRequested.emit(paths[0])
    assert window.tabs.count() == 1 and window.stack.currentWidget() is window.tabs


def test_geometry_and_panels_are_remembered(qtbot, tmp_path, answers):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings=settings, dialogs=answers.dialogs(), theme_choice="light")
    qtbot.addWidget(first)
    first.show()
    first.problems_dock.hide()
    first.close()
    assert settings.value("windowState") is not None
    second = MainWindow(settings=settings, dialogs=answers.dialogs())
    qtbot.addWidget(second)
    second.show()
    assert not second.problems_dock.isVisible()
    assert second.theme_choice == "light"
    second.close()


def test_import_makes_an_untitled_copy_and_export_writes_elsewhere(window, workflow_copy, tmp_path, answers):
    answers.open_answer = [str(workflow_copy)]
    window.import_dialog()
    tab = window.current_tab()
    workflow = tab.document.workflow
    assert tab.document.path is None and tab.document.title == (workflow.display_name or workflow.name)
    assert window.recent_files() == [], "an import is not a file of its own yet"
    answers.save_answer = str(tmp_path / "exported.json")
    assert window.export()
    assert (tmp_path / "exported.json").read_bytes() == workflow_copy.read_bytes()
    assert tab.document.path is None


def test_auto_layout_action_is_undoable(window, workflow_copy):
    [tab] = window.open_files([workflow_copy])
    before = [(a.x, a.y) for a in tab.document.workflow.activities]
    window.findChild(QAction, "actionAutoLayout").trigger()
    assert [(a.x, a.y) for a in tab.document.workflow.activities] != before
    window.findChild(QAction, "actionUndo").trigger()
    assert [(a.x, a.y) for a in tab.document.workflow.activities] == before
