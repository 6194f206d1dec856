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


def test_a_javascript_syntax_error_is_marked_at_its_line_and_column(qtbot):
    editor = CodeEditor("JavaScript")
    qtbot.addWidget(editor)
    editor.resize(500, 200)
    editor.show()
    editor.setPlainText("let token = input;\nreturn token ; && ((")
    issues: list = []
    editor.issueChanged.connect(issues.append)
    qtbot.waitUntil(lambda: editor.issue is not None)
    assert (editor.issue.line, editor.issue.column) == (2, 16)
    assert editor.issue_text() == (
        "JavaScript does not compile: line 2, column 16: unexpected token in expression: '&&'"
    )
    [underline] = editor.extraSelections()
    assert underline.cursor.selectedText() == "&&"
    second_line = editor.blockBoundingGeometry(editor.document().findBlockByNumber(1))
    assert editor.line_at(round(second_line.translated(editor.contentOffset()).center().y())) == 2
    editor.setPlainText("return 1")  # a top-level return is Elsa's, not an error
    qtbot.waitUntil(lambda: editor.issue is None)
    assert issues[-1] is None and editor.extraSelections() == []


def test_liquid_is_parsed_and_json_is_not_checked(qtbot):
    editor = CodeEditor("Liquid")
    qtbot.addWidget(editor)
    editor.setPlainText("Bearer {% if Variables.token %")
    assert editor.check_now() is not None and "Liquid does not parse" in editor.issue_text()
    editor.set_language("Json")
    editor.setPlainText("{ not json but not checked")
    assert editor.check_now() is None
