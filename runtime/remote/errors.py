"""What can go wrong talking to an Elsa 2 server, each as one line a person can act on.

Every error names the server (its URL, never its credentials). The command line prints them as
``flowdesk: <message>`` and exits 1; the designer shows them in its error dialog.
"""

from __future__ import annotations

from runtime.errors import FlowdeskError


class RemoteError(FlowdeskError):
    """The server said no, or could not be reached (exit status 1 on the command line)."""

    def __init__(self, message: str, url: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        """The server's base URL (no credentials are ever part of it)."""
        self.status = status
        """The HTTP status the server answered with, when it answered."""


class CredentialsRefused(RemoteError):
    """401 or 403: the server wants (other) credentials."""


class NotFoundOnServer(RemoteError):
    """404: the definition, version or instance asked for is not on the server."""


class ServerRejected(RemoteError):
    """400 (or 415): the server refused the request; ``messages`` are its validation messages."""

    def __init__(
        self, message: str, url: str = "", status: int | None = None, messages: list[str] | None = None
    ) -> None:
        super().__init__(message, url, status)
        self.messages = list(messages or [])


class ServerUnreachable(RemoteError):
    """Connection refused, DNS failure, TLS failure or timeout: the server never answered."""


class UnexpectedAnswer(RemoteError):
    """The server answered with something this client cannot use (5xx, not JSON, not an Elsa 2 API)."""


class ServerConfigError(FlowdeskError):
    """A server name or header given on the command line or saved in the config cannot be used."""
