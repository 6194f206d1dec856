"""The object store browser on a real SQLite store seeded with the samples' seed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from designer.panels.store_browser import StoreBrowser, StoreDialogs
from runtime.masking import SecretMasker
from runtime.store.store import ObjectStore


class Files:
    """Scripted answers to the browser's file questions."""

    def __init__(self) -> None:
        self.seed_to_open: str | None = None
        self.seed_to_save: str | None = None
        self.store_to_open: str | None = None

    def dialogs(self) -> StoreDialogs:
        return StoreDialogs(
            open_seed=lambda caption: self.seed_to_open,
            save_seed=lambda caption, suggested: self.seed_to_save,
            open_store=lambda caption: self.store_to_open,
        )


@pytest.fixture
def store_file(tmp_path: Path, samples_dir: Path) -> Path:
    path = tmp_path / "store.sqlite3"
    with ObjectStore(path) as store:
        store.import_seed(samples_dir / "store.json")
    return path


@pytest.fixture
def check(store_file: Path) -> Iterator[ObjectStore]:
    """A second connection to the same file: what the browser wrote is really in the store."""
    with ObjectStore(store_file) as store:
        yield store


@pytest.fixture
def files() -> Files:
    return Files()


@pytest.fixture
def browser(qtbot, store_file: Path, files: Files) -> Iterator[StoreBrowser]:
    widget = StoreBrowser(lambda: store_file, files.dialogs())
    qtbot.addWidget(widget)
    widget.resize(1000, 360)
    widget.show()
    widget.activate()
    yield widget
    widget.shutdown()


def cell(browser: StoreBrowser, object_id: int, column: str):
    model = browser.instances_model
    return model.index(model.row_of(object_id), model.columns.index(column))


def shown(browser: StoreBrowser, column: str = "Key") -> list[str]:
    model = browser.instances_model
    return [model.index(row, model.columns.index(column)).data() for row in range(model.rowCount())]


def test_types_and_instances_are_shown(browser: StoreBrowser):
    assert [t.name for t in browser.types_model.types] == ["Settings"]
    assert browser.current_type().name == "Settings"
    assert browser.instances_model.columns == ["ObjectId", "Title", "Key", "Data1", "Data2"]
    assert shown(browser) == ["APIBaseURL", "AccessToken", "AccessTokenCreds"]
    assert cell(browser, 3, "Data1").data() == "****", "the credentials are masked, as in the log"
    assert cell(browser, 3, "Data1").data(Qt.ItemDataRole.EditRole) == "wow"
    assert cell(browser, 1, "Data1").data() == "http://127.0.0.1:5080", "the rest is shown as it is"
    assert browser.count_label.text() == "3 instances"
    assert not cell(browser, 1, "ObjectId").flags() & Qt.ItemFlag.ItemIsEditable
    assert cell(browser, 1, "Data1").flags() & Qt.ItemFlag.ItemIsEditable


def test_editing_a_cell_writes_the_store_and_undo_restores_it(browser: StoreBrowser, check: ObjectStore):
    assert browser.instances_model.setData(cell(browser, 2, "Data1"), "fresh-token")
    assert check.get_instance(2)["Data1"] == "fresh-token"
    assert cell(browser, 2, "Data1").data(Qt.ItemDataRole.EditRole) == "fresh-token"
    assert browser.undo_action.text() == "Undo Edit Data1 of ObjectId 2"
    browser.undo_stack.undo()
    assert check.get_instance(2)["Data1"] == ""
    assert cell(browser, 2, "Data1").data(Qt.ItemDataRole.EditRole) == ""
    browser.undo_stack.redo()
    assert check.get_instance(2)["Data1"] == "fresh-token"


def test_title_is_editable_too(browser: StoreBrowser, check: ObjectStore):
    assert browser.instances_model.setData(cell(browser, 1, "Title"), "Base URL")
    assert check.get_instance(1)["Title"] == "Base URL"
    browser.undo_stack.undo()
    assert check.get_instance(1)["Title"] == ""


