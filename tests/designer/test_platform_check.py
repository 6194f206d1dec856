"""On a machine where Qt's platform plugin cannot start, ``flowdesk`` and ``flowdesk open`` print one
actionable line and exit with 2 instead of aborting (Qt's own behaviour is SIGABRT)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from designer import platform_check
from designer.platform_check import QtPlatformError, check_platform, explain
from tests.conftest import PROJECT_ROOT


def _flowdesk(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    base.pop(platform_check.SKIP_VARIABLE, None)
    return subprocess.run(
        [sys.executable, "-m", "runtime.cli", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("flowdesk: the window cannot open")
    return lines[0]


def test_an_unknown_platform_plugin_is_one_line_and_exit_2() -> None:
    line = _one_line(_flowdesk("open", QT_QPA_PLATFORM="nonexistent"))
    assert 'no platform plugin "nonexistent"' in line and "offscreen" in line


def test_xcb_that_cannot_start_says_what_to_install_or_to_run_headless() -> None:
    """xcb without a display (and, on a fresh machine, without its libraries) never aborts."""
    line = _one_line(_flowdesk(QT_QPA_PLATFORM="xcb"))
    assert "QT_QPA_PLATFORM=offscreen" in line
    assert "apt-get install" in line or "DISPLAY" in line


def test_missing_libraries_are_named_with_their_debian_packages(monkeypatch) -> None:
    monkeypatch.setattr(
        platform_check, "missing_xcb_libraries", lambda: ["libxcb-icccm.so.4", "libxcb-cursor.so.0"]
    )
    stderr = (
        "qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform "
        'plugin.\nqt.qpa.plugin: Could not load the Qt platform plugin "xcb" in "" even though it was '
        "found.\nThis application failed to start because no Qt platform plugin could be initialized.\n"
    )
    line = explain(stderr, {"DISPLAY": ":0"})
    assert "sudo apt-get install libxcb-icccm4 libxcb-cursor0" in line
    assert "QT_QPA_PLATFORM=offscreen" in line and "\n" not in line


def test_no_display_says_so(monkeypatch) -> None:
    monkeypatch.setattr(platform_check, "missing_xcb_libraries", lambda: [])
    stderr = 'qt.qpa.xcb: could not connect to display\nCould not load the Qt platform plugin "xcb"'
    line = explain(stderr, {})
    assert "DISPLAY is not set" in line and "xvfb-run" in line


def test_headless_platforms_are_not_probed(monkeypatch) -> None:
    def no_probe(*args, **kwargs):
        raise AssertionError("offscreen needs no probe")

    monkeypatch.setattr(subprocess, "run", no_probe)
    check_platform({"QT_QPA_PLATFORM": "offscreen"})
    check_platform({"QT_QPA_PLATFORM": "minimal"})


def test_a_probe_that_starts_raises_nothing(monkeypatch) -> None:
    class Started:
        returncode = 0
        stderr = ""

    monkeypatch.setattr(subprocess, "run", lambda *a, **k: Started())
    check_platform({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"})


def test_a_probe_that_dies_raises_one_line(monkeypatch) -> None:
    class Died:
        returncode = -6
        stderr = 'qt.qpa.plugin: Could not find the Qt platform plugin "cocoa" in ""\n'

    monkeypatch.setattr(subprocess, "run", lambda *a, **k: Died())
    with pytest.raises(QtPlatformError) as raised:
        check_platform({"QT_QPA_PLATFORM": "cocoa"})
    assert 'no platform plugin "cocoa"' in str(raised.value)
