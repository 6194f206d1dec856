"""A sticky note on the canvas: Markdown text rendered in a coloured box behind the cards.

The note is a view of one :class:`runtime.design_data.Note` (``customAttributes.data["flowdesk"]["notes"]``);
like a card it never edits the model. While it is being edited it shows its Markdown source in a
:class:`NoteTextEditor`, a plain-text field the :class:`~designer.editing.editor.WorkflowEditor` opens and
closes (the edit itself is an undo command).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from designer.theme import Theme
from runtime.design_data import MIN_NOTE_HEIGHT, MIN_NOTE_WIDTH, NOTE_COLORS, Note

NOTE_Z = -1.0
"""Notes lie behind wires (0) and cards (1): a note can frame a group of cards."""
PADDING = 10.0
GRIP = 14.0
"""The resize grip: this square at the bottom-right corner."""
CORNER = 4.0
PLACEHOLDER = "Double-click to write (Markdown)"
NOTE_FILLS: dict[str, dict[str, str]] = {
    "light": {
        "yellow": "#fff3b0",
        "blue": "#d6e8ff",
        "green": "#d5f2dc",
        "pink": "#ffd9e6",
        "purple": "#e6dcff",
        "gray": "#e6e8ec",
    },
    "dark": {
        "yellow": "#4b4322",
        "blue": "#22395a",
        "green": "#234530",
        "pink": "#55283a",
        "purple": "#3a2e5c",
        "gray": "#363b44",
    },
}
"""A note's fill per theme and colour (its border is a darker shade, its text the theme's)."""
COLOR_LABELS = {name: name.title() for name in NOTE_COLORS}


def note_fill(theme: Theme, color: str) -> QColor:
    fills = NOTE_FILLS["dark" if theme.is_dark else "light"]
    return QColor(fills.get(color, fills[NOTE_COLORS[0]]))


def note_font() -> QFont:
    font = QFont()
    font.setPixelSize(12)
    return font


class NoteTextEditor(QGraphicsTextItem):
    """The Markdown source of a note being edited. Escape abandons the edit; Ctrl+Enter or leaving the
    field (a click elsewhere, another window) keeps it."""

    finished = Signal(bool)
    """The edit is over: True to keep the text, False to abandon it."""

    def __init__(self, parent: NoteItem) -> None:
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self.setFont(note_font())
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setPos(PADDING - 4, PADDING - 4)
        self.editing = False

    def begin(self, text: str, width: float, color: QColor) -> None:
        self.setPlainText(text)
        self.setTextWidth(max(width - 2 * PADDING + 8, 20.0))
        self.setDefaultTextColor(color)
        self.editing = True
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        cursor = self.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.setTextCursor(cursor)

    def end(self) -> str:
        """Stop editing (the field hides; it is kept for the next edit); returns the text."""
        self.editing = False
        text = self.toPlainText()
        self.clearFocus()
        self.hide()
        return text

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        if key == Qt.Key.Key_Escape:
            event.accept()
            self.finished.emit(False)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
        ):
            event.accept()
            self.finished.emit(True)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusOutEvent(event)
        if self.editing and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.finished.emit(True)


class NoteItem(QGraphicsItem):
    """The view of one sticky note: its box, its rendered Markdown and a resize grip."""

    def __init__(self, note: Note, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.note = note
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape, True)
        self.setAcceptHoverEvents(True)
        self.setZValue(NOTE_Z)
        self._width = max(note.width, MIN_NOTE_WIDTH)
        self._height = max(note.height, MIN_NOTE_HEIGHT)
        self._document: QTextDocument | None = None
        self.editor: NoteTextEditor | None = None
        self.setPos(QPointF(note.x, note.y))

    @property
    def note_id(self) -> str:
        return self.note.id

    # --- content -------------------------------------------------------------------------------------

    def set_note(self, note: Note) -> None:
        """Show the note as the model has it now."""
        if note.text != self.note.text:
            self._document = None
        self.note = note
        self.set_size(note.width, note.height)
        self.setPos(QPointF(note.x, note.y))
        self.update()

    def set_size(self, width: float, height: float) -> None:
        """Resize the box (a resize gesture previews with this; the model changes on release)."""
        width, height = max(width, MIN_NOTE_WIDTH), max(height, MIN_NOTE_HEIGHT)
        if (width, height) == (self._width, self._height):
            return
        self.prepareGeometryChange()
        if width != self._width:
            self._document = None
        self._width, self._height = width, height
        if self.editor is not None and self.editor.editing:
            self.editor.setTextWidth(max(width - 2 * PADDING + 8, 20.0))

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._document = None
        self.update()

    @property
    def size(self) -> tuple[float, float]:
        return self._width, self._height

    def document(self) -> QTextDocument:
        """The note's Markdown, laid out at the note's width (rebuilt when the text or width changes)."""
        if self._document is None:
            document = QTextDocument()
            document.setDefaultFont(note_font())
            document.setDocumentMargin(0)
            document.setMarkdown(self.note.text)
            document.setTextWidth(max(self._width - 2 * PADDING, 10.0))
            self._document = document
        return self._document

    def rendered_text(self) -> str:
        """The text the note shows (its Markdown rendered: marks gone), for tests and accessibility."""
        return self.document().toPlainText()

    # --- editing -------------------------------------------------------------------------------------

    @property
    def is_editing(self) -> bool:
        return self.editor is not None and self.editor.editing

    def start_editing(self) -> NoteTextEditor:
        if self.editor is None:
            self.editor = NoteTextEditor(self)
        self.editor.begin(self.note.text, self._width, self.theme.color("text"))
        self.update()
        return self.editor

    def stop_editing(self) -> str:
        """Close the editor; returns the text it held."""
        text = self.editor.end() if self.editor is not None else self.note.text
        self.update()
        return text

    # --- geometry ------------------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return QRectF(-2, -2, self._width + 4, self._height + 4)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(QRectF(0, 0, self._width, self._height))
        return path

    def note_rect(self) -> QRectF:
        """The box in scene coordinates."""
        return QRectF(self.pos(), QPointF(self.pos().x() + self._width, self.pos().y() + self._height))

    def grip_at(self, scene_pos: QPointF) -> bool:
        """Whether ``scene_pos`` is on the resize grip (the bottom-right corner)."""
        local = scene_pos - self.pos()
        return (
            self._width - GRIP <= local.x() <= self._width + 2
            and self._height - GRIP <= local.y() <= self._height + 2
        )

    def move_to(self, position: QPointF) -> None:
        if position != self.pos():
            self.setPos(position)

    # --- hover ---------------------------------------------------------------------------------------

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt API)
        if self.grip_at(event.scenePos()):
            self.setCursor(Qt.CursorShape.SizeFDiagCursor)
        else:
            self.unsetCursor()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt API)
        self.unsetCursor()

    # --- painting ------------------------------------------------------------------------------------

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.theme
        fill = note_fill(theme, self.note.color)
        rect = QRectF(0, 0, self._width, self._height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        selected = self.isSelected()
        border = QPen(theme.color("selection"), 2.0) if selected else QPen(fill.darker(125), 1.0)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, CORNER, CORNER)
        if not self.is_editing:
            self._paint_text(painter, rect)
        painter.setPen(QPen(fill.darker(150), 1.2))
        right, bottom = self._width - 4, self._height - 4
        for step in (4.0, 8.0, 12.0):
            painter.drawLine(QPointF(right - step, bottom), QPointF(right, bottom - step))

    def _paint_text(self, painter: QPainter, rect: QRectF) -> None:
        inner = rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        painter.save()
        painter.setClipRect(inner)
        painter.translate(inner.topLeft())
        if self.note.text.strip():
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(QPalette.ColorRole.Text, self.theme.color("text"))
            context.clip = QRectF(0, 0, inner.width(), inner.height())
            self.document().documentLayout().draw(painter, context)
        else:
            painter.setPen(self.theme.color("muted_text"))
            painter.setFont(note_font())
            painter.drawText(
                QRectF(0, 0, inner.width(), inner.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                PLACEHOLDER,
            )
        painter.restore()
