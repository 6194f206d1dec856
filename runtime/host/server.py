"""Run the host under uvicorn: in the foreground (``flowdesk serve``) or on a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import uvicorn

from runtime.elsa_json import load_workflow
from runtime.engine import EngineSettings, RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.errors import FlowdeskError, WorkflowFormatError
from runtime.host.app import RequestCallback, WorkflowHost
from runtime.host.endpoints import HostedWorkflow
from runtime.host.guard import LIMITS, GuardedHttpToolsProtocol
from runtime.logfmt import StreamLog, request_line
from runtime.logsink import LogSink

if TYPE_CHECKING:
    from runtime.engine.events import Observer
    from runtime.history.recorder import HistoryRecorder


def load_hosted(paths: list[Path], warn: Callable[[str], None] | None = None) -> list[HostedWorkflow]:
    """The workflows of these files and folders (a bad file in a folder is skipped with a warning)."""
    hosted: list[HostedWorkflow] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.glob("*.json")):
                try:
                    hosted.append(HostedWorkflow(load_workflow(file), str(file)))
                except WorkflowFormatError as error:
                    if warn is not None:
                        warn(f"skipped {error}")
        else:
            hosted.append(HostedWorkflow(load_workflow(path), str(path)))
    return hosted


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one); a port in use is a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise FlowdeskError(f"cannot listen on {host}:{port} ({error.strerror})") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _config(app: WorkflowHost) -> uvicorn.Config:
    """uvicorn listens for Ctrl-C / SIGTERM itself when it runs on the main thread. Connections go through
    :class:`~runtime.host.guard.GuardedHttpToolsProtocol` (connection cap, header limits, timeouts)."""
    return uvicorn.Config(
        app,
        http=GuardedHttpToolsProtocol,
        timeout_keep_alive=int(LIMITS.keep_alive),
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        server_header=False,
        date_header=False,  # the host writes its own, formatted once a second (runtime.host.app._date)
        proxy_headers=False,  # as Elsa: the client is the socket's peer unless a proxy is configured
    )


def make_host(
    hosted: list[HostedWorkflow],
    library_folders: list[Path],
    store_path: Path | None,
    log: TextIO | LogSink | None = None,
    verbose: bool = False,
    journal: bool = True,
    history: HistoryRecorder | None = None,
) -> WorkflowHost:
    """The host of these workflows; ``log`` (a stream or a sink to share) gets the live log; ``history``
    records every instance a request starts (with its file's path and hash)."""
    library = WorkflowLibrary(library_folders, [h.workflow for h in hosted])
    services = RuntimeServices(
        library=library, store_path=store_path, settings=EngineSettings(journal=journal)
    )
    sink = log if isinstance(log, LogSink) or log is None else LogSink(log)
    observers: list[Observer] = [StreamLog(sink, verbose=verbose)] if sink is not None else []
    if history is not None:
        observers.append(history)
        for item in hosted:
            history.describe(item.workflow, item.source if Path(item.source).is_file() else None)
    runner = WorkflowRunner(services, observers)
    on_request = _request_logger(sink) if sink is not None else None
    app = WorkflowHost(hosted, runner, on_request, log_sink=sink)
    app.history = history
    return app


def serve(app: WorkflowHost, host: str, port: int, log: TextIO = sys.stderr) -> None:
    """Serve until Ctrl-C or SIGTERM; in-flight requests are finished (or answered 503) before exit."""
    sock = bind_socket(host, port)
    bound = sock.getsockname()
    sink = app.log_sink or LogSink(log)
    sink.write(f"flowdesk: serving on http://{bound[0]}:{bound[1]}")
    for endpoint in app.endpoints:
        sink.write(f"  {endpoint.describe()}")
    sink.flush()
    config = _config(app)
    server = uvicorn.Server(config)
    # uvicorn handles Ctrl-C / SIGTERM while serving, then re-raises the signal through the handler that was
    # installed before: make that one a no-op so a clean stop ends with exit status 0.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        _run_loop(config, _serve_then_close(server, sock, app))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    sink.write("flowdesk: stopped")
    sink.close()


def _run_loop(config: uvicorn.Config, main: Coroutine[Any, Any, None]) -> None:
    """Run on the event loop uvicorn would choose (uvloop where installed)."""
    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
        runner.run(main)


async def _serve_then_close(server: uvicorn.Server, sock: socket.socket, app: WorkflowHost) -> None:
    try:
        await server.serve(sockets=[sock])
    finally:
        await app.drain()
        await app.runner.services.aclose()
        app.runner.services.close()


class BackgroundHost:
    """The host on its own thread and event loop (tests, ``flowdesk demo``, the designer's Serve toggle)."""

    def __init__(self, app: WorkflowHost, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._sock = bind_socket(host, port)
        self.host, self.port = self._sock.getsockname()[:2]
        self._server = uvicorn.Server(_config(app))
        self._thread = threading.Thread(target=self._run, name=f"flowdesk-host-{self.port}", daemon=True)
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> BackgroundHost:
        self._thread.start()
        waited = 0.0
        while not self._server.started and self._thread.is_alive() and waited < timeout:
            threading.Event().wait(0.01)
            waited += 0.01
        if not self._server.started:
            raise FlowdeskError(f"the HTTP host did not start on {self.url}: {self._error or 'timed out'}")
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        with contextlib.suppress(OSError):
            self._sock.close()
        if self.app.log_sink is not None:
            self.app.log_sink.flush()

    def __enter__(self) -> BackgroundHost:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            _run_loop(self._server.config, _serve_then_close(self._server, self._sock, self.app))
        except BaseException as error:
            self._error = error


def _request_logger(sink: LogSink) -> RequestCallback:
    """The host's request lines, made on the log's writer thread."""

    def on_request(method: str, path: str, status: int, milliseconds: float, instance_id: str | None) -> None:
        sink.write((request_line, method, path, status, milliseconds, instance_id, time.time()))

    return on_request
