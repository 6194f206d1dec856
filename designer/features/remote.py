"""Elsa 2 servers in the designer: File ▸ Servers…, Open from Server…, Push to Server, Publish to Server,
the Server Instances panel, and the servers' own activity types in the palette, inspector and validation.

- A tab opened from a server remembers the server and the definition id (and, once saved to a file, the file
  keeps that link in the settings). Push saves the tab as the definition's draft, Publish publishes it; both
  pass a validation gate (errors ask first) and warn when the server's latest version changed since the pull
  (another save, even a draft updated in place, is seen by content, not only by version number).
- Opening a server instance opens the definition at the version it ran, with the executed path, visit counts
  and the faulted card drawn by the run overlay, and its execution log in the journal and log panels, as a
  local run shows them (:mod:`designer.remote.replay`).
- Each server's activity descriptors are fetched when it is first used, cached per server on disk
  (:mod:`runtime.remote.cache`) and learned by the runtime catalog at start, so the types are known offline.

Server calls run off the GUI thread (:class:`~designer.remote.calls.RemoteCalls`). The client and every
conversion are the runtime's (:mod:`runtime.remote`); this module only asks and shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from PySide6.QtWidgets import QDockWidget, QInputDialog, QMessageBox, QWidget

from designer.actions import make_action
from designer.document import Document, FileStyle
from designer.editor_tab import EditorTab
from designer.features.run import STATUS_MESSAGE_MS, RunFeature
from designer.remote.calls import RemoteCalls
from designer.remote.instances_panel import LIMIT, InstanceQuery, InstancesPage, InstancesPanel
from designer.remote.open_dialog import OpenFromServerDialog
from designer.remote.replay import instance_trace, journal_rows
from designer.remote.servers_dialog import ServersDialog
from designer.run.bridge import RunEvent
from designer.shell import Feature, MenuName, Shell
from designer.theme import Theme
from runtime.errors import FlowdeskError
from runtime.model import WorkflowDefinition
from runtime.remote.cache import load_descriptors, save_descriptors
from runtime.remote.client import DefinitionRow, ElsaClient, parse_descriptors
from runtime.remote.convert import content_fingerprint
from runtime.remote.errors import NotFoundOnServer, RemoteError
from runtime.remote.models import ExecutionLogRecord, WorkflowInstance
from runtime.remote.servers import ServerEntry, ServerStore
from runtime.validation import validate

LINKS_GROUP = "remoteLinks"
"""Settings group: the server link of each workflow file saved from a server tab."""


@dataclass
class RemoteLink:
    """Where a tab's workflow lives on a server, and what the server had when it was pulled or pushed."""

    server: str
    url: str
    definition_id: str
    version: int | None = None
    version_id: str | None = None
    fingerprint: str | None = None
    """:func:`~runtime.remote.convert.content_fingerprint` of the server's latest version as last seen."""
    instance_id: str | None = None
    """Set on a tab that shows a server instance (the definition at the version it ran)."""


@dataclass
class RemoteDialogs:
    """The feature's questions, as plain functions (tests answer them without modal dialogs)."""

    confirm: Callable[[str, str], bool]
    """(title, question) -> go on?"""
    choose_server: Callable[[str, list[str]], str | None]
    """(question, saved server names) -> the server to use, or None."""