def test_typed_fields_convert_what_is_typed_and_refuse_bad_values(browser: StoreBrowser, check: ObjectStore):
    check.create_type(
        "Typed",
        [
            {"name": "Count", "type": "number"},
            {"name": "On", "type": "boolean"},
            {"name": "Expires", "type": "datetime"},
            {"name": "Extra", "type": "json"},
        ],
    )
    object_id = check.create_instance("Typed", {"Count": 1})["ObjectId"]
    browser.refresh()
    assert browser.select_type("Typed")
    model = browser.instances_model
    assert model.setData(cell(browser, object_id, "Count"), "42")
    assert model.setData(cell(browser, object_id, "On"), "true")
    assert model.setData(cell(browser, object_id, "Expires"), "2024-01-01T10:00:00+02:00")
    assert model.setData(cell(browser, object_id, "Extra"), '{"a": [1, 2]}')
    record = check.get_instance(object_id)
    assert record["Count"] == 42 and record["On"] is True
    assert record["Expires"] == "2024-01-01T08:00:00.000Z"
    assert record["Extra"] == {"a": [1, 2]}
    assert cell(browser, object_id, "Extra").data() == '{"a":[1,2]}'
    steps = browser.undo_stack.count()

    assert not model.setData(cell(browser, object_id, "Count"), "forty")
    assert browser.error_text == f'ObjectId {object_id}: field "Count" expects a number, got "forty"'
    assert not model.setData(cell(browser, object_id, "Extra"), "{oops")
    assert browser.error_text.startswith(f'ObjectId {object_id}: field "Extra" expects JSON:')
    assert "\n" not in browser.error_text
    assert check.get_instance(object_id) == record
    assert browser.undo_stack.count() == steps

    assert model.setData(cell(browser, object_id, "Count"), "")
    assert check.get_instance(object_id)["Count"] is None
    assert browser.error_text == ""
    browser.undo_stack.undo()
    assert check.get_instance(object_id)["Count"] == 42


def test_add_with_undo_and_redo_keeps_the_object_id(browser: StoreBrowser, check: ObjectStore):
    object_id = browser.add_instance()
    assert object_id == 4
    assert browser.selected_object_ids() == [4]
    assert [r["ObjectId"] for r in check.list_instances("Settings")] == [1, 2, 3, 4]
    assert browser.instances_model.setData(cell(browser, 4, "Key"), "NewKey")
    browser.undo_stack.undo()
    browser.undo_stack.undo()
    assert check.get_instance(4) is None
    assert browser.instances_model.rowCount() == 3
    browser.undo_stack.redo()
    browser.undo_stack.redo()
    assert check.get_instance(4) == {
        "ObjectId": 4,
        "Title": "",
        "Key": "NewKey",
        "Data1": None,
        "Data2": None,
    }


def test_delete_with_undo_recreates_the_same_instances(browser: StoreBrowser, check: ObjectStore):
    before = [check.get_instance(2), check.get_instance(3)]
    browser.select_object_ids([2, 3])
    assert browser.delete_selected() == 2
    assert [r["ObjectId"] for r in check.list_instances("Settings")] == [1]
    assert shown(browser) == ["APIBaseURL"]
    browser.undo_stack.undo()
    assert [check.get_instance(2), check.get_instance(3)] == before
    assert shown(browser) == ["APIBaseURL", "AccessToken", "AccessTokenCreds"]
    browser.undo_stack.redo()
    assert check.get_instance(2) is None


def test_a_change_the_store_refuses_leaves_the_history(browser: StoreBrowser, check: ObjectStore):
    assert browser.instances_model.setData(cell(browser, 2, "Data1"), "x")
    check.delete_instance(2)
    browser.undo_stack.undo()
    assert browser.error_text == "ObjectId 2 is no longer in the store"
    assert browser.undo_stack.count() == 0
    assert shown(browser) == ["APIBaseURL", "AccessTokenCreds"]


