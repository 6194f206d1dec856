"""The run input and pin dialogs: JSON validated as typed; the answer is what was accepted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from designer.run.dialogs import PinOutputDialog, PinRequest, RunInputDialog, parse_json_text


def test_parse_json_text_says_where_the_text_is_wrong() -> None:
    assert parse_json_text("") == (None, None)
    assert parse_json_text('{"a": [1]}') == ({"a": [1]}, None)
    value, error = parse_json_text('{\n  "a": }')
    assert value is None and error.startswith("line 2, column 8")


def test_the_run_button_is_enabled_only_for_valid_json(qtbot) -> None:
    dialog = RunInputDialog("Run Flow", '{"api": "/x"}')
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and ok.text() == "Run"
    dialog.editor.setPlainText('{"api": ')
    assert not ok.isEnabled() and "line 1" in dialog.error.text()
    dialog.editor.setPlainText("")
    assert ok.isEnabled(), "empty means no input"
    assert dialog.editor.accessibleName() == "Run input JSON"


def test_the_pin_dialog_answers_the_output_and_the_checked_outcomes(qtbot) -> None:
    request = PinRequest("Call API", '{"status": 200}', ["Done", "200", "Unsupported Status Code"], ["Done"])
    dialog = PinOutputDialog(request)
    qtbot.addWidget(dialog)
    dialog.outcomes.item(1).setCheckState(Qt.CheckState.Checked)
    answer = dialog.answer()
    assert answer.output == {"status": 200} and answer.outcomes == ("Done", "200")
    dialog.editor.setPlainText("{")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_enter_runs_and_shift_enter_starts_a_new_line(qtbot) -> None:
    dialog = RunInputDialog("Run Flow", '{"api": "/x"}')
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == '{"api": "/x"}\n' and dialog.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.text() == '{"api": "/x"}', "no line break is kept in the input"


def test_enter_with_invalid_json_neither_runs_nor_types_a_line(qtbot) -> None:
    dialog = RunInputDialog("Run Flow", '{"api": ')
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Enter)
    assert dialog.isVisible() and dialog.editor.toPlainText() == '{"api": '
