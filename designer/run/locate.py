"""Find the file of a workflow a run went through (to open it when a log entry or a pause points there)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from runtime.elsa_json import load_workflow
from runtime.errors import FlowdeskError


def find_workflow_file(folders: Iterable[Path], definition_id: str | None, name: str | None) -> Path | None:
    """The first ``*.json`` in ``folders`` holding the workflow with this definition id (else this name)."""
    wanted_name = (name or "").lower()
    by_name: Path | None = None
    for folder in dict.fromkeys(Path(f) for f in folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                text = path.read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                continue
            if not ((definition_id and definition_id in text) or (name and name in text)):
                continue
            try:
                workflow = load_workflow(path)
            except (FlowdeskError, OSError):
                continue
            if definition_id and workflow.definition_id == definition_id:
                return path.resolve()
            if by_name is None and wanted_name and (workflow.name or workflow.label).lower() == wanted_name:
                by_name = path.resolve()
    return by_name