def test_filter_shows_matching_rows_and_a_bad_filter_keeps_them(browser: StoreBrowser):
    assert not browser.apply_filter("Key eq")
    assert "\n" not in browser.error_text and browser.error_text.startswith('filter "Key eq"')
    assert shown(browser) == ["APIBaseURL", "AccessToken", "AccessTokenCreds"]

    assert browser.apply_filter("Key eq 'AccessToken'")
    assert shown(browser) == ["AccessToken"]
    assert browser.error_text == ""
    assert browser.count_label.text() == "1 instance matches Key eq 'AccessToken'"

    assert not browser.apply_filter("Nope eq 1")
    assert 'no field "Nope"' in browser.error_text or "Nope" in browser.error_text
    assert shown(browser) == ["AccessToken"]

    browser.filter_edit.clear()
    assert shown(browser) == ["APIBaseURL", "AccessToken", "AccessTokenCreds"]


def test_filtered_view_follows_edits(browser: StoreBrowser, check: ObjectStore):
    browser.apply_filter("Data1 eq ''")
    assert shown(browser) == ["AccessToken"]
    assert browser.instances_model.setData(cell(browser, 2, "Data1"), "now set")
    assert check.get_instance(2)["Data1"] == "now set"
    assert shown(browser) == []
    browser.undo_stack.undo()
    assert shown(browser) == ["AccessToken"]


def test_undoing_an_import_drops_the_types_and_fields_it_added(
    browser: StoreBrowser, check: ObjectStore, files: Files, tmp_path: Path
):
    before = check.export_seed()
    seed = tmp_path / "more.json"
    seed.write_text(
        json.dumps(
            {
                "types": [
                    {"name": "Settings", "fields": ["Key", "Data1", "Data2", "Data3"]},
                    {"name": "Tokens", "fields": ["Key", {"name": "Uses", "type": "number"}]},
                ],
                "instances": {
                    "Settings": [{"ObjectId": 1, "Data3": "extra"}, {"Key": "New", "Data3": "x"}],
                    "Tokens": [{"Key": "t", "Uses": 2}],
                },
            }
        ),
        encoding="utf-8",
    )
    files.seed_to_open = str(seed)
    browser.import_seed_dialog()
    assert [t.name for t in browser.types_model.types] == ["Settings", "Tokens"]
    assert check.get_type("Settings").field_names[-1] == "Data3"
    assert browser.undo_stack.undoText() == "Import more.json"

    browser.undo_stack.undo()
    assert check.export_seed() == before, "types, fields and instances as they were"
    assert [t.name for t in browser.types_model.types] == ["Settings"]
    assert browser.instances_model.columns == ["ObjectId", "Title", "Key", "Data1", "Data2"]
    assert browser.error_text == ""

    browser.undo_stack.redo()
    assert [t.name for t in check.list_types()] == ["Settings", "Tokens"]
    assert check.get_instance(1)["Data3"] == "extra"
    assert check.list_instances("Tokens")[0]["Uses"] == 2


def test_export_then_import_round_trips_and_import_is_undoable(
    browser: StoreBrowser, check: ObjectStore, files: Files, tmp_path: Path
):
    exported = tmp_path / "exported.json"
    files.seed_to_save = str(exported)
    browser.export_seed_dialog()
    assert json.loads(exported.read_text(encoding="utf-8")) == check.export_seed()
    assert not list(tmp_path.glob(".exported.json.*.tmp"))
    original = check.export_seed()

    assert browser.instances_model.setData(cell(browser, 2, "Data1"), "changed")
    browser.add_instance()
    files.seed_to_open = str(exported)
    browser.import_seed_dialog()
    assert browser.message.text().startswith(f"Imported {exported}:")
    assert check.get_instance(2)["Data1"] == ""
    browser.undo_stack.undo()
    assert check.get_instance(2)["Data1"] == "changed"
    browser.undo_stack.redo()

    fresh = tmp_path / "fresh.sqlite3"
    files.store_to_open = str(fresh)
    browser.open_store_dialog()
    assert browser.store_path == fresh
    assert browser.undo_stack.count() == 0
    assert browser.types_model.types == []
    assert browser.import_seed(exported)
    with ObjectStore(fresh) as copy:
        assert copy.export_seed() == original


