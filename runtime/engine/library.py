"""The workflow library: where RunWorkflow and ``getWorkflowDefinitionIdByName`` find other workflows.

It is the folder of the running file (or ``--workflows DIR``) plus any workflows added in memory (the
designer adds its open documents). Files are re-read only when they change.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from runtime.elsa_json import load_workflow
from runtime.errors import WorkflowFormatError
from runtime.model import WorkflowDefinition


class WorkflowLibrary:
    """The workflows RunWorkflow can find (by definition id or name): files in folders plus workflows added in
    memory (the designer's open tabs). Files are re-read when they change, so a saved edit is seen by the next
    run without restarting anything.
    """

    def __init__(
        self, folders: list[Path] | None = None, workflows: list[WorkflowDefinition] | None = None
    ) -> None:
        self.folders = [Path(f) for f in folders or []]
        self._added: list[WorkflowDefinition] = list(workflows or [])
        self._files: dict[Path, tuple[float, WorkflowDefinition | None]] = {}
        self.load_errors: dict[Path, str] = {}
        self._lock = threading.Lock()
        self._listing: list[WorkflowDefinition] | None = None
        self._listed_at = 0.0

    RESCAN_SECONDS = 1.0
    """How stale the folder listing may be: a run looks workflows up often, files change rarely."""

    def add(self, workflow: WorkflowDefinition) -> None:
        """Make an in-memory workflow findable; it wins over a file with the same id or name."""
        with self._lock:
            self._added = [w for w in self._added if w is not workflow]
            self._added.insert(0, workflow)
            self._listing = None

    def remove(self, workflow: WorkflowDefinition) -> None:
        with self._lock:
            self._added = [w for w in self._added if w is not workflow]
            self._listing = None

    def refresh(self) -> None:
        """Forget the folder listing: the next look-up reads the folders again."""
        with self._lock:
            self._listing = None

    def workflows(self) -> list[WorkflowDefinition]:
        """Every workflow: in-memory ones first, then the folders' files (re-read at most once a second)."""
        with self._lock:
            now = time.monotonic()
            if self._listing is None or now - self._listed_at > self.RESCAN_SECONDS:
                found = list(self._added)
                for folder in self.folders:
                    for path in sorted(folder.glob("*.json")):
                        workflow = self._load(path)
                        if workflow is not None:
                            found.append(workflow)
                self._listing, self._listed_at = found, now
            return list(self._listing)

    def find(self, id_or_name: str | None) -> WorkflowDefinition | None:
        """By definition id first, then by name (case-insensitive), then by display name."""
        if not id_or_name:
            return None
        wanted = str(id_or_name).strip()
        everything = self.workflows()
        for workflow in everything:
            if workflow.definition_id == wanted:
                return workflow
        lowered = wanted.lower()
        for attribute in ("name", "display_name"):
            for workflow in everything:
                value = getattr(workflow, attribute)
                if value and value.lower() == lowered:
                    return workflow
        return None

    def ids_by_name(self) -> dict[str, str]:
        """Name → definition id (the name itself when a workflow has no id), for scripts."""
        result: dict[str, str] = {}
        for workflow in reversed(self.workflows()):
            if workflow.name:
                result[workflow.name] = workflow.definition_id or workflow.name
        return result

    def _load(self, path: Path) -> WorkflowDefinition | None:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        cached = self._files.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        try:
            workflow: WorkflowDefinition | None = load_workflow(path)
            self.load_errors.pop(path, None)
        except WorkflowFormatError as error:
            workflow = None
            self.load_errors[path] = str(error)
        self._files[path] = (mtime, workflow)
        return workflow
