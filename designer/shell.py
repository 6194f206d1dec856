"""What the main window offers its features, and what a feature is.

The window is the shell: tabs of workflows, menus, a toolbar, dock areas, a status bar, the settings, the
theme, the questions it asks (:class:`~designer.dialogs.Dialogs`) and the object store runs use. A feature
(Run and debug, Serve, the object store browser: :mod:`designer.features`) gets the window only as a
:class:`Shell` and plugs in through it: panels in the bottom area, actions in a named menu and the
toolbar, a status widget. The window installs each feature once, tells it about tabs and theme changes,
restores the saved layout once all are in, and shuts them down when it closes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QWidget

    from designer.dialogs import Dialogs
    from designer.editor_tab import EditorTab
    from designer.theme import Theme


class MenuName(StrEnum):
    """The window's menus a feature may add actions to."""

    FILE = "file"
    EDIT = "edit"
    VIEW = "view"
    PANELS = "panels"
    RUN = "run"
    ARRANGE = "arrange"
    HELP = "help"


class Shell(Protocol):
    """The window as its features see it (the only way a feature reaches the window)."""

    @property
    def settings(self) -> QSettings:
        """Where features keep what they remember (ports, last run inputs...)."""
        ...

    @property
    def dialogs(self) -> Dialogs:
        """How to ask the person things (read it at each question: tests replace it)."""
        ...

    @property
    def theme(self) -> Theme:
        """The colours in force (features are told of changes through :meth:`Feature.set_theme`)."""
        ...

    @property
    def store_path(self) -> Path:
        """The object store file runs, Serve and the store browser use."""
        ...

    def set_store_path(self, path: str | Path, remember: bool = True) -> None:
        """Use another object store file (remembered for the next start unless ``remember`` is False)."""
        ...

    def window(self) -> QWidget:
        """The top-level widget, to parent a feature's own dialogs on."""
        ...

    def editor_tabs(self) -> list[EditorTab]:
        """Every open workflow, in tab order."""
        ...

    def current_tab(self) -> EditorTab | None:
        """The workflow in front, if any."""
        ...

    def show_tab(self, tab: EditorTab) -> None:
        """Bring an open workflow to the front."""
        ...

    def action(self, name: str) -> QAction:
        """The window's (or another feature's) action of that object name, e.g. ``actionCopy``; KeyError
        when there is none (so a feature can offer the same commands, with their shortcuts, elsewhere)."""
        ...

    def open_files(self, paths: Iterable[str | Path]) -> list[EditorTab]:
        """Open workflow files in tabs (or bring them to the front); a bad file is reported, not raised."""
        ...

    def add_bottom_panel(self, name: str, title: str, widget: QWidget, front: bool = False) -> QDockWidget:
        """Add ``widget`` as another tab of the bottom dock area (object name ``name``), listed in View ▸
        Panels; ``front``: the tab shown first when there is no saved layout."""
        ...

    def add_actions(self, menu: MenuName, actions: Sequence[QAction | None]) -> None:
        """Append actions (None: a separator) to a menu; their shortcuts work anywhere in the window and
        ``actions_by_name`` finds them by object name."""
        ...

    def add_toolbar_actions(self, actions: Sequence[QAction | None]) -> list[QWidget]:
        """Append actions (None: a separator) to the main toolbar; returns their buttons."""
        ...

    def add_status_widget(self, widget: QWidget) -> None:
        """Show a permanent widget in the status bar, left of the window's own (problems, zoom)."""
        ...

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        """Say something in the status bar for a while."""
        ...


class Feature:
    """A part of the designer that plugs into the window through a :class:`Shell`.

    The window calls :meth:`install` once, then the tab and theme hooks as things happen, and
    :meth:`shutdown` once before it goes. The hooks do nothing unless a feature overrides them.
    """

    def install(self, shell: Shell) -> None:
        """Create the feature's panels and actions and add them to the window."""
        raise NotImplementedError

    def set_theme(self, theme: Theme) -> None:
        """The window's theme changed."""

    def tab_added(self, tab: EditorTab) -> None:
        """A workflow was opened in a new tab."""

    def tab_closing(self, tab: EditorTab) -> None:
        """A tab is about to close (its document is still there)."""

    def current_tab_changed(self, tab: EditorTab | None) -> None:
        """Another tab (or none) is in front."""

    def shutdown(self) -> None:
        """The window is closing: stop threads and close files (called once)."""
