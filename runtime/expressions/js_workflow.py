"""What Elsa 2's JavaScript globals read about the running workflow besides its variables and input.

``ConfigureJavaScriptEngine.cs`` (Elsa 2.15, ``src/scripting/Elsa.Scripting.JavaScript/Handlers``) gives
scripts the workflow's named activities (``activities.x.Output()``, the deprecated ``x`` global), the data
Elsa keeps per activity (``getActivity``, ``getActivityProperty``), the execution log
(``findExecutedActivityIdByType``), the instance (``workflowInstance``) and, from the HTTP module, the
request that started it (``queryString``, ``getRouteValue``, ``getRemoteIPAddress``, ``absoluteUrl``):
the HttpEndpoint output the instance started with, and the connection the host noted
(``WorkflowInstance.http_connection``).

:class:`WorkflowFacts` answers those questions for one running instance. It reads the engine's
``InstanceRun`` duck-typed (``blueprint``, ``instance``, ``parent``), so this package keeps
not importing the engine. Everything is computed only when a script needs it: the bridge asks just for the
parts a script's text can reach (``js_analysis``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from runtime.expressions.conversion import convert
from runtime.expressions.errors import ValueConversionError
from runtime.secrets import mask_secret

WORKFLOW_STATUS_RUNNING = 1
"""Elsa's ``WorkflowStatus.Running`` (``Elsa.Abstractions/Models/WorkflowStatus.cs``), as a script sees an
enum: its number."""


class WorkflowFacts:
    """Facts about one running instance, for the JavaScript bridge. Blueprint facts are worked out once."""

    __slots__ = ("_run", "_named", "_outputs", "_names_lower", "_ids", "_names")

    def __init__(self, run: Any) -> None:
        self._run = run
        self._named: dict[str, str] | None = None
        self._outputs: dict[str, tuple[str, ...]] = {}
        self._names_lower: dict[str, list[str]] = {}
        self._ids: frozenset[str] = frozenset()
        self._names: frozenset[str] = frozenset()

    # --- the blueprint ------------------------------------------------------------------------------

    def _index(self) -> dict[str, str]:
        named = self._named
        if named is not None:
            return named
        named = {}
        for activity_id, node in self._run.blueprint.nodes.items():
            name = node.activity.name
            # Elsa: activities whose name is not blank; GetActivityBlueprintByName takes the first.
            if name and name.strip() and name not in named:
                named[name] = activity_id
                self._outputs[name] = tuple(node.descriptor.outputs)
                self._names_lower.setdefault(name.lower(), []).append(name)
        self._ids = frozenset(self._run.blueprint.nodes)
        self._names = frozenset(named)
        self._named = named
        return named

    @property
    def activity_ids_by_name(self) -> dict[str, str]:
        """Name -> id of every named activity (``getActivityId``)."""
        return self._index()

    @property
    def activity_names(self) -> frozenset[str]:
        self._index()
        return self._names

    @property
    def activity_ids(self) -> frozenset[str]:
        self._index()
        return self._ids

    def names_like(self, lowered: str) -> list[str]:
        """The activity names equal to ``lowered`` in any letter case (the ``activities`` object tolerates
        case, as member access on activity outputs does)."""
        self._index()
        return self._names_lower.get(lowered, [])

    def declared_outputs(self, name: str) -> tuple[str, ...]:
        """The output properties the activity's descriptor declares (``activities.x.Output`` exists before
        x runs, ``AddActivityOutputAsync``)."""
        self._index()
        return self._outputs.get(name, ())

    # --- the instance --------------------------------------------------------------------------------

    def has_data(self, activity_id: str) -> bool:
        """Whether Elsa would keep data for the activity: it has started at least once."""
        return activity_id in self._run.instance.visits

    def activities_data(self, activity_ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """:meth:`activity_data` of several activities, reading the journal once."""
        wanted = list(activity_ids)
        recorded = _last_inputs(self._run.instance.journal, {i for i in wanted if self.has_data(i)})
        return {activity_id: self.activity_data(activity_id, recorded) for activity_id in wanted}

    def activity_data(
        self, activity_id: str, recorded_inputs: Mapping[str, dict[str, Any]] | None = None
    ) -> dict[str, Any] | None:
        """What Elsa keeps in ``WorkflowInstance.ActivityData`` for the activity: its inputs as evaluated
        (``ActivityActivator.StoreAppliedValuesAsync``), its state and its outputs
        (``PersistActivityPropertyState.cs``); None when it has not run.

        Inputs come from the activity's last journal record; without one, Literal inputs are read from the
        workflow (they never depend on the run). Secret properties stay masked, as in the journal.
        ``recorded_inputs`` (activity id -> inputs) saves reading the journal again.
        """
        if not self.has_data(activity_id):
            return None
        run = self._run
        node = run.blueprint.nodes.get(activity_id)
        instance = run.instance
        data: dict[str, Any] = {}
        if recorded_inputs is None:
            recorded_inputs = _last_inputs(instance.journal, {activity_id})
        recorded = recorded_inputs.get(activity_id, {})
        secret = set(getattr(node, "secret_properties", ()) or ())
        if node is not None:
            for plan in node.properties.values():
                if plan.name in recorded:
                    data[plan.name] = recorded[plan.name]
                elif plan.syntax == "Literal":
                    value = _literal_value(plan)
                    data[plan.name] = mask_secret(value) if plan.name in secret else value
        for name, value in recorded.items():
            data.setdefault(name, value)
        data.update(instance.activity_state.get(activity_id, {}))
        data.update(instance.outputs_by_id.get(activity_id, {}))
        return data

    def first_executed_by_type(self, current_id: str | None) -> dict[str, str]:
        """Activity type -> the first activity of that type that ran in this instance (the execution log
        Elsa searches), not counting the running activity's own first execution."""
        nodes = self._run.blueprint.nodes
        found: dict[str, str] = {}
        for activity_id, count in self._run.instance.visits.items():
            if activity_id == current_id and count <= 1:
                continue
            node = nodes.get(activity_id)
            if node is not None:
                found.setdefault(node.activity.type, activity_id)
        return found

    def instance_snapshot(self) -> dict[str, Any]:
        """``workflowInstance``: the members of Elsa's ``WorkflowInstance`` a script can use here."""
        run = self._run
        instance, workflow = run.instance, run.blueprint.workflow
        return {
            "Id": instance.id,
            "DefinitionId": instance.definition_id,
            "DefinitionVersionId": workflow.version_id,
            "TenantId": workflow.tenant_id,
            "Version": workflow.version,
            "WorkflowStatus": WORKFLOW_STATUS_RUNNING,
            "CorrelationId": instance.correlation_id,
            "ContextType": None,
            "ContextId": None,
            "Name": workflow.name,
            "CreatedAt": _instant_text(instance.started_at),
            "Variables": dict(instance.variables),
            "ActivityData": self.activities_data(i for i in run.blueprint.nodes if self.has_data(i)),
            "Metadata": {},
        }

    def workflow_input(self) -> Any:
        """``workflowExecutionContext.Input``: what the instance was started with."""
        return self._run.instance.input

    def http_request(self) -> dict[str, Any] | None:
        """The request that started this instance or, for a sub-workflow, its parent (Elsa reads the
        ambient ``HttpContext``, which a blocking sub-workflow shares); None outside a request."""
        run = self._run
        while run is not None:
            instance = run.instance
            connection = instance.http_connection
            if connection is not None or instance.on_http_response is not None:
                model = instance.input if isinstance(instance.input, Mapping) else {}
                return {
                    "q": dict(model.get("QueryString") or {}),
                    "r": dict(model.get("RouteValues") or {}),
                    "ip": connection.remote_address if connection is not None else None,
                    "b": connection.base_url if connection is not None else None,
                }
            run = run.parent
        return None


def _last_inputs(journal: Sequence[Any], activity_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Activity id -> the inputs of its last journal record, for the ids that have one."""
    found: dict[str, dict[str, Any]] = {}
    for record in reversed(journal):
        if len(found) == len(activity_ids):
            break
        if record.activity_id in activity_ids and record.activity_id not in found:
            found[record.activity_id] = dict(record.inputs)
    return found


def _literal_value(plan: Any) -> Any:
    if not plan.text or not plan.text.strip():
        return plan.default
    try:
        return convert(plan.text, plan.value_type)
    except ValueConversionError:
        return plan.text


def _instant_text(moment: dt.datetime | None) -> str | None:
    """NodaTime's ``InstantPattern.ExtendedIso``: UTC, fraction only as long as needed, ``Z``."""
    if moment is None:
        return None
    utc = moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"
