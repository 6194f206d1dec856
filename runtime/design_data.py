"""Design-time data kept with a workflow: pinned outputs, a sample input (and older files' breakpoints).

It lives in ``customAttributes.data["flowdesk"]``, a free-form dictionary that Elsa 2 and WoW import and
export untouched, so a file carrying it still goes back to the product it came from.

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


@dataclass
class DesignData:
    """The designer's test data for one workflow: pinned outputs, the sample input and the breakpoints.

    Pins and sample input are kept in the file (``customAttributes.data["flowdesk"]``) because the user chose
    to keep them with the workflow; breakpoints are the user's and never written to it.
    """

    breakpoints: set[str] = field(default_factory=set)
    pinned: dict[str, PinnedOutput] = field(default_factory=dict)
    sample_input: Any = None
    has_sample_input: bool = False

    def to_json(self) -> dict[str, Any]:
        """What the workflow keeps: the pins and the sample input (breakpoints are not the file's)."""
        data: dict[str, Any] = {}
        if self.pinned:
            data["pinned"] = {
                activity_id: {"output": pin.output, "outcomes": list(pin.outcomes)}
                for activity_id, pin in sorted(self.pinned.items())
            }
        if self.has_sample_input:
            data["sampleInput"] = self.sample_input
        return data


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
    return DesignData(breakpoints, pinned, copy.deepcopy(raw.get("sampleInput")), has_input)


def custom_attributes_with(workflow: WorkflowDefinition, data: DesignData) -> VariableBag:
    """A new ``customAttributes`` for ``workflow`` carrying ``data`` (for an undoable edit)."""
    current = dict(workflow.custom_attributes.data) if workflow.custom_attributes is not None else {}
    payload = data.to_json()
    if payload:
        current[KEY] = payload
    else:
        current.pop(KEY, None)
    bag = VariableBag(data=current)
    if workflow.custom_attributes is not None:
        bag.remember_key_order(workflow.custom_attributes.key_order)
    return bag


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
