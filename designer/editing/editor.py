"""The one edit API of a document: every change a person makes to a workflow, as one undo command.

:class:`WorkflowEditor` is to a document what orange-canvas-core's ``SchemeEditWidget`` is to a scheme. The
mouse gestures (:mod:`designer.editing.interactions`), the inspector, the run controller (pins and
the sample input) and the editor tab's actions call its methods; each method pushes one command of
:mod:`designer.editing.commands` on the document's undo stack; the command calls the runtime model's editing
API (:class:`runtime.model.WorkflowDefinition`, the single source of truth); the model emits events and the
views (scene, inspector, overlay) follow them.

The editor also runs the gestures: it watches its scene's mouse events (and, once a view is attached, the
view's arrow keys and focus) through an event filter, as Orange's editor does, so the scene itself only
draws and answers "what is where". A right press only settles what the context menu is about (the card,
wire or note under it becomes the selection); the view asks for the menu.

Sticky notes are edits too: adding, writing, colouring, resizing, moving (with the cards of a selection)
and deleting a note each push one command replacing the notes of the workflow's design data
(:func:`~designer.editing.commands.notes_command`).
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QGraphicsSceneMouseEvent, QGraphicsView

from designer.canvas.layout import GRID, layered_positions
from designer.canvas.note import NoteItem
from designer.canvas.port import CARD_WIDTH, card_height
from designer.canvas.quick_add import LinkRequest
from designer.canvas.scene import WorkflowScene
from designer.canvas.wire import HIT_PIXELS
from designer.document import Document, Point, stored_position
from designer.editing.clipboard import fragment_mime, prepare_paste, read_fragment
from designer.editing.commands import (
    AddActivitiesCommand,
    ConnectCommand,
    DeleteCommand,
    MacroCommand,
    MoveCommand,
    SetActivityFieldCommand,
    SetPropertyCommand,
    SetWorkflowFieldCommand,
    SpliceCommand,
    WorkflowCommand,
    layout_command,
    notes_command,
)
from designer.editing.factory import new_activity
from designer.editing.interactions import (
    Interaction,
    MoveSelectionInteraction,
    NewLinkInteraction,
    NoteResizeInteraction,
    RubberBandInteraction,
)
from runtime.catalog import outcome_ports
from runtime.design_data import NOTE_COLORS, DesignData, Note, custom_attributes_with, read_notes
from runtime.graph import build_graph
from runtime.model import Connection

SPLICE_GAP = 40.0
"""Room left between a spliced card and the next one (the cards after it shift right to make it)."""
NUDGE_KEYS: dict[int, tuple[int, int]] = {
    int(Qt.Key.Key_Left): (-1, 0),
    int(Qt.Key.Key_Right): (1, 0),
    int(Qt.Key.Key_Up): (0, -1),
    int(Qt.Key.Key_Down): (0, 1),
}
"""Arrow keys move the selection by a grid step (one pixel with Shift)."""


class WorkflowEditor(QObject):
    """Edits one document: every method is one undo command over the runtime model (see the module)."""

    quickAddRequested = Signal(QPointF, object)
    """Quick-add at a scene position; the object is a LinkRequest (connect the new activity) or None."""

    def __init__(self, document: Document, scene: WorkflowScene, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.workflow = document.workflow
        self.scene = scene
        self.snap_to_grid = True
        """New and moved cards land on the grid."""
        self.interaction: Interaction | None = None
        """The gesture under way, if any."""
        self._view: QGraphicsView | None = None
        scene.installEventFilter(self)

    @property
    def undo_stack(self) -> QUndoStack:
        return self.document.undo_stack

    def attach_view(self, view: QGraphicsView) -> None:
        """Follow ``view``'s keys: arrows nudge the selection; losing the focus cancels a gesture."""
        if self._view is not None:
            self._view.removeEventFilter(self)
        self._view = view
        view.installEventFilter(self)

    # --- pushing commands ------------------------------------------------------------------------------

    def push(self, command: QUndoCommand) -> None:
        """Push any edit as it is (one undo step)."""
        self.undo_stack.push(command)

    def push_placing(self, command: WorkflowCommand) -> None:
        """Push an edit that places cards. In a file whose positions came from the import layout, the
        same undo step writes the shown position of every other card too, so the file keeps the
        arrangement the person arranged around (instead of being laid out afresh when reopened)."""
        moved = _moved_ids(command)
        unplaced: dict[str, tuple[Point | None, Point]] = {
            a.activity_id: (None, self.document.position_of(a))
            for a in self.workflow.activities
            if stored_position(a) is None and a.activity_id not in moved
        }
        if not unplaced:
            self.push(command)
            return
        self.push(
            MacroCommand(self.workflow, command.text(), [command, MoveCommand(self.workflow, unplaced)])
        )

    # --- activities and connections ----------------------------------------------------------------------

    def add_activity(
        self,
        type_name: str,
        position: QPointF,
        link: LinkRequest | None = None,
        splice: Connection | None = None,
    ) -> str:
        """Add a new activity (optionally connected from a port, or spliced into a wire) and select it."""
        if link is not None:
            top_left = self.snap(position - QPointF(0, card_height(("Done",)) / 2))
        else:
            top_left = self.snap(position - QPointF(CARD_WIDTH / 2, card_height(("Done",)) / 2))
        activity = new_activity(type_name, self.workflow, (top_left.x(), top_left.y()))
        connections = []
        if link is not None:
            connections.append(
                Connection(
                    source_activity_id=link.source_id,
                    target_activity_id=activity.activity_id,
                    outcome=link.outcome,
                )
            )
        add = AddActivitiesCommand(self.workflow, [activity], connections)
        if splice is None:
            self.push_placing(add)
        else:
            ports = outcome_ports(activity, self.workflow)
            exit_outcome = next((o for o in ports if o.lower() == "done"), "Done")
            splice_command = SpliceCommand(self.workflow, splice, activity.activity_id, exit_outcome)
            steps: list[WorkflowCommand] = [add, splice_command]
            room = self.room_for_splice(
                activity.activity_id, (top_left.x(), top_left.y()), splice, card_height(ports)
            )
            if room is not None:
                steps.append(room)
            self.push_placing(MacroCommand(self.workflow, f"Insert {activity.label}", steps))
        self.scene.select_activities({activity.activity_id})
        return activity.activity_id

    def drop_activity(self, type_name: str, position: QPointF) -> str:
        """A palette entry dropped at ``position``: onto a wire it is spliced in, elsewhere just added."""
        wire = self.scene.wire_at(position, self.wire_tolerance())
        return self.add_activity(type_name, position, splice=wire.connection if wire else None)

    def connect_activities(self, source_id: str, outcome: str, target_id: str) -> bool:
        """Connect unless the very same connection exists already; returns whether one was added."""
        for existing in self.workflow.outgoing(source_id):
            if (
                existing.target_activity_id == target_id
                and existing.effective_outcome.lower() == outcome.lower()
            ):
                return False
        connection = Connection(source_activity_id=source_id, target_activity_id=target_id, outcome=outcome)
        self.push(ConnectCommand(self.workflow, connection))
        return True

    def move_activities(self, positions: Mapping[str, Point], splice_into: Connection | None = None) -> bool:
        """Move activities to ``positions`` (one undo step); ``splice_into`` also inserts the one moved
        activity into that connection, in the same step. False when there is nothing to move."""
        moves: dict[str, tuple[Point | None, Point]] = {}
        for activity_id, position in positions.items():
            activity = self.workflow.activity(activity_id)
            if activity is not None:
                moves[activity_id] = (stored_position(activity), position)
        if not moves:
            return False
        move = MoveCommand(self.workflow, moves)
        if splice_into is None:
            self.push_placing(move)
            return True
        if len(moves) != 1:
            raise ValueError("only a single moved activity can be spliced into a connection")
        [activity_id] = moves
        splice = SpliceCommand(self.workflow, splice_into, activity_id, self.exit_outcome(activity_id))
        steps: list[WorkflowCommand] = [move, splice]
        room = self.room_for_splice(activity_id, moves[activity_id][1], splice_into)
        if room is not None:
            steps.append(room)
        self.push_placing(MacroCommand(self.workflow, splice.text(), steps))
        return True

    def move_items(
        self,
        card_positions: Mapping[str, Point],
        note_positions: Mapping[str, Point],
        splice_into: Connection | None = None,
    ) -> bool:
        """Move cards and notes together (one undo step); ``splice_into`` as in :meth:`move_activities`
        (cards only). False when nothing moves."""
        notes = self._notes_changed(
            {note_id: {"x": x, "y": y} for note_id, (x, y) in note_positions.items()}, "Move note"
        )
        if notes is None:
            return self.move_activities(card_positions, splice_into)
        if not card_positions:
            self.push(notes)
            return True
        moves: dict[str, tuple[Point | None, Point]] = {}
        for activity_id, position in card_positions.items():
            activity = self.workflow.activity(activity_id)
            if activity is not None:
                moves[activity_id] = (stored_position(activity), position)
        count = len(moves) + len(note_positions)
        steps: list[WorkflowCommand] = [MoveCommand(self.workflow, moves), notes]
        self.push_placing(MacroCommand(self.workflow, f"Move {count} items", steps))
        return True

    def room_for_splice(
        self, activity_id: str, position: Point, connection: Connection, height: float | None = None
    ) -> MoveCommand | None:
        """Make room for a card spliced into ``connection`` at ``position``: when it would sit on the
        connection's target or a card after it, every card downstream of the target shifts right (keeping
        its arrangement) until the spliced card clears them by :data:`SPLICE_GAP`. None: nothing moves."""
        x, y = position
        card = self.scene.cards.get(activity_id)
        if height is None:
            height = card.height if card is not None else card_height(("Done",))
        excluded = {activity_id, connection.source_activity_id}
        downstream = self._downstream(connection.target_activity_id, excluded)
        right = x + CARD_WIDTH + SPLICE_GAP
        shift = 0.0
        for other_id in downstream:
            other = self.workflow.activity(other_id)
            other_card = self.scene.cards.get(other_id)
            if other is None:
                continue
            ox, oy = self.document.position_of(other)
            other_height = other_card.height if other_card is not None else card_height(("Done",))
            overlaps_rows = oy < y + height + SPLICE_GAP / 2 and oy + other_height > y - SPLICE_GAP / 2
            if overlaps_rows and ox + CARD_WIDTH > x and ox < right:
                shift = max(shift, right - ox)
        if shift <= 0:
            return None
        shift = math.ceil(shift / GRID) * GRID
        moves: dict[str, tuple[Point | None, Point]] = {}
        for other_id in downstream:
            other = self.workflow.activity(other_id)
            if other is not None:
                ox, oy = self.document.position_of(other)
                moves[other_id] = (stored_position(other), (ox + shift, oy))
        return MoveCommand(self.workflow, moves, text="Make room")

    def _downstream(self, start: str, excluded: set[str]) -> list[str]:
        """``start`` and every activity reachable from it, in document order, without ``excluded``."""
        if start in excluded:
            return []
        seen = {start}
        pending = [start]
        while pending:
            for connection in self.workflow.outgoing(pending.pop()):
                target = connection.target_activity_id
                if target not in seen and target not in excluded:
                    seen.add(target)
                    pending.append(target)
        return [a.activity_id for a in self.workflow.activities if a.activity_id in seen]

    def nudge(self, dx: float, dy: float) -> bool:
        """Move the selection by a step; a run of nudges of the same cards (or of the same notes) is one
        undo step."""
        ids = self.scene.selected_activity_ids()
        note_ids = self.scene.selected_note_ids()
        if not ids and not note_ids:
            return False
        notes: WorkflowCommand | None = None
        if note_ids:
            session = ("nudge", frozenset(note_ids)) if not ids else None
            changes = {
                note.id: {"x": note.x + dx, "y": note.y + dy}
                for note in read_notes(self.workflow)
                if note.id in note_ids
            }
            notes = self._notes_changed(changes, "Move note", session)
            if not ids:
                if notes is not None:
                    self.push(notes)
                return notes is not None
        moves: dict[str, tuple[Point | None, Point]] = {}
        for activity_id in ids:
            activity = self.workflow.activity(activity_id)
            if activity is None:
                continue
            x, y = self.document.position_of(activity)
            moves[activity_id] = (stored_position(activity), (x + dx, y + dy))
        move = MoveCommand(self.workflow, moves, session=("nudge", frozenset(ids)))
        if notes is not None:
            self.push_placing(MacroCommand(self.workflow, move.text(), [move, notes]))
        else:
            self.push_placing(move)
        return True

    def auto_layout(self) -> bool:
        """Lay every card out left to right (one undo step); returns False when nothing moves."""
        positions = layered_positions(build_graph(self.workflow), self.scene.card_sizes())
        current = {a.activity_id: stored_position(a) for a in self.workflow.activities}
        command = layout_command(
            self.workflow, {k: (float(x), float(y)) for k, (x, y) in positions.items()}, current
        )
        if not command.moves:
            return False
        self.push(command)
        return True

    def delete_selection(self, text: str | None = None) -> bool:
        """Delete the selected activities (with their connections), the selected wires and the selected
        notes (one undo step)."""
        ids = self.scene.selected_activity_ids()
        connections = self.scene.selected_connections()
        note_ids = set(self.scene.selected_note_ids())
        if not ids and not connections and not note_ids:
            return False
        if not note_ids:
            self.push(DeleteCommand(self.workflow, ids, connections, text=text))
            return True
        self.finish_note_edit(keep=False)
        remaining = [note for note in read_notes(self.workflow) if note.id not in note_ids]
        count = len(note_ids)
        notes = notes_command(self.workflow, remaining, text or f"Delete {_notes_text(count)}")
        if not ids and not connections:
            self.push(notes)
            return True
        delete = DeleteCommand(self.workflow, ids, connections, text=text)
        self.push(MacroCommand(self.workflow, f"{delete.text()} and {_notes_text(count)}", [delete, notes]))
        return True

    # --- clipboard -------------------------------------------------------------------------------------

    def copy_selection(self) -> QMimeData | None:
        """The selection as an Elsa JSON fragment for the clipboard (None when nothing is selected)."""
        ids = self.scene.selected_activity_ids()
        return fragment_mime(self.workflow, ids) if ids else None

    def copy(self) -> bool:
        """Put the selection on the system clipboard; False when nothing is selected."""
        mime = self.copy_selection()
        if mime is None:
            return False
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def cut(self) -> bool:
        """Copy the selection to the system clipboard, then delete it (one undo step named "Cut")."""
        return self.copy() and self.delete_selection(text="Cut")

    def paste(self, mime: QMimeData | None, anchor: QPointF | None = None, text: str = "Paste") -> list[str]:
        """Add the fragment's activities (new ids; inner connections kept) and select them."""
        fragment = read_fragment(mime)
        if fragment is None:
            return []
        spot = (anchor.x(), anchor.y()) if anchor is not None else None
        pasted = prepare_paste(fragment, self.workflow, spot, self.document.fallback_positions)
        if spot is not None:
            for activity in pasted.activities:
                snapped = self.snap(QPointF(float(activity.x or 0), float(activity.y or 0)))
                activity.x, activity.y = round(snapped.x()), round(snapped.y())
        self.push_placing(
            AddActivitiesCommand(self.workflow, pasted.activities, pasted.connections, text=text)
        )
        ids = [activity.activity_id for activity in pasted.activities]
        self.scene.select_activities(ids)
        return ids

    def paste_clipboard(self, anchor: QPointF | None = None) -> list[str]:
        """Paste what the system clipboard holds (at ``anchor``, else offset from where it was copied)."""
        return self.paste(QGuiApplication.clipboard().mimeData(), anchor)

    def duplicate_selection(self) -> list[str]:
        """Paste a copy of the selection beside it (one undo step named "Duplicate")."""
        ids = self.scene.selected_activity_ids()
        if not ids:
            return []
        return self.paste(fragment_mime(self.workflow, ids), text="Duplicate")

    # --- fields --------------------------------------------------------------------------------------

    def set_property(
        self,
        activity_id: str,
        name: str,
        syntax: str | None,
        expressions: Mapping[str, str | None],
        session: object | None = None,
    ) -> None:
        """Set a property's syntax and expression texts; edits sharing ``session`` merge into one step."""
        self.push(SetPropertyCommand(self.workflow, activity_id, name, syntax, expressions, session))

    def set_activity_field(
        self, activity_id: str, field_name: str, value: Any, session: object | None = None
    ) -> None:
        """Rename an activity or change its display name or description."""
        self.push(SetActivityFieldCommand(self.workflow, activity_id, field_name, value, session))

    def set_workflow_field(self, field_name: str, value: Any, session: object | None = None) -> None:
        """Change a workflow setting (name, description, variables, singleton, persistence, tag...)."""
        self.push(SetWorkflowFieldCommand(self.workflow, field_name, value, session))

    def set_design_data(self, data: DesignData, text: str) -> None:
        """Store pins and the sample input in the workflow's ``customAttributes`` (undoable, saved with the
        file, kept by Elsa). Breakpoints are not design data: they are the document's, never an edit. The
        notes stay as they are (they change through the note methods)."""
        data = dataclasses.replace(data, notes=read_notes(self.workflow))
        command = SetWorkflowFieldCommand(
            self.workflow, "custom_attributes", custom_attributes_with(self.workflow, data)
        )
        command.setText(text)
        self.push(command)

    # --- notes ----------------------------------------------------------------------------------------

    def add_note(self, position: QPointF, text: str = "", color: str = NOTE_COLORS[0]) -> str:
        """Add a sticky note with its top-left corner at ``position`` (snapped) and select it."""
        corner = self.snap(position)
        note = Note(uuid.uuid4().hex, corner.x(), corner.y(), text=text, color=color)
        self.push(notes_command(self.workflow, [*read_notes(self.workflow), note], "Add note"))
        self.scene.select_items((), {note.id})
        return note.id

    def set_note_text(self, note_id: str, text: str) -> bool:
        """Rewrite a note's Markdown; False when nothing changes."""
        return self._push_notes({note_id: {"text": text}}, "Edit note")

    def set_note_color(self, note_ids: Iterable[str], color: str) -> bool:
        """Colour notes (one of :data:`runtime.design_data.NOTE_COLORS`); False when nothing changes."""
        if color not in NOTE_COLORS:
            raise ValueError(f"unknown note colour {color!r}; choose one of {', '.join(NOTE_COLORS)}")
        wanted = list(note_ids)
        text = f"Colour {_notes_text(len(wanted))} {color}"
        return self._push_notes(dict.fromkeys(wanted, {"color": color}), text)

    def resize_note(self, note_id: str, width: float, height: float) -> bool:
        """Give a note a new size (whole canvas units); False when nothing changes."""
        return self._push_notes({note_id: {"width": round(width), "height": round(height)}}, "Resize note")

    def edit_note(self, note_id: str) -> bool:
        """Open a note's text for editing on the canvas (Escape abandons it; leaving the field keeps it)."""
        item = self.scene.notes.get(note_id)
        if item is None:
            return False
        if item.is_editing:
            return True
        self.finish_note_edit()
        self.cancel_interaction()
        self.scene.select_items((), {note_id})
        if self._view is not None:
            self._view.setFocus()
        editor = item.start_editing()
        if not editor.property("flowdeskConnected"):
            editor.setProperty("flowdeskConnected", True)
            editor.finished.connect(lambda keep, note=item: self._note_edit_finished(note, keep))
        return True

    def finish_note_edit(self, keep: bool = True) -> None:
        """Close the note being edited, keeping its text (an undo step) unless ``keep`` is False."""
        item = self.scene.editing_note
        if item is not None:
            self._note_edit_finished(item, keep)

    def _note_edit_finished(self, item: NoteItem, keep: bool) -> None:
        if not item.is_editing:
            return
        text = item.stop_editing()
        if keep and item.note_id in self.scene.notes:
            self.set_note_text(item.note_id, text)
        if self._view is not None:
            self._view.setFocus()

    def _push_notes(self, changes: Mapping[str, Mapping[str, Any]], text: str) -> bool:
        command = self._notes_changed(changes, text)
        if command is None:
            return False
        self.push(command)
        return True

    def _notes_changed(
        self, changes: Mapping[str, Mapping[str, Any]], text: str, session: object | None = None
    ) -> WorkflowCommand | None:
        """The command giving notes these field values (None when none changes)."""
        notes = read_notes(self.workflow)
        updated = [
            dataclasses.replace(note, **changes[note.id]) if note.id in changes else note for note in notes
        ]
        if updated == notes:
            return None
        return notes_command(self.workflow, updated, text, session)

    # --- placing ---------------------------------------------------------------------------------------

    def snap(self, position: QPointF) -> QPointF:
        """Where a card placed at ``position`` lands: on the grid, or on whole pixels without snapping."""
        if not self.snap_to_grid:
            return QPointF(round(position.x()), round(position.y()))
        return QPointF(round(position.x() / GRID) * GRID, round(position.y() / GRID) * GRID)

    def exit_outcome(self, activity_id: str) -> str:
        """The outcome a spliced-in activity continues with: ``Done`` when it has it, else its first port."""
        card = self.scene.cards.get(activity_id)
        outcomes = card.content.outcomes if card is not None else ()
        return next((o for o in outcomes if o.lower() == "done"), outcomes[0] if outcomes else "Done")

    def wire_tolerance(self) -> float:
        """How near (scene units) a click must be to select a wire: :data:`HIT_PIXELS` on screen."""
        zoom = self._view.transform().m11() if self._view is not None else 1.0
        return HIT_PIXELS / max(zoom, 1e-3)

    def request_quick_add(self, position: QPointF, link: LinkRequest | None) -> None:
        """Ask the view to offer the quick-add list at ``position`` (connected from ``link``)."""
        self.quickAddRequested.emit(position, link)

    # --- gestures --------------------------------------------------------------------------------------

    def begin_interaction(self, interaction: Interaction, event: QGraphicsSceneMouseEvent) -> None:
        """Start a gesture (cancelling one still under way)."""
        if self.interaction is not None:
            self.interaction.cancel()
        self.interaction = interaction
        interaction.start(event)

    def end_interaction(self, interaction: Interaction) -> None:
        """A gesture is over (called by the gesture itself)."""
        if self.interaction is interaction:
            self.interaction = None

    def cancel_interaction(self) -> None:
        """Abandon the gesture under way, if any."""
        if self.interaction is not None:
            self.interaction.cancel()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.scene:
            if isinstance(event, QGraphicsSceneMouseEvent):
                return self._scene_mouse_event(event)
            if isinstance(event, QKeyEvent):
                return self._scene_key_event(event)
        elif watched is self._view:
            if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
                return self._nudge_key(event)
            if event.type() == QEvent.Type.FocusOut:
                self.cancel_interaction()
        return False

    def _scene_mouse_event(self, event: QGraphicsSceneMouseEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.GraphicsSceneMousePress:
            return self._mouse_press(event)
        if kind == QEvent.Type.GraphicsSceneMouseDoubleClick:
            return self._double_click(event)
        if kind == QEvent.Type.GraphicsSceneMouseMove and self.interaction is not None:
            self.interaction.mouse_move(event)
            event.accept()
            return True
        if (
            kind == QEvent.Type.GraphicsSceneMouseRelease
            and self.interaction is not None
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self.interaction.mouse_release(event)
            event.accept()
            return True
        return False

    def _in_edited_note(self, position: QPointF) -> bool:
        """Whether ``position`` is in the note being edited (its text field takes the mouse there)."""
        editing = self.scene.editing_note
        return editing is not None and editing.note_rect().contains(position)

    def _mouse_press(self, event: QGraphicsSceneMouseEvent) -> bool:
        """Choose the gesture a left press begins: a link from a port, a move of the selection (cards and
        notes), a click on a wire, a note's resize, or a rubber band on empty canvas. A right press only
        settles what the context menu is about."""
        if event.button() == Qt.MouseButton.RightButton:
            return self._context_press(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        position = event.scenePos()
        if self._in_edited_note(position):
            return False
        self.finish_note_edit()
        selecting = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        card = self.scene.card_at(position)
        if card is not None:
            outcome = card.port_at(position)
            if outcome is not None:
                self.begin_interaction(NewLinkInteraction(self, card, outcome), event)
            else:
                self.begin_interaction(MoveSelectionInteraction(self, card, event.modifiers()), event)
        elif (wire := self.scene.wire_at(position, self.wire_tolerance())) is not None:
            if event.modifiers() & selecting:
                wire.setSelected(not wire.isSelected())
            else:
                self.scene.clearSelection()
                wire.setSelected(True)
        elif (note := self.scene.note_at(position)) is not None:
            if note.grip_at(position) and not event.modifiers() & selecting:
                self.begin_interaction(NoteResizeInteraction(self, note), event)
            else:
                self.begin_interaction(MoveSelectionInteraction(self, note, event.modifiers()), event)
        else:
            self.begin_interaction(RubberBandInteraction(self, bool(event.modifiers() & selecting)), event)
        event.accept()
        return True

    def _context_press(self, event: QGraphicsSceneMouseEvent) -> bool:
        """Right press: the card, wire or note under it becomes the selection unless it is selected
        already (a menu on a selected card acts on the whole selection); on empty canvas the selection
        stays. The view then asks for the menu."""
        position = event.scenePos()
        if self._in_edited_note(position):
            return False
        self.cancel_interaction()
        self.finish_note_edit()
        item = (
            self.scene.card_at(position)
            or self.scene.wire_at(position, self.wire_tolerance())
            or self.scene.note_at(position)
        )
        if item is not None and not item.isSelected():
            if isinstance(item, NoteItem):
                self.scene.select_items((), {item.note_id})
            else:
                self.scene.clearSelection()
                item.setSelected(True)
        event.accept()
        return True

    def _double_click(self, event: QGraphicsSceneMouseEvent) -> bool:
        """A double-click on empty canvas offers quick-add there (as Node-RED and n8n do); on a note it
        opens its text; on a card it is the scene's (the inspector focuses on the activity)."""
        position = event.scenePos()
        if (
            event.button() != Qt.MouseButton.LeftButton
            or self._in_edited_note(position)
            or self.scene.card_at(position) is not None
            or self.scene.wire_at(position, self.wire_tolerance()) is not None
        ):
            return False
        self.cancel_interaction()
        note = self.scene.note_at(position)
        if note is not None:
            self.edit_note(note.note_id)
        else:
            self.request_quick_add(position, None)
        event.accept()
        return True

    def _scene_key_event(self, event: QKeyEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and self.interaction is not None
        ):
            self.interaction.cancel()
            event.accept()
            return True
        return False

    def _nudge_key(self, event: QKeyEvent) -> bool:
        step = NUDGE_KEYS.get(int(event.key()))
        if step is None or self.interaction is not None or self.scene.editing_note is not None:
            return False
        size = 1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else GRID
        if self.nudge(step[0] * size, step[1] * size):
            event.accept()
            return True
        return False


def _moved_ids(command: QUndoCommand) -> set[str]:
    """The activities a command (or any command in a macro) moves."""
    if isinstance(command, MoveCommand):
        return set(command.moves)
    if isinstance(command, MacroCommand):
        return set().union(*(_moved_ids(inner) for inner in command.commands))
    return set()


def _notes_text(count: int) -> str:
    return "note" if count == 1 else f"{count} notes"
