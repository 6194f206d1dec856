"""What an expression can see: the running instance's variables, input and activity outputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ScriptScope:
    """What an expression can see.

    ``variables`` is the instance's live dict: JavaScript ``setVariable`` writes go into it, and
    ``on_variable_set`` is then called once per variable a script set (the engine turns that into events).
    """

    variables: dict[str, Any]
    input: Any = None
    activities: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Activity name -> {output name: value}, e.g. ``{"auth": {"ResponseContent": {...}}}``."""
    workflow_instance_id: str = ""
    correlation_id: str | None = None
    workflow_definition_id: str | None = None
    workflow_definition_version: int | None = None
    workflow_ids_by_name: Mapping[str, str] = field(default_factory=dict)
    """Workflow name -> definition id, for ``getWorkflowDefinitionIdByName``."""
    outcomes: list[str] | None = None
    """A list only where outcomes can be set (RunJavaScript); ``setOutcome(s)`` append to it."""
    on_variable_set: Callable[[str, Any], None] | None = None
