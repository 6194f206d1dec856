"""What an expression can see: the running instance's variables, input and activity outputs."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from runtime.expressions.js_lanes import StepLog
    from runtime.expressions.js_workflow import WorkflowFacts


@dataclass
class ScriptScope:
    """What an expression can see.

    ``variables`` is the instance's live mapping (its variables, or those merged with the open scopes'
    own): JavaScript ``setVariable`` writes go into it, and
    ``on_variable_set`` is then called once per variable a script set (the engine turns that into events).
    """

    variables: MutableMapping[str, Any]
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
    transient_variables: dict[str, Any] = field(default_factory=dict)
    """Elsa's transient state (the instance's live dict): merged over ``variables`` for ``getVariable`` and
    the variable globals, read by ``getTransientVariable``, written by ``…Context.SetTransientVariable``."""
    journal: dict[str, Any] | None = None
    """The running activity's journal data: JavaScript ``addJournal`` adds to it."""
    activity_id: str | None = None
    """The running activity (``activityExecutionContext.ActivityId``)."""
    workflow: WorkflowFacts | None = None
    """The running workflow's activities, their data, the instance and the HTTP request, for the Elsa
    JavaScript globals that read them (``activities``, ``getActivity``, ``queryString`` ...)."""
    activity_names: Collection[str] | None = None
    """The names of the workflow's activities (None: not known). Liquid's ``Activities.X`` fails for any
    other name, as Elsa's does."""
    http_request: Mapping[str, Any] | None = None
    """The HTTP request that started the instance (Elsa's ``HttpRequestModel``), for Liquid's ``Request``."""
    workflow_ids_by_tag: Mapping[str, str | None] = field(default_factory=dict)
    """Workflow tag -> definition id (else name; None for a workflow with neither), for Liquid's
    ``workflow_definition_id: "tag"`` and JavaScript's ``getWorkflowDefinitionIdByTag``."""
    defer_slow_scripts: bool = False
    """True for a running instance's scope (the engine's): a script that needs more time than the event
    loop may give raises ``js_lanes.ScriptDeferred``, which the engine awaits before running the step
    again (``journal`` must then be the step's own dict). False: evaluations run to the end where called."""
    frozen_now: float | None = None
    """Milliseconds since the epoch that JavaScript's ``Date`` reads as now (a recorded test's instant);
    None: the real clock."""
    step_log: StepLog | None = field(default=None, repr=False, compare=False)
    """The record of the current step's evaluations (``js_lanes``)."""


_V = TypeVar("_V")


class LazyMapping(Mapping[str, _V]):
    """A table built on first use: a template rarely needs it, and building it reads the workflow library."""

    def __init__(self, build: Callable[[], Mapping[str, _V]]) -> None:
        self._build = build
        self._table: Mapping[str, _V] | None = None

    def _get(self) -> Mapping[str, _V]:
        if self._table is None:
            self._table = self._build()
        return self._table

    def __getitem__(self, key: str) -> _V:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())
