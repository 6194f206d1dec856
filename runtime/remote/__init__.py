"""Elsa 2 servers: an async client of the Elsa 2.15 REST API, the conversions between its shapes and the
runtime's model, saved servers and their credentials, and the servers' activity descriptors.

Used by ``flowdesk remote``/``pull``/``push`` and the designer. Imports httpx and pydantic: the command
modules import it inside their handlers only.
"""

from runtime.remote.client import DefinitionRow, ElsaClient, SaveResult, merge_rows, parse_descriptors
from runtime.remote.convert import SaveRequest, content_fingerprint, save_request, workflow_from_api
from runtime.remote.errors import (
    CredentialsRefused,
    NotFoundOnServer,
    RemoteError,
    ServerConfigError,
    ServerRejected,
    ServerUnreachable,
    UnexpectedAnswer,
)
from runtime.remote.servers import ServerEntry, ServerStore, resolve_server

__all__ = [
    "CredentialsRefused",
    "DefinitionRow",
    "ElsaClient",
    "NotFoundOnServer",
    "RemoteError",
    "SaveRequest",
    "SaveResult",
    "ServerConfigError",
    "ServerEntry",
    "ServerRejected",
    "ServerStore",
    "ServerUnreachable",
    "UnexpectedAnswer",
    "content_fingerprint",
    "merge_rows",
    "parse_descriptors",
    "resolve_server",
    "save_request",
    "workflow_from_api",
]
