"""A document: one workflow being edited, its undo stack, its file and whether it has unsaved changes.

The workflow model is the single source of truth; the undo stack's clean state is the "saved" state,
so undoing back to the last save clears the unsaved mark. Saving goes through the runtime's serializer
(lossless, atomic) and keeps the file's own text style (indentation, BOM, final newline), so opening and
saving a file without edits leaves its bytes unchanged.

Breakpoints are the user's, not the workflow's: :attr:`Document.breakpoints` is not an edit (no undo step,
no unsaved mark) and is never written into the file; the run feature keeps them per file for the user. An
older file that carries breakpoints in its design data has them taken over when it opens; they leave the
file the next time it is saved.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from runtime.design_data import read_design_data, without_breakpoints
from runtime.elsa_json import dumps_workflow, load_workflow
from runtime.files import write_text_atomically
from runtime.model import Activity, VariableBag, WorkflowDefinition
from runtime.validation import drawable_position

UNTITLED = "Untitled"
Point = tuple[float, float]


def stored_position(activity: Activity) -> Point | None:
    """The position saved in the file, or None when the activity has none (auto-laid-out on import).

    A coordinate that is not a finite number counts as none, and one beyond ±1,000,000 is clamped to it
    (validation warns about both, ``bad-position``): the file keeps what it says, the canvas stays drawable.
    """
    return drawable_position(activity.x, activity.y)


@dataclass(frozen=True)
class FileStyle:
    """How a workflow file was written, so saving it again changes only what was edited."""

    indent: int | None = None
    bom: bool = False
    final_newline: bool = False

    @classmethod
    def of_text(cls, text: str) -> FileStyle:
        body = text.removeprefix("\ufeff")
        match = re.match(r"\s*[\[{]\r?\n( +)\S", body)
        return cls(
            indent=len(match.group(1)) if match else None,
            bom=text.startswith("\ufeff"),
            final_newline=body.endswith("\n"),
        )

    def render(self, workflow: WorkflowDefinition) -> str:
        text = dumps_workflow(workflow, indent=self.indent)
        return ("\ufeff" if self.bom else "") + text + ("\n" if self.final_newline else "")


def new_workflow(name: str = "NewWorkflow") -> WorkflowDefinition:
    """An empty workflow carrying the fields Elsa Studio 2 writes for a new definition."""
    return WorkflowDefinition(
        definition_id=uuid.uuid4().hex,
        version_id=uuid.uuid4().hex,
        name=name,
        display_name=name,
        version=1,
        variables=VariableBag(data={}),
        custom_attributes=VariableBag(data={}),
        is_singleton=False,
        persistence_behavior="WorkflowBurst",
        delete_completed_instances=False,
        is_published=True,
        is_latest=True,
        activities=[],
        connections=[],
    )


class Document(QObject):
    """A workflow plus everything the window needs to edit it safely."""

    modifiedChanged = Signal(bool)
    pathChanged = Signal(object)
    breakpointsChanged = Signal()
    """The set of breakpoints changed (never an edit of the workflow)."""

    def __init__(
        self,
        workflow: WorkflowDefinition,
        path: Path | None = None,
        style: FileStyle | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workflow = workflow
        self.path = path
        self.style = style or FileStyle(indent=None)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.fallback_positions: dict[str, Point] = {}
        """Where cards of activities without ``x``/``y`` are drawn (auto-layout on import; not saved)."""
        self.breakpoints: set[str] = set(read_design_data(workflow).breakpoints)
        """Activities debug runs pause before: the user's, not saved in the file (older files' are taken
        over from their design data)."""

    def _clean_changed(self, clean: bool) -> None:
        self.modifiedChanged.emit(not clean)

    # --- construction ------------------------------------------------------------------------------

    @classmethod
    def new(cls, parent: QObject | None = None) -> Document:
        return cls(new_workflow(), None, FileStyle(indent=None), parent)

    @classmethod
    def open(cls, path: str | Path, parent: QObject | None = None) -> Document:
        """Read a workflow file; raises :class:`runtime.errors.WorkflowFormatError` on a bad file."""
        path = Path(path)
        workflow = load_workflow(path)
        style = FileStyle.of_text(path.read_bytes().decode("utf-8", errors="replace"))
        return cls(workflow, path.resolve(), style, parent)

    # --- state ------------------------------------------------------------------------------------

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def title(self) -> str:
        """The file name, or the workflow's name for a document never saved."""
        if self.path is not None:
            return self.path.name
        return self.workflow.display_name or self.workflow.name or UNTITLED

    def position_of(self, activity: Activity) -> Point:
        """Where the activity's card sits: its own ``x``/``y``, else its auto-layout position."""
        stored = stored_position(activity)
        if stored is not None:
            return stored
        return self.fallback_positions.get(activity.activity_id, (0.0, 0.0))

    def set_fallback_positions(self, positions: Mapping[str, Point]) -> None:
        self.fallback_positions = dict(positions)

    def set_breakpoints(self, activity_ids: set[str]) -> None:
        """Replace the breakpoints (not an edit: no undo step, no unsaved mark)."""
        if activity_ids != self.breakpoints:
            self.breakpoints = set(activity_ids)
            self.breakpointsChanged.emit()

    # --- saving ------------------------------------------------------------------------------------

    def text(self) -> str:
        """The file text the document saves (runtime serializer, in the file's own style), without the
        breakpoints an older file carried."""
        return self.style.render(without_breakpoints(self.workflow))

    def save(self, path: str | Path | None = None) -> None:
        """Write atomically to ``path`` (or the document's path) and mark the undo stack clean."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the document has no file yet; give a path")
        write_text_atomically(target, self.text())
        if self.path != target.resolve():
            self.path = target.resolve()
            self.pathChanged.emit(self.path)
        self.undo_stack.setClean()

    def export_to(self, path: str | Path) -> None:
        """Write a copy elsewhere; the document keeps its own file and unsaved state."""
        write_text_atomically(Path(path), self.text())
