"""The canvas's context menus: on a card (``cardMenu``), a wire (``wireMenu``), a note (``noteMenu``) and
empty canvas (``canvasMenu``).

Every entry is one of the window's actions, the very command its menu bar entry and shortcut run, and shows
that shortcut, so a right-click teaches the keys. The right press settles what a menu is about (the editor
selects the card, wire or note under it unless it is selected already); the view then asks for the menu
(:attr:`~designer.canvas.view.CanvasView.contextMenuRequested`) and this feature fills it. While the menu is
open the tab's :attr:`~designer.editor_tab.EditorTab.context_position` is the spot right-clicked, so what
the menu adds (an activity, a note, the clipboard) lands there.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from designer.actions import make_toggle
from designer.canvas.note import COLOR_LABELS
from designer.editor_tab import EditAction, EditorTab
from designer.shell import Feature, Shell
from runtime.design_data import NOTE_COLORS, read_design_data

CARD_MENU = "cardMenu"
WIRE_MENU = "wireMenu"
NOTE_MENU = "noteMenu"
CANVAS_MENU = "canvasMenu"
NOTE_COLOR_MENU = "noteColorMenu"
CARD_ENTRIES: tuple[str | None, ...] = (
    "actionRunFromHere",
    "actionToggleBreakpoint",
    "actionPinOutput",
    "actionUnpinOutput",
    None,
    EditAction.CUT.value,
    EditAction.COPY.value,
    EditAction.DUPLICATE.value,
    EditAction.DELETE.value,
    None,
    "actionRename",
    "actionOpenSubworkflow",
    "actionRevealInProblems",
)
"""A card's menu (None: a separator). Unpin Output shows only on a pinned card, Open Sub-workflow only on a
Run Workflow card."""
WIRE_ENTRIES: tuple[str | None, ...] = (EditAction.DELETE.value, EditAction.INSERT_ACTIVITY.value)
NOTE_ENTRIES: tuple[str | None, ...] = (EditAction.EDIT_NOTE.value, None, EditAction.DELETE.value)
"""A note's menu; its colours follow in a submenu."""
CANVAS_ENTRIES: tuple[str | None, ...] = (
    EditAction.QUICK_ADD.value,
    EditAction.PASTE.value,
    EditAction.ADD_NOTE.value,
    None,
    EditAction.SELECT_ALL.value,
    "actionZoomFit",
    EditAction.AUTO_LAYOUT.value,
)


def color_action_name(color: str) -> str:
    return f"actionNoteColor{color.title()}"


