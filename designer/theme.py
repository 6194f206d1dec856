"""Light and dark colour themes for the canvas and the window.

A theme is plain data (hex colours) so the canvas, the minimap, ``flowdesk render`` and the panels all
draw with the same colours. ``system_theme()`` follows the desktop's colour scheme.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

THEME_NAMES: tuple[str, ...] = ("light", "dark")
DISABLED_DARK_TEXT = "#6b7280"

CATEGORY_HUES: dict[str, int] = {
    "HTTP": 205,
    "Control Flow": 35,
    "Primitives": 150,
    "Variables": 150,
    "Scripting": 275,
    "Workflows": 330,
    "Data": 185,
    "Object Store": 185,
    "Timers": 55,
    "Console": 95,
    "Tasks": 15,
}
"""Hue per well-known catalog category; any other category gets a stable hue from its name."""


@dataclass(frozen=True)
class Theme:
    """Every colour the designer paints with, as ``#rrggbb`` text."""

    name: str
    canvas: str
    grid: str
    grid_major: str
    card: str
    card_header: str
    card_border: str
    selection: str
    text: str
    muted_text: str
    port: str
    port_border: str
    wire: str
    wire_label_background: str
    wire_label_text: str
    error: str
    warning: str
    rubber_band: str
    minimap_background: str
    category_saturation: int
    category_lightness: int
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_dark(self) -> bool:
        return self.name == "dark"

    def color(self, key: str) -> QColor:
        """The named colour as a QColor (cached per theme)."""
        return _qcolor(getattr(self, key))

    def category_color(self, category: str) -> QColor:
        """The accent colour of a catalog category (header band, icon, minimap dot)."""
        return _category_color(category, self.category_saturation, self.category_lightness)


LIGHT = Theme(
    name="light",
    canvas="#f4f5f7",
    grid="#e3e5ea",
    grid_major="#d2d6dd",
    card="#ffffff",
    card_header="#f7f8fa",
    card_border="#c3c8d1",
    selection="#2f7de1",
    text="#1d2330",
    muted_text="#5d6675",
    port="#ffffff",
    port_border="#6d7686",
    wire="#7b8494",
    wire_label_background="#ffffff",
    wire_label_text="#3b4350",
    error="#d93b3b",
    warning="#d9911a",
    rubber_band="#2f7de1",
    minimap_background="#ffffff",
    category_saturation=150,
    category_lightness=120,
)

DARK = Theme(
    name="dark",
    canvas="#1e2127",
    grid="#262a31",
    grid_major="#2f343c",
    card="#2b3039",
    card_header="#323844",
    card_border="#454c59",
    selection="#5aa2ff",
    text="#e6e9ef",
    muted_text="#a3abb8",
    port="#2b3039",
    port_border="#a3abb8",
    wire="#8f98a8",
    wire_label_background="#2b3039",
    wire_label_text="#d5dae3",
    error="#ff6b6b",
    warning="#f0b44c",
    rubber_band="#5aa2ff",
    minimap_background="#23272e",
    category_saturation=140,
    category_lightness=150,
)


def theme_named(name: str) -> Theme:
    """``light`` or ``dark`` (anything else raises ValueError naming the choices)."""
    if name == "light":
        return LIGHT
    if name == "dark":
        return DARK
    raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEME_NAMES)}")


def system_theme() -> Theme:
    """The theme matching the desktop's colour scheme (light when it cannot tell)."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and app.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        return DARK
    return LIGHT


def window_palette(theme: Theme) -> QPalette:
    """A Fusion palette for the window chrome that matches the canvas theme."""
    palette = QPalette()
    if not theme.is_dark:
        return palette
    base, window, text = QColor("#23272e"), QColor("#2b3039"), QColor(theme.text)
    for role, color in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, window),
        (QPalette.ColorRole.ToolTipBase, window),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor(theme.error)),
        (QPalette.ColorRole.Link, QColor(theme.selection)),
        (QPalette.ColorRole.Highlight, QColor(theme.selection)),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.PlaceholderText, QColor(theme.muted_text)),
    ):
        palette.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_DARK_TEXT))
    return palette


@cache
def _qcolor(text: str) -> QColor:
    return QColor(text)


@cache
def _category_color(category: str, saturation: int, lightness: int) -> QColor:
    hue = CATEGORY_HUES.get(category)
    if hue is None:
        hue = zlib.crc32(category.encode("utf-8")) % 360
    return QColor.fromHsl(hue, saturation, lightness)
