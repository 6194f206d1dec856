"""A notice above a workflow's canvas: one sentence saying what happened or what to do, and a button that
does it (import the store, turn Serve on, run again...). It stays until dismissed or replaced."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

STYLES = {
    "info": ("#e8f1fc", "#1f5fbf", "#17324f"),
    "warning": ("#fff4e0", "#c77700", "#4a3000"),
    "success": ("#e7f6ea", "#2e7d32", "#163d19"),
}
"""Background, border and text colours of each kind of notice."""


class NoticeBar(QFrame):
    """The notice strip of one editor tab (hidden until :meth:`show_notice`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAccessibleName("Notice")
        self.label = QLabel(self)
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(self)
        self.button.setObjectName("noticeAction")
        self.button.clicked.connect(self._act)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("noticeClose")
        self.close_button.setText("✕")
        self.close_button.setAccessibleName("Dismiss the notice")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self.kind = "info"
        self.action: Callable[[], object] | None = None
        self.hide()

    def show_notice(
        self,
        text: str,
        action_text: str | None = None,
        action: Callable[[], object] | None = None,
        kind: str = "info",
    ) -> None:
        """Say ``text``; with ``action_text``/``action``, a button that calls ``action``."""
        self.kind = kind if kind in STYLES else "info"
        background, border, color = STYLES[self.kind]
        self.setStyleSheet(
            f"QFrame#noticeBar {{ background: {background}; border: 1px solid {border}; "
            "border-radius: 4px; }"
            f"QLabel#noticeText {{ color: {color}; }}"
        )
        self.label.setText(text)
        self.action = action
        self.button.setVisible(bool(action_text) and action is not None)
        self.button.setText(action_text or "")
        self.button.setAccessibleName(action_text or "")
        self.show()

    def dismiss(self) -> None:
        self.action = None
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _act(self) -> None:
        action = self.action
        if action is not None:
            action()
