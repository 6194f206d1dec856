"""Mouse gestures on the canvas, one small object per gesture (as orange-canvas-core does).

The :class:`~designer.editing.editor.WorkflowEditor` starts an interaction on a mouse press in its scene and
hands it the following moves and the release; ``finish`` ends it, ``cancel`` (Escape, focus loss) undoes
its visual traces and leaves the model untouched. An interaction draws with the scene's items and edits
only through the editor, so a whole gesture is at most one undo command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsSceneMouseEvent

from designer.canvas.card import ActivityCard
from designer.canvas.note import NoteItem
from designer.canvas.quick_add import LinkRequest
from designer.canvas.wire import DraftWire, Wire
from designer.document import Point

if TYPE_CHECKING:
    from designer.editing.editor import WorkflowEditor


class Interaction:
    """Base of a gesture: it receives the scene's mouse events until it finishes or is cancelled."""

    def __init__(self, editor: WorkflowEditor) -> None:
        self.editor = editor
        self.scene = editor.scene

    def start(self, event: QGraphicsSceneMouseEvent) -> None:
        """Called with the press that began the gesture."""

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> None:
        """Called for every move while the gesture lasts."""

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> None:
        """Called with the release that ends the gesture."""
        self.finish()

    def cancel(self) -> None:
        """Abandon the gesture, leaving the model untouched."""
        self.finish()

    def finish(self) -> None:
        """Tell the editor the gesture is over."""
        self.editor.end_interaction(self)


class NewLinkInteraction(Interaction):
    """Drag from an outcome port: drop on a card to connect, on empty space to quick-add and connect."""

    def __init__(self, editor: WorkflowEditor, source: ActivityCard, outcome: str) -> None:
        super().__init__(editor)
        self.source = source
        self.outcome = outcome
        self.draft = DraftWire(source.output_anchor(outcome), self.scene.theme)

    def start(self, event: QGraphicsSceneMouseEvent) -> None:
        self.scene.addItem(self.draft)

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> None:
        target = self._target_at(event.scenePos())
        self.draft.set_end(target.input_anchor() if target is not None else event.scenePos())

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> None:
        position = event.scenePos()
        target = self._target_at(position)
        self._remove_draft()
        self.finish()
        if target is not None:
            self.editor.connect_activities(self.source.activity_id, self.outcome, target.activity_id)
        elif self.scene.card_at(position) is None:
            self.editor.request_quick_add(position, LinkRequest(self.source.activity_id, self.outcome))

    def cancel(self) -> None:
        self._remove_draft()
        self.finish()

    def _target_at(self, position: QPointF) -> ActivityCard | None:
        card = self.scene.card_at(position)
        return card if card is not None and card is not self.source else None

    def _remove_draft(self) -> None:
        if self.draft.scene() is not None:
            self.scene.removeItem(self.draft)


class RubberBandInteraction(Interaction):
    """Drag on empty canvas: select the cards the rectangle touches (Shift/Ctrl adds to the selection)."""

    def __init__(self, editor: WorkflowEditor, additive: bool) -> None:
        super().__init__(editor)
        self.additive = additive
        self.origin = QPointF()
        self.initial: set[str] = set()
        self.initial_notes: set[str] = set()
        color = QColor(self.scene.theme.rubber_band)
        fill = QColor(color)
        fill.setAlpha(40)
        self.band = QGraphicsRectItem()
        self.band.setPen(QPen(color, 0))
        self.band.setBrush(QBrush(fill))
        self.band.setZValue(20.0)

    def start(self, event: QGraphicsSceneMouseEvent) -> None:
        self.origin = event.scenePos()
        self.initial = set(self.scene.selected_activity_ids()) if self.additive else set()
        self.initial_notes = self.start_notes()
        if not self.additive:
            self.scene.clearSelection()
        self.band.setRect(QRectF(self.origin, self.origin))
        self.scene.addItem(self.band)

    def start_notes(self) -> set[str]:
        return set(self.scene.selected_note_ids()) if self.additive else set()

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> None:
        rect = QRectF(self.origin, event.scenePos()).normalized()
        self.band.setRect(rect)
        inside = {card.activity_id for card in self.scene.cards_in(rect)}
        notes = {note.note_id for note in self.scene.notes_in(rect)}
        self.scene.select_items(self.initial | inside, self.initial_notes | notes)

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> None:
        self._remove_band()
        self.finish()

    def cancel(self) -> None:
        self._remove_band()
        self.scene.select_items(self.initial, self.initial_notes)
        self.finish()

    def _remove_band(self) -> None:
        if self.band.scene() is not None:
            self.scene.removeItem(self.band)


