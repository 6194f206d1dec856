"""The object store browser as a bottom panel: it shows the store runs use, opened only while visible."""

from __future__ import annotations

from designer.panels.store_browser import SEED_FILTER, StoreBrowser, StoreDialogs
from designer.shell import Feature, Shell
from designer.theme import Theme


def store_dialogs(shell: Shell, browser: StoreBrowser) -> StoreDialogs:
    """The browser's file questions, asked through the shell's :class:`~designer.dialogs.Dialogs` (scripted
    in tests)."""

    def open_seed(caption: str) -> str | None:
        paths = shell.dialogs.open_paths(caption)
        return paths[0] if paths else None

    def save_seed(caption: str, suggested: str) -> str | None:
        return shell.dialogs.save_file(caption, suggested, SEED_FILTER)

    def open_store(caption: str) -> str | None:
        return shell.dialogs.choose_store(str(browser.store_path or ""))

    return StoreDialogs(open_seed, save_seed, open_store)


class StoreFeature(Feature):
    """The ``storeBrowser`` panel: browse and edit the object store runs use."""

    browser: StoreBrowser

    def install(self, shell: Shell) -> None:
        self.browser = StoreBrowser(lambda: shell.store_path, theme=shell.theme)
        self.browser.dialogs = store_dialogs(shell, self.browser)
        dock = shell.add_bottom_panel("storeBrowser", "Object Store", self.browser)
        dock.visibilityChanged.connect(self._visibility_changed)

    def _visibility_changed(self, visible: bool) -> None:
        """The store is opened when the panel shows and followed (polled) only while it is visible."""
        if visible:
            self.browser.activate()
        self.browser.set_watching(visible)

    def set_theme(self, theme: Theme) -> None:
        self.browser.set_theme(theme)

    def shutdown(self) -> None:
        self.browser.shutdown()
