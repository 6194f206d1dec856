"""`flowdesk render`: every corpus file to PNG and SVG, light and dark, through the CLI too."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from designer.render import RenderError, render_file
from designer.theme import DARK, LIGHT
from runtime.cli import main
from tests.conftest import corpus_files


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_render_corpus_to_png_and_svg(path: Path, tmp_path, qapp):
    png = tmp_path / "out.png"
    size = render_file(path, png, LIGHT)
    image = QImage(str(png))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size.width(), size.height())
    assert 300 <= image.width() <= 6000 and 150 <= image.height() <= 4000
    corner = image.pixelColor(2, 2)
    assert corner.name() == LIGHT.canvas
    sampled = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)}
    assert len(sampled) > 20, "cards, text and wires are drawn"
    svg = tmp_path / "out.svg"
    render_file(path, svg, DARK)
    text = svg.read_text("utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and len(text) > 2000


def test_dark_render_uses_the_dark_canvas(corpus_dir, tmp_path, qapp):
    png = tmp_path / "dark.png"
    render_file(corpus_dir / "wow-get-settings.json", png, DARK, scale=2.0)
    image = QImage(str(png))
    assert image.pixelColor(1, 1).name() == DARK.canvas
    assert image.width() > 1000


def test_render_rejects_an_unknown_picture_format(corpus_dir, tmp_path, qapp):
    with pytest.raises(RenderError, match="use .png or .svg"):
        render_file(corpus_dir / "wow-get-settings.json", tmp_path / "out.gif", LIGHT)


def test_cli_render_and_its_one_line_errors(corpus_dir, tmp_path, capsys, qapp):
    out = tmp_path / "settings.png"
    assert main(["render", str(corpus_dir / "wow-get-settings.json"), "-o", str(out), "--theme", "dark"]) == 0
    assert QImage(str(out)).width() > 100
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    assert main(["render", str(bad), "-o", str(tmp_path / "x.png")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("flowdesk: ") and "bad.json" in error and "\n" not in error
