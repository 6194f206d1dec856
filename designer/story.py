"""The guided seed story ("Refreshing an Access Token") in the window, and the store seed it needs.

"Try the token story" (start page, Help menu) asks which object store to use (a demo store of its own by
default, never the user's without asking), imports the samples' seed into it, opens the four sample
workflows, turns Serve on so the demo auth server and API answer on loopback, points ``APIBaseURL`` at
Serve's address, and says what to press next. Each step reports a problem in one line and stops there.

The seed is imported by key: a ``Settings`` record whose ``Key`` the store has already is updated in place,
any other gets a new ``ObjectId``, so importing into a store that has other data never overwrites a record
of another type and importing twice adds nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from runtime.errors import FlowdeskError
from runtime.resources import samples_folder
from runtime.store.store import ObjectStore, default_store_path

if TYPE_CHECKING:
    from designer.editor_tab import EditorTab
    from designer.main_window import MainWindow

STORY_FILES = (
    "call-my-api.json",
    "get-changing-access-token-authentication.json",
    "demo-auth-server.json",
    "demo-api.json",
)
"""The story's workflows; the first is the one to run."""
SEED_FILE = "store.json"
DEMO_STORE_NAME = "token-story-demo.sqlite3"
KEY_FIELD = "Key"
BASE_URL_KEY = "APIBaseURL"


def seed_path() -> Path:
    """The samples' store seed (the Settings type and its three records)."""
    return samples_folder() / SEED_FILE


def demo_store_path() -> Path:
    """The story's own object store, beside the user's (so the user's is never touched by default)."""
    return default_store_path().with_name(DEMO_STORE_NAME)


