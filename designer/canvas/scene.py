"""The canvas scene: a view of one workflow model, kept in step by the model's change events.

The scene builds a card per activity, a wire per connection and a note per sticky note of the workflow's
design data when it opens, then only reacts to model events (so undo, redo, the inspector and the canvas
can never disagree). It draws and answers questions (what is at a point, what is selected); it never edits:
the document's
:class:`~designer.editing.editor.WorkflowEditor` runs the gestures and pushes the undo commands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import networkx as nx
import shiboken6
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QToolTip,
)

from designer.canvas.card import ActivityCard, CardProblem
from designer.canvas.card_info import card_content
from designer.canvas.layout import layered_positions
from designer.canvas.note import NoteItem
from designer.canvas.overview import Overview
from designer.canvas.port import CARD_WIDTH, card_height
from designer.canvas.wire import Wire
from designer.document import Document, stored_position
from designer.theme import Theme
from runtime.catalog import get_descriptor
from runtime.design_data import read_notes
from runtime.graph import build_graph, start_activity_ids
from runtime.model import Activity, Connection, ModelEvent, ModelEventKind, WorkflowDefinition

SEVERITY_RANK = {"error": 2, "warning": 1}


class WorkflowScene(QGraphicsScene):
    """Cards, wires and sticky notes for one document."""

    activityActivated = Signal(str)
    """A card was double-clicked: the inspector should focus on it."""

    def __init__(self, document: Document, theme: Theme, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.workflow: WorkflowDefinition = document.workflow
        self.theme = theme
        self.cards: dict[str, ActivityCard] = {}
        self.wires: dict[int, Wire] = {}
        self.notes: dict[str, NoteItem] = {}
        """The sticky notes by id, in the design data's order."""
        self.overview_on = False
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setBackgroundBrush(theme.color("canvas"))
        place_unpositioned(document)
        self._build()
        self.overview = Overview(self)
        self.addItem(self.overview)
        self.selectionChanged.connect(self._selection_changed)
        self._unsubscribe = self.workflow.subscribe(self._on_model_event)
        unsubscribe = self._unsubscribe
        self.destroyed.connect(lambda *_: unsubscribe())

    def detach(self) -> None:
        """Stop following the model (the document's tab is closing)."""
        self._unsubscribe()

    # --- building and model events -----------------------------------------------------------------

    def _build(self) -> None:
        connected: dict[str, list[str]] = defaultdict(list)
        for connection in self.workflow.connections:
            connected[connection.source_activity_id].append(connection.effective_outcome)
        for activity in self.workflow.activities:
            self._add_card(activity, connected.get(activity.activity_id, []))
        for connection in self.workflow.connections:
            self._add_wire(connection)
        self._sync_notes()

    def _sync_notes(self) -> None:
        """Make the notes match the design data (added, removed, moved, resized, recoloured, rewritten)."""
        notes = read_notes(self.workflow)
        wanted = {note.id for note in notes}
        for note_id in [key for key in self.notes if key not in wanted]:
            self.removeItem(self.notes.pop(note_id))
        for note in notes:
            item = self.notes.get(note.id)
            if item is None:
                item = self.notes[note.id] = NoteItem(note, self.theme)
                self.addItem(item)
            elif item.note != note:
                item.set_note(note)
        self.notes = {note.id: self.notes[note.id] for note in notes}

    def _add_card(self, activity: Activity, connected: list[str] | None = None) -> ActivityCard:
        content = card_content(activity, self.workflow, connected)
        card = ActivityCard(activity.activity_id, content, self.theme)
        card.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, self.overview_on)
        card.setPos(QPointF(*self.document.position_of(activity)))
        self.addItem(card)
        self.cards[activity.activity_id] = card
        return card

    def _add_wire(self, connection: Connection) -> Wire | None:
        source = self.cards.get(connection.source_activity_id)
        target = self.cards.get(connection.target_activity_id)
        if source is None or target is None:
            return None
        wire = Wire(connection, source, target, self.theme)
        wire.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, self.overview_on)
        source.outgoing.append(wire)
        target.incoming.append(wire)
        self.addItem(wire)
        self.wires[id(connection)] = wire
        source.update()
        target.update()
        return wire

    def _remove_wire(self, connection: Connection) -> None:
        wire = self.wires.pop(id(connection), None)
        if wire is None:
            return
        if wire in wire.source.outgoing:
            wire.source.outgoing.remove(wire)
        if wire in wire.target.incoming:
            wire.target.incoming.remove(wire)
        self.removeItem(wire)
        wire.source.update()
        wire.target.update()

    def _on_model_event(self, event: ModelEvent) -> None:
        self.overview.invalidate()
        kind = event.kind
        if kind is ModelEventKind.ACTIVITY_ADDED:
            activity = self.workflow.activity(event.activity_id or "")
            if activity is not None:
                self._add_card(activity)
        elif kind is ModelEventKind.ACTIVITY_REMOVED:
            card = self.cards.pop(event.activity_id or "", None)
            if card is not None:
                for wire in card.attached_wires():
                    self._remove_wire(wire.connection)
                self.removeItem(card)
        elif kind is ModelEventKind.CONNECTION_ADDED and event.connection is not None:
            self._add_wire(event.connection)
            self.refresh_card(event.connection.source_activity_id)
        elif kind is ModelEventKind.CONNECTION_REMOVED and event.connection is not None:
            self._remove_wire(event.connection)
            self.refresh_card(event.connection.source_activity_id)
        elif kind is ModelEventKind.ACTIVITY_MOVED or (
            kind is ModelEventKind.ACTIVITY_CHANGED and event.detail.get("field") in ("x", "y")
        ):
            self._place_card(event.activity_id)
        elif kind in (ModelEventKind.ACTIVITY_CHANGED, ModelEventKind.PROPERTY_CHANGED):
            self.refresh_card(event.activity_id)
        elif kind is ModelEventKind.WORKFLOW_CHANGED and event.detail.get("field") == "custom_attributes":
            self._sync_notes()

    def _place_card(self, activity_id: str | None) -> None:
        card = self.cards.get(activity_id or "")
        activity = self.workflow.activity(activity_id or "")
        if card is not None and activity is not None:
            self.move_card(card, QPointF(*self.document.position_of(activity)))

    def _selection_changed(self) -> None:
        # also emitted while the scene is being destroyed, after its items are gone
        if self.overview_on and shiboken6.isValid(self.overview):
            self.overview.invalidate()

    def move_card(self, card: ActivityCard, position: QPointF) -> None:
        """Move a card's view (its wires follow); the model is only changed by commands."""
        card.move_to(position)
        if self.overview_on:
            self.overview.invalidate()

    def set_overview(self, on: bool) -> None:
        """Far zoom: draw everything through the batched :class:`Overview` instead of item by item."""
        if on == self.overview_on:
            return
        self.overview_on = on
        flag = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        for card in self.cards.values():
            card.setFlag(flag, on)
        for wire in self.wires.values():
            wire.setFlag(flag, on)
        self.overview.setVisible(on)
        self.overview.invalidate()
        self.update()

    def refresh_card(self, activity_id: str | None) -> None:
        """Re-read a card's content (title, summary, ports) from the model; re-anchor its wires."""
        card = self.cards.get(activity_id or "")
        activity = self.workflow.activity(activity_id or "")
        if card is None or activity is None:
            return
        if card.set_content(card_content(activity, self.workflow)):
            card.update_wires()

    # --- look ---------------------------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setBackgroundBrush(theme.color("canvas"))
        self.overview.invalidate()
        for card in self.cards.values():
            card.set_theme(theme)
        for wire in self.wires.values():
            wire.set_theme(theme)
        for note in self.notes.values():
            note.set_theme(theme)

    def set_problems(self, problems: Iterable) -> None:
        """Show validation problems as card badges (worst severity; every message in the tooltip)."""
        by_activity: dict[str, list] = defaultdict(list)
        for problem in problems:
            if problem.activity_id:
                by_activity[problem.activity_id].append(problem)
        for activity_id, card in self.cards.items():
            found = by_activity.get(activity_id)
            if not found:
                card.set_problem(None)
                continue
            worst = max(found, key=lambda p: SEVERITY_RANK.get(p.severity, 0))
            message = "\n".join(f"{p.severity}: {p.message}" for p in found)
            card.set_problem(CardProblem(worst.severity, message))
        self.overview.invalidate()

    # --- queries ------------------------------------------------------------------------------------

    def card_at(self, position: QPointF) -> ActivityCard | None:
        for item in self.items(
            position, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder
        ):
            if isinstance(item, ActivityCard):
                return item
        return None

    def wire_at(self, position: QPointF, tolerance: float = 0.0) -> Wire | None:
        """The wire at ``position``; with a ``tolerance`` (scene units), the nearest wire within it."""
        if tolerance <= 0:
            for item in self.items(
                position, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder
            ):
                if isinstance(item, Wire):
                    return item
            return None
        area = QRectF(position.x() - tolerance, position.y() - tolerance, 2 * tolerance, 2 * tolerance)
        nearest: tuple[float, Wire] | None = None
        for item in self.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(item, Wire):
                distance = item.distance_to(position)
                if distance <= tolerance and (nearest is None or distance < nearest[0]):
                    nearest = (distance, item)
        return nearest[1] if nearest is not None else None

    def cards_in(self, rect: QRectF) -> list[ActivityCard]:
        found = self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        return [item for item in found if isinstance(item, ActivityCard)]

    def note_at(self, position: QPointF) -> NoteItem | None:
        """The topmost note under ``position`` (cards and wires lie above notes: ask them first)."""
        shape = Qt.ItemSelectionMode.IntersectsItemShape
        for item in self.items(position, shape, Qt.SortOrder.DescendingOrder):
            if isinstance(item, NoteItem):
                return item
        return None

    def notes_in(self, rect: QRectF) -> list[NoteItem]:
        """The notes wholly inside ``rect`` (a band across a big note behind cards leaves it alone)."""
        found = self.items(rect, Qt.ItemSelectionMode.ContainsItemShape)
        return [item for item in found if isinstance(item, NoteItem)]

    def selected_notes(self) -> list[NoteItem]:
        return [item for item in self.selectedItems() if isinstance(item, NoteItem)]

    def selected_note_ids(self) -> list[str]:
        """Selected notes in the design data's order."""
        selected = {item.note_id for item in self.selected_notes()}
        return [note_id for note_id in self.notes if note_id in selected]

    @property
    def editing_note(self) -> NoteItem | None:
        """The note whose text is being edited, if any."""
        return next((note for note in self.notes.values() if note.is_editing), None)

    def wire_under_card(self, card: ActivityCard) -> Wire | None:
        """The wire a dragged card would splice into: the one nearest the card's centre under its body."""
        rect = card.card_rect()
        center = rect.center()
        candidates = [
            item
            for item in self.items(rect, Qt.ItemSelectionMode.IntersectsItemShape)
            if isinstance(item, Wire) and card not in (item.source, item.target)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda wire: wire.distance_hint(center))

    def selected_cards(self) -> list[ActivityCard]:
        return [item for item in self.selectedItems() if isinstance(item, ActivityCard)]

    def selected_activity_ids(self) -> list[str]:
        """Selected activities in document order (so copy and delete are deterministic)."""
        selected = {card.activity_id for card in self.selected_cards()}
        return [a.activity_id for a in self.workflow.activities if a.activity_id in selected]

    def selected_connections(self) -> list[Connection]:
        return [item.connection for item in self.selectedItems() if isinstance(item, Wire)]

    def select_activities(self, activity_ids: Iterable[str]) -> None:
        """Replace the selection with these cards, emitting ``selectionChanged`` once."""
        self.select_items(activity_ids, ())

    def select_items(self, activity_ids: Iterable[str], note_ids: Iterable[str]) -> None:
        """Replace the selection with these cards and notes, emitting ``selectionChanged`` once."""
        cards, notes = set(activity_ids), set(note_ids)
        blocked = self.blockSignals(True)
        try:
            for item in self.selectedItems():
                keep = (isinstance(item, ActivityCard) and item.activity_id in cards) or (
                    isinstance(item, NoteItem) and item.note_id in notes
                )
                if not keep:
                    item.setSelected(False)
            wanted: list[QGraphicsItem | None] = [self.cards.get(i) for i in cards]
            wanted += [self.notes.get(i) for i in notes]
            for chosen in wanted:
                if chosen is not None and not chosen.isSelected():
                    chosen.setSelected(True)
        finally:
            self.blockSignals(blocked)
        self.selectionChanged.emit()

    def select_all(self) -> None:
        """Select every card and note."""
        self.select_items(self.cards, self.notes)

    def start_cards(self) -> list[ActivityCard]:
        """The cards of the activities a run may start at: the first start activity (Elsa 2 starts there),
        then the triggers with no inbound connection."""
        starts = start_activity_ids(self.workflow)
        cards = [self.cards[starts[0]]] if starts and starts[0] in self.cards else []
        for activity_id in starts[1:]:
            activity = self.workflow.activity(activity_id)
            descriptor = get_descriptor(activity.type) if activity is not None else None
            if descriptor is not None and descriptor.is_trigger and activity_id in self.cards:
                cards.append(self.cards[activity_id])
        return cards

    def cards_rect(self, cards: Sequence[ActivityCard] | None = None) -> QRectF:
        chosen = list(self.cards.values()) if cards is None else list(cards)
        rect = QRectF()
        for card in chosen:
            rect = rect.united(card.sceneBoundingRect())
        return rect

    def drawing_rect(self) -> QRectF:
        """Everything drawn: the cards and the notes."""
        rect = self.cards_rect()
        for note in self.notes.values():
            rect = rect.united(note.sceneBoundingRect())
        return rect

    def card_sizes(self) -> dict[str, tuple[float, float]]:
        """Each card's size, for layouts."""
        return {activity_id: (CARD_WIDTH, card.height) for activity_id, card in self.cards.items()}

    # --- events ----------------------------------------------------------------------------------------

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt API)
        card = self.card_at(event.scenePos())
        if card is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select_activities({card.activity_id})
            self.activityActivated.emit(card.activity_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:  # noqa: N802 (Qt API)
        """Card tooltips are built on demand (thousands of cards never pay for text nobody reads)."""
        card = self.card_at(event.scenePos())
        if card is None:
            QToolTip.hideText()
            event.ignore()
            return
        QToolTip.showText(event.screenPos(), card.tooltip_text())
        event.accept()


def place_unpositioned(document: Document) -> None:
    """Auto-layout, for display only, the activities a file gives no position (the file is not changed).

    A file without any position is laid out whole; otherwise the unpositioned activities are laid out
    among themselves below the positioned ones.
    """
    workflow = document.workflow
    missing = [a for a in workflow.activities if stored_position(a) is None]
    if not missing:
        document.set_fallback_positions({})
        return
    missing_ids = {a.activity_id for a in missing}
    full = build_graph(workflow)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_nodes_from(a.activity_id for a in missing)
    graph.add_edges_from(
        (u, v, k) for u, v, k in full.edges(keys=True) if u in missing_ids and v in missing_ids
    )
    connected: dict[str, list[str]] = defaultdict(list)
    for connection in workflow.connections:
        connected[connection.source_activity_id].append(connection.effective_outcome)
    sizes = {
        a.activity_id: (CARD_WIDTH, card_height(card_content(a, workflow, connected[a.activity_id]).outcomes))
        for a in missing
    }
    placed = [position for a in workflow.activities if (position := stored_position(a)) is not None]
    origin = (0.0, 0.0)
    if placed:
        left = min(x for x, _ in placed)
        bottom = max(y for _, y in placed) + 200
        origin = (left, bottom)
    positions = layered_positions(graph, sizes, origin)
    document.set_fallback_positions({key: (float(x), float(y)) for key, (x, y) in positions.items()})
