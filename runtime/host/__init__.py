"""The HTTP host: serves every HttpEndpoint workflow at its Path and Methods (``flowdesk serve``)."""

from runtime.host.app import HostConfigError, WorkflowHost
from runtime.host.server import BackgroundHost, serve

__all__ = ["BackgroundHost", "HostConfigError", "WorkflowHost", "serve"]
