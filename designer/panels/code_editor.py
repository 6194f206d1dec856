"""A code editor for expressions: line numbers and highlighting for JavaScript, Liquid and JSON.

JavaScript and Liquid are checked as they are typed (shortly after typing stops), with the runtime's own
check (:func:`runtime.expressions.syntax_check.check_expression`: QuickJS compiles the script without
running it, Liquid is parsed): a problem is marked in the gutter at its line (hover for the message) and
under the code at its column, and :attr:`CodeEditor.issueChanged` tells whoever shows the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from runtime.expressions.syntax_check import CHECKED_LANGUAGES, SyntaxIssue, check_expression

CHECK_DELAY_MS = 250
"""The check runs this long after typing stops."""
ISSUE_COLOR = "#d93b3b"
JS_KEYWORDS = (
    "async await break case catch class const continue default delete do else export extends false finally "
    "for function if import in instanceof let new null of return super switch this throw true try typeof "
    "undefined var void while yield"
)
LIQUID_TAGS = (
    "if elsif else endif unless endunless case when endcase for endfor break continue assign capture "
    "endcapture comment endcomment raw endraw increment decrement cycle tablerow endtablerow"
)


JSON_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
JSON_KEY_FOLLOWS = re.compile(r"\s*:")
"""A JSON string followed by a colon is a key (coloured apart from string values)."""


@dataclass(frozen=True)
class Rule:
    """A highlighting rule: text matching ``pattern`` gets the theme's ``style`` format."""

    pattern: re.Pattern[str]
    style: str


