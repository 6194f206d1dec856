"""Where a card's ports are. Ports are painted by their card and hit-tested by geometry, not items.

Creating a QGraphicsItem per port would triple the item count of a large workflow; a port is only a
spot on its card: one input on the left edge, one output per outcome on the right edge (a lone
``Done`` sits at mid height without a label row; otherwise each outcome has a labelled row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

CARD_WIDTH = 184.0
INFO_HEIGHT = 50.0
ROW_HEIGHT = 13.0
BOTTOM_PADDING = 4.0
PORT_RADIUS = 5.0
PORT_HIT_RADIUS = 11.0
LABEL_MARGIN = 12.0


@dataclass(frozen=True)
class OutputPort:
    """An outcome's port: its centre on the card's right edge and, in a row layout, its label box."""

    outcome: str
    center: QPointF
    row: QRectF | None

    def hit(self, point: QPointF) -> bool:
        if self.row is not None and self.row.contains(point):
            return True
        delta = point - self.center
        return delta.x() * delta.x() + delta.y() * delta.y() <= PORT_HIT_RADIUS * PORT_HIT_RADIUS


def has_rows(outcomes: Sequence[str]) -> bool:
    """A card with only ``Done`` needs no labelled rows."""
    return not (len(outcomes) == 1 and outcomes[0].lower() == "done") and len(outcomes) > 0


def card_height(outcomes: Sequence[str]) -> float:
    if not has_rows(outcomes):
        return INFO_HEIGHT
    return INFO_HEIGHT + ROW_HEIGHT * len(outcomes) + BOTTOM_PADDING


def input_port_center() -> QPointF:
    return QPointF(0.0, INFO_HEIGHT / 2)


def output_ports(outcomes: Sequence[str]) -> list[OutputPort]:
    if not outcomes:
        return []
    if not has_rows(outcomes):
        return [OutputPort(outcomes[0], QPointF(CARD_WIDTH, INFO_HEIGHT / 2), None)]
    ports = []
    for index, outcome in enumerate(outcomes):
        top = INFO_HEIGHT + index * ROW_HEIGHT
        row = QRectF(CARD_WIDTH / 2, top, CARD_WIDTH / 2 + PORT_HIT_RADIUS, ROW_HEIGHT)
        ports.append(OutputPort(outcome, QPointF(CARD_WIDTH, top + ROW_HEIGHT / 2), row))
    return ports


def hits_input(point: QPointF) -> bool:
    delta = point - input_port_center()
    return delta.x() * delta.x() + delta.y() * delta.y() <= PORT_HIT_RADIUS * PORT_HIT_RADIUS
