"""``flowdesk render``: draw a workflow to PNG or SVG with the canvas's own scene code, no window.

The picture is exactly what the canvas shows at 100% (cards, wires, labels, problem badges), cropped to
the drawing with a margin. PNGs are drawn at ``scale`` (2 gives a crisp picture on a high-DPI screen).
:func:`write_picture` is the one PNG and SVG writer of the designer (workflows here, run timelines in
:mod:`designer.history.timeline_chart`), so every picture keeps under the same pixel bound.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from designer.canvas.scene import WorkflowScene
from designer.document import Document
from designer.theme import Theme
from runtime.errors import FlowdeskError, WorkflowSaveError
from runtime.files import write_bytes_atomically

MARGIN = 40.0
MAX_PIXELS_PER_SIDE = 16000
MAX_PIXELS = 40_000_000
"""A PNG's pixels at most (160 MB while drawn): a larger picture is drawn at a smaller scale."""
FORMATS = (".png", ".svg")


class RenderError(FlowdeskError):
    """The picture could not be drawn or written (bad output name, unwritable folder)."""


def ensure_application() -> QApplication:
    """The running QApplication, or a new one on the offscreen platform (rendering needs no display)."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    return app  # type: ignore[return-value]


def check_output(output: Path) -> str:
    """The picture's format (``.png`` or ``.svg``); RenderError for another name or a missing folder."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise RenderError(f"{output}: unsupported picture format {suffix or '(none)'}; use .png or .svg")
    if not output.parent.is_dir():
        raise RenderError(f"{output}: folder {output.parent} does not exist")
    return suffix


def render_file(
    source: str | Path,
    output: str | Path,
    theme: Theme,
    scale: float = 1.0,
    with_problems: bool = True,
    notes: list[str] | None = None,
) -> QSize:
    """Render a workflow file; returns the picture's size in pixels. Raises FlowdeskError subclasses.

    The picture is written atomically (never half a file). ``notes`` gets a line when the PNG had to be
    drawn at a smaller scale than asked (a drawing too large for :data:`MAX_PIXELS`).
    """
    output = Path(output)
    suffix = check_output(output)
    ensure_application()
    document = Document.open(source)
    scene = WorkflowScene(document, theme)
    if with_problems:
        from runtime.validation import validate

        scene.set_problems(validate(document.workflow))
    try:
        if suffix == ".svg":
            return render_svg(scene, output)
        return render_png(scene, output, scale, notes)
    finally:
        scene.detach()


def drawing_rect(scene: WorkflowScene) -> QRectF:
    rect = scene.itemsBoundingRect()
    if rect.isEmpty():
        rect = QRectF(0, 0, 200, 100)
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def png_scale(source: QRectF, scale: float) -> float:
    """``scale``, made smaller where the picture would pass :data:`MAX_PIXELS_PER_SIDE` or
    :data:`MAX_PIXELS` (positions are clamped to ±1,000,000, so a drawing is always finite)."""
    width, height = max(source.width(), 1.0), max(source.height(), 1.0)
    scale = min(scale, MAX_PIXELS_PER_SIDE / max(width, height))
    return min(scale, (MAX_PIXELS / (width * height)) ** 0.5)


def render_png(
    scene: WorkflowScene, output: Path, scale: float = 1.0, notes: list[str] | None = None
) -> QSize:
    source = drawing_rect(scene)
    return write_picture(
        output, source.size(), _scene_painter(scene, source), scene.theme.color("canvas"), "", scale, notes
    )


def render_svg(scene: WorkflowScene, output: Path) -> QSize:
    source = drawing_rect(scene)
    return write_picture(
        output,
        source.size(),
        _scene_painter(scene, source),
        scene.theme.color("canvas"),
        scene.workflow.label,
    )


def _scene_painter(scene: WorkflowScene, source: QRectF) -> Callable[[QPainter], None]:
    def paint(painter: QPainter) -> None:
        scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)

    return paint


def write_picture(
    output: Path,
    size: QSizeF,
    paint: Callable[[QPainter], None],
    background: QColor | str,
    title: str = "",
    scale: float = 1.0,
    notes: list[str] | None = None,
) -> QSize:
    """Draw ``paint`` (in units of ``size`` from (0, 0), on ``background``) to the PNG (at ``scale``, made
    smaller as :func:`png_scale` says, with a line in ``notes``) or the SVG ``output``, written atomically;
    returns the picture's size in pixels."""
    if check_output(output) == ".svg":
        return _write_svg(output, size, paint, background, title)
    asked, scale = scale, png_scale(QRectF(0, 0, size.width(), size.height()), scale)
    if scale < asked and notes is not None:
        notes.append(
            f"drawn at scale {scale:.3g}, not {asked:g}: the picture spans {size.width():,.0f} x "
            f"{size.height():,.0f} and a PNG holds at most {MAX_PIXELS_PER_SIDE:,} pixels a side and "
            f"{MAX_PIXELS / 1e6:g} million in all"
        )
    pixels = QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
    image = QImage(pixels, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise RenderError(f"{output}: cannot be drawn ({pixels.width()} x {pixels.height()} pixels)")
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    paint(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # PySide6 takes a QIODevice
        raise RenderError(f"{output}: cannot be written")
    _write(output, bytes(buffer.data().data()))
    return pixels


def _write_svg(
    output: Path, size: QSizeF, paint: Callable[[QPainter], None], background: QColor | str, title: str
) -> QSize:
    from PySide6.QtSvg import QSvgGenerator

    pixels = QSize(max(1, round(size.width())), max(1, round(size.height())))
    generator = QSvgGenerator()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator.setOutputDevice(buffer)
    generator.setSize(pixels)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Drawn by Flowdesk")
    painter = QPainter()
    if not painter.begin(generator):
        raise RenderError(f"{output}: cannot be written")
    painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor(background))
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    paint(painter)
    painter.end()
    data = bytes(buffer.data().data())
    if not data:
        raise RenderError(f"{output}: cannot be written")
    _write(output, data)
    return pixels


def _write(output: Path, data: bytes) -> None:
    """Atomically: a temporary file renamed over ``output``, removed on any failure."""
    try:
        write_bytes_atomically(output, data)
    except WorkflowSaveError as error:
        raise RenderError(str(error)) from None
