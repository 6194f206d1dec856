"""The start page shown when no workflow is open: the guided token story, new, open, recent files and the
samples."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

PATH_ROLE = Qt.ItemDataRole.UserRole


class StartPage(QWidget):
    """What the window shows with no workflow open: new, open, recent files and the samples."""

    openRequested = Signal(str)
    newRequested = Signal()
    openDialogRequested = Signal()
    storyRequested = Signal()
    """"Try the token story" was pressed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        title = QLabel("Flowdesk")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setWeight(QFont.Weight.Bold)
        title.setFont(font)
        tagline = QLabel("Design, run and debug Elsa 2 / World of Workflows workflows on your own machine.")
        tagline.setWordWrap(True)
        new_button = QPushButton("New workflow")
        new_button.setObjectName("startNew")
        open_button = QPushButton("Open…")
        open_button.setObjectName("startOpen")
        new_button.clicked.connect(self.newRequested)
        open_button.clicked.connect(self.openDialogRequested)
        story_button = QPushButton("Try the token story")
        story_button.setObjectName("startTokenStory")
        story_button.setAccessibleName("Try the token story")
        story_font = story_button.font()
        story_font.setBold(True)
        story_button.setFont(story_font)
        story_button.setDefault(True)
        story_button.clicked.connect(self.storyRequested)
        story_about = QLabel(
            "New here? Run the “Refreshing an Access Token” story end to end: the samples' settings go into "
            "a demo object store, its four workflows open, and Serve hosts the demo auth server and API on "
            "127.0.0.1. Then press Run and watch the token being refreshed."
        )
        story_about.setObjectName("startTokenStoryAbout")
        story_about.setWordWrap(True)
        story = QHBoxLayout()
        story.addWidget(story_button, 0, Qt.AlignmentFlag.AlignTop)
        story.addWidget(story_about, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        self.recent = QListWidget()
        self.recent.setObjectName("recentList")
        self.samples = QListWidget()
        self.samples.setObjectName("samplesList")
        for listing in (self.recent, self.samples):
            listing.itemActivated.connect(self._activated)
        lists = QHBoxLayout()
        for heading, listing in (("Recent files", self.recent), ("Samples", self.samples)):
            column = QVBoxLayout()
            label = QLabel(heading)
            label_font = label.font()
            label_font.setBold(True)
            label.setFont(label_font)
            column.addWidget(label)
            column.addWidget(listing)
            lists.addLayout(column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.addWidget(title)
        layout.addWidget(tagline)
        layout.addSpacing(16)
        layout.addLayout(story)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addLayout(lists, 1)

    def set_recent(self, paths: Sequence[str]) -> None:
        self._fill(self.recent, [Path(p) for p in paths], "No recent files yet")

    def set_samples(self, paths: Sequence[Path]) -> None:
        self._fill(self.samples, list(paths), "No samples found")

    @staticmethod
    def _fill(listing: QListWidget, paths: list[Path], empty: str) -> None:
        listing.clear()
        for path in paths:
            item = QListWidgetItem(f"{path.name}    —  {path.parent}")
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            listing.addItem(item)
        if not paths:
            item = QListWidgetItem(empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            listing.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            self.openRequested.emit(path)
