"""The expression editor highlights JavaScript, Liquid and JSON and numbers its lines."""

from __future__ import annotations

from PySide6.QtGui import QColor

from designer.panels.code_editor import CodeEditor


def formats_of(editor: CodeEditor, line: int = 0) -> dict[str, str]:
    block = editor.document().findBlockByNumber(line)
    text = block.text()
    return {
        text[r.start : r.start + r.length]: r.format.foreground().color().name()
        for r in block.layout().formats()
    }


def test_javascript_keywords_strings_and_comments(qtbot):
    editor = CodeEditor("JavaScript")
    qtbot.addWidget(editor)
    editor.setPlainText('return getVariable("AccessToken") // cached\n/* a\nb */ let x = 1')
    found = formats_of(editor)
    assert "return" in found and '"AccessToken"' in found and "// cached" in found
    assert found["return"] != found['"AccessToken"']
    assert "b */" in formats_of(editor, 2) or any(k.startswith("b") for k in formats_of(editor, 2))
    assert editor.line_number_width() > 10


def test_switching_language_rehighlights(qtbot):
    editor = CodeEditor("Json")
    qtbot.addWidget(editor)
    editor.setPlainText('{"Data1": true, "n": 12}')
    found = formats_of(editor)
    assert '"Data1"' in found and "true" in found and "12" in found
    editor.set_language("Liquid")
    editor.setPlainText("Bearer {{ Variables.access_token | raw }}")
    liquid = formats_of(editor)
    assert "{{" in liquid and QColor(liquid["{{"]).isValid()
    assert editor.language == "Liquid"