def test_a_bad_seed_is_one_line_and_changes_nothing(
    browser: StoreBrowser, check: ObjectStore, tmp_path: Path
):
    bad = tmp_path / "bad.json"
    bad.write_text('{"types": [], "instances": {"Settings": [{"Nope": 1}]}}', encoding="utf-8")
    before = check.export_seed()
    assert not browser.import_seed(bad)
    assert browser.error_text.startswith(f"{bad}: instances.Settings[0]:")
    assert browser.undo_stack.count() == 0
    assert check.export_seed() == before


def test_a_file_that_is_not_a_store_is_refused(browser: StoreBrowser, store_file: Path, tmp_path: Path):
    other = tmp_path / "notes.db"
    other.write_text("not sqlite at all " * 100, encoding="utf-8")
    assert not browser.open_store(other)
    assert browser.error_text.startswith(str(other))
    assert browser.store_path == store_file
    assert shown(browser) == ["APIBaseURL", "AccessToken", "AccessTokenCreds"]


def test_changes_made_elsewhere_are_picked_up(browser: StoreBrowser, check: ObjectStore):
    check.update_instance(2, {"Data1": "from a workflow run"})
    browser._poll()
    assert cell(browser, 2, "Data1").data(Qt.ItemDataRole.EditRole) == "from a workflow run"
    assert cell(browser, 2, "Data1").data() == "****", "and masked when shown (no character of it)"


def test_secrets_are_masked_as_in_the_log_until_revealed(browser: StoreBrowser, check: ObjectStore):
    """The access token a run stored is masked in the table and its tooltip, as the log masks it."""
    token = "eyJhbGciOiJIUzI1NiJ9.secret-token-1234"
    check.update_instance(2, {"Data1": token, "Data2": "2030-01-01T00:00:00Z"})
    browser.refresh()
    model = browser.instances_model
    expected = SecretMasker().value(check.get_instance(2))
    assert cell(browser, 2, "Data1").data() == expected["Data1"] == "****"
    assert token not in str(cell(browser, 2, "Data1").data(Qt.ItemDataRole.ToolTipRole))
    assert cell(browser, 2, "Key").data() == "AccessToken", "the key that names the secret stays readable"
    browser.reveal_button.click()
    assert model.revealed and cell(browser, 2, "Data1").data() == token
    browser.reveal_button.click()
    assert cell(browser, 2, "Data1").data() == "****"


def test_follows_the_windows_store_until_told_otherwise(qtbot, tmp_path: Path, samples_dir: Path):
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    with ObjectStore(second) as store:
        store.import_seed(samples_dir / "store.json")
    current = {"path": first}
    widget = StoreBrowser(lambda: current["path"], Files().dialogs())
    qtbot.addWidget(widget)
    widget.activate()
    assert widget.store_path == first and widget.types_model.types == []
    current["path"] = second
    widget.activate()
    assert widget.store_path == second and shown(widget)[0] == "APIBaseURL"
    widget.shutdown()


def test_ctrl_z_and_delete_act_while_the_table_has_focus(qtbot, browser: StoreBrowser, check: ObjectStore):
    assert browser.instances_model.setData(cell(browser, 2, "Data1"), "typed")
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert check.get_instance(2)["Data1"] == ""
    browser.select_object_ids([3])
    qtbot.keyClick(browser.table, Qt.Key.Key_Delete)
    assert check.get_instance(3) is None
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert check.get_instance(3) is not None


def test_the_browser_renders(browser: StoreBrowser, tmp_path: Path):
    browser.apply_filter("Key ne 'Nothing'")
    image = browser.grab().toImage()
    assert image.width() >= 900 and image.height() >= 300
    colors = {image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 13)}
    assert len(colors) > 5
    assert browser.grab().save(str(tmp_path / "store-browser.png"))


def test_typing_in_the_cell_editor_commits_through_the_store(
    qtbot, browser: StoreBrowser, check: ObjectStore
):
    browser.apply_filter("Data1 eq ''")
    index = cell(browser, 2, "Data1")
    browser.table.setFocus()
    browser.table.setCurrentIndex(index)
    browser.table.edit(index)
    editor = browser.table.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "typed in place")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: check.get_instance(2)["Data1"] == "typed in place", timeout=2000)
    qtbot.waitUntil(lambda: shown(browser) == [], timeout=2000)
    assert browser.undo_stack.count() == 1
