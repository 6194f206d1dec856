"""What to do when a run hits one of the dead ends a newcomer meets first, with a button that does it.

* A data activity finds no object type (``object type "Settings" not found``): the run "finishes" after a
  couple of activities with one warning in the log. The notice names the store runs use and offers to
  import the samples' seed into it (by key: nothing else in the store changes), when the seed defines that
  type; else to import a seed file.
* An HTTP request to a loopback URL is refused: nothing listens there. The notice offers to turn Serve on
  (which hosts the open workflows' endpoints on 127.0.0.1), and says when Serve listens on another port.

After the button did its work the notice offers to run again. The notice is shown above the canvas of the
tab the run started from (:class:`~designer.notice.NoticeBar`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from designer.editor_tab import EditorTab
from designer.run.bridge import RunEvent
from designer.shell import Shell
from designer.story import import_seed_by_key, seed_path, seed_types
from runtime.engine import EventKind
from runtime.errors import FlowdeskError

MISSING_TYPE = re.compile(r'object type "(?P<type>[^"]+)" not found')
REFUSED = re.compile(
    r"\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (?P<url>https?://[^\s\"']+) failed: connection refused"
)
LOOPBACK_HOSTS = frozenset({"localhost", "::1", "[::1]"})


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in LOOPBACK_HOSTS or host.startswith("127.")


class RunHints:
    """Turns the events of a designer run into at most one notice with an action (see the module)."""

    def __init__(
        self,
        shell: Shell,
        run_again: Callable[[], object],
        turn_serve_on: Callable[[], bool] | None = None,
        serve_port: Callable[[], int | None] | None = None,
    ) -> None:
        self.shell = shell
        self.run_again = run_again
        self.turn_serve_on = turn_serve_on
        """Turns Serve on; True when it serves (set by the window, which owns Serve)."""
        self.serve_port = serve_port
        """The port Serve listens on (or will), for the refused-connection notice."""
        self.tab: EditorTab | None = None
        self.shown: str | None = None
        """The kind of notice shown for the run under way (one per run)."""

    def started(self, tab: EditorTab) -> None:
        """A run of ``tab``'s workflow starts: its old notice goes."""
        self.tab = tab
        self.shown = None
        tab.notice.dismiss()

    def observe(self, item: RunEvent) -> None:
        """An event of the designer's own run (any instance of it)."""
        if self.shown is not None or self.tab is None:
            return
        event = item.event
        if event.kind is EventKind.LOG and (found := MISSING_TYPE.search(event.message)):
            self.missing_type(found["type"])
        elif (
            event.kind in (EventKind.ACTIVITY_FAULTED, EventKind.INSTANCE_FAULTED)
            and (found := REFUSED.search(event.message))
            and is_loopback(found["url"])
        ):
            self.refused(found["url"])

    # --- the notices ------------------------------------------------------------------------------------

    def _notice(
        self, text: str, action_text: str | None, action: Callable[[], object] | None, kind: str
    ) -> None:
        if self.tab is not None:
            self.tab.notice.show_notice(text, action_text, action, kind)

    def missing_type(self, type_name: str) -> None:
        self.shown = "missing-type"
        store = self.shell.store_path
        text = f'The run ended early: the object store runs use has no type "{type_name}" ({store}). '
        if type_name.lower() in seed_types():
            self._notice(
                text + f"The samples' seed ({seed_path().name}) defines it: import it into this store "
                "(its records are matched by Key; nothing else in the store changes).",
                "Import the samples' settings",
                lambda: self._import(seed_path()),
                "warning",
            )
        else:
            self._notice(
                text + "Import a seed that defines it (or add the type in the Object Store panel).",
                "Import a seed…",
                self._import_chosen,
                "warning",
            )

    def _import_chosen(self) -> None:
        paths = self.shell.dialogs.open_paths("Import a store seed")
        if paths:
            self._import(Path(paths[0]))

    def _import(self, seed: Path) -> None:
        try:
            summary = import_seed_by_key(self.shell.store_path, seed)
        except (FlowdeskError, OSError) as error:
            self._notice(f"The import failed: {error}", None, None, "warning")
            return
        self._notice(f"{summary}.", "Run again", self.run_again, "success")

    def refused(self, url: str) -> None:
        self.shown = "refused"
        port = urlsplit(url).port or (443 if url.startswith("https") else 80)
        serve_port = self.serve_port() if self.serve_port is not None else None
        other_port = (
            f" (Serve listens on port {serve_port}: choose port {port} with Run ▸ Serve Port… first)"
            if serve_port not in (None, 0, port)
            else ""
        )
        self._notice(
            f"Nothing answers at {url} (connection refused). If the open workflows (or those beside them) "
            f"serve it, turn Serve on to host them on 127.0.0.1{other_port}.",
            "Turn Serve on",
            self._serve,
            "warning",
        )

    def _serve(self) -> None:
        if self.turn_serve_on is None or not self.turn_serve_on():
            self._notice("Serve could not start (see the message).", None, None, "warning")
            return
        text = "Serve is on: the open workflows' endpoints answer on 127.0.0.1."
        self._notice(text, "Run again", self.run_again, "success")