def seed_types(path: Path | None = None) -> set[str]:
    """The object types a seed file declares (lower case), empty when it cannot be read."""
    try:
        document = json.loads((path or seed_path()).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return set()
    types = document.get("types") if isinstance(document, dict) else None
    if not isinstance(types, list):
        return set()
    return {str(t.get("name")).lower() for t in types if isinstance(t, dict) and t.get("name")}


def import_seed_by_key(store_path: Path, seed: Path | None = None) -> str:
    """Import ``seed`` (default: the samples') into the store at ``store_path`` by key (see the module);
    returns one line saying what was done. Raises :class:`FlowdeskError` with one line on a problem."""
    source = seed or seed_path()
    try:
        document: Any = json.loads(source.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise FlowdeskError(f"{source}: cannot read the seed ({error})") from None
    with ObjectStore(store_path) as store:
        instances = document.get("instances") if isinstance(document, dict) else None
        if isinstance(instances, dict):
            known = {t.name.lower(): t.name for t in store.list_types()}
            for type_name, records in instances.items():
                if not isinstance(records, list):
                    continue
                existing = known.get(str(type_name).lower())
                by_key = {}
                if existing is not None:
                    by_key = {r.get(KEY_FIELD): r["ObjectId"] for r in store.list_instances(existing)}
                for record in records:
                    if isinstance(record, dict):
                        record.pop("ObjectId", None)
                        found = by_key.get(record.get(KEY_FIELD))
                        if found is not None:
                            record["ObjectId"] = found
        summary = store.import_seed(document)
    counts = str(summary).removeprefix(f"{summary.source}: ")
    return f"Imported {source.name} into {store_path} ({counts})"


def point_base_url(store_path: Path, url: str) -> bool:
    """Make the ``APIBaseURL`` setting name ``url`` (Serve's address); False when the store has none."""
    with ObjectStore(store_path) as store:
        if store.get_type("Settings") is None:
            return False
        for record in store.list_instances("Settings"):
            if record.get(KEY_FIELD) == BASE_URL_KEY:
                if record.get("Data1") != url:
                    store.update_instance(record["ObjectId"], {"Data1": url})
                return True
    return False


class StoryStoreDialog(QDialog):
    """Which object store the story imports its settings into: the demo store (default), the store runs
    use now, or another file."""

    def __init__(self, demo: str, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storyStoreDialog")
        self.setWindowTitle("Try the token story")
        self.setAccessibleName("Try the token story")
        intro = QLabel(
            "The story's workflows read their settings (API base URL, access token, credentials) from an "
            "object store. Import the samples' settings into:",
            self,
        )
        intro.setWordWrap(True)
        self.demo = QRadioButton(f"A demo store of its own (recommended)\n{demo}", self)
        self.demo.setObjectName("storyDemoStore")
        self.current = QRadioButton(
            f"The store runs use now (its Settings with the same keys are replaced)\n{current}", self
        )
        self.current.setObjectName("storyCurrentStore")
        self.other = QRadioButton("Another store file:", self)
        self.other.setObjectName("storyOtherStore")
        self.path = QLineEdit(self)
        self.path.setObjectName("storyOtherPath")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        group = QButtonGroup(self)
        for button in (self.demo, self.current, self.other):
            group.addButton(button)
        self.demo.setChecked(True)
        self.paths = {self.demo: demo, self.current: current}
        other_row = QHBoxLayout()
        other_row.addWidget(self.other)
        other_row.addWidget(self.path, 1)
        other_row.addWidget(browse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start the story")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.demo)
        layout.addWidget(self.current)
        layout.addLayout(other_row)
        layout.addWidget(buttons)
        self.resize(560, 260)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Object store file",
            self.path.text() or self.paths[self.demo],
            "Object stores (*.sqlite3 *.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.path.setText(path)
            self.other.setChecked(True)

    def chosen(self) -> str | None:
        if self.other.isChecked():
            return self.path.text().strip() or None
        return self.paths[self.current] if self.current.isChecked() else self.paths[self.demo]


def ask_story_store(parent: QWidget | None, demo: str, current: str) -> str | None:
    """The store the story should use, or None when the person cancels."""
    dialog = StoryStoreDialog(demo, current, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _run_and_watch(window: MainWindow) -> None:
    """Run the workflow in front with the log in front, to watch the token being refreshed."""
    log = window.findChild(QDockWidget, "correlationLog")
    if log is not None:
        log.show()
        log.raise_()
    window.actions_by_name["actionRun"].trigger()


def run_token_story(window: MainWindow) -> list[EditorTab]:
    """Set the story up in ``window`` (see the module); returns the tabs opened, CallMyAPI first (none when
    the person cancelled or a step failed, which is reported)."""
    dialogs = window.dialogs
    chosen = dialogs.choose_story_store(str(demo_store_path()), str(window.store_path))
    if not chosen:
        return []
    store = Path(chosen).expanduser().resolve()
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        summary = import_seed_by_key(store)
    except (FlowdeskError, OSError) as error:
        dialogs.report_error("Cannot set up the token story", str(error))
        return []
    window.set_store_path(store, remember=False)
    folder = samples_folder()
    tabs = window.open_files([folder / name for name in STORY_FILES])
    if len(tabs) != len(STORY_FILES):
        return tabs
    first = tabs[0]
    serving = window.serve.restart()
    url = window.serve.controller.url
    if serving and url:
        point_base_url(store, url)
    window.show_tab(first)
    if serving:
        first.notice.show_notice(
            f"The token story is ready: the demo auth server and API are served on {url} and "
            f"{store.name} holds their settings (no access token yet). Run CallMyAPI: its sub-workflow "
            "gets a token from the auth server (watch the log), then it calls the API with it.",
            "Run CallMyAPI",
            lambda: _run_and_watch(window),
            kind="success",
        )
    else:
        first.notice.show_notice(
            f"{summary}. Serve could not start, so the demo auth server and API do not answer yet: "
            "choose another port (Run ▸ Serve Port…) and turn Serve on.",
            kind="warning",
        )
    window.show_message(summary, 8000)
    return tabs
