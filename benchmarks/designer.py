"""Designer speed: open + first paint of large workflows, pan/zoom frame times, memory.

Run: ``python benchmarks/designer.py`` (offscreen unless a display is set up). Generated workflows mix
the common activity types, every activity wired (chains, If branches, HTTP status ports), placed on a
grid as a person would draw them. Goals (issue 5): 1,000 activities open and painted in <= 1 s over the
app's start-up; a pan/zoom frame <= 16 ms at 1,000; 5,000 open without freezing the window > 3 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from designer.app import create_application  # noqa: E402
from designer.dialogs import Dialogs, SaveChoice  # noqa: E402
from designer.main_window import MainWindow  # noqa: E402
from runtime.elsa_json import save_workflow  # noqa: E402
from runtime.model import Activity, ActivityProperty, Connection, WorkflowDefinition  # noqa: E402

SIZES = (100, 1_000, 5_000)
ROWS = 40
COLUMN_WIDTH = 260
ROW_HEIGHT = 130
FRAMES = 60


def generated_workflow(count: int) -> WorkflowDefinition:
    """``count`` activities in columns of ``ROWS``; each wired to the next, If branches skip one."""
    kinds = [
        ("WriteLine", {"Text": "step {i}"}),
        ("If", {"Condition": "true"}),
        ("SetVariable", {"VariableName": "v{i}", "Value": "{i}"}),
        ("SendHttpRequest", {"Url": "http://127.0.0.1/{i}", "SupportedStatusCodes": '["200"]'}),
        ("Correlate", {"Value": "c{i}"}),
    ]
    activities = []
    connections = []
    for i in range(count):
        type_name, properties = kinds[i % len(kinds)]
        activities.append(
            Activity(
                activity_id=f"a{i}",
                type=type_name,
                name=f"a{i}",
                display_name=f"{type_name} {i}",
                x=(i // ROWS) * COLUMN_WIDTH,
                y=(i % ROWS) * ROW_HEIGHT,
                properties=[
                    ActivityProperty(
                        name=key,
                        expressions={"Json" if key == "SupportedStatusCodes" else "Literal": v.format(i=i)},
                    )
                    for key, v in properties.items()
                ],
            )
        )
    for i in range(count - 1):
        type_name = activities[i].type
        if type_name == "If":
            connections.append(
                Connection(source_activity_id=f"a{i}", target_activity_id=f"a{i + 1}", outcome="True")
            )
            if i + 2 < count:
                connections.append(
                    Connection(source_activity_id=f"a{i}", target_activity_id=f"a{i + 2}", outcome="False")
                )
        elif type_name == "SendHttpRequest":
            connections.append(
                Connection(source_activity_id=f"a{i}", target_activity_id=f"a{i + 1}", outcome="200")
            )
        else:
            connections.append(
                Connection(source_activity_id=f"a{i}", target_activity_id=f"a{i + 1}", outcome="Done")
            )
    return WorkflowDefinition(name=f"Generated{count}", activities=activities, connections=connections)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def quiet_dialogs() -> Dialogs:
    def report(title: str, message: str) -> None:
        raise SystemExit(f"{title}: {message}")

    return Dialogs(report, lambda title: SaveChoice.DISCARD, lambda caption: [], lambda caption, s: None)


def open_and_paint(window: MainWindow, path: Path) -> tuple[float, float]:
    """Seconds to open the file into a tab and paint the canvas once (fit to the whole drawing), and
    seconds of the validation that follows (deferred past the first paint for large workflows)."""
    app = QApplication.instance()
    started = time.perf_counter()
    [tab] = window.open_files([path])
    app.processEvents()
    tab.view.fit_all()
    tab.view.viewport().repaint()
    opened = time.perf_counter() - started
    started = time.perf_counter()
    tab.validate()
    app.processEvents()
    return opened, time.perf_counter() - started


def frame_times(window: MainWindow, zoom: float) -> tuple[list[float], list[float]]:
    """Pan and zoom frame times (ms) around the middle of the drawing, each frame painted at once."""
    view = window.current_view()
    middle = view.workflow_scene.cards_rect().center()
    if zoom <= 0:
        view.fit_all()
    else:
        view.set_zoom(zoom)
        view.centerOn(middle)
    view.viewport().repaint()
    pans = []
    for frame in range(FRAMES):
        step = 1 if frame % 20 < 10 else -1
        started = time.perf_counter()
        view.pan_by(12 * step, 7 * step)
        view.viewport().repaint()
        pans.append((time.perf_counter() - started) * 1000)
    zooms = []
    level = view.zoom
    for frame in range(FRAMES):
        started = time.perf_counter()
        level = level * (1.05 if frame % 20 < 10 else 1 / 1.05)
        view.set_zoom(level)
        view.viewport().repaint()
        zooms.append((time.perf_counter() - started) * 1000)
    return pans, zooms


def describe(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms   max {max(samples):6.1f} ms"


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="flowdesk-bench-"))
    files = {}
    for count in SIZES:
        files[count] = folder / f"generated-{count}.json"
        save_workflow(generated_workflow(count), files[count])
    base_rss = rss_mb()
    started = time.perf_counter()
    app = create_application(["bench"])
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, dialogs=quiet_dialogs(), theme_choice="light")
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    window.repaint()
    startup = time.perf_counter() - started
    print(f"app start-up (QApplication + window shown): {startup * 1000:7.0f} ms   RSS {rss_mb():6.0f} MB")
    print(
        "goal: 1,000 activities open + first paint <= 1000 ms over start-up; frame <= 16 ms at 1,000; "
        "5,000 open < 3000 ms\n"
    )
    for count in SIZES:
        before = rss_mb()
        opened, validated = open_and_paint(window, files[count])
        after = rss_mb()
        print(
            f"{count:>5} activities ({count - 1}+ connections): open + first paint {opened * 1000:7.0f} ms   "
            f"then validation {validated * 1000:5.0f} ms   RSS +{after - before:5.0f} MB"
        )
        if count == 1_000:
            for label, zoom in (("fit (all visible)", 0.0), ("100%", 1.0)):
                pans, zooms = frame_times(window, zoom)
                print(f"        pan  frames at {label:<18} {describe(pans)}")
                print(f"        zoom frames at {label:<18} {describe(zooms)}")
        window.tabs.currentWidget().document.undo_stack.setClean()
        window.close_tab(window.tabs.currentIndex())
        app.processEvents()
    print(f"\nRSS at the end {rss_mb():.0f} MB (process started at {base_rss:.0f} MB)")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