def qt_remote_dialogs(parent: QWidget) -> RemoteDialogs:
    def confirm(title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def choose_server(text: str, names: list[str]) -> str | None:
        name, ok = QInputDialog.getItem(parent, "Choose a server", text, names, 0, False)
        return name if ok and name else None

    return RemoteDialogs(confirm, choose_server)


@dataclass
class Fetched:
    """What a background call brought for a tab: the definition, and descriptors when they were fetched."""

    entry: ServerEntry
    workflow: WorkflowDefinition
    activities: list[dict[str, Any]] | None = None
    instance: WorkflowInstance | None = None
    records: list[ExecutionLogRecord] | None = None


class RemoteFeature(Feature):
    """Servers, Open from Server, Push/Publish and Server Instances (see the module)."""

    shell: Shell
    calls: RemoteCalls
    store: ServerStore
    panel: InstancesPanel
    dock: QDockWidget

    def __init__(
        self,
        run: RunFeature | None = None,
        add_document: Callable[[Document], EditorTab] | None = None,
        catalog_changed: Callable[[], None] | None = None,
        dialogs: RemoteDialogs | None = None,
        store: ServerStore | None = None,
    ) -> None:
        """``run``: whose overlay, journal and log show server instances; ``add_document``: how a pulled
        workflow becomes a tab; ``catalog_changed``: called after server activity types were learned."""
        self.run = run
        self.add_document = add_document
        self.catalog_changed = catalog_changed
        self._dialogs = dialogs
        self._store = store
        self.links: dict[EditorTab, RemoteLink] = {}
        self.learned: dict[str, list[str]] = {}
        """Server URL -> the activity types learned from it."""
        self.servers_dialog: ServersDialog | None = None
        self.open_dialog: OpenFromServerDialog | None = None

    @property
    def dialogs(self) -> RemoteDialogs:
        if self._dialogs is None:
            self._dialogs = qt_remote_dialogs(self.shell.window())
        return self._dialogs

    @dialogs.setter
    def dialogs(self, dialogs: RemoteDialogs) -> None:
        self._dialogs = dialogs

    # --- installing ---------------------------------------------------------------------------------

    def install(self, shell: Shell) -> None:
        self.shell = shell
        parent = shell.window()
        self.store = self._store if self._store is not None else ServerStore()
        self.calls = RemoteCalls(parent)
        self.actions = {
            "actionOpenFromServer": make_action(
                parent,
                "actionOpenFromServer",
                "Open from Ser&ver…",
                self.show_open_dialog,
                "Ctrl+Shift+O",
                "Open a workflow definition from an Elsa server",
            ),
            "actionPushToServer": make_action(
                parent,
                "actionPushToServer",
                "P&ush to Server",
                lambda: self.push(publish=False),
                "Ctrl+Shift+U",
                "Save the workflow on its Elsa server as a draft",
            ),
            "actionPublishToServer": make_action(
                parent,
                "actionPublishToServer",
                "Pu&blish to Server",
                lambda: self.push(publish=True),
                None,
                "Save the workflow on its Elsa server and publish it",
            ),
            "actionServers": make_action(
                parent,
                "actionServers",
                "Ser&vers…",
                self.show_servers,
                None,
                "Add, edit and check Elsa servers",
            ),
        }
        shell.add_actions(MenuName.FILE, [None, *self.actions.values()])
        self.panel = InstancesPanel(self.store, self.calls, self._load_instances, shell.theme)
        self.panel.instanceRequested.connect(self.open_instance)
        self.dock = shell.add_bottom_panel("serverInstances", "Server Instances", self.panel)
        self.dock.visibilityChanged.connect(self._panel_visibility)
        self._refreshed_once = False
        self.learn_cached_activities()
        self.current_tab_changed(shell.current_tab())

    def _panel_visibility(self, visible: bool) -> None:
        if visible and not self._refreshed_once and self.panel.server_name():
            self._refreshed_once = True
            self.panel.refresh()

    # --- servers and their activities ---------------------------------------------------------------

    def entry(self, name: str) -> ServerEntry | None:
        try:
            return self.store.get(name)
        except FlowdeskError as error:
            self.shell.dialogs.report_error("Elsa servers", str(error))
            return None

    def learn_cached_activities(self) -> list[str]:
        """Learn the cached descriptors of every saved server (offline: no call is made)."""
        learned: list[str] = []
        try:
            entries = self.store.entries()
        except FlowdeskError:
            return learned
        for entry in entries:
            cached = load_descriptors(entry.url)
            if cached is not None:
                learned += self.learn(entry, cached[0])
        return learned

    def learn(self, entry: ServerEntry, activities: list[dict[str, Any]]) -> list[str]:
        """Add a server's own activity types to the catalog (GUI thread) and redraw what shows them."""
        from runtime.remote.descriptors import learn_server_activities

        types = learn_server_activities(parse_descriptors(activities, entry.url), entry.name or entry.url)
        self.learned[entry.url] = types
        if types and self.catalog_changed is not None:
            self.catalog_changed()
        return types

    async def _activities_if_new(self, client: ElsaClient) -> list[dict[str, Any]] | None:
        """The server's descriptors when none are cached yet (then cached); None when they are."""
        if load_descriptors(client.url) is not None:
            return None
        try:
            raw = await client.activities_json()
        except RemoteError:
            return None  # the definitions still open; the types stay generic until a check
        save_descriptors(client.url, raw)
        return raw

    def show_servers(self) -> ServersDialog:
        """File ▸ Servers…: the (non-blocking) dialog."""
        if self.servers_dialog is None:
            self.servers_dialog = ServersDialog(
                self.store,
                self.calls,
                self._check,
                lambda title, text: self.dialogs.confirm(title, text),
                self.shell.window(),
                on_checked=self._checked,
            )
            self.servers_dialog.serversChanged.connect(self._servers_changed)
        else:
            self.servers_dialog.reload(self.servers_dialog.editing)
        self.servers_dialog.open()
        return self.servers_dialog

    async def _check(self, entry: ServerEntry) -> tuple[ServerEntry, str, int, list[dict[str, Any]]]:
        async with ElsaClient(entry.url, entry.headers) as client:
            version = await client.server_version()
            rows = await client.definitions()
            activities = await client.activities_json()
        save_descriptors(entry.url, activities)
        return entry, version, len(rows), activities

    def _checked(self, result: Any) -> str:
        entry, version, count, activities = result
        types = self.learn(entry, activities)
        own = f", {len(types)} of its own" if types else ""
        return f"Connected: Elsa {version} · {count} workflow(s) · {len(activities)} activity types{own}"

    def _servers_changed(self) -> None:
        self.panel.fill_servers()
        if self.open_dialog is not None:
            self.open_dialog.fill_servers(self.open_dialog.server_name())

    # --- opening from a server ------------------------------------------------------------------------

    def show_open_dialog(self) -> OpenFromServerDialog:
        """File ▸ Open from Server…: the (non-blocking) list of definitions."""
        current = self.shell.current_tab()
        link = self.links.get(current) if current is not None else None
        if self.open_dialog is None:
            self.open_dialog = OpenFromServerDialog(
                self.store,
                self.calls,
                self._load_definitions,
                self.shell.window(),
                link.server if link else None,
            )
            self.open_dialog.chosen.connect(self.open_definition)
        else:
            self.open_dialog.fill_servers(link.server if link else self.open_dialog.server_name())
        self.open_dialog.open()
        self.open_dialog.search.setFocus()
        self.open_dialog.refresh()
        return self.open_dialog

    async def _load_definitions(self, entry: ServerEntry) -> list[DefinitionRow]:
        async with ElsaClient(entry.url, entry.headers) as client:
            return await client.definitions()

    def open_definition(self, server: str, definition_id: str, version: str = "Latest") -> None:
        """Pull a definition and open it in a tab linked to its server (an open one is brought forward)."""
        for tab, link in self.links.items():
            if link.server == server and link.definition_id == definition_id and link.instance_id is None:
                self.shell.show_tab(tab)
                return
        entry = self.entry(server)
        if entry is None:
            return

        async def pull() -> Fetched:
            async with ElsaClient(entry.url, entry.headers) as client:
                workflow = await client.get_definition(definition_id, version)
                return Fetched(entry, workflow, await self._activities_if_new(client))

        self.shell.show_message(f"Opening {definition_id} from {server}…", STATUS_MESSAGE_MS)
        self.calls.call(pull, self._pulled, lambda message: self._failed("Cannot open from server", message))

    def _pulled(self, fetched: Fetched) -> None:
        if fetched.activities is not None:
            self.learn(fetched.entry, fetched.activities)
        workflow = fetched.workflow
        link = RemoteLink(
            fetched.entry.name,
            fetched.entry.url,
            workflow.definition_id or "",
            workflow.version,
            workflow.version_id,
            content_fingerprint(workflow),
        )
        tab = self._open_tab(workflow, link)
        if tab is not None:
            state = "published" if workflow.is_published else "draft"
            self.shell.show_message(
                f"Opened {workflow.label} version {workflow.version} ({state}) from {link.server}",
                STATUS_MESSAGE_MS,
            )

    def _open_tab(self, workflow: WorkflowDefinition, link: RemoteLink) -> EditorTab | None:
        if self.add_document is None:
            self.shell.dialogs.report_error("Cannot open from server", "this window cannot open new tabs")
            return None
        tab = self.add_document(Document(workflow, None, FileStyle(indent=None)))
        self.links[tab] = link
        tab.document.pathChanged.connect(lambda _path, t=tab: self._remember_link(t))
        self.current_tab_changed(tab)
        return tab

    def link_of(self, tab: EditorTab | None) -> RemoteLink | None:
        return self.links.get(tab) if tab is not None else None

    # --- pushing ------------------------------------------------------------------------------------

    def push(self, publish: bool = False, tab: EditorTab | None = None) -> bool:
        """Push (or publish) the tab in front to its server; False when nothing was sent."""
        tab = tab or self.shell.current_tab()
        if tab is None:
            return False
        verb = "Publish" if publish else "Push"
        workflow = tab.document.workflow
        errors = [p for p in validate(workflow) if p.severity == "error"]
        if errors:
            first = errors[0]
            question = (
                f"{tab.document.title} has {len(errors)} error(s), e.g. {first.subject}: {first.message}.\n\n"
                f"{verb} it to the server anyway?"
            )
            if not self.dialogs.confirm(f"{verb} with errors?", question):
                self.shell.show_message(f"{verb} cancelled: fix the errors first", STATUS_MESSAGE_MS)
                return False
        link = self.links.get(tab)
        if link is None:
            try:
                names = self.store.names()
            except FlowdeskError as error:
                self.shell.dialogs.report_error(f"Cannot {verb.lower()}", str(error))
                return False
            if not names:
                self.shell.dialogs.report_error(
                    f"Cannot {verb.lower()}", "No Elsa server is saved yet: add one with File ▸ Servers…"
                )
                return False
            server = self.dialogs.choose_server(f"{verb} {tab.document.title} to which server?", names)
            entry = self.entry(server) if server else None
            if entry is None:
                return False
            link = RemoteLink(entry.name, entry.url, workflow.definition_id or "")
        entry = self.entry(link.server)
        if entry is None:
            self.shell.dialogs.report_error(
                f"Cannot {verb.lower()}", f"the server {link.server} is not saved"
            )
            return False
        definition_id = workflow.definition_id or link.definition_id

        async def latest() -> WorkflowDefinition | None:
            if not definition_id:
                return None
            async with ElsaClient(entry.url, entry.headers) as client:
                try:
                    return await client.get_definition(definition_id, "Latest")
                except NotFoundOnServer:
                    return None

        self.shell.show_message(f"{verb}ing {tab.document.title} to {entry.name}…", STATUS_MESSAGE_MS)
        self.calls.call(
            latest,
            lambda found: self._push_checked(tab, entry, link, found, publish),
            lambda message: self._failed(f"Cannot {verb.lower()}", message),
        )
        return True

    def conflict(self, link: RemoteLink, latest: WorkflowDefinition | None) -> str | None:
        """Why pushing would overwrite someone else's work, or None."""
        if latest is None:
            return None
        if link.fingerprint is None:
            state = "published" if latest.is_published else "draft"
            return (
                f"The server {link.server} already has this definition (version {latest.version}, {state}). "
                "Your push replaces its draft or makes a new version."
            )
        if latest.version != link.version or content_fingerprint(latest) != link.fingerprint:
            changed = (
                f"version {link.version} → {latest.version}"
                if latest.version != link.version
                else f"version {latest.version} was saved again"
            )
            return (
                f"The workflow changed on {link.server} since you pulled it ({changed}). "
                "Pushing replaces those changes with yours."
            )
        return None

    def _push_checked(
        self,
        tab: EditorTab,
        entry: ServerEntry,
        link: RemoteLink,
        latest: WorkflowDefinition | None,
        publish: bool,
    ) -> None:
        verb = "Publish" if publish else "Push"
        if tab not in self.shell.editor_tabs():
            return
        reason = self.conflict(link, latest)
        if reason is not None and not self.dialogs.confirm(
            "The server's version changed", f"{reason}\n\n{verb} anyway?"
        ):
            self.shell.show_message(f"{verb} cancelled", STATUS_MESSAGE_MS)
            return
        workflow = tab.document.workflow

        async def save() -> Any:
            async with ElsaClient(entry.url, entry.headers) as client:
                return await client.save(workflow, publish=publish)

        self.calls.call(
            save,
            lambda result: self._pushed(tab, entry, link, result),
            lambda message: self._failed(f"Cannot {verb.lower()}", message),
        )

    def _pushed(self, tab: EditorTab, entry: ServerEntry, link: RemoteLink, result: Any) -> None:
        saved: WorkflowDefinition = result.workflow
        link.definition_id = saved.definition_id or link.definition_id
        link.version, link.version_id = saved.version, saved.version_id
        link.fingerprint = content_fingerprint(saved)
        if tab in self.shell.editor_tabs():
            self.links[tab] = link
            workflow = tab.document.workflow
            for field in ("version", "version_id", "is_published", "is_latest", "created_at", "id"):
                value = getattr(saved, field)
                if value is not None and getattr(workflow, field) != value:
                    setattr(workflow, field, value)  # the server's bookkeeping, not an edit
            workflow.touch()
            self._remember_link(tab)
        state = "published" if saved.is_published else "draft"
        notes = f" ({'; '.join(result.notes)})" if result.notes else ""
        self.shell.show_message(
            f"{'Created' if result.created else 'Saved'} {saved.label} version {saved.version} ({state}) on "
            f"{entry.name}{notes}",
            STATUS_MESSAGE_MS * 2,
        )
        self.current_tab_changed(self.shell.current_tab())

    # --- server instances ---------------------------------------------------------------------------

    async def _load_instances(self, entry: ServerEntry, query: InstanceQuery) -> InstancesPage:
        async with ElsaClient(entry.url, entry.headers) as client:
            instances = await client.instances(
                query.workflow, query.status, query.correlation_id, limit=LIMIT
            )
            definitions = await client.definitions()
        return InstancesPage(instances, definitions)

    def show_instances(self) -> InstancesPanel:
        self.dock.show()
        self.dock.raise_()
        return self.panel

    def open_instance(self, server: str, instance_id: str) -> None:
        """Open the definition at the version the instance ran, with the run drawn on it."""
        entry = self.entry(server)
        if entry is None:
            return

        async def fetch() -> Fetched:
            async with ElsaClient(entry.url, entry.headers) as client:
                instance = await client.get_instance(instance_id)
                records = await client.execution_log(instance_id)
                if instance.definition_version_id:
                    workflow = await client.get_definition_version(instance.definition_version_id)
                else:
                    workflow = await client.get_definition(instance.definition_id, str(instance.version))
                activities = await self._activities_if_new(client)
            return Fetched(entry, workflow, activities, instance, records)

        self.shell.show_message(f"Opening instance {instance_id} from {server}…", STATUS_MESSAGE_MS)
        self.calls.call(fetch, self._instance_fetched, lambda m: self._failed("Cannot open the instance", m))

    def _instance_fetched(self, fetched: Fetched) -> None:
        from runtime.remote.replay import log_events, replay_steps

        if fetched.activities is not None:
            self.learn(fetched.entry, fetched.activities)
        instance, records, workflow = fetched.instance, fetched.records or [], fetched.workflow
        assert instance is not None
        tab = next((t for t, link in self.links.items() if link.instance_id == instance.id), None)
        if tab is None:
            link = RemoteLink(
                fetched.entry.name,
                fetched.entry.url,
                workflow.definition_id or instance.definition_id,
                workflow.version,
                workflow.version_id,
                None,
                instance.id,
            )
            tab = self._open_tab(workflow, link)
            if tab is None:
                return
        else:
            self.shell.show_tab(tab)
        steps = replay_steps(records)
        if self.run is not None:
            controller = self.run.controller
            overlay = controller.overlay_of(tab)
            if overlay is not None:
                overlay.show_trace(instance_trace(steps, instance))
            controller.journal_panel.clear()
            controller.journal_panel.add_rows(journal_rows(steps, instance, tab.document.workflow))
            events = log_events(records, instance, tab.document.workflow)
            controller.log_panel.model.add_events(RunEvent(e, workflow.definition_id) for e in events)
            controller.log_panel.model.flush()
            controller.variables_panel.clear()
            controller.variables_panel.instance_started(
                instance.id, workflow.name or workflow.label, instance.variable_data()
            )
            self._raise(controller.journal_panel)
        faults = instance.all_faults()
        fault = f": {faults[0].text}" if faults else ""
        self.shell.show_message(
            f"Instance {instance.id[:8]} of {workflow.label} v{workflow.version}: "
            f"{instance.workflow_status}{fault}",
            STATUS_MESSAGE_MS * 2,
        )

    @staticmethod
    def _raise(widget: QWidget) -> None:
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QDockWidget):
            parent = parent.parentWidget()
        if parent is not None:
            parent.show()
            parent.raise_()

    # --- links of saved files -------------------------------------------------------------------------

    def _settings_key(self, tab: EditorTab) -> str | None:
        path = tab.document.path
        if path is None:
            return None
        return f"{LINKS_GROUP}/{str(path).replace('/', '|')}"

    def _remember_link(self, tab: EditorTab) -> None:
        link = self.links.get(tab)
        key = self._settings_key(tab)
        if link is not None and key is not None and link.instance_id is None:
            self.shell.settings.setValue(key, json.dumps(asdict(link)))

    def _restore_link(self, tab: EditorTab) -> None:
        key = self._settings_key(tab)
        raw = self.shell.settings.value(key) if key is not None else None
        if not isinstance(raw, str):
            return
        try:
            link = RemoteLink(**json.loads(raw))
        except (TypeError, ValueError):
            return
        if link.definition_id == tab.document.workflow.definition_id:
            self.links[tab] = link

    # --- window hooks -------------------------------------------------------------------------------

    def _failed(self, title: str, message: str) -> None:
        self.shell.show_message(message, STATUS_MESSAGE_MS)
        self.shell.dialogs.report_error(title, message)

    def tab_added(self, tab: EditorTab) -> None:
        if tab.document.path is not None:
            self._restore_link(tab)
            tab.document.pathChanged.connect(lambda _path, t=tab: self._remember_link(t))

    def tab_closing(self, tab: EditorTab) -> None:
        self.links.pop(tab, None)

    def current_tab_changed(self, tab: EditorTab | None) -> None:
        link = self.link_of(tab)
        where = f" ({link.server})" if link is not None else ""
        for name in ("actionPushToServer", "actionPublishToServer"):
            action = self.actions[name]
            action.setEnabled(tab is not None)
            action.setText(
                ("P&ush to Server" if name == "actionPushToServer" else "Pu&blish to Server") + where
            )

    def set_theme(self, theme: Theme) -> None:
        self.panel.set_theme(theme)

    def shutdown(self) -> None:
        self.calls.shutdown()
