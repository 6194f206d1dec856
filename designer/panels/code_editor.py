"""A code editor for expressions: line numbers and highlighting for JavaScript, Liquid and JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

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


class CodeEditor(QPlainTextEdit):
    """A monospaced editor with line numbers and highlighting for the chosen syntax."""

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
        self.numbers = LineNumbers(self)
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self._update_margin()
        self.set_language(language)

    def set_language(self, language: str) -> None:
        if self.highlighter is None:
            self.highlighter = ExpressionHighlighter(self.document(), language, self.dark)
        else:
            self.highlighter.set_language(language)

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
        painter.setPen(self.palette().placeholderText().color())
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible():
                painter.drawText(
                    0, top, self.numbers.width() - 5, height, Qt.AlignmentFlag.AlignRight, str(number + 1)
                )
            block = block.next()
            top += round(self.blockBoundingRect(block).height()) if block.isValid() else height
            number += 1
        painter.end()
