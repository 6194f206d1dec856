"""The store browser in the main window: it shows the window's store; Ctrl+Z there undoes store edits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget

from designer.dialogs import Dialogs, SaveChoice
from designer.main_window import MainWindow
from runtime.store.store import ObjectStore


@pytest.fixture
def store_file(tmp_path: Path, samples_dir: Path) -> Path:
    path = tmp_path / "store.sqlite3"
    with ObjectStore(path) as store:
        store.import_seed(samples_dir / "store.json")
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path, store_file: Path) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialogs = Dialogs(
        report_error=lambda title, message: None,
        ask_save=lambda title: SaveChoice.DISCARD,
        open_paths=lambda caption: [],
        save_path=lambda caption, suggested: None,
    )
    main = MainWindow(settings=settings, dialogs=dialogs, theme_choice="light", store_path=store_file)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def test_the_store_opens_only_when_its_panel_is_shown(qtbot, window: MainWindow, store_file: Path):
    browser = window.store.browser
    assert browser.store is None
    dock = window.findChild(QDockWidget, "storeBrowser")
    dock.raise_()
    qtbot.waitUntil(lambda: browser.store is not None, timeout=2000)
    assert browser.store_path == store_file
    assert browser.instances_model.rowCount() == 3


def test_ctrl_z_in_the_browser_undoes_the_store_edit_not_the_workflow(qtbot, window: MainWindow):
    window.findChild(QDockWidget, "storeBrowser").raise_()
    browser = window.store.browser
    qtbot.waitUntil(lambda: browser.store is not None, timeout=2000)
    model = browser.instances_model
    index = model.index(model.row_of(2), model.columns.index("Data1"))
    assert model.setData(index, "token")
    browser.table.setFocus()
    qtbot.waitUntil(browser.table.hasFocus, timeout=2000)
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with ObjectStore(browser.store_path) as check:
        assert check.get_instance(2)["Data1"] == ""


def test_closing_the_window_closes_the_store(qtbot, window: MainWindow):
    window.findChild(QDockWidget, "storeBrowser").raise_()
    qtbot.waitUntil(lambda: window.store.browser.store is not None, timeout=2000)
    window.close()
    assert window.store.browser.store is None
