"""Saved Elsa servers: a name, a base URL and the headers to send (credentials), outside any workflow file.

``flowdesk remote add NAME URL --header 'N: v'`` and the designer's Servers dialog write them to
``servers.json`` in the user's config directory (platformdirs; ``FLOWDESK_CONFIG_DIR`` overrides it),
a file only its owner can read (mode 0600). Where a system keyring is installed and usable (the optional
``keyring`` package with a real backend), header values go there and the file keeps only their names.
Header values are never printed: :meth:`ServerEntry.masked_headers` is what may be shown. Credentials never
ride in a URL (:func:`check_url` refuses ``user:password@``), where they would be printed and kept in clear.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from runtime.remote.errors import ServerConfigError
from runtime.secrets import mask_secret

CONFIG_ENV = "FLOWDESK_CONFIG_DIR"
SERVER_ENV = "FLOWDESK_SERVER"
NO_KEYRING_ENV = "FLOWDESK_NO_KEYRING"
KEYRING_SERVICE = "flowdesk"
FILE_NAME = "servers.json"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def config_dir() -> Path:
    """Where Flowdesk keeps the user's settings (``FLOWDESK_CONFIG_DIR`` wins)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("flowdesk", appauthor=False))


def normalize_url(url: str) -> str:
    """``host:port`` gets ``http://``; trailing slashes go."""
    text = url.strip()
    if "://" not in text:
        text = f"http://{text}"
    return text.rstrip("/")


_USER_INFO = re.compile(r"^([^/?#]*://)([^/?#]*)@")


def redact_url(url: str) -> str:
    """``url`` as it may be printed: a password in it becomes ``****`` (``http://user:****@host``)."""

    def masked(match: re.Match[str]) -> str:
        user, sep, _password = match.group(2).partition(":")
        return f"{match.group(1)}{user}{':****' if sep else ''}@"

    return _USER_INFO.sub(masked, url, count=1)


def check_url(url: str) -> str:
    """``url`` normalized (:func:`normalize_url`) when it can be a server's base URL: http or https, with a
    host and no user information. Credentials in a URL would be printed in every error line and kept in
    plain text (servers.json, the descriptor cache), so they are refused for a header, which is masked and
    may go to the keyring. Raises :class:`ServerConfigError` (exit 2), never echoing a password."""
    from urllib.parse import urlsplit

    if not url.strip():
        raise ServerConfigError("no server URL given: give its base URL, e.g. https://elsa.example.com")
    text = normalize_url(url)
    shown = redact_url(text)
    if _USER_INFO.match(text):
        raise ServerConfigError(
            f"{shown}: a server URL cannot carry a user name or password; "
            "give them as --header 'Authorization: Basic …' instead"
        )
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (parsed now: a bad port is refused here, not at the first request)
    except ValueError as error:
        raise ServerConfigError(f"{shown!r} is not a URL ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ServerConfigError(f"{shown} is not an http:// or https:// URL")
    if not parts.hostname:
        raise ServerConfigError(f"{url.strip()!r} has no host name")
    return text


def looks_like_url(text: str) -> bool:
    """A URL or ``host[:port]`` rather than a saved server's name."""
    return "://" in text or ":" in text or "/" in text or "." in text or text.startswith("localhost")


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\x20-\x7e\t]*")


def check_header(name: str, value: str) -> None:
    """A header HTTP can carry: a token name, a printable ASCII value (the value is never echoed)."""
    if not _HEADER_NAME.fullmatch(name):
        raise ServerConfigError(f"{name!r} is not an HTTP header name (letters, digits and -)")
    if not _HEADER_VALUE.fullmatch(value):
        raise ServerConfigError(
            f"the value of header {name} cannot be sent: only printable ASCII, on one line, is allowed"
        )


def parse_header(text: str) -> tuple[str, str]:
    """``'Authorization: Bearer x'`` → ``("Authorization", "Bearer x")``; the value is never echoed."""
    name, sep, value = text.partition(":")
    name = name.strip()
    if not sep or not name or not _HEADER_NAME.fullmatch(name):
        raise ServerConfigError(
            "a --header is not of the form 'Name: value' (the name must be a plain HTTP header name)"
        )
    check_header(name, value.strip())
    return name, value.strip()


def merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``base`` with ``extra`` on top; header names compare case-insensitively."""
    merged = {k: v for k, v in base.items() if k.lower() not in {e.lower() for e in extra}}
    merged.update(extra)
    return merged


@dataclass
class ServerEntry:
    """One server: ``name`` is empty for a URL given on the command line and not saved."""

    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)

    def masked_headers(self) -> dict[str, str]:
        """The headers as they may be shown: every value masked (``Bearer ****``)."""
        return {name: str(mask_secret(value)) for name, value in self.headers.items()}


class Keyring(Protocol):
    """The part of the ``keyring`` package's API used here."""

    def get_password(self, service_name: str, username: str) -> str | None: ...

    def set_password(self, service_name: str, username: str, password: str) -> None: ...

    def delete_password(self, service_name: str, username: str) -> None: ...


def system_keyring() -> Keyring | None:
    """The ``keyring`` package when it is installed and has a real backend (never a new dependency)."""
    if os.environ.get(NO_KEYRING_ENV):
        return None
    try:
        import keyring  # type: ignore[import-not-found, unused-ignore]
        from keyring.backends import fail  # type: ignore[import-not-found, unused-ignore]
    except Exception:
        return None
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            return None
    except Exception:
        return None
    return cast(Keyring, keyring)


class ServerStore:
    """The saved servers (``servers.json``, mode 0600; header values in the keyring when there is one)."""

    def __init__(self, path: Path | None = None, keyring: Keyring | None | bool = True) -> None:
        """``keyring``: True finds the system keyring, False/None keeps values in the file, or a keyring."""
        self.path = path if path is not None else config_dir() / FILE_NAME
        if keyring is True:
            self.keyring: Keyring | None = system_keyring()
        elif keyring is False:
            self.keyring = None
        else:
            self.keyring = keyring

    # --- reading -------------------------------------------------------------------------------------

    def _read(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as error:
            raise ServerConfigError(f"{self.path}: cannot be read ({error.strerror})") from None
        try:
            document = json.loads(text) if text.strip() else {}
        except ValueError:
            raise ServerConfigError(f"{self.path}: is not JSON; fix or delete it") from None
        servers = document.get("servers") if isinstance(document, dict) else None
        return [item for item in servers if isinstance(item, dict)] if isinstance(servers, list) else []

    def entries(self) -> list[ServerEntry]:
        """Every saved server, in the order they were added."""
        return [self._entry(item) for item in self._read() if isinstance(item.get("name"), str)]

    def names(self) -> list[str]:
        return [entry.name for entry in self.entries()]

    def get(self, name: str) -> ServerEntry | None:
        """The server saved under ``name`` (exact, else case-insensitive)."""
        entries = self.entries()
        found = next((e for e in entries if e.name == name), None)
        return found or next((e for e in entries if e.name.lower() == name.lower()), None)

    def find_url(self, url: str) -> ServerEntry | None:
        """The saved server with this base URL, if any."""
        wanted = normalize_url(url)
        return next((e for e in self.entries() if e.url == wanted), None)

    def _entry(self, item: dict[str, Any]) -> ServerEntry:
        headers: dict[str, str] = {}
        for header in item.get("headers") or []:
            if not isinstance(header, dict) or not isinstance(header.get("name"), str):
                continue
            if header.get("keyring"):
                value = self._keyring_get(item["name"], header["name"])
                if value is not None:
                    headers[header["name"]] = value
            elif isinstance(header.get("value"), str):
                headers[header["name"]] = header["value"]
        return ServerEntry(str(item["name"]), normalize_url(str(item.get("url", ""))), headers)

    # --- writing -------------------------------------------------------------------------------------

    def save(self, entry: ServerEntry, previous_name: str | None = None) -> ServerEntry:
        """Add or replace a server (``previous_name``: the name it had, when renamed).

        The file is written before the keyring entries it no longer refers to are deleted, and a failed
        write puts back the keyring values it had overwritten: a failure never loses saved credentials."""
        if not NAME_PATTERN.match(entry.name):
            raise ServerConfigError(
                f"{entry.name!r} cannot name a server: use letters, digits, '.', '_' or '-'"
            )
        entry = ServerEntry(entry.name, check_url(entry.url), dict(entry.headers))
        for header, value in entry.headers.items():
            check_header(header, value)
        items = self._read()
        replaced = {entry.name.lower(), (previous_name or entry.name).lower()}
        old = [item for item in items if str(item.get("name", "")).lower() in replaced]
        overwritten: dict[str, str | None] = {}
        stored = {"name": entry.name, "url": entry.url, "headers": self._stored_headers(entry, overwritten)}
        index = next((i for i, item in enumerate(items) if item in old), len(items))
        kept = [item for item in items if item not in old]
        kept.insert(min(index, len(kept)), stored)
        try:
            self._write(kept)
        except ServerConfigError:
            self._restore_keyring(overwritten)
            raise
        self._forget_keyring(old, kept)
        return entry

    def remove(self, name: str) -> bool:
        """Forget a server: the file first, then its keyring entries (a failed write keeps both)."""
        items = self._read()
        gone = [item for item in items if str(item.get("name", "")).lower() == name.lower()]
        if not gone:
            return False
        kept = [item for item in items if item not in gone]
        self._write(kept)
        self._forget_keyring(gone, kept)
        return True

    def _stored_headers(self, entry: ServerEntry, overwritten: dict[str, str | None]) -> list[dict[str, Any]]:
        """The headers as the file keeps them; ``overwritten`` gets the keyring value each replaced."""
        stored: list[dict[str, Any]] = []
        for name, value in entry.headers.items():
            if self.keyring is not None:
                user = _keyring_user(entry.name, name)
                try:
                    previous = self.keyring.get_password(KEYRING_SERVICE, user)
                    self.keyring.set_password(KEYRING_SERVICE, user, value)
                    overwritten.setdefault(user, previous)
                    stored.append({"name": name, "keyring": True})
                    continue
                except Exception:
                    pass  # a locked or failing keyring: the 0600 file keeps it
            stored.append({"name": name, "value": value})
        return stored

    def _keyring_get(self, server: str, header: str) -> str | None:
        if self.keyring is None:
            return None
        try:
            return self.keyring.get_password(KEYRING_SERVICE, _keyring_user(server, header))
        except Exception:
            return None

    def _restore_keyring(self, overwritten: Mapping[str, str | None]) -> None:
        """Put back the keyring values a save set before its file write failed."""
        if self.keyring is None:
            return
        for user, value in overwritten.items():
            with contextlib.suppress(Exception):
                if value is None:
                    self.keyring.delete_password(KEYRING_SERVICE, user)
                else:
                    self.keyring.set_password(KEYRING_SERVICE, user, value)

    def _forget_keyring(self, dropped: list[dict[str, Any]], kept: list[dict[str, Any]]) -> None:
        """Delete the keyring entries of ``dropped`` servers that no ``kept`` server refers to."""
        if self.keyring is None:
            return
        referred = {user for item in kept for user in _keyring_users(item)}
        for item in dropped:
            for user in _keyring_users(item):
                if user not in referred:
                    with contextlib.suppress(Exception):
                        self.keyring.delete_password(KEYRING_SERVICE, user)

    def _write(self, items: list[dict[str, Any]]) -> None:
        """Atomically, readable by the user only (it may hold header values); the temporary file goes on
        every failure (:func:`runtime.files.write_text_atomically`)."""
        from runtime.errors import WorkflowSaveError
        from runtime.files import write_text_atomically

        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise ServerConfigError(f"cannot write in {folder} ({error.strerror})") from None
        text = json.dumps({"servers": items}, ensure_ascii=False, indent=2) + "\n"
        try:
            write_text_atomically(self.path, text, mode=0o600)
        except WorkflowSaveError as error:
            raise ServerConfigError(str(error)) from None


def _keyring_user(server: str, header: str) -> str:
    return f"{server}/{header}"


def _keyring_users(item: dict[str, Any]) -> list[str]:
    """The keyring entries a saved server's headers are kept in."""
    return [
        _keyring_user(str(item.get("name")), str(header.get("name")))
        for header in item.get("headers") or []
        if isinstance(header, dict) and header.get("keyring")
    ]


def resolve_server(
    server: str | None,
    header_args: Iterable[str] = (),
    store: ServerStore | None = None,
    environ: Mapping[str, str] | None = None,
) -> ServerEntry:
    """The server a command talks to: ``--server`` (a saved name or a URL), else ``FLOWDESK_SERVER``;
    ``--header`` values go on top of the saved ones (a URL that a saved server has uses its headers)."""
    env = os.environ if environ is None else environ
    value = (server or env.get(SERVER_ENV) or "").strip()
    if not value:
        raise ServerConfigError(f"no server: give --server URL|NAME, or set {SERVER_ENV}")
    store = store if store is not None else ServerStore()
    extra = dict(parse_header(text) for text in header_args)
    saved = store.get(value)
    if saved is None and looks_like_url(value):
        url = check_url(value)
        saved = store.find_url(url) or ServerEntry("", url)
    if saved is None:
        names = ", ".join(store.names())
        known = f" (saved: {names})" if names else ""
        raise ServerConfigError(
            f"no saved server named {value!r}{known}; flowdesk remote add {value} URL saves one"
        )
    return ServerEntry(saved.name, check_url(saved.url), merge_headers(saved.headers, extra))