def _rules(language: str) -> list[Rule]:
    words = r"\b(?:%s)\b"
    if language == "JavaScript":
        return [
            Rule(re.compile(words % "|".join(JS_KEYWORDS.split())), "keyword"),
            Rule(re.compile(r"\b\d+(?:\.\d+)?\b"), "number"),
            Rule(re.compile(r"\b[A-Za-z_$][\w$]*(?=\s*\()"), "function"),
            Rule(re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`"), "string"),
            Rule(re.compile(r"//[^\n]*"), "comment"),
        ]
    if language == "Liquid":
        return [
            Rule(re.compile(r"\{\{-?|-?\}\}|\{%-?|-?%\}"), "keyword"),
            Rule(re.compile(r"(?<=\{%)\s*-?\s*(?:" + "|".join(LIQUID_TAGS.split()) + r")\b"), "keyword"),
            Rule(re.compile(r"\|\s*[A-Za-z_]\w*"), "function"),
            Rule(re.compile(r"\"[^\"]*\"|'[^']*'"), "string"),
        ]
    if language == "Json":
        return [
            Rule(re.compile(r"\b(?:true|false|null)\b"), "keyword"),
            Rule(re.compile(r"-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b"), "number"),
            Rule(JSON_STRING, "string"),
        ]
    return []


class ExpressionHighlighter(QSyntaxHighlighter):
    """Keyword, string, number, function and comment colours for one expression language."""

    def __init__(self, document: QTextDocument, language: str, dark: bool) -> None:
        super().__init__(document)
        self.language = language
        self.rules = _rules(language)
        colors = {
            "keyword": "#c678dd" if dark else "#8a2be2",
            "string": "#98c379" if dark else "#2e7d32",
            "number": "#d19a66" if dark else "#b35c00",
            "function": "#61afef" if dark else "#1f5fbf",
            "comment": "#7f8794" if dark else "#8a8f98",
        }
        self.formats: dict[str, QTextCharFormat] = {}
        for style, color in colors.items():
            text_format = QTextCharFormat()
            text_format.setForeground(QColor(color))
            if style == "comment":
                text_format.setFontItalic(True)
            self.formats[style] = text_format

    def set_language(self, language: str) -> None:
        if language != self.language:
            self.language = language
            self.rules = _rules(language)
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        for rule in self.rules:
            for match in rule.pattern.finditer(text):
                style = rule.style
                if rule.pattern is JSON_STRING and JSON_KEY_FOLLOWS.match(text, match.end()):
                    style = "function"
                self.setFormat(match.start(), match.end() - match.start(), self.formats[style])
        if self.language == "JavaScript":
            self._block_comments(text)

    def _block_comments(self, text: str) -> None:
        comment = self.formats["comment"]
        start = 0 if self.previousBlockState() == 1 else text.find("/*")
        self.setCurrentBlockState(0)
        while start >= 0:
            end = text.find("*/", start + (0 if self.previousBlockState() == 1 and start == 0 else 2))
            if end < 0:
                self.setCurrentBlockState(1)
                self.setFormat(start, len(text) - start, comment)
                return
            self.setFormat(start, end + 2 - start, comment)
            start = text.find("/*", end + 2)


class LineNumbers(QWidget):
    """The gutter left of the code that shows line numbers (painted by the editor, which knows the lines)."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.editor.line_number_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        self.editor.paint_line_numbers(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            issue = self.editor.issue
            if issue is not None and self.editor.line_at(event.pos().y()) == issue.line:
                QToolTip.showText(event.globalPos(), self.editor.issue_text(), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class CodeEditor(QPlainTextEdit):
    """A monospaced editor with line numbers, highlighting for the chosen syntax, and syntax checks of
    JavaScript and Liquid marked in the gutter (see the module)."""

    issueChanged = Signal(object)
    """The text's syntax problem changed: a :class:`SyntaxIssue`, or None when it compiles."""

    def __init__(
        self, language: str = "JavaScript", dark: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 2)
        self.dark = dark
        self.highlighter: ExpressionHighlighter | None = None
        self.issue: SyntaxIssue | None = None
        """The syntax problem of the text as last checked (JavaScript and Liquid only)."""
        self.numbers = LineNumbers(self)
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_now)
        self.document().contentsChanged.connect(self._check_timer.start)
        self._update_margin()
        self.set_language(language)

    def set_language(self, language: str) -> None:
        if self.highlighter is None:
            self.highlighter = ExpressionHighlighter(self.document(), language, self.dark)
        else:
            self.highlighter.set_language(language)
        self.check_now()

    # --- syntax checks ------------------------------------------------------------------------------

    def check_now(self) -> SyntaxIssue | None:
        """Check the text now (instead of after the typing pause) and mark what is wrong."""
        self._check_timer.stop()
        language = self.language
        issue = check_expression(language, self.toPlainText()) if language in CHECKED_LANGUAGES else None
        self.set_issue(issue)
        return issue

    def set_issue(self, issue: SyntaxIssue | None) -> None:
        """Mark ``issue`` in the gutter and under the code (None clears the marks)."""
        if issue == self.issue:
            return
        self.issue = issue
        selections = []
        if issue is not None:
            block = self.document().findBlockByNumber(issue.line - 1)
            if block.isValid():
                cursor = QTextCursor(block)
                column = max(0, min(issue.column - 1, block.length() - 1))
                cursor.setPosition(block.position() + column)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
                if not cursor.hasSelection():
                    cursor.movePosition(
                        QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
                    )
                if not cursor.hasSelection():
                    cursor.movePosition(
                        QTextCursor.MoveOperation.PreviousCharacter, QTextCursor.MoveMode.KeepAnchor
                    )
                selection = QTextEdit.ExtraSelection()
                text_format = QTextCharFormat()
                text_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                text_format.setUnderlineColor(QColor(ISSUE_COLOR))
                text_format.setToolTip(self.issue_text())
                selection.format = text_format
                selection.cursor = cursor
                selections.append(selection)
        self.setExtraSelections(selections)
        self.numbers.update()
        self.issueChanged.emit(issue)

    def issue_text(self) -> str:
        """The problem as one line: where and what (empty when the text compiles)."""
        issue = self.issue
        if issue is None:
            return ""
        verb = "does not compile" if self.language == "JavaScript" else "does not parse"
        return f"{self.language} {verb}: {issue}"

    def line_at(self, y: int) -> int | None:
        """The 1-based line drawn at height ``y`` of the viewport, if any."""
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
            if geometry.top() <= y < geometry.bottom():
                return block.blockNumber() + 1
            if geometry.top() > y:
                return None
            block = block.next()
        return None

    @property
    def language(self) -> str:
        return self.highlighter.language if self.highlighter else ""

    def line_number_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * max(2, digits)

    def _update_margin(self) -> None:
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self.numbers.scroll(0, dy)
        else:
            self.numbers.update(0, rect.y(), self.numbers.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        area = self.contentsRect()
        self.numbers.setGeometry(QRect(area.left(), area.top(), self.line_number_width(), area.height()))

    def paint_line_numbers(self, event: QPaintEvent) -> None:
        painter = QPainter(self.numbers)
        base = self.palette().base().color()
        painter.fillRect(event.rect(), base.darker(106) if base.lightness() > 128 else base.lighter(125))
        normal = self.palette().placeholderText().color()
        painter.setPen(normal)
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        marked = self.issue.line - 1 if self.issue is not None else -1
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible():
                if number == marked:
                    red = QColor(ISSUE_COLOR)
                    stripe = QColor(red)
                    stripe.setAlpha(48)
                    painter.fillRect(0, top, self.numbers.width(), height, stripe)
                    painter.fillRect(0, top, 3, height, red)
                    painter.setPen(red)
                painter.drawText(
                    0, top, self.numbers.width() - 5, height, Qt.AlignmentFlag.AlignRight, str(number + 1)
                )
                if number == marked:
                    painter.setPen(normal)
            block = block.next()
            top += round(self.blockBoundingRect(block).height()) if block.isValid() else height
            number += 1
        painter.end()
