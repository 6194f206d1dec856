"""Files written whole or not at all: the workflow files, test files, pictures, exports and settings a user
keeps. A temporary file beside the target is written, flushed to disk and renamed over it; it is removed
on every failure, and one that a killed writer left behind is removed by the next write of the same target.
A rewritten file keeps its mode, a new one gets the umask's (not the temporary file's 0600).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import threading
import time
from pathlib import Path

from runtime.errors import WorkflowSaveError
from runtime.jsonlimits import utf8
from runtime.processes import pid_alive

_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask (read without changing it where the system tells it, else set and restored)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """The permissions a rewritten file keeps (its own), or a new file gets (0666 less the umask), where
    the temporary file made for writing it starts with 0600."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def write_text_atomically(target: Path, text: str, mode: int | None = None) -> None:
    """Never leaves a half-written target: the old file stays until the new one is complete. The text is
    written as UTF-8 (a lone surrogate as its ``\\udXXX`` escape)."""
    write_bytes_atomically(target, utf8(text), mode)


def write_bytes_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to a temporary file beside ``target`` (flushed to disk), then rename it over the
    target. The temporary file is removed on every failure, and one a killed writer left behind (its
    process is gone) is removed by the next write of the same target. Raises :class:`WorkflowSaveError`.

    The file keeps the mode of the one it replaces, a new one gets the umask's, unless ``mode`` is given.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temporaries(target)
    temp_name = ""
    try:
        # The name is known before the file exists, so an exception at any point (SIGTERM turned into
        # SystemExit included) can remove it: tempfile.mkstemp could be interrupted after creating it.
        for _attempt in range(100):
            temp_name = str(folder / f"{_temp_prefix(target)}{secrets.token_hex(4)}{_TEMP_SUFFIX}")
            try:
                handle = os.open(temp_name, _TEMP_FLAGS, 0o600)
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary file name")
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise WorkflowSaveError(f"{target}: cannot write in {folder} ({error.strerror})") from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, _mode_for(target) if mode is None else mode)
        os.replace(temp_name, target)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise WorkflowSaveError(f"{target}: cannot be written ({error.strerror})") from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


_TEMP_SUFFIX = ".tmp"
_TEMP_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_STALE_AFTER = 3600.0
"""Seconds after which a temporary file whose writer cannot be told (an older name) counts as left behind."""


def _temp_prefix(target: Path) -> str:
    """``.NAME.PID.``: the temporary file names the target and the process writing it."""
    return f".{target.name}.{os.getpid()}."


def remove_stale_temporaries(target: Path) -> int:
    """Remove the temporary files of ``target`` that a writer killed mid-write left beside it: those whose
    process is gone (on this machine), and unnamed ones older than an hour. Returns how many went."""
    folder = target.parent if str(target.parent) else Path(".")
    prefix = f".{target.name}."
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(_TEMP_SUFFIX)):
            continue
        middle = name[len(prefix) : -len(_TEMP_SUFFIX)]
        pid_text, _, rest = middle.partition(".")
        try:
            if rest and pid_text.isdigit():
                stale = int(pid_text) != os.getpid() and not pid_alive(int(pid_text))
            else:
                stale = time.time() - entry.stat(follow_symlinks=False).st_mtime > _STALE_AFTER
            if stale and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


__all__ = ["current_umask", "remove_stale_temporaries", "write_bytes_atomically", "write_text_atomically"]
