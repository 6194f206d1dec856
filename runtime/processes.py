"""Whether another process is still running: for locks and temporary files a dead process left behind."""

from __future__ import annotations

import os
import socket
import sys


def pid_alive(pid: int) -> bool:
    """True while a process with this id runs on this machine (a zombie counts as alive until reaped).

    An id that cannot be checked (no permission to signal it) counts as alive: better to wait for a lease
    to run out than to take what a live process holds.
    """
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, as another user's
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    """``os.kill`` would terminate the process on Windows: ask OpenProcess/GetExitCodeProcess instead."""
    import ctypes

    kernel32 = getattr(ctypes, "WinDLL")("kernel32", use_last_error=True)  # noqa: B009  (Windows only)
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return bool(getattr(ctypes, "get_last_error")() == access_denied)  # noqa: B009
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def host_name() -> str:
    """This machine's name, recorded beside a process id (an id means nothing on another machine)."""
    return socket.gethostname()


__all__ = ["host_name", "pid_alive"]
