"""`flowdesk render` with wild coordinates and failing writes (issue 14): positions clamped or laid out,
a bounded picture with a one-line note, never OverflowError or NaN, never half a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import designer.render
from designer.history.timeline_chart import render_timeline
from designer.render import MAX_PIXELS_PER_SIDE, RenderError, render_file
from designer.theme import LIGHT
from runtime.cli import main
from runtime.history.timeline import Bar, Row, Timeline


def _file(tmp_path: Path, x: str, y: str) -> Path:
    text = (
        '{"definitionId":"c","name":"Coords","version":1,"activities":['
        '{"activityId":"a1","type":"WriteLine","name":"w","x":X,"y":Y,'
        '"properties":[{"name":"Text","expressions":{"Literal":"hi"}}]},'
        '{"activityId":"a2","type":"WriteLine","name":"w2","x":0,"y":0,'
        '"properties":[{"name":"Text","expressions":{"Literal":"hi"}}]}],'
        '"connections":[{"sourceActivityId":"a2","targetActivityId":"a1"}]}'
    ).replace('"x":X,"y":Y', f'"x":{x},"y":{y}')
    path = tmp_path / f"coords-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(text)
    return path


@pytest.fixture(autouse=True)
def _small_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound the tests check, smaller than the real 40 million pixels so drawing it is quick."""
    monkeypatch.setattr(designer.render, "MAX_PIXELS", 2_000_000)


@pytest.mark.parametrize(("x", "y"), [("1e308", "1e308"), ("NaN", "Infinity"), ("1e400", "5"), ("-1e9", "3")])
def test_wild_coordinates_render_a_bounded_picture(tmp_path: Path, qapp, x: str, y: str) -> None:
    png = tmp_path / "out.png"
    notes: list[str] = []
    size = render_file(_file(tmp_path, x, y), png, LIGHT, notes=notes)
    assert 0 < size.width() <= MAX_PIXELS_PER_SIDE and 0 < size.height() <= MAX_PIXELS_PER_SIDE
    assert size.width() * size.height() <= designer.render.MAX_PIXELS
    assert not QImage(str(png)).isNull()
    svg = tmp_path / "out.svg"
    render_file(_file(tmp_path, x, y), svg, LIGHT)
    assert "<svg" in svg.read_text("utf-8")


def test_a_drawing_a_million_units_wide_is_scaled_down_with_a_note(
    tmp_path: Path, qapp, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: 16,000 x 16,000 pixels (1.1 GB while drawn) and validate said nothing."""
    out = tmp_path / "wide.png"
    assert main(["render", str(_file(tmp_path, "1000000", "-1000000")), "-o", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert "\n" not in line and line.startswith(f"{out}: ") and "drawn at scale" in line
    image = QImage(str(out))
    assert image.width() * image.height() <= designer.render.MAX_PIXELS


def test_a_failed_picture_write_leaves_nothing_behind(tmp_path: Path, qapp) -> None:
    source = tmp_path / "source"
    source.mkdir()
    workflow = _file(source, "0", "0")
    target = tmp_path / "out.png"
    target.mkdir()  # a folder where the picture should go: the rename fails
    with pytest.raises(RenderError, match="cannot be written"):
        render_file(workflow, target, LIGHT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.png", "source"]


def test_a_new_picture_gets_the_umask_mode(tmp_path: Path, qapp) -> None:
    out = tmp_path / "new.png"
    render_file(_file(tmp_path, "0", "0"), out, LIGHT)
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask
    assert json.loads(json.dumps(out.name)) == "new.png"


def test_a_timeline_of_thousands_of_rows_is_drawn_under_the_pixel_bound(tmp_path: Path, qapp) -> None:
    """Before: the timeline had a PNG writer of its own, without the bound (5,000 rows: 2400 x 88,224)."""
    rows = [Row("Loop", f"a{number}", f"step {number}", 0, [number]) for number in range(5000)]
    bars = [
        Bar(number, "i", f"a{number}", f"step {number}", number * 0.01, number * 0.01 + 0.005)
        for number in range(5000)
    ]
    timeline = Timeline("Loop 1234abcd", "Finished", 0.0, 50.0, rows, bars)
    notes: list[str] = []
    width, height = render_timeline(timeline, tmp_path / "long.png", "light", notes=notes)
    assert width * height <= designer.render.MAX_PIXELS and max(width, height) <= MAX_PIXELS_PER_SIDE
    assert QImage(str(tmp_path / "long.png")).size().toTuple() == (width, height)
    assert len(notes) == 1 and notes[0].startswith("drawn at scale ")
    with pytest.raises(RenderError, match="use .png or .svg"):
        render_timeline(timeline, tmp_path / "long.gif")
