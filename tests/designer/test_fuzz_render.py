"""Fuzzing the renderer (issue 14): the mutated files of ``tests/runtime/test_fuzz_files.py`` drawn to PNG
(a few, derandomised: drawing costs a scene each). A file renders to a bounded picture or is refused in one
line; never an exception of another kind."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from PySide6.QtGui import QImage

from designer.render import MAX_PIXELS, render_file
from designer.theme import LIGHT
from runtime.errors import FlowdeskError
from tests.runtime.test_fuzz_files import workflow_texts


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(workflow_texts())
def test_any_file_renders_or_is_refused_in_one_line(qapp, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, picture = Path(folder) / "fuzz.json", Path(folder) / "fuzz.png"
        source.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            size = render_file(source, picture, LIGHT)
        except FlowdeskError as error:
            assert "\n" not in str(error)
            return
        assert size.width() * size.height() <= MAX_PIXELS
        assert not QImage(str(picture)).isNull()