class MoveSelectionInteraction(Interaction):
    """Press on a card or a note: click semantics for selection, then drag every selected card and note
    as ONE undo step.

    Dropping a lone, unconnected card onto a connection splices it in (same undo step).
    """

    def __init__(
        self, editor: WorkflowEditor, item: ActivityCard | NoteItem, modifiers: Qt.KeyboardModifier
    ) -> None:
        super().__init__(editor)
        self.item = item
        self.card = item if isinstance(item, ActivityCard) else None
        """The pressed card (None when a note was pressed)."""
        self.modifiers = modifiers
        self.press = QPointF()
        self.moving = False
        self.starts: dict[str, QPointF] = {}
        """Where each selected card was (by activity id)."""
        self.note_starts: dict[str, QPointF] = {}
        """Where each selected note was (by note id)."""
        self.splice_target: Wire | None = None

    def _select_only_pressed(self) -> None:
        if isinstance(self.item, ActivityCard):
            self.scene.select_activities({self.item.activity_id})
        else:
            self.scene.select_items((), {self.item.note_id})

    def start(self, event: QGraphicsSceneMouseEvent) -> None:
        self.press = event.scenePos()
        toggle = bool(self.modifiers & Qt.KeyboardModifier.ControlModifier)
        extend = bool(self.modifiers & Qt.KeyboardModifier.ShiftModifier)
        if toggle:
            self.item.setSelected(not self.item.isSelected())
        elif extend:
            self.item.setSelected(True)
        elif not self.item.isSelected():
            self._select_only_pressed()
        if self.item.isSelected():
            self.starts = {card.activity_id: card.pos() for card in self.scene.selected_cards()}
            self.note_starts = {note.note_id: note.pos() for note in self.scene.selected_notes()}

    def _anchor(self) -> QPointF:
        if isinstance(self.item, ActivityCard):
            return self.starts.get(self.item.activity_id, QPointF())
        return self.note_starts.get(self.item.note_id, QPointF())

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.starts and not self.note_starts:
            return
        delta = event.scenePos() - self.press
        if not self.moving:
            if delta.manhattanLength() < QApplication.startDragDistance():
                return
            self.moving = True
        anchor = self._anchor()
        snapped = self.editor.snap(anchor + delta) - anchor
        for activity_id, start in self.starts.items():
            self.scene.move_card(self.scene.cards[activity_id], start + snapped)
        for note_id, start in self.note_starts.items():
            self.scene.notes[note_id].move_to(start + snapped)
        self._track_splice_target()

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> None:
        target = self.splice_target
        self._highlight(None)
        self.finish()
        if not self.moving:
            plain = not (
                self.modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
            )
            if plain:
                self._select_only_pressed()
            return
        self._commit(target)

    def cancel(self) -> None:
        self._highlight(None)
        for activity_id, start in self.starts.items():
            card = self.scene.cards.get(activity_id)
            if card is not None:
                self.scene.move_card(card, start)
        for note_id, start in self.note_starts.items():
            note = self.scene.notes.get(note_id)
            if note is not None:
                note.move_to(start)
        self.finish()

    def _commit(self, target: Wire | None) -> None:
        positions: dict[str, Point] = {}
        for activity_id, start in self.starts.items():
            position = self.scene.cards[activity_id].pos()
            if position != start:
                positions[activity_id] = (position.x(), position.y())
        notes: dict[str, Point] = {}
        for note_id, start in self.note_starts.items():
            position = self.scene.notes[note_id].pos()
            if position != start:
                notes[note_id] = (position.x(), position.y())
        if positions or notes:
            self.editor.move_items(positions, notes, splice_into=target.connection if target else None)

    def _track_splice_target(self) -> None:
        card = self.card
        if card is None or len(self.starts) != 1 or self.note_starts or card.attached_wires():
            return
        self._highlight(self.scene.wire_under_card(card))

    def _highlight(self, wire: Wire | None) -> None:
        if wire is self.splice_target:
            return
        if self.splice_target is not None:
            self.splice_target.set_highlighted(False)
        self.splice_target = wire
        if wire is not None:
            wire.set_highlighted(True)


class NoteResizeInteraction(Interaction):
    """Drag a note's bottom-right grip: the note follows the mouse, the new size is one undo step."""

    def __init__(self, editor: WorkflowEditor, note: NoteItem) -> None:
        super().__init__(editor)
        self.note = note
        self.start_size = note.size
        self.press = QPointF()

    def start(self, event: QGraphicsSceneMouseEvent) -> None:
        self.press = event.scenePos()
        self.scene.select_items((), {self.note.note_id})

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> None:
        delta = event.scenePos() - self.press
        width, height = self.start_size
        corner = self.editor.snap(self.note.pos() + QPointF(width + delta.x(), height + delta.y()))
        self.note.set_size(corner.x() - self.note.pos().x(), corner.y() - self.note.pos().y())

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> None:
        self.finish()
        width, height = self.note.size
        if (width, height) != self.start_size:
            self.editor.resize_note(self.note.note_id, width, height)

    def cancel(self) -> None:
        self.note.set_size(*self.start_size)
        self.finish()
