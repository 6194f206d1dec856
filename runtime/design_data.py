"""Design-time data kept with a workflow: pinned outputs, a sample input, sticky notes (and older files'
breakpoints).

It lives in ``customAttributes.data["flowdesk"]``, a free-form dictionary that Elsa 2 and WoW import and
export untouched, so a file carrying it still goes back to the product it came from. Its keys keep their
order, and keys this version does not know are kept, so a file changes only where its design data changed.

Notes (``"notes"``) are the canvas's sticky notes: Markdown text in a box of a colour, at a place and size
in canvas units, drawn behind the cards::

    {"id": "5f0c…", "x": 40, "y": 20, "width": 240, "height": 140,
     "text": "# Token\nRefreshed here", "color": "yellow"}

Breakpoints are the user's, not the workflow's: the designer keeps them per workflow file outside it. Files
written before that may still carry ``"breakpoints"``; :func:`read_design_data` reads them (the designer
takes them over), :meth:`DesignData.to_json` no longer writes them, and :func:`without_breakpoints` is the
workflow as the designer saves it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from runtime.engine.runner import PinnedOutput
from runtime.model import VariableBag, WorkflowDefinition

KEY = "flowdesk"
_NO_INPUT: Any = object()
_MANAGED = ("pinned", "sampleInput", "notes", "breakpoints")
"""The design-data keys :class:`DesignData` reads and writes (any other key is kept as it is)."""
NOTE_COLORS = ("yellow", "blue", "green", "pink", "purple", "gray")
"""The colours a note may have (the designer draws each in the theme's shade)."""
MIN_NOTE_WIDTH = 80.0
MIN_NOTE_HEIGHT = 40.0
DEFAULT_NOTE_SIZE = (240.0, 140.0)


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


@dataclass
class Note:
    """A sticky note on the canvas: Markdown ``text`` in a box of ``color`` (see :data:`NOTE_COLORS`)."""

    id: str
    x: float
    y: float
    width: float = DEFAULT_NOTE_SIZE[0]
    height: float = DEFAULT_NOTE_SIZE[1]
    text: str = ""
    color: str = NOTE_COLORS[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "x": _whole(self.x),
            "y": _whole(self.y),
            "width": _whole(self.width),
            "height": _whole(self.height),
            "text": self.text,
            "color": self.color,
        }

    @classmethod
    def from_json(cls, raw: Any) -> Note | None:
        """A note as the file has it; None when it is not one (an id and a position are required)."""
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            return None
        x, y = _number(raw.get("x")), _number(raw.get("y"))
        if x is None or y is None:
            return None
        width = _number(raw.get("width")) or DEFAULT_NOTE_SIZE[0]
        height = _number(raw.get("height")) or DEFAULT_NOTE_SIZE[1]
        text = raw.get("text")
        color = raw.get("color")
        return cls(
            raw["id"],
            x,
            y,
            max(width, MIN_NOTE_WIDTH),
            max(height, MIN_NOTE_HEIGHT),
            text if isinstance(text, str) else "",
            color if color in NOTE_COLORS else NOTE_COLORS[0],
        )


@dataclass
class DesignData:
    """The designer's data for one workflow: pinned outputs, the sample input, the notes and the breakpoints.

    Pins, sample input and notes are kept in the file (``customAttributes.data["flowdesk"]``) because the
    user chose to keep them with the workflow; breakpoints are the user's and never written to it.
    """

    breakpoints: set[str] = field(default_factory=set)
    pinned: dict[str, PinnedOutput] = field(default_factory=dict)
    sample_input: Any = None
    has_sample_input: bool = False
    notes: list[Note] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """What the workflow keeps: the pins, the sample input and the notes (breakpoints are not the
        file's)."""
        data: dict[str, Any] = {}
        if self.pinned:
            data["pinned"] = {
                activity_id: {"output": pin.output, "outcomes": list(pin.outcomes)}
                for activity_id, pin in sorted(self.pinned.items())
            }
        if self.has_sample_input:
            data["sampleInput"] = self.sample_input
        if self.notes:
            data["notes"] = [note.to_json() for note in self.notes]
        return data

    def note(self, note_id: str) -> Note | None:
        return next((note for note in self.notes if note.id == note_id), None)


def read_design_data(workflow: WorkflowDefinition) -> DesignData:
    """What the workflow carries (unknown or malformed entries are ignored, never fatal)."""
    bag = workflow.custom_attributes
    raw = bag.data.get(KEY) if bag is not None else None
    if not isinstance(raw, dict):
        return DesignData()
    known = {a.activity_id for a in workflow.activities}
    breakpoints = {b for b in raw.get("breakpoints", []) if isinstance(b, str) and b in known}
    pinned: dict[str, PinnedOutput] = {}
    for activity_id, pin in (raw.get("pinned") or {}).items():
        if activity_id in known and isinstance(pin, dict):
            outcomes = pin.get("outcomes") or ["Done"]
            pinned[activity_id] = PinnedOutput(
                copy.deepcopy(pin.get("output")), tuple(str(o) for o in outcomes)
            )
    has_input = "sampleInput" in raw
    notes = _notes(raw.get("notes"))
    return DesignData(breakpoints, pinned, copy.deepcopy(raw.get("sampleInput")), has_input, notes)


def _notes(raw: Any) -> list[Note]:
    notes: list[Note] = []
    seen: set[str] = set()
    for item in raw if isinstance(raw, list) else []:
        note = Note.from_json(item)
        if note is not None and note.id not in seen:
            seen.add(note.id)
            notes.append(note)
    return notes


def custom_attributes_with(workflow: WorkflowDefinition, data: DesignData) -> VariableBag:
    """A new ``customAttributes`` for ``workflow`` carrying ``data`` (for an undoable edit).

    The design data's keys stay where they were (a new one goes last) and keys :class:`DesignData` does not
    know are kept, so saving changes the file only where the design data changed.
    """
    current = dict(workflow.custom_attributes.data) if workflow.custom_attributes is not None else {}
    old = current.get(KEY)
    payload = data.to_json()
    merged: dict[str, Any] = {}
    if isinstance(old, dict):
        for key, value in old.items():
            if key not in _MANAGED:
                merged[key] = value
            elif key in payload:
                merged[key] = payload[key]
    for key, value in payload.items():
        merged.setdefault(key, value)
    return _custom_attributes(workflow, current, merged)


def custom_attributes_with_notes(workflow: WorkflowDefinition, notes: list[Note]) -> VariableBag:
    """A new ``customAttributes`` for ``workflow`` whose design data has these ``notes`` and is otherwise
    left exactly as it is (for an undoable note edit: the file changes only in its ``"notes"``)."""
    current = dict(workflow.custom_attributes.data) if workflow.custom_attributes is not None else {}
    old = current.get(KEY)
    design = dict(old) if isinstance(old, dict) else {}
    if notes:
        design["notes"] = [note.to_json() for note in notes]
    else:
        design.pop("notes", None)
    return _custom_attributes(workflow, current, design)


def _custom_attributes(
    workflow: WorkflowDefinition, current: dict[str, Any], design: dict[str, Any]
) -> VariableBag:
    """``current`` with ``design`` as its design data (none when empty), keeping the file's key order."""
    if design:
        current[KEY] = design
    else:
        current.pop(KEY, None)
    bag = VariableBag(data=current)
    if workflow.custom_attributes is not None:
        bag.remember_key_order(workflow.custom_attributes.key_order)
    return bag


def read_notes(workflow: WorkflowDefinition) -> list[Note]:
    """The workflow's sticky notes, in file order (malformed ones are left out)."""
    bag = workflow.custom_attributes
    raw = bag.data.get(KEY) if bag is not None else None
    return _notes(raw.get("notes")) if isinstance(raw, dict) else []


def without_breakpoints(workflow: WorkflowDefinition) -> WorkflowDefinition:
    """``workflow`` as the designer writes it: without the breakpoints an older file carried in its design
    data (a shallow copy then; the workflow itself is returned when it has none)."""
    bag = workflow.custom_attributes
    raw = bag.data.get(KEY) if bag is not None else None
    if bag is None or not isinstance(raw, dict) or "breakpoints" not in raw:
        return workflow
    current = dict(bag.data)
    rest = {key: value for key, value in raw.items() if key != "breakpoints"}
    if rest:
        current[KEY] = rest
    else:
        current.pop(KEY)
    stripped = VariableBag(data=current)
    stripped.remember_key_order(bag.key_order)
    return workflow.model_copy(update={"custom_attributes": stripped})
