"""Can a window open here? Probe Qt's platform plugin before the designer creates its QApplication.

When Qt cannot load its platform plugin it aborts the process (SIGABRT) after a few lines that name only
part of the cause (on Linux: a missing ``libxcb-*`` library, no X display). So ``flowdesk`` and
``flowdesk open`` first let a child process create a ``QGuiApplication`` with the same environment; if
that child dies, :func:`check_platform` raises one actionable line (which packages to install, or
``QT_QPA_PLATFORM=offscreen`` for headless use) that the command line prints before exiting with 2.

The headless plugins (``offscreen``, ``minimal``) always load and are not probed. ``FLOWDESK_SKIP_QT_PROBE=1``
skips the probe.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from runtime.errors import FlowdeskError

HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal"})
SKIP_VARIABLE = "FLOWDESK_SKIP_QT_PROBE"
PROBE_TIMEOUT_S = 30.0
PROBE = (
    "import sys\nfrom PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv[:1])\nprint(app.platformName())\n"
)

XCB_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
"""Libraries Qt's xcb plugin needs, and the Debian/Ubuntu packages that have them (README lists them)."""
DLOPENED = ("libxcb-cursor.so.0",)
"""Loaded by the plugin at run time, so ``ldd`` does not list them."""

_NOT_FOUND = re.compile(r"^\s*(\S+) => not found", re.MULTILINE)
_PLUGIN_NAMED = re.compile(r'platform plugin "([^"]+)"')
_AVAILABLE = re.compile(r"Available platform plugins are: ([^\n]*?)\.?\s*$", re.MULTILINE)


class QtPlatformError(FlowdeskError):
    """The window cannot open here: one line saying why and what to do."""


def check_platform(environ: Mapping[str, str] | None = None) -> None:
    """Raise :class:`QtPlatformError` when Qt's platform plugin cannot start in this environment."""
    env = dict(os.environ if environ is None else environ)
    platform = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if platform in HEADLESS_PLATFORMS or env.get(SKIP_VARIABLE) == "1":
        return
    try:
        probe = subprocess.run(
            [sys.executable, "-c", PROBE],
            env=env,
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return  # cannot tell: let Qt try for itself
    if probe.returncode == 0:
        return
    raise QtPlatformError(explain(probe.stderr, env))


def explain(stderr: str, env: Mapping[str, str]) -> str:
    """One line from what Qt printed when it gave up: the cause and the way out."""
    headless = "or run headless with QT_QPA_PLATFORM=offscreen"
    named = _PLUGIN_NAMED.search(stderr)
    requested = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip()
    plugin = named.group(1) if named else (requested or "xcb")
    available = _AVAILABLE.search(stderr)
    if "could not find the qt platform plugin" in stderr.lower() or (
        available and requested and requested not in _plugin_names(available.group(1))
    ):
        names = ", ".join(_plugin_names(available.group(1))) if available else "xcb, wayland, offscreen"
        return (
            f'the window cannot open: Qt has no platform plugin "{plugin}" (QT_QPA_PLATFORM={requested}); '
            f"unset QT_QPA_PLATFORM or set it to one of: {names}"
        )
    if plugin == "xcb":
        missing = missing_xcb_libraries()
        if missing:
            packages = " ".join(dict.fromkeys(XCB_PACKAGES.get(name, name) for name in missing))
            return (
                f"the window cannot open: Qt's xcb platform plugin needs {', '.join(missing)}; install "
                f"them with `sudo apt-get install {packages}` (Debian/Ubuntu; see README), {headless}"
            )
        if not env.get("DISPLAY"):
            return (
                "the window cannot open: there is no X display (DISPLAY is not set); start Flowdesk in a "
                f"desktop session or under Xvfb (`xvfb-run flowdesk`), {headless}"
            )
        return (
            f"the window cannot open: Qt's xcb platform plugin cannot connect to the X display "
            f"{env.get('DISPLAY')!r} (is the X server running and may you use it?), {headless}"
        )
    if plugin.startswith("wayland") and not env.get("WAYLAND_DISPLAY"):
        return (
            f'the window cannot open: Qt\'s "{plugin}" platform plugin needs a Wayland session '
            f"(WAYLAND_DISPLAY is not set); unset QT_QPA_PLATFORM to use X11, {headless}"
        )
    cause = _first_qt_line(stderr)
    return (
        f'the window cannot open: Qt\'s "{plugin}" platform plugin does not start ({cause}); unset '
        f"QT_QPA_PLATFORM to use the default, {headless}"
    )


def _plugin_names(listing: str) -> list[str]:
    return [name.strip() for name in listing.split(",") if name.strip()]


def _first_qt_line(stderr: str) -> str:
    for line in stderr.splitlines():
        text = line.strip()
        if text and not text.startswith(("This application failed", "Available platform plugins")):
            return text.removeprefix("qt.qpa.plugin: ").removeprefix("qt.qpa.xcb: ")
    return "no reason given"


def qt_plugin_dir() -> Path | None:
    """PySide6's own ``plugins/platforms`` folder (the plugins its wheels ship), if found."""
    try:
        import PySide6
    except ImportError:
        return None
    folder = Path(PySide6.__file__).resolve().parent / "Qt" / "plugins" / "platforms"
    return folder if folder.is_dir() else None


def missing_xcb_libraries() -> list[str]:
    """The shared libraries the xcb plugin needs that this system lacks (``ldd``, plus those it dlopens)."""
    missing: list[str] = []
    folder = qt_plugin_dir()
    ldd = shutil.which("ldd")
    if folder is not None and ldd is not None:
        targets = [folder / "libqxcb.so", *sorted(folder.parent.parent.glob("lib/libQt6XcbQpa.so*"))[:1]]
        for target in targets:
            if not target.exists():
                continue
            try:
                listing = subprocess.run(
                    [ldd, str(target)], capture_output=True, text=True, timeout=10, check=False
                ).stdout
            except (OSError, subprocess.TimeoutExpired):
                continue
            missing.extend(_NOT_FOUND.findall(listing))
    for name in DLOPENED:
        if not _loadable(name):
            missing.append(name)
    return list(dict.fromkeys(missing))


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return ctypes.util.find_library(soname.removeprefix("lib").split(".so", 1)[0]) is not None
    return True