class CanvasMenusFeature(Feature):
    """Fills and shows the canvas's context menus (object names :data:`CARD_MENU`, :data:`WIRE_MENU`,
    :data:`NOTE_MENU`, :data:`CANVAS_MENU`)."""

    shell: Shell

    def install(self, shell: Shell) -> None:
        self.shell = shell
        parent = shell.window()
        self.menus: dict[str, QMenu] = {}
        for name in (CARD_MENU, WIRE_MENU, NOTE_MENU, CANVAS_MENU):
            menu = QMenu(parent)
            menu.setObjectName(name)
            menu.aboutToHide.connect(self._menu_hidden)
            self.menus[name] = menu
        self.color_menu = QMenu("&Colour", self.menus[NOTE_MENU])
        self.color_menu.setObjectName(NOTE_COLOR_MENU)
        self.color_group = QActionGroup(parent)
        self.color_actions: dict[str, QAction] = {}
        """The note colours, by colour name (object names ``actionNoteColorYellow``...)."""
        for color in NOTE_COLORS:
            action = make_toggle(
                parent, color_action_name(color), f"&{COLOR_LABELS[color]}", tip=f"Colour the note {color}"
            )
            action.triggered.connect(lambda _=False, c=color: self.color_selected_notes(c))
            self.color_group.addAction(action)
            self.color_menu.addAction(action)
            self.color_actions[color] = action
        self.menu_tab: EditorTab | None = None
        self.last_menu: QMenu | None = None
        """The menu shown last (for tests and automation)."""

    def tab_added(self, tab: EditorTab) -> None:
        tab.view.contextMenuRequested.connect(
            lambda scene_pos, global_pos, tab=tab: self.show_menu(tab, scene_pos, global_pos)
        )

    # --- menus -------------------------------------------------------------------------------------------

    def menu_kind(self, tab: EditorTab, scene_pos: QPointF) -> str:
        """Which menu a right-click at ``scene_pos`` opens: what is there (cards, then wires, then notes)."""
        scene = tab.scene
        if scene.card_at(scene_pos) is not None:
            return CARD_MENU
        if scene.wire_at(scene_pos, tab.editor.wire_tolerance()) is not None:
            return WIRE_MENU
        if scene.note_at(scene_pos) is not None:
            return NOTE_MENU
        return CANVAS_MENU

    def show_menu(self, tab: EditorTab, scene_pos: QPointF, global_pos: QPoint) -> QMenu:
        """Fill the menu for what is at ``scene_pos`` and pop it up at ``global_pos`` (not modal)."""
        kind = self.menu_kind(tab, scene_pos)
        menu = self.menus[kind]
        menu.clear()
        if kind == CARD_MENU:
            self._fill(menu, self._card_entries(tab))
        elif kind == WIRE_MENU:
            self._fill(menu, WIRE_ENTRIES)
        elif kind == NOTE_MENU:
            self._fill(menu, NOTE_ENTRIES[:1])
            menu.addMenu(self.color_menu)
            self._check_color(tab)
            self._fill(menu, NOTE_ENTRIES[1:])
        else:
            self._fill(menu, CANVAS_ENTRIES)
        self.menu_tab = tab
        tab.context_position = QPointF(scene_pos)
        self.last_menu = menu
        menu.popup(global_pos)
        return menu

    def _card_entries(self, tab: EditorTab) -> list[str | None]:
        ids = tab.scene.selected_activity_ids()
        workflow = tab.document.workflow
        activity = workflow.activity(ids[0]) if len(ids) == 1 else None
        pinned = read_design_data(workflow).pinned
        entries: list[str | None] = []
        for name in CARD_ENTRIES:
            if name == "actionUnpinOutput" and not any(i in pinned for i in ids):
                continue
            if name == "actionOpenSubworkflow" and (activity is None or activity.type != "RunWorkflow"):
                continue
            entries.append(name)
        return entries

    def _fill(self, menu: QMenu, names: Sequence[str | None]) -> None:
        for name in names:
            if name is None:
                menu.addSeparator()
                continue
            action = self.shell.action(name)
            action.setShortcutVisibleInContextMenu(True)
            menu.addAction(action)

    def _check_color(self, tab: EditorTab) -> None:
        ids = tab.scene.selected_note_ids()
        colors = {tab.scene.notes[i].note.color for i in ids if i in tab.scene.notes}
        only = next(iter(colors)) if len(colors) == 1 else None
        self.color_group.setExclusive(False)
        for color, action in self.color_actions.items():
            action.setChecked(color == only)
        self.color_group.setExclusive(True)

    def _menu_hidden(self) -> None:
        """The chosen entry runs just after its menu hides: forget the spot right after that."""
        QTimer.singleShot(0, self._forget_position)

    def _forget_position(self) -> None:
        if self.menu_tab is not None and not any(menu.isVisible() for menu in self.menus.values()):
            self.menu_tab.context_position = None
            self.menu_tab = None

    # --- commands ----------------------------------------------------------------------------------------

    def color_selected_notes(self, color: str) -> bool:
        """Colour the selected notes of the tab in front."""
        tab = self.shell.current_tab()
        if tab is None:
            return False
        return tab.editor.set_note_color(tab.scene.selected_note_ids(), color)

    def tab_closing(self, tab: EditorTab) -> None:
        if self.menu_tab is tab:
            self.menu_tab = None
