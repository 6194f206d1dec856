"""The Send request dialog: try a served endpoint without leaving the designer.

The request runs on a worker thread (the GUI never waits for it); :meth:`SendRequestDialog.send` starts it
and :attr:`SendRequestDialog.responseReceived` delivers the result, so tests drive the dialog without
``exec()``. :func:`perform_request` is the blocking part on its own.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from runtime.host.endpoints import ALL_METHODS, Endpoint

REQUEST_TIMEOUT = 60.0
"""Seconds a served workflow may take to answer (a debug session may hold it paused)."""


class RequestInputError(ValueError):
    """What the user typed cannot make a request (one line saying which field and why)."""


@dataclass(frozen=True)
class RequestSpec:
    """A request as typed in the dialog, checked and ready to send."""

    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""


@dataclass(frozen=True)
class ResponseResult:
    """What came back from a sent request (or why nothing did), for the dialog to show."""

    status: int | None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    milliseconds: float = 0.0
    error: str | None = None
    """Why no response came (connection refused, timeout); ``status`` is None then."""

    @property
    def summary(self) -> str:
        if self.error is not None:
            return self.error
        return f"{self.status} {self.reason}".strip() + f" · {self.milliseconds:.0f} ms"


def parse_header_lines(text: str) -> list[tuple[str, str]]:
    """``Name: value`` per line; blank lines are skipped."""
    headers: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or any(c.isspace() for c in name.strip()):
            raise RequestInputError(f'headers, line {number}: expected "Name: value", got "{line}"')
        headers.append((name.strip(), value.strip()))
    return headers


def build_request(method: str, base_url: str | None, path: str, header_text: str, body: str) -> RequestSpec:
    """The request to send: ``path`` is relative to the served host, or a full http(s) URL.

    A JSON body without a Content-Type header gets ``application/json`` (HttpEndpoint reads JSON by it).
    """
    method = method.strip().upper()
    if not method or not method.isalpha():
        raise RequestInputError(f'method "{method}" is not an HTTP method')
    target = path.strip()
    if target.startswith(("http://", "https://")):
        url = target
    else:
        if base_url is None:
            raise RequestInputError("Serve is off: turn it on, or give a full http:// URL")
        if not target.startswith("/"):
            target = "/" + target
        url = base_url.rstrip("/") + target
    headers = parse_header_lines(header_text)
    if body.strip() and not any(name.lower() == "content-type" for name, _ in headers):
        try:
            json.loads(body)
        except ValueError:
            pass
        else:
            headers.append(("Content-Type", "application/json"))
    return RequestSpec(method, url, headers, body)


def perform_request(spec: RequestSpec, timeout: float = REQUEST_TIMEOUT) -> ResponseResult:
    """Send ``spec`` and wait for the answer (blocking: call it off the GUI thread)."""
    started = time.perf_counter()
    try:
        response = httpx.request(
            spec.method,
            spec.url,
            headers=spec.headers,
            content=spec.body.encode("utf-8") if spec.body else None,
            timeout=timeout,
        )
    except httpx.InvalidURL as error:
        return ResponseResult(None, error=f"{spec.url}: not a usable URL ({error})")
    except httpx.TimeoutException:
        return ResponseResult(None, error=f"{spec.method} {spec.url}: no answer within {timeout:g} s")
    except httpx.HTTPError as error:
        return ResponseResult(None, error=f"{spec.method} {spec.url}: {error or type(error).__name__}")
    milliseconds = (time.perf_counter() - started) * 1000.0
    return ResponseResult(
        response.status_code,
        response.reason_phrase,
        list(response.headers.items()),
        readable_body(response),
        milliseconds,
    )


def readable_body(response: httpx.Response) -> str:
    """JSON indented; other text as sent."""
    if "json" in response.headers.get("content-type", "").lower() and response.content:
        try:
            return json.dumps(response.json(), ensure_ascii=False, indent=2)
        except ValueError:
            pass
    return response.text


def status_color(status: int | None) -> str:
    """Green for 2xx/3xx, amber for 4xx, red for 5xx and for no answer at all."""
    if status is None or status >= 500:
        return "#d93b3b"
    if status >= 400:
        return "#c77f0a"
    return "#2e9e5b"


class SendRequestDialog(QDialog):
    """Send a test request to the served workflows (or any URL) without leaving the designer; the request
    runs on a worker thread so the window never waits."""

    responseReceived = Signal(object)
    """The :class:`ResponseResult` of the request :meth:`send` started (GUI thread)."""

    _answered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendRequestDialog")
        self.setWindowTitle("Send Request")
        self.setAccessibleName("Send request")
        self.base_url: str | None = None
        self._worker: threading.Thread | None = None
        self.last_result: ResponseResult | None = None
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.method = QComboBox(self)
        self.method.setObjectName("requestMethod")
        self.method.setAccessibleName("Method")
        self.method.setEditable(True)
        self.method.addItems(list(ALL_METHODS))
        self.path = QComboBox(self)
        self.path.setObjectName("requestPath")
        self.path.setAccessibleName("Path")
        self.path.setEditable(True)
        self.path.setMinimumWidth(320)
        self.path.activated.connect(self._endpoint_chosen)
        path_edit = self.path.lineEdit()  # an editable combo box always has one
        if path_edit is not None:
            path_edit.returnPressed.connect(self.send)
        self.base_label = QLabel(self)
        self.base_label.setObjectName("requestBase")
        self.headers = QPlainTextEdit(self)
        self.headers.setObjectName("requestHeaders")
        self.headers.setAccessibleName("Request headers")
        self.headers.setPlaceholderText("One per line: Name: value")
        self.headers.setFont(fixed)
        self.headers.setFixedHeight(self.headers.fontMetrics().lineSpacing() * 4 + 12)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("requestBody")
        self.body.setAccessibleName("Request body")
        self.body.setPlaceholderText("Body (a JSON body is sent as application/json)")
        self.body.setFont(fixed)
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.input_error = QLabel(self)
        self.input_error.setObjectName("requestError")
        self.input_error.setStyleSheet("color: #d93b3b")

        line = QHBoxLayout()
        line.addWidget(self.method)
        line.addWidget(self.base_label)
        line.addWidget(self.path, 1)
        line.addWidget(self.send_button)
        request = QWidget(self)
        form = QFormLayout(request)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(line)
        form.addRow("Headers", self.headers)
        form.addRow("Body", self.body)
        form.addRow(self.input_error)

        self.status = QLabel("No request sent yet.", self)
        font = self.status.font()
        font.setBold(True)
        self.status.setFont(font)
        self.status.setObjectName("responseStatus")
        self.status.setAccessibleName("Response status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.response_headers = QPlainTextEdit(self)
        self.response_headers.setObjectName("responseHeaders")
        self.response_headers.setAccessibleName("Response headers")
        self.response_headers.setReadOnly(True)
        self.response_headers.setFont(fixed)
        self.response_body = QPlainTextEdit(self)
        self.response_body.setObjectName("responseBody")
        self.response_body.setAccessibleName("Response body")
        self.response_body.setReadOnly(True)
        self.response_body.setFont(fixed)
        response = QWidget(self)
        response_layout = QVBoxLayout(response)
        response_layout.setContentsMargins(0, 0, 0, 0)
        response_layout.addWidget(self.status)
        response_split = QSplitter(Qt.Orientation.Vertical, response)
        response_split.addWidget(self.response_headers)
        response_split.addWidget(self.response_body)
        response_split.setStretchFactor(0, 1)
        response_split.setStretchFactor(1, 3)
        response_split.setSizes([90, 270])
        response_layout.addWidget(response_split, 1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(request)
        splitter.addWidget(response)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(760, 700)
        self._answered.connect(self._show_result)
        self._endpoints: list[Endpoint] = []
        self.set_base_url(None)

    # --- configuration ----------------------------------------------------------------------------

    def set_base_url(self, url: str | None) -> None:
        self.base_url = url
        self.base_label.setText(url if url is not None else "(Serve is off)")

    def set_endpoints(self, endpoints: Sequence[Endpoint]) -> None:
        """Offer the served routes in the path box (keeps what the user typed)."""
        typed = self.path.currentText()
        self._endpoints = list(endpoints)
        self.path.clear()
        for endpoint in self._endpoints:
            self.path.addItem(endpoint.route.template)
        self.path.setEditText(typed or (self._endpoints[0].route.template if self._endpoints else "/"))
        if not typed and self._endpoints:
            self._endpoint_chosen(0)

    def _endpoint_chosen(self, index: int) -> None:
        if 0 <= index < len(self._endpoints):
            methods = self._endpoints[index].methods
            if self.method.currentText().upper() not in methods:
                self.method.setCurrentText(sorted(methods)[0])

    # --- sending ------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def send(self) -> bool:
        """Start sending what the form says; False (and a one-line error) when it cannot be sent."""
        if self.busy:
            return False
        try:
            spec = build_request(
                self.method.currentText(),
                self.base_url,
                self.path.currentText(),
                self.headers.toPlainText(),
                self.body.toPlainText(),
            )
        except RequestInputError as error:
            self.input_error.setText(str(error))
            return False
        self.input_error.setText("")
        self.status.setText(f"Sending {spec.method} {spec.url} …")
        self.status.setStyleSheet("")
        self.send_button.setEnabled(False)
        self._worker = threading.Thread(
            target=lambda: self._answered.emit(perform_request(spec)), name="flowdesk-send-request"
        )
        self._worker.start()
        return True

    def wait_idle(self, timeout: float = REQUEST_TIMEOUT + 5) -> None:
        """Wait for a request in flight to finish (window shutdown)."""
        if self._worker is not None:
            self._worker.join(timeout)

    def _show_result(self, result: ResponseResult) -> None:
        if self._worker is not None:
            self._worker.join()
            self._worker = None
        self.last_result = result
        self.send_button.setEnabled(True)
        self.status.setText(result.summary)
        self.status.setStyleSheet(f"color: {status_color(result.status)}")
        self.response_headers.setPlainText("\n".join(f"{name}: {value}" for name, value in result.headers))
        self.response_body.setPlainText(result.body)
        self.responseReceived.emit(result)
