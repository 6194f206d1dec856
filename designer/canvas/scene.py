"""The canvas scene: a view of one workflow model, kept in step by the model's change events.

The scene builds a card per activity and a wire per connection when it opens, then only reacts to model
events (so undo, redo, the inspector and the canvas can never disagree). Gestures are
:mod:`designer.canvas.interactions` objects; every edit is a command pushed on the document's undo stack.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import networkx as nx
import shiboken6
from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoCommand
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QToolTip,
)

from designer.canvas.card import ActivityCard, CardProblem
from designer.canvas.card_info import card_content
from designer.canvas.clipboard import fragment_mime, prepare_paste, read_fragment
from designer.canvas.commands import (
    AddActivitiesCommand,
    ConnectCommand,
    DeleteCommand,
    MacroCommand,
    MoveCommand,
    SpliceCommand,
    WorkflowCommand,
    layout_command,
    stored_position,
)
from designer.canvas.factory import new_activity
from designer.canvas.interactions import (
    Interaction,
    LinkRequest,
    MoveSelectionInteraction,
    NewLinkInteraction,
    RubberBandInteraction,
)
from designer.canvas.layout import GRID, layered_positions
from designer.canvas.overview import Overview
from designer.canvas.port import CARD_WIDTH, card_height
from designer.canvas.wire import Wire
from designer.document import Document
from designer.theme import Theme
from runtime.catalog import outcome_ports
from runtime.graph import build_graph
from runtime.model import Activity, Connection, ModelEvent, WorkflowDefinition

SEVERITY_RANK = {"error": 2, "warning": 1}


class WorkflowScene(QGraphicsScene):
    """Cards and wires for one document."""

    activityActivated = Signal(str)
    """A card was double-clicked: the inspector should focus on it."""
    quickAddRequested = Signal(QPointF, object)
    """Quick-add at a scene position; the object is a LinkRequest (connect the new activity) or None."""

    def __init__(self, document: Document, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.workflow: WorkflowDefinition = document.workflow
        self.theme = theme
        self.snap_to_grid = True
        self.cards: dict[str, ActivityCard] = {}
        self.wires: dict[int, Wire] = {}
        self.interaction: Interaction | None = None
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
        if kind == "activity_added":
            activity = self.workflow.activity(event.activity_id)
            if activity is not None:
                self._add_card(activity)
        elif kind == "activity_removed":
            card = self.cards.pop(event.activity_id, None)
            if card is not None:
                for wire in card.attached_wires():
                    self._remove_wire(wire.connection)
                self.removeItem(card)
        elif kind == "connection_added" and event.connection is not None:
            self._add_wire(event.connection)
            self.refresh_card(event.connection.source_activity_id)
        elif kind == "connection_removed" and event.connection is not None:
            self._remove_wire(event.connection)
            self.refresh_card(event.connection.source_activity_id)
        elif kind == "activity_moved" or (
            kind == "activity_changed" and event.detail.get("field") in ("x", "y")
        ):
            self._place_card(event.activity_id)
        elif kind in ("activity_changed", "property_changed"):
            self.refresh_card(event.activity_id)

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

    def wire_at(self, position: QPointF) -> Wire | None:
        for item in self.items(
            position, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder
        ):
            if isinstance(item, Wire):
                return item
        return None

    def cards_in(self, rect: QRectF) -> list[ActivityCard]:
        found = self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        return [item for item in found if isinstance(item, ActivityCard)]

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
        """Replace the selection, emitting ``selectionChanged`` once."""
        wanted = set(activity_ids)
        blocked = self.blockSignals(True)
        try:
            for item in self.selectedItems():
                if not isinstance(item, ActivityCard) or item.activity_id not in wanted:
                    item.setSelected(False)
            for activity_id in wanted:
                card = self.cards.get(activity_id)
                if card is not None and not card.isSelected():
                    card.setSelected(True)
        finally:
            self.blockSignals(blocked)
        self.selectionChanged.emit()

    def select_all(self) -> None:
        self.select_activities(self.cards)

    def cards_rect(self, cards: Sequence[ActivityCard] | None = None) -> QRectF:
        chosen = list(self.cards.values()) if cards is None else list(cards)
        rect = QRectF()
        for card in chosen:
            rect = rect.united(card.sceneBoundingRect())
        return rect

    def snap(self, position: QPointF) -> QPointF:
        if not self.snap_to_grid:
            return QPointF(round(position.x()), round(position.y()))
        return QPointF(round(position.x() / GRID) * GRID, round(position.y() / GRID) * GRID)

    def exit_outcome(self, card: ActivityCard) -> str:
        """The outcome a spliced-in card continues with: ``Done`` when it has it, else its first port."""
        outcomes = card.content.outcomes
        return next((o for o in outcomes if o.lower() == "done"), outcomes[0] if outcomes else "Done")

    # --- edits (each one undo command) --------------------------------------------------------------

    def push(self, command: QUndoCommand) -> None:
        self.document.undo_stack.push(command)

    def push_placing(self, command: WorkflowCommand) -> None:
        """Push an edit that places cards. In a file whose positions came from the import layout, the
        same undo step writes the shown position of every other card too, so the file keeps the
        arrangement the person arranged around (instead of being laid out afresh when reopened)."""
        moved = set(command.moves) if isinstance(command, MoveCommand) else set()
        unplaced = {
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
            exit_outcome = next(
                (o for o in outcome_ports(activity, self.workflow) if o.lower() == "done"), "Done"
            )
            splice_command = SpliceCommand(self.workflow, splice, activity.activity_id, exit_outcome)
            self.push_placing(MacroCommand(self.workflow, f"Insert {activity.label}", [add, splice_command]))
        self.select_activities({activity.activity_id})
        return activity.activity_id

    def copy_selection(self) -> QMimeData | None:
        """The selection as an Elsa JSON fragment for the clipboard (None when nothing is selected)."""
        ids = self.selected_activity_ids()
        return fragment_mime(self.workflow, ids) if ids else None

    def paste(self, mime: QMimeData | None, anchor: QPointF | None = None, text: str = "Paste") -> list[str]:
        """Add the clipboard's activities (new ids; inner connections kept) and select them."""
        fragment = read_fragment(mime)
        if fragment is None:
            return []
        spot = (anchor.x(), anchor.y()) if anchor is not None else None
        pasted = prepare_paste(fragment, self.workflow, spot, self.document.fallback_positions)
        if spot is not None:
            for activity in pasted.activities:
                snapped = self.snap(QPointF(activity.x, activity.y))
                activity.x, activity.y = round(snapped.x()), round(snapped.y())
        self.push_placing(
            AddActivitiesCommand(self.workflow, pasted.activities, pasted.connections, text=text)
        )
        ids = [activity.activity_id for activity in pasted.activities]
        self.select_activities(ids)
        return ids

    def duplicate_selection(self) -> list[str]:
        ids = self.selected_activity_ids()
        if not ids:
            return []
        return self.paste(fragment_mime(self.workflow, ids), text="Duplicate")

    def delete_selection(self, text: str | None = None) -> bool:
        ids = self.selected_activity_ids()
        connections = self.selected_connections()
        if not ids and not connections:
            return False
        self.push(DeleteCommand(self.workflow, ids, connections, text=text))
        return True

    def nudge(self, dx: float, dy: float) -> bool:
        """Move the selection by a step; a run of nudges of the same cards is one undo step."""
        ids = self.selected_activity_ids()
        if not ids:
            return False
        moves = {}
        for activity_id in ids:
            activity = self.workflow.activity(activity_id)
            x, y = self.document.position_of(activity)
            moves[activity_id] = (stored_position(activity), (x + dx, y + dy))
        self.push_placing(MoveCommand(self.workflow, moves, session=("nudge", frozenset(ids))))
        return True

    def auto_layout(self) -> bool:
        """Lay every card out left to right (one undo step); returns False when nothing moves."""
        positions = layered_positions(build_graph(self.workflow), self.card_sizes())
        current = {a.activity_id: stored_position(a) for a in self.workflow.activities}
        command = layout_command(
            self.workflow, {k: (float(x), float(y)) for k, (x, y) in positions.items()}, current
        )
        if not command.moves:
            return False
        self.push(command)
        return True

    def card_sizes(self) -> dict[str, tuple[float, float]]:
        return {activity_id: (CARD_WIDTH, card.height) for activity_id, card in self.cards.items()}

    def request_quick_add(self, position: QPointF, link: LinkRequest | None) -> None:
        self.quickAddRequested.emit(position, link)

    # --- interactions --------------------------------------------------------------------------------

    def begin_interaction(self, interaction: Interaction, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            self.interaction.cancel()
        self.interaction = interaction
        interaction.start(event)

    def end_interaction(self, interaction: Interaction) -> None:
        if self.interaction is interaction:
            self.interaction = None

    def cancel_interaction(self) -> None:
        if self.interaction is not None:
            self.interaction.cancel()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        position = event.scenePos()
        card = self.card_at(position)
        if card is not None:
            outcome = card.port_at(position)
            if outcome is not None:
                self.begin_interaction(NewLinkInteraction(self, card, outcome), event)
            else:
                self.begin_interaction(MoveSelectionInteraction(self, card, event.modifiers()), event)
            event.accept()
            return
        wire = self.wire_at(position)
        if wire is not None:
            if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
                wire.setSelected(not wire.isSelected())
            else:
                self.clearSelection()
                wire.setSelected(True)
            event.accept()
            return
        additive = bool(
            event.modifiers() & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
        )
        self.begin_interaction(RubberBandInteraction(self, additive), event)
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self.interaction is not None:
            self.interaction.mouse_move(event)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self.interaction is not None and event.button() == Qt.MouseButton.LeftButton:
            self.interaction.mouse_release(event)
            event.accept()
            return
        super().mouseReleaseEvent(event)

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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape and self.interaction is not None:
            self.interaction.cancel()
            event.accept()
            return
        super().keyPressEvent(event)


def place_unpositioned(document: Document) -> None:
    """Auto-layout, for display only, the activities a file gives no position (the file is not changed).

    A file without any position is laid out whole; otherwise the unpositioned activities are laid out
    among themselves below the positioned ones.
    """
    workflow = document.workflow
    missing = [a for a in workflow.activities if a.x is None or a.y is None]
    if not missing:
        document.set_fallback_positions({})
        return
    missing_ids = {a.activity_id for a in missing}
    full = build_graph(workflow)
    graph = nx.MultiDiGraph()
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
    placed = [a for a in workflow.activities if a.activity_id not in missing_ids]
    origin = (0.0, 0.0)
    if placed:
        left = min(float(a.x) for a in placed)
        bottom = max(float(a.y) for a in placed) + 200
        origin = (left, bottom)
    positions = layered_positions(graph, sizes, origin)
    document.set_fallback_positions({key: (float(x), float(y)) for key, (x, y) in positions.items()})
