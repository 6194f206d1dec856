"""What the Serve toggle hosts: the open documents as they are in memory, plus the files of their folders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from designer.document import Document
from runtime.elsa_json import workflow_from_elsa, workflow_to_elsa
from runtime.host.endpoints import HostedWorkflow
from runtime.host.server import load_hosted
from runtime.model import WorkflowDefinition


@dataclass(frozen=True)
class HostingPlan:
    """What Serve hosts: the workflows (open documents first), their folders, and the files it skipped."""

    hosted: list[HostedWorkflow]
    folders: list[Path]
    """The folders of the open files: hosted, and the sub-workflow library of the served instances."""
    skipped: list[str] = field(default_factory=list)
    """One line per file of those folders that is not a usable workflow (a store seed, a broken file)."""


def snapshot(workflow: WorkflowDefinition, source: str) -> WorkflowDefinition:
    """A copy of the in-memory model, so later edits in the window never race the host's thread."""
    return workflow_from_elsa(workflow_to_elsa(workflow), source)


def document_source(document: Document) -> str:
    return str(document.path) if document.path is not None else f"{document.title} (not saved)"


def plan_hosting(documents: Sequence[Document]) -> HostingPlan:
    """Open documents first (unsaved edits included); a folder's file that is open is taken from its tab.

    Raises :class:`runtime.errors.WorkflowFormatError` when an open document cannot be copied.
    """
    open_paths = {document.path for document in documents if document.path is not None}
    hosted = [
        HostedWorkflow(snapshot(document.workflow, document_source(document)), document_source(document))
        for document in documents
    ]
    folders = sorted({path.parent for path in open_paths})
    skipped: list[str] = []
    for folder in folders:
        for item in load_hosted([folder], warn=skipped.append):
            if Path(item.source).resolve() not in open_paths:
                hosted.append(item)
    return HostingPlan(hosted, folders, skipped)
