"""The run overlay drawn over a workflow's cards and wires.

Per card, a child item draws what the last run did there (a ring: executing, done, faulted, stopped; the
visit count; the fault under the card), the document's breakpoints (a dot) and the pins kept with the
workflow (a "pinned" tag), plus the "paused here" marker of a debug session. Taken connections are drawn
by their wires in the "taken" colour. Cards and wires stay views of the model: the overlay only adds drawings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from designer.canvas.card import SIMPLE_LOD, ActivityCard, CardFonts
from designer.canvas.port import CARD_WIDTH
from designer.canvas.run_colors import run_color
from designer.canvas.run_trace import ActivityTrace, RunStatus, RunTrace
from runtime.design_data import read_design_data
from runtime.model import ModelEvent, ModelEventKind

if TYPE_CHECKING:
    from designer.canvas.scene import WorkflowScene

RING_GAP = 3.0
TAG_HEIGHT = 16.0
NOTE_GAP = 6.0
NOTE_WIDTH = CARD_WIDTH + 40.0
NOTE_LINES = 3
BREAKPOINT_RADIUS = 6.0
BREAKPOINT_CENTER = QPointF(-BREAKPOINT_RADIUS - 8, 8)
"""Left of the card's top corner, clear of the paused ring and of the input port below it."""
CARD_Z = 1.0
RAISED_CARD_Z = 2.0
"""A card showing a fault note is raised so the note is not hidden under a neighbouring card."""


