"""The timeline of a run, drawn with QPainter: on screen (:class:`TimelineView`), to PNG and to SVG.

One row per activity (sub-workflow rows indented under the RunWorkflow that ran them, joined by a bracket),
time on the x-axis, one bar per execution coloured as the canvas colours a run (done, faulted, stopped). An
HTTP call is a hatched stretch of its bar (waiting for the answer) with a tick and its status above; a
debugger pause is hatched in the pause colour. The same :class:`TimelineLayout` draws the widget and the
exported pictures, so they look the same (the widget leaves the title and summary to the label above it).
Pictures go through :func:`designer.render.write_picture`, which keeps a PNG under its pixel bound.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QScrollArea, QToolTip, QWidget

from designer.canvas.run_colors import run_color
from designer.render import ensure_application, write_picture
from designer.theme import Theme, theme_named
from runtime.history.timeline import Bar, Timeline

ROW_HEIGHT = 22.0
BAR_HEIGHT = 12.0
HEADER_HEIGHT = 46.0
"""The title and summary of a picture (the widget has a label for them instead)."""
TOP_GAP = 4.0
"""Above the axis of a chart without its header."""
AXIS_HEIGHT = 24.0
LEGEND_HEIGHT = 30.0
MARGIN = 12.0
INDENT = 16.0
MIN_BAR = 2.0
LABEL_MAX = 300.0
PLOT_MIN = 360.0
MAX_PICTURE_ROWS = 2000
"""Rows drawn at most in a picture (a run of thousands of activities is cut, and says so)."""


_WAIT_COLOR = {"HTTP": "executing", "paused": "paused", "sub-workflow start": "stopped"}


MIN_WIDTH = 600
"""Narrowest a timeline is laid out (a narrower panel scrolls it sideways)."""


def _fonts() -> tuple[QFont, QFont, QFont]:
    base = QApplication.font()
    title = QFont(base)
    title.setPointSizeF(max(base.pointSizeF(), 9.0) + 2)
    title.setBold(True)
    label = QFont(base)
    label.setPointSizeF(max(base.pointSizeF(), 9.0))
    small = QFont(base)
    small.setPointSizeF(max(base.pointSizeF() - 1.5, 7.0))
    return title, label, small


def nice_step(span: float, target: int) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving about ``target`` ticks over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / max(target, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def time_text(seconds: float, step: float) -> str:
    if step >= 1:
        return f"{seconds:g} s"
    milliseconds = seconds * 1000
    decimals = 0 if step * 1000 >= 1 else 2 if step * 1000 < 0.1 else 1
    return f"{milliseconds:.{decimals}f} ms"


def duration_text(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def summary_text(timeline: Timeline) -> str:
    """Status, length, executions, HTTP calls, and how many rows are drawn when a picture cuts them."""
    calls = len(timeline.http_calls)
    parts = [
        timeline.status or "",
        duration_text(timeline.duration),
        f"{len(timeline.bars)} activity execution{'s' if len(timeline.bars) != 1 else ''}",
        f"{calls} HTTP call{'s' if calls != 1 else ''}",
    ]
    if len(timeline.rows) > MAX_PICTURE_ROWS:
        parts.append(f"first {MAX_PICTURE_ROWS:,} of {len(timeline.rows):,} rows")
    return " · ".join(part for part in parts if part)


@dataclass
class TimelineLayout:
    """Where everything of a timeline goes for a given width (plain geometry, then :meth:`paint`)."""

    timeline: Timeline
    theme: Theme
    width: float = 1000.0
    header: bool = True
    """Draw the title and :func:`summary_text` above the axis (pictures do; the widget has a label)."""

    def __post_init__(self) -> None:
        self.title_font, self.label_font, self.small_font = _fonts()
        metrics = QFontMetricsF(self.label_font)
        widest = max(
            (metrics.horizontalAdvance(row.label) + row.depth * INDENT for row in self.timeline.rows),
            default=80.0,
        )
        self.label_width = min(LABEL_MAX, widest + 24)
        self.rows = self.timeline.rows[:MAX_PICTURE_ROWS]
        self.width = max(self.width, self.label_width + PLOT_MIN + 2 * MARGIN)
        self.plot_left = MARGIN + self.label_width
        self.plot_right = self.width - MARGIN - 8
        self.header_height = HEADER_HEIGHT if self.header else TOP_GAP
        self.top = self.header_height + AXIS_HEIGHT
        self.span = max(self.timeline.duration, 1e-6)
        self.height = self.top + max(len(self.rows), 1) * ROW_HEIGHT + LEGEND_HEIGHT + MARGIN

    @property
    def size(self) -> QSize:
        return QSize(math.ceil(self.width), math.ceil(self.height))

    def x(self, seconds: float) -> float:
        return self.plot_left + (self.plot_right - self.plot_left) * (seconds / self.span)

    def bar_rect(self, bar: Bar) -> QRectF:
        y = self.top + bar.row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        left, right = self.x(bar.start), self.x(bar.end)
        return QRectF(left, y, max(right - left, MIN_BAR), BAR_HEIGHT)

    def bar_at(self, point: QPointF) -> Bar | None:
        row = int((point.y() - self.top) // ROW_HEIGHT)
        if not 0 <= row < len(self.rows):
            return None
        for index in self.rows[row].bars:
            bar = self.timeline.bars[index]
            if self.bar_rect(bar).adjusted(-2, -3, 2, 3).contains(point):
                return bar
        return None

    # --- painting ----------------------------------------------------------------------------------------

    def paint(self, painter: QPainter, clip: QRectF | None = None) -> None:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        theme = self.theme
        painter.fillRect(QRectF(0, 0, self.width, self.height), theme.color("canvas"))
        if self.header:
            self._header(painter)
        self._axis(painter)
        first, last = 0, len(self.rows)
        if clip is not None:
            first = max(0, int((clip.top() - self.top) // ROW_HEIGHT) - 1)
            last = min(len(self.rows), int((clip.bottom() - self.top) // ROW_HEIGHT) + 2)
        self._rows(painter, first, last)
        self._legend(painter)

    def _header(self, painter: QPainter) -> None:
        timeline, theme = self.timeline, self.theme
        painter.setPen(theme.color("text"))
        painter.setFont(self.title_font)
        painter.drawText(
            QRectF(MARGIN, 6, self.width - 2 * MARGIN, 22),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            timeline.title or "Run",
        )
        painter.setFont(self.small_font)
        painter.setPen(theme.color("muted_text"))
        painter.drawText(
            QRectF(MARGIN, 26, self.width - 2 * MARGIN, 16),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            summary_text(timeline),
        )

    def _axis(self, painter: QPainter) -> None:
        theme = self.theme
        step = nice_step(self.span, max(2, int((self.plot_right - self.plot_left) / 90)))
        painter.setFont(self.small_font)
        bottom = self.top + max(len(self.rows), 1) * ROW_HEIGHT
        grid = QColor(theme.color("grid_major"))
        tick = 0.0
        while tick <= self.span + step * 1e-9:
            x = self.x(tick)
            painter.setPen(QPen(grid, 1.0))
            painter.drawLine(QPointF(x, self.top - 4), QPointF(x, bottom))
            painter.setPen(theme.color("muted_text"))
            painter.drawText(
                QRectF(x - 40, self.header_height, 80, AXIS_HEIGHT - 6),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                time_text(tick, step),
            )
            tick += step
        painter.setPen(QPen(theme.color("card_border"), 1.0))
        painter.drawLine(QPointF(self.plot_left, self.top), QPointF(self.plot_right, self.top))

    def _rows(self, painter: QPainter, first: int, last: int) -> None:
        theme = self.theme
        stripe = QColor(theme.color("grid"))
        stripe.setAlpha(90)
        metrics = QFontMetricsF(self.label_font)
        for number in range(first, last):
            row = self.rows[number]
            y = self.top + number * ROW_HEIGHT
            if number % 2:
                painter.fillRect(QRectF(MARGIN, y, self.width - 2 * MARGIN, ROW_HEIGHT), stripe)
            indent = row.depth * INDENT
            if row.depth:
                painter.setPen(QPen(theme.color("muted_text"), 1.0))
                for level in range(1, row.depth + 1):
                    bracket = MARGIN + level * INDENT - INDENT / 2
                    continues = number + 1 < len(self.rows) and self.rows[number + 1].depth >= level
                    bottom = y + ROW_HEIGHT if continues else y + ROW_HEIGHT / 2
                    if level == row.depth or continues:
                        painter.drawLine(QPointF(bracket, y), QPointF(bracket, bottom))
                bracket = MARGIN + indent - INDENT / 2
                painter.drawLine(
                    QPointF(bracket, y + ROW_HEIGHT / 2), QPointF(bracket + 5, y + ROW_HEIGHT / 2)
                )
            painter.setFont(self.label_font)
            painter.setPen(theme.color("text") if row.depth == 0 else theme.color("muted_text"))
            room = self.label_width - indent - 10
            painter.drawText(
                QRectF(MARGIN + indent, y, room, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, room),
            )
            for index in row.bars:
                self._bar(painter, self.timeline.bars[index])

    def _bar(self, painter: QPainter, bar: Bar) -> None:
        theme = self.theme
        rect = self.bar_rect(bar)
        key = "faulted" if bar.error and bar.error != "stopped" else "stopped" if bar.error else "done"
        color = run_color(theme, key)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 2.5, 2.5)
        for wait in bar.waits:
            left, right = self.x(wait.start), self.x(wait.end)
            if right - left < 1.0:
                continue
            wait_color = run_color(theme, _WAIT_COLOR.get(wait.why, "executing"))
            band = QRectF(left, rect.top(), right - left, rect.height())
            painter.setBrush(theme.color("canvas"))
            painter.drawRect(band)
            painter.setBrush(QBrush(wait_color, Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(wait_color, 1.0))
            painter.drawRect(band)
            painter.setPen(Qt.PenStyle.NoPen)
        for call in bar.http:
            x = self.x(call.start)
            marker = run_color(theme, "executing")
            painter.setBrush(marker)
            painter.setPen(Qt.PenStyle.NoPen)
            top = rect.top() - 1
            painter.drawPolygon(
                QPolygonF([QPointF(x - 4, top - 5), QPointF(x + 4, top - 5), QPointF(x, top)])
            )
            label = f"{call.method} {call.status or ''}".strip()
            painter.setFont(self.small_font)
            painter.setPen(marker)
            advance = QFontMetricsF(self.small_font).horizontalAdvance(label)
            left = x + 6 if x + 6 + advance <= self.width - 4 else x - 6 - advance
            painter.drawText(QPointF(left, top - 1), label)

    def _legend(self, painter: QPainter) -> None:
        theme = self.theme
        y = self.top + max(len(self.rows), 1) * ROW_HEIGHT + 10
        x = MARGIN
        painter.setFont(self.small_font)
        metrics = QFontMetricsF(self.small_font)
        entries = [
            ("done", Qt.BrushStyle.SolidPattern, "done"),
            ("faulted", Qt.BrushStyle.SolidPattern, "faulted"),
            ("executing", Qt.BrushStyle.BDiagPattern, "waiting for an HTTP answer"),
            ("stopped", Qt.BrushStyle.BDiagPattern, "waiting for a sub-workflow to start"),
            ("paused", Qt.BrushStyle.BDiagPattern, "paused at a breakpoint"),
        ]
        for key, style, text in entries:
            color = run_color(theme, key)
            box = QRectF(x, y, 18, 10)
            painter.setPen(QPen(color, 1.0))
            painter.setBrush(QBrush(color, style))
            painter.drawRect(box)
            painter.setPen(theme.color("muted_text"))
            painter.drawText(QPointF(x + 24, y + 9), text)
            x += 24 + metrics.horizontalAdvance(text) + 18
        painter.setBrush(run_color(theme, "executing"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(QPolygonF([QPointF(x, y), QPointF(x + 8, y), QPointF(x + 4, y + 5)]))
        painter.setPen(theme.color("muted_text"))
        painter.drawText(QPointF(x + 14, y + 9), "HTTP request sent")


def bar_tooltip(bar: Bar, timeline: Timeline, theme: Theme) -> str:
    row = timeline.rows[bar.row]
    lines = [f"<b>{_escape(row.label)}</b> ({_escape(row.workflow)})"]
    lines.append(f"from {duration_text(bar.start)} for {duration_text(bar.duration)}")
    if bar.error:
        color = run_color(theme, "faulted").name()
        lines.append(f"<span style='color:{color}'>{_escape(bar.error)}</span>")
    elif bar.outcomes:
        lines.append(f"→ {_escape(', '.join(bar.outcomes))}")
    for call in bar.http:
        lines.append(
            f"HTTP {_escape(call.method)} {_escape(call.url)} → {call.status or '?'} "
            f"({duration_text(call.end - call.start)})"
        )
    for wait in bar.waits:
        if wait.why != "HTTP":
            lines.append(f"{wait.why}: waited {duration_text(wait.end - wait.start)}")
    return "<br>".join(lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class TimelineView(QWidget):
    """The timeline of a run as a widget (put it in a scroll area); click a bar to reveal its activity."""

    activityRequested = Signal(str, str)
    """(workflow name, activity id) of a clicked bar."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.setMouseTracking(True)
        self.theme = theme
        self.timeline: Timeline | None = None
        self.layout_: TimelineLayout | None = None
        self._laid_out_at = 0

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        self.lay_out()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.lay_out()

    def lay_out(self, width: int | None = None) -> None:
        """Lay the chart out at ``width`` (None: its parent's), at least :data:`MIN_WIDTH`; a width within
        4 pixels of the last one keeps the layout of the same timeline and theme (no jitter on resizes)."""
        if self.timeline is None:
            self.layout_ = None
            self.setMinimumSize(0, 0)
            self.update()
            return
        if width is None:
            parent = self.parentWidget()
            width = parent.width() if parent is not None else 1000
        width = max(width, MIN_WIDTH)
        layout = self.layout_
        if (
            layout is not None
            and layout.timeline is self.timeline
            and layout.theme is self.theme
            and abs(self._laid_out_at - width) <= 4
        ):
            return
        self.layout_ = TimelineLayout(self.timeline, self.theme, float(width), header=False)
        self._laid_out_at = width
        self.setMinimumSize(self.layout_.size)
        self.resize(self.layout_.size)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.layout_.size if self.layout_ is not None else QSize(MIN_WIDTH, 120)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        if self.layout_ is None:
            painter.fillRect(self.rect(), self.theme.color("canvas"))
            painter.setPen(self.theme.color("muted_text"))
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "Open a run in the History panel (or run the workflow) to see its timeline",
            )
        else:
            self.layout_.paint(painter, QRectF(event.rect()))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and self.layout_ is not None and self.timeline is not None:
            bar = self.layout_.bar_at(QPointF(event.pos()))
            if bar is not None:
                QToolTip.showText(event.globalPos(), bar_tooltip(bar, self.timeline, self.theme), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self.layout_ is not None and self.timeline is not None:
            bar = self.layout_.bar_at(event.position())
            if bar is not None:
                row = self.timeline.rows[bar.row]
                self.activityRequested.emit(row.workflow, bar.activity_id)
                return
        super().mousePressEvent(event)


class TimelineScrollArea(QScrollArea):
    """Scrolls a :class:`TimelineView`, laid out again at the viewport's width whenever that changes (the
    chart fills the panel; its rows scroll)."""

    def __init__(self, view: TimelineView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWidget(view)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def fit(self) -> None:
        self.view.lay_out(self.viewport().width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.fit()


# --- pictures ----------------------------------------------------------------------------------------------


def render_timeline(
    timeline: Timeline,
    output: str | os.PathLike[str],
    theme: Theme | str = "light",
    width: int = 1200,
    notes: list[str] | None = None,
) -> tuple[int, int]:
    """Draw ``timeline`` to a PNG (at 2x for a crisp picture, smaller past the pixel bound of
    :func:`~designer.render.write_picture`, said in ``notes``) or an SVG; returns its size in pixels.

    The ``flowdesk.renderers`` entry point ``timeline`` (``flowdesk history timeline``)."""
    ensure_application()
    if isinstance(theme, str):
        theme = theme_named(theme)
    layout = TimelineLayout(timeline, theme, float(width))
    size = write_picture(
        Path(output),
        QSizeF(layout.size),
        layout.paint,
        theme.color("canvas"),
        timeline.title or "Run timeline",
        2.0,
        notes,
    )
    return size.width(), size.height()


__all__ = ["TimelineLayout", "TimelineView", "bar_tooltip", "render_timeline", "summary_text"]
