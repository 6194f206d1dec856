"""Design-time data kept with a workflow: breakpoints, pinned outputs and a sample input.

It lives in ``customAttributes.data["flowdesk"]``, a free-form dictionary that Elsa 2 and WoW import and
export untouched, so a file carrying it still goes back to the product it came from.
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
    breakpoints: set[str] = field(default_factory=set)
    pinned: dict[str, PinnedOutput] = field(default_factory=dict)
    sample_input: Any = None
    has_sample_input: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.breakpoints:
            data["breakpoints"] = sorted(self.breakpoints)
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
