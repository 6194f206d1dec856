"""Files that ship with the runtime: the sample workflows and their store seed.

The repository keeps ``samples/`` at its root, where people look for it; the wheel ships the same files as
``runtime/samples/`` (``[tool.setuptools.package-dir]`` maps the package ``runtime.samples`` to that folder).
So the folder is the packaged one when it is there (an installed wheel), else the checkout's (a source tree
or an editable install, where nothing is copied).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def samples_folder() -> Path:
    """The folder of the sample workflows and ``store.json`` (``flowdesk demo`` serves it)."""
    package = files("runtime")
    if isinstance(package, Path) and (package / "samples").is_dir():
        return package / "samples"
    return Path(__file__).resolve().parent.parent / "samples"