class CardOverlay(QGraphicsItem):
    """What the run and the design data say about one card (a child of the card, so it follows it)."""

    def __init__(self, card: ActivityCard) -> None:
        super().__init__(card)
        self.card = card
        self.trace: ActivityTrace | None = None
        self.breakpoint = False
        self.pinned = False
        self.paused = False
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self._note_lines: list[str] = []
        self._bounds = QRectF()
        self._height = card.height
        self._layout()

    def set_state(self, trace: ActivityTrace | None, breakpoint: bool, pinned: bool, paused: bool) -> None:
        copied = ActivityTrace(trace.status, trace.visits, trace.error) if trace is not None else None
        state = (copied, breakpoint, pinned, paused, self.card.height)
        if state == (self.trace, self.breakpoint, self.pinned, self.paused, self._height):
            return
        self.trace, self.breakpoint, self.pinned, self.paused = copied, breakpoint, pinned, paused
        self._layout()
        self.update()

    @property
    def is_empty(self) -> bool:
        return self.trace is None and not (self.breakpoint or self.pinned or self.paused)

    @property
    def has_note(self) -> bool:
        return bool(self._note_lines)

    def _layout(self) -> None:
        error = (
            self.trace.error if self.trace is not None and self.trace.status is RunStatus.FAULTED else None
        )
        self._note_lines = wrap_lines(error, NOTE_WIDTH - 12, NOTE_LINES) if error else []
        height = self._height = self.card.height
        bottom = height + RING_GAP + 2
        if self._note_lines:
            bottom = height + NOTE_GAP + self._note_height()
        self.prepareGeometryChange()
        self._bounds = QRectF(-BREAKPOINT_RADIUS * 2 - 12, -TAG_HEIGHT - 6, NOTE_WIDTH + 36, 0)
        self._bounds.setBottom(bottom + 2)

    def _note_height(self) -> float:
        return len(self._note_lines) * CardFonts.get().small_metrics.height() + 8

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        scene = self.scene()
        if scene is not None and getattr(scene, "overview_on", False):
            return
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        theme = self.card.theme
        rect = QRectF(0, 0, CARD_WIDTH, self.card.height)
        if self.paused:
            self._ring(painter, rect, run_color(theme, "paused"), 4.0, Qt.PenStyle.SolidLine)
        elif self.trace is not None:
            dashed = self.trace.status in (RunStatus.STOPPED, RunStatus.EXPECTED)
            style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
            width = 3.5 if self.trace.status is RunStatus.EXECUTING else 2.5
            self._ring(painter, rect, run_color(theme, self.trace.status.value), width, style)
        if self.breakpoint:
            painter.setPen(QPen(run_color(theme, "badge_text"), 1.5))
            painter.setBrush(run_color(theme, "breakpoint"))
            painter.drawEllipse(BREAKPOINT_CENTER, BREAKPOINT_RADIUS, BREAKPOINT_RADIUS)
        if lod < SIMPLE_LOD:
            return
        right = CARD_WIDTH
        if self.trace is not None and self.trace.visits > 1:
            right = self._tag(
                painter, right, f"×{self.trace.visits}", run_color(theme, self.trace.status.value)
            )
        if self.pinned:
            self._tag(painter, right, "pinned", run_color(theme, "pinned"))
        if self.paused:
            self._tag(painter, None, "paused here", run_color(theme, "paused"), pause_icon=True)
        if self._note_lines:
            self._paint_note(painter)

    def _ring(self, painter: QPainter, rect: QRectF, color: QColor, width: float, style: Qt.PenStyle) -> None:
        painter.setPen(QPen(color, width, style))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        gap = RING_GAP + width / 2
        painter.drawRoundedRect(rect.adjusted(-gap, -gap, gap, gap), 8, 8)

    def _tag(
        self, painter: QPainter, right: float | None, text: str, color: QColor, pause_icon: bool = False
    ) -> float:
        """A small filled label above the card, right-aligned at ``right`` (left-aligned when None),
        optionally led by a pause sign; returns the x where the next tag to its left must end."""
        fonts = CardFonts.get()
        icon = 10.0 if pause_icon else 0.0
        width = fonts.small_metrics.horizontalAdvance(text) + 10 + icon
        left = 0.0 if right is None else right - width
        box = QRectF(left, -TAG_HEIGHT - 5, width, TAG_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(box, 4, 4)
        text_color = run_color(self.card.theme, "badge_text")
        if pause_icon:
            painter.setBrush(text_color)
            for offset in (0.0, 4.5):
                painter.drawRect(QRectF(box.left() + 6 + offset, box.top() + 4, 2.5, TAG_HEIGHT - 8))
        painter.setPen(text_color)
        painter.setFont(fonts.small)
        painter.drawText(box.adjusted(icon, 0, 0, 0), Qt.AlignmentFlag.AlignCenter, text)
        return left - 4

    def _paint_note(self, painter: QPainter) -> None:
        theme = self.card.theme
        fonts = CardFonts.get()
        box = QRectF(0, self.card.height + NOTE_GAP, NOTE_WIDTH, self._note_height())
        painter.setPen(QPen(run_color(theme, "faulted"), 1.0))
        painter.setBrush(run_color(theme, "note_background"))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(run_color(theme, "note_text"))
        painter.setFont(fonts.small)
        line_height = fonts.small_metrics.height()
        for index, line in enumerate(self._note_lines):
            painter.drawText(
                QRectF(box.left() + 6, box.top() + 4 + index * line_height, box.width() - 12, line_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )


def wrap_lines(text: str, width: float, max_lines: int) -> list[str]:
    """``text`` wrapped to ``width`` in the card's small font, at most ``max_lines`` (the last elided)."""
    fonts = CardFonts.get()
    metrics: QFontMetricsF = fonts.small_metrics
    flat = " ".join(text.split())
    layout = QTextLayout(flat, fonts.small)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines: list[str] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        if len(lines) == max_lines - 1:
            rest = flat[line.textStart() :]
            lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            break
        lines.append(flat[line.textStart() : line.textStart() + line.textLength()].rstrip())
    layout.endLayout()
    return lines


class RunOverlay:
    """The overlay of one scene: keeps its card items and wire marks in step with a trace, the document's
    breakpoints and the workflow's pins (design data), which it re-reads when they change."""

    def __init__(self, scene: WorkflowScene) -> None:
        self.scene = scene
        self.document = scene.document
        self.trace: RunTrace | None = None
        self.breakpoints: set[str] = set()
        self.pinned: set[str] = set()
        self.items: dict[str, CardOverlay] = {}
        self._detached = False
        self._unsubscribe = scene.workflow.subscribe(self._model_changed)
        self.document.breakpointsChanged.connect(self._breakpoints_changed)
        self._read_design()
        self.refresh()

    def detach(self) -> None:
        """Stop following the model and the document (the tab is closing)."""
        if self._detached:
            return
        self._detached = True
        self._unsubscribe()
        if shiboken6.isValid(self.document):
            self.document.breakpointsChanged.disconnect(self._breakpoints_changed)

    @property
    def paused_at(self) -> str | None:
        return self.trace.paused_at if self.trace is not None else None

    def state_of(self, activity_id: str) -> CardOverlay | None:
        return self.items.get(activity_id)

    def show_trace(self, trace: RunTrace | None) -> None:
        """Show a run's trace (None clears the run marks; the design marks stay)."""
        self.trace = trace
        self.refresh()

    def update_trace(self, trace: RunTrace, changed: set[str]) -> None:
        """Redraw the ``changed`` activities of ``trace`` (those a batch of events touched)."""
        if trace is not self.trace:
            self.show_trace(trace)
            return
        self.refresh(changed)

    def refresh(self, activity_ids: set[str] | None = None) -> None:
        if self._detached or not shiboken6.isValid(self.scene):
            return
        cards = self.scene.cards
        wanted = cards.keys() if activity_ids is None else [a for a in activity_ids if a in cards]
        for activity_id in wanted:
            self._refresh_card(activity_id)
        if activity_ids is None:
            for activity_id in [a for a in self.items if a not in cards]:
                del self.items[activity_id]

    def _refresh_card(self, activity_id: str) -> None:
        card = self.scene.cards[activity_id]
        trace = self.trace.activities.get(activity_id) if self.trace is not None else None
        paused = self.trace is not None and self.trace.paused_at == activity_id
        breakpoint = activity_id in self.breakpoints
        pinned = activity_id in self.pinned
        item = self.items.get(activity_id)
        if item is not None and (not shiboken6.isValid(item) or item.parentItem() is not card):
            item = None
        if item is None:
            if trace is None and not (breakpoint or pinned or paused):
                self.items.pop(activity_id, None)
                return
            item = CardOverlay(card)
            self.items[activity_id] = item
        item.set_state(trace, breakpoint, pinned, paused)
        card.setZValue(RAISED_CARD_Z if item.has_note or paused else CARD_Z)
        if item.is_empty:
            del self.items[activity_id]
            item.setParentItem(None)  # type: ignore[arg-type]  # Qt takes nullptr (no parent); the stub omits it
            scene = item.scene()
            if scene is not None:
                scene.removeItem(item)
        taken = self.trace.taken if self.trace is not None else None
        kinds = self.trace.taken_kind if self.trace is not None else {}
        for wire in card.outgoing:
            key = (activity_id, wire.outcome.lower())
            wire.set_run_taken(taken.get(key, 0) if taken else 0, kinds.get(key, "taken"))

    def _read_design(self) -> None:
        self.breakpoints = set(self.document.breakpoints)
        self.pinned = set(read_design_data(self.scene.workflow).pinned)

    def _breakpoints_changed(self) -> None:
        if self._detached:
            return
        before = self.breakpoints | self.pinned
        self._read_design()
        self.refresh(before | self.breakpoints | self.pinned)

    def _model_changed(self, event: ModelEvent) -> None:
        if self._detached:
            return
        if event.kind is ModelEventKind.WORKFLOW_CHANGED and event.detail.get("field") == "custom_attributes":
            before = self.breakpoints | self.pinned
            self._read_design()
            self.refresh(before | self.breakpoints | self.pinned)
        elif (
            event.kind in (ModelEventKind.ACTIVITY_ADDED, ModelEventKind.ACTIVITY_CHANGED)
            and event.activity_id
        ):
            self.refresh({event.activity_id})
        elif (
            event.kind in (ModelEventKind.CONNECTION_ADDED, ModelEventKind.CONNECTION_REMOVED)
            and event.connection is not None
        ):
            self.refresh({event.connection.source_activity_id})
