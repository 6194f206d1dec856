"""The engine: walks a workflow's graph by outcomes with Elsa 2's LIFO work stack.

A run starts at the first start activity (Elsa 2's ``WorkflowRunner.BeginWorkflow``). Each executed
activity pushes the targets of its outcomes' connections in outcome and connection order, so the last
pushed runs first (``OutcomeResult.cs`` over ``SimpleStack.cs``). When the stack runs dry, the newest open
scope on the path of the last activity (If, Switch, ForEach, While) is closed and its owner is run again,
which is how If emits ``Done`` after its branch and how loops iterate
(``RescheduleBranchingActivitiesAndContainers.cs``). An activity's ``input`` is the workflow input for the
first activity, then what its scheduler passed (ForEach's item) or else the ``Output`` of the last activity
that has one (``WorkflowRunner.RunCoreAsync``, ``PersistActivityPropertyState.cs``). Many instances may run
at once on one event loop: each :class:`InstanceRun` owns its state and shares only the services.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from runtime.engine.blueprint import ActivityNode, Blueprint, compile_workflow
from runtime.engine.context import ActivityExecutionContext, ActivityFault
from runtime.engine.control import ExecutionControl
from runtime.engine.events import EngineEvent, EventKind, Observer
from runtime.engine.handlers import NO_OUTPUT, ActivityResult
from runtime.engine.instance import (
    Fault,
    InstanceStatus,
    JournalRecord,
    WorkflowInstance,
    copy_json,
    new_guid,
)
from runtime.engine.services import RuntimeServices
from runtime.engine.singleton import held_across_processes, singleton_key
from runtime.expressions import ScriptScope
from runtime.expressions.js_lanes import ScriptDeferred
from runtime.expressions.js_workflow import WorkflowFacts
from runtime.expressions.scope import LazyMapping
from runtime.model import WorkflowDefinition
from runtime.secrets import mask_secret

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PinnedOutput:
    """A design-time stand-in for an activity: the run skips it and uses this output and these outcomes."""

    output: Any = None
    outcomes: tuple[str, ...] = ("Done",)


class WorkflowRunner:
    """Runs workflow instances; observers receive the :class:`EngineEvent` of every instance it runs.

    An observer with a ``kinds`` attribute (a set of :class:`EventKind`) receives only those kinds, and an
    event nobody wants is never built: the live log does not pay for the debugger's events.
    """

    def __init__(self, services: RuntimeServices | None = None, observers: Iterable[Observer] = ()) -> None:
        self.services = services or RuntimeServices()
        self._observers: list[Observer] = list(observers)
        self.wanted: dict[EventKind, tuple[Observer, ...]] = {}
        """The observers of each kind of event (no entry: nobody wants it)."""
        self._background: set[asyncio.Task[WorkflowInstance]] = set()
        self._singleton_locks: dict[tuple[int, str], asyncio.Lock] = {}
        self._index_observers()

    @property
    def observers(self) -> tuple[Observer, ...]:
        return tuple(self._observers)

    def add_observer(self, observer: Observer) -> None:
        self._observers.append(observer)
        self._index_observers()

    def remove_observer(self, observer: Observer) -> None:
        if observer in self._observers:
            self._observers.remove(observer)
            self._index_observers()

    def _index_observers(self) -> None:
        wanted: dict[EventKind, list[Observer]] = {}
        for observer in self._observers:
            kinds = getattr(observer, "kinds", None)
            for kind in EventKind if kinds is None else kinds:
                wanted.setdefault(kind, []).append(observer)
        self.wanted = {kind: tuple(observers) for kind, observers in wanted.items()}

    async def run(
        self,
        workflow: WorkflowDefinition,
        input: Any = None,
        *,
        control: ExecutionControl | None = None,
        correlation_id: str | None = None,
        pinned: Mapping[str, PinnedOutput] | None = None,
        parent: InstanceRun | None = None,
        instance: WorkflowInstance | None = None,
        start_at: str | None = None,
    ) -> WorkflowInstance:
        """Run ``workflow`` to its end (finished, faulted or cancelled) and return the instance.

        ``start_at`` starts from that activity instead of the start activities (the trigger a request hit).
        """
        run = InstanceRun(
            self, compile_workflow(workflow), input, control, correlation_id, pinned, parent, instance
        )
        if start_at is not None:
            if start_at not in run.blueprint.nodes:
                raise KeyError(f"no activity {start_at!r} in workflow {run.blueprint.name!r}")
            run.start_ids = [start_at]
        if workflow.is_singleton and not _runs_within(parent, workflow):
            async with self._singleton_lock(workflow), held_across_processes(self.services, workflow):
                return await run.execute()
        return await run.execute()

    def _singleton_lock(self, workflow: WorkflowDefinition) -> asyncio.Lock:
        """One lock per singleton workflow and event loop: its instances run one at a time."""
        key = (id(asyncio.get_running_loop()), singleton_key(workflow))
        lock = self._singleton_locks.get(key)
        if lock is None:
            lock = self._singleton_locks[key] = asyncio.Lock()
        return lock

    def run_sync(self, workflow: WorkflowDefinition, input: Any = None, **options: Any) -> WorkflowInstance:
        """Run on a fresh event loop (for scripts and tests that are not async)."""
        finished: list[WorkflowInstance] = []

        async def main() -> None:
            # The instance is handed back outside the task's result: on exit asyncio.run restores its SIGINT
            # handler, and Python's signal module then builds (and drops) the repr of the old handler, which
            # holds the main task, whose repr holds its result: a whole journal, at 15 µs a record.
            try:
                finished.append(await self.run(workflow, input, **options))
                await self.drain()
            finally:
                await self.services.aclose()

        asyncio.run(main())
        return finished[0]

    def spawn(
        self, workflow: WorkflowDefinition, input: Any = None, **options: Any
    ) -> asyncio.Task[WorkflowInstance]:
        """Start an instance in the background (RunWorkflow FireAndForget); :meth:`drain` awaits them."""
        task = asyncio.ensure_future(self.run(workflow, input, **options))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    async def drain(self) -> None:
        """Wait for every background instance started by :meth:`spawn`."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)


class InstanceRun:
    """One execution of one workflow instance."""

    def __init__(
        self,
        runner: WorkflowRunner,
        blueprint: Blueprint,
        input: Any,
        control: ExecutionControl | None,
        correlation_id: str | None,
        pinned: Mapping[str, PinnedOutput] | None,
        parent: InstanceRun | None,
        instance: WorkflowInstance | None = None,
    ) -> None:
        self.runner = runner
        self.services = runner.services
        self.blueprint = blueprint
        self.control = control
        self.pinned = pinned or {}
        self.parent = parent
        workflow = blueprint.workflow
        self.instance = instance or WorkflowInstance(
            workflow_name=blueprint.name, definition_id=workflow.definition_id
        )
        self.instance.input = input
        self.instance.last_output = None
        if correlation_id is not None or self.instance.correlation_id is None:
            self.instance.correlation_id = correlation_id or new_guid()
        initial = workflow.variables.data if workflow.variables is not None else None
        if initial:
            self.instance.variables.update(copy_json(initial))
        if parent is not None:
            self.instance.parent_id = parent.instance.id
            self.instance.depth = parent.instance.depth + 1
        self._ids_by_name: dict[str, str] | None = None
        self._script_scope: ScriptScope | None = None
        self.start_ids: list[str] = list(blueprint.start_ids)
        self.stack: list[tuple[str, Any]] = []
        """The work stack: (activity id, scheduled input); the next activity to run is last."""

    # --- helpers for activities --------------------------------------------------------------------

    @property
    def has_observers(self) -> bool:
        return bool(self.runner.wanted)

    def workflow_ids_by_name(self) -> dict[str, str]:
        if self._ids_by_name is None:
            self._ids_by_name = self.services.library.ids_by_name()
            workflow = self.blueprint.workflow
            if workflow.name and workflow.name not in self._ids_by_name:
                self._ids_by_name[workflow.name] = workflow.definition_id or workflow.name
        return self._ids_by_name

    @property
    def script_scope(self) -> ScriptScope:
        """What expressions of this instance see (input and correlation id are set per activity)."""
        scope = self._script_scope
        if scope is None:
            instance = self.instance
            clock = self.services.clock
            scope = self._script_scope = ScriptScope(
                variables=instance.variables,
                activities=instance.outputs_by_name,
                workflow_instance_id=instance.id,
                workflow_definition_id=instance.definition_id,
                workflow_definition_version=self.blueprint.workflow.version,
                workflow_ids_by_name=LazyMapping(self.workflow_ids_by_name),
                on_variable_set=self.on_variable_set,
                transient_variables=instance.transient_variables,
                workflow=WorkflowFacts(self),
                defer_slow_scripts=True,
                frozen_now=None if clock is None else clock.timestamp() * 1000.0,
            )
        return scope

    def on_variable_set(self, name: str, value: Any) -> None:
        if _VARIABLE_CHANGED in self.runner.wanted:
            self.emit(_VARIABLE_CHANGED, None, name, {"name": name, "value": value})

    def emit(
        self,
        kind: EventKind,
        node: ActivityNode | None,
        message: str = "",
        data: dict[str, Any] | None = None,
        level: str = "info",
    ) -> None:
        observers = self.runner.wanted.get(kind)
        if not observers:
            return
        instance = self.instance
        if node is None:
            activity_id = label = None
        else:
            activity_id, label = node.activity.activity_id, node.label
        event = EngineEvent(  # positional: an event per observed step, and keywords cost a third more
            kind,
            instance.id,
            instance.workflow_name,  # the blueprint's name as the run started: not a property read per event
            activity_id,
            label,
            message,
            data,
            None,
            level,
            instance.parent_id,
        )
        for observer in observers:
            try:
                observer(event)
            except Exception:
                logger.exception("observer %r failed on %s", observer, kind)

    async def run_child(
        self, workflow: WorkflowDefinition, input: Any, correlation_id: str | None = None
    ) -> WorkflowInstance:
        """Run a sub-workflow to its end under the same control (so the debugger steps into it)."""
        return await self.runner.run(
            workflow, input, control=self.control, parent=self, correlation_id=correlation_id
        )

    # --- the loop ----------------------------------------------------------------------------------

    async def execute(self) -> WorkflowInstance:
        instance = self.instance
        instance.status = InstanceStatus.RUNNING
        instance.started_at = datetime.now(UTC)
        if self.control is not None:
            current = asyncio.current_task()
            if current is not None:
                self.control.attach(current)
        self.emit(
            EventKind.INSTANCE_STARTED, None, f"started {self.blueprint.name}", {"input": instance.input}
        )
        try:
            await self._walk()
        except asyncio.CancelledError:
            self._trim_journal()
            instance.status = InstanceStatus.CANCELLED
            instance.finished_at = datetime.now(UTC)
            self.emit(EventKind.INSTANCE_CANCELLED, None, "stopped", level="warning")
            if self.control is None or not self.control.stopped:
                raise
            return instance
        self._trim_journal()
        instance.finished_at = datetime.now(UTC)
        if instance.status is InstanceStatus.FAULTED:
            assert instance.fault is not None
            self.emit(EventKind.INSTANCE_FAULTED, None, str(instance.fault), level="error")
        else:
            instance.status = InstanceStatus.FINISHED
            if instance.finished_by is None:
                instance.output = instance.last_output
            self.emit(
                EventKind.INSTANCE_FINISHED,
                None,
                "finished",
                {"output": instance.output, "outcomes": list(instance.finish_outcomes)},
            )
        return instance

    async def _walk(self) -> None:
        instance = self.instance
        nodes = self.blueprint.nodes
        settings = self.services.settings
        control = self.control
        runner = self.runner
        visits = instance.visits
        keep_journal = settings.journal
        journal = instance.journal.entries
        journal_cap = settings.journal_limit + (settings.journal_limit >> 2)
        pinned = self.pinned
        stack = self.stack
        stack.extend((activity_id, None) for activity_id in reversed(self.start_ids))
        if not stack:
            self._fail(Fault(f'workflow "{self.blueprint.name}" has no start activity'))
            return
        first = True
        while stack:
            activity_id, scheduled_input = stack.pop()
            node = nodes[activity_id]
            count = visits.get(activity_id, 0) + 1
            visits[activity_id] = count
            instance.steps += 1
            if count > settings.visit_cap or instance.steps > settings.step_budget:
                self._fail(
                    Fault(
                        f'workflow "{self.blueprint.name}": possible infinite loop at "{node.label}" '
                        f"({count} runs of this activity, {instance.steps} steps in all)",
                        activity_id,
                        node.label,
                    )
                )
                return
            if control is not None:
                if control.stopped:
                    raise asyncio.CancelledError
                if control.must_pause_before(activity_id):
                    await self._pause(control, node)
            if first:
                activity_input = instance.input
                first = False
            else:
                activity_input = scheduled_input if scheduled_input is not None else instance.last_output
            context = ActivityExecutionContext(self, node, activity_input)
            if _EXECUTING in runner.wanted:
                self.emit(_EXECUTING, node, f"executing {node.label}")
            started = time.time() if keep_journal else None
            clock = time.perf_counter() if keep_journal else 0.0
            entry = node.handler
            try:
                is_pinned = bool(pinned) and activity_id in pinned
                try:
                    if node.eager_properties and not is_pinned and not self._unwinding(node):
                        context.evaluate_inputs()
                    if entry is not None and not entry.is_async and not is_pinned:
                        result = entry.handler(context)  # the common case, without a coroutine per step
                    else:
                        result = await self._execute(node, context)
                except ScriptDeferred as deferred:
                    result = await self._run_again(node, context, deferred, is_pinned)
            except ActivityFault as fault:
                self._record(node, context, started, clock, str(fault))
                self._fail(
                    Fault(fault.message, activity_id, node.label, fault.property_name, fault.where), node
                )
                return
            except asyncio.CancelledError:
                self._record(node, context, started, clock, "stopped")
                raise
            except Exception as error:
                logger.exception("activity %s (%s) crashed", node.label, node.activity.type)
                message = (
                    f'workflow "{self.blueprint.name}", activity "{node.label}": '
                    f"internal error in {node.activity.type}: {type(error).__name__}: {error}"
                )
                self._record(node, context, started, clock, message)
                self._fail(Fault(message, activity_id, node.label), node)
                return
            if result.output is not NO_OUTPUT or result.outputs:
                self._store_outputs(node, result)
            if keep_journal:  # the step's facts: its record is made if it is read (Journal)
                if len(journal) >= journal_cap:  # trimmed a quarter at a time: not a shift per step
                    del journal[: len(journal) - settings.journal_limit + 1]
                journal.append(
                    (
                        _journal_record,
                        node,
                        context.values,
                        started,
                        (time.perf_counter() - clock) * 1000.0,
                        result.outcomes,
                        result.output,
                        None,
                        context.journal_data,
                    )
                )
            if _EXECUTED in runner.wanted:
                outcomes = result.outcomes
                said = _EXECUTED_MESSAGES.get(outcomes)
                if said is None:
                    said = (f"→ {', '.join(outcomes) or '(no outcome)'}", {"outcomes": outcomes})
                    if len(_EXECUTED_MESSAGES) < 4096:
                        _EXECUTED_MESSAGES[outcomes] = said
                self.emit(_EXECUTED, node, *said)
            if result.finish:
                stack.clear()
                instance.scopes.clear()
                instance.finished_by = activity_id
                return
            if node.targets_by_outcome:
                if result.outcome_groups is None:
                    targets = node.pushes.get(result.outcomes)
                    if targets is None:
                        targets = _pushes(node, (result.outcomes,))
                        if len(node.pushes) < 64:
                            node.pushes[result.outcomes] = targets
                else:
                    targets = _pushes(node, result.outcome_groups)
                scheduled_input = result.scheduled_input
                for target_id in targets:
                    stack.append((target_id, scheduled_input))
            if node.join_transitions:
                self._record_join_transitions(node)
            if not stack and instance.scopes:
                self._reschedule_scope(activity_id, stack)

    def _unwinding(self, node: ActivityNode) -> bool:
        """An If or Switch run again to close its scope skips its inputs (``ActivityActivator.cs``)."""
        if node.activity.type not in _UNWINDING_TYPES:
            return False
        state = self.instance.activity_state.get(node.activity.activity_id)
        return bool(state and state.get("Unwinding"))

    async def _pause(self, control: ExecutionControl, node: ActivityNode) -> None:
        """Wait before ``node`` until released; apply the variable edits made meanwhile."""
        instance = self.instance
        snapshot = {
            "variables": copy_json(instance.variables),
            "outputs": copy_json(instance.outputs_by_name),
            "input": instance.last_output,
        }
        self.emit(EventKind.INSTANCE_PAUSED, node, f"paused before {node.label}", snapshot)
        await control.wait_until_released(node.activity.activity_id)
        if control.stopped:
            raise asyncio.CancelledError
        for name, value in control.take_variable_edits():
            instance.variables[name] = value
            self.on_variable_set(name, value)
        self.emit(EventKind.INSTANCE_RESUMED, node, "resumed")

    async def _run_again(
        self, node: ActivityNode, context: ActivityExecutionContext, deferred: ScriptDeferred, is_pinned: bool
    ) -> ActivityResult:
        """A script of this step needs more time than the event loop may give: run it in a lane, then the
        step again, its evaluations answered from their record (``runtime.expressions.js_lanes``)."""
        while True:
            await deferred.finish()
            try:
                if node.eager_properties and not is_pinned and not self._unwinding(node):
                    context.evaluate_inputs()
                entry = node.handler
                if entry is not None and not entry.is_async and not is_pinned:
                    return entry.handler(context)
                return await self._execute(node, context)
            except ScriptDeferred as again:
                deferred = again

    async def _execute(self, node: ActivityNode, context: ActivityExecutionContext) -> ActivityResult:
        pinned = self.pinned.get(node.activity.activity_id)
        if pinned is not None:
            context.journal_data["pinned"] = True
            return ActivityResult(outcomes=tuple(pinned.outcomes), output=pinned.output)
        entry = node.handler
        if entry is None:
            raise ActivityFault(
                f'workflow "{self.blueprint.name}", activity "{node.label}": '
                f"activity type {node.activity.type} is not supported locally (pin its output to run past it)"
            )
        result = entry.handler(context)
        if entry.is_async:
            result = await result  # type: ignore[misc]
        return result  # type: ignore[return-value]

    def _store_outputs(self, node: ActivityNode, result: ActivityResult) -> None:
        """Keep the outputs of an activity that has some (the walk asks first); one with an ``Output``
        becomes the next ``input`` and the workflow's output, even when it is null
        (``PersistActivityPropertyState.cs``)."""
        instance = self.instance
        outputs: dict[str, Any] = dict(result.outputs) if result.outputs else {}
        if result.output is not NO_OUTPUT:
            outputs["Output"] = result.output
            instance.last_output = result.output
        activity = node.activity
        instance.outputs_by_id[activity.activity_id] = outputs
        if activity.name:
            instance.outputs_by_name[activity.name] = outputs

    def _record_join_transitions(self, node: ActivityNode) -> None:
        """Note, on every Join this activity is wired to, that it arrived (whatever outcome it took)."""
        for join_id, key in node.join_transitions:
            recorded = self.instance.state_of(join_id).setdefault("InboundTransitions", [])
            if key not in recorded:
                recorded.append(key)

    def _reschedule_scope(self, activity_id: str, stack: list[tuple[str, Any]]) -> None:
        """Close the newest scope on the path of ``activity_id`` (itself included) and run its owner again."""
        scopes = self.instance.scopes
        in_scope = self.blueprint.in_scope_of(activity_id)
        for index in range(len(scopes) - 1, -1, -1):
            scope = scopes[index]
            if scope.activity_id in in_scope:
                del scopes[index]
                self.instance.state_of(scope.activity_id)["Unwinding"] = True
                stack.append((scope.activity_id, None))
                return

    def unschedule(self, activity_ids: frozenset[str] | set[str]) -> None:
        """Drop scheduled work for these activities (an eager Join clears the rest of its fork)."""
        self.stack[:] = [entry for entry in self.stack if entry[0] not in activity_ids]

    def scheduled_ids(self) -> set[str]:
        """The activities waiting on the work stack."""
        return {activity_id for activity_id, _ in self.stack}

    def _trim_journal(self) -> None:
        """Keep the last ``journal_limit`` records (a run may hold a quarter more while it runs)."""
        journal = self.instance.journal
        limit = self.services.settings.journal_limit
        if len(journal) > limit:
            del journal[: len(journal) - limit]

    def _record(
        self,
        node: ActivityNode,
        context: ActivityExecutionContext,
        started: float | None,
        clock: float,
        error: str,
    ) -> None:
        """Keep the facts of a step that did not finish (a finished step's are kept in :meth:`_walk`)."""
        if started is None:
            return
        journal = self.instance.journal.entries
        limit = self.services.settings.journal_limit
        if len(journal) >= limit + (limit >> 2):
            del journal[: len(journal) - limit + 1]
        journal.append(
            (
                _journal_record,
                node,
                context.values,
                started,
                (time.perf_counter() - clock) * 1000.0,
                (),
                NO_OUTPUT,
                error,
                context.journal_data,
            )
        )

    def _fail(self, fault: Fault, node: ActivityNode | None = None) -> None:
        self.instance.status = InstanceStatus.FAULTED
        self.instance.fault = fault
        if node is not None:
            self.emit(EventKind.ACTIVITY_FAULTED, node, str(fault), level="error")


_UNWINDING_TYPES = frozenset({"If", "Switch"})
_EXECUTING, _EXECUTED, _VARIABLE_CHANGED = (
    EventKind.ACTIVITY_EXECUTING,
    EventKind.ACTIVITY_EXECUTED,
    EventKind.VARIABLE_CHANGED,
)
"""The kinds a step asks for, read once: ``EventKind.X`` goes through the enum metaclass's ``__getattr__``
hook (about 0.1 µs a read, several reads a step)."""
_EXECUTED_MESSAGES: dict[tuple[str, ...], tuple[str, dict[str, Any]]] = {}
"""The message ("→ Done") and data of the step event of each outcome tuple seen, made once: a step's event is
built on every step, and the history keeps it to the end of the run (one dict less to allocate, keep and
collect per step). Events are read-only, so one data dict serves all the steps with these outcomes."""


def _journal_record(
    node: ActivityNode,
    values: dict[str, Any],
    started: float,
    duration_ms: float,
    outcomes: tuple[str, ...],
    output: Any,
    error: str | None,
    data: dict[str, Any],
) -> JournalRecord:
    """The journal record of a step from the facts :meth:`InstanceRun._record` kept: its inputs by property
    name (``values`` is its context's, by lower-case name), secret ones masked."""
    plans = node.properties
    inputs = {plans[key].name if key in plans else key: value for key, value in values.items()}
    for name in node.secret_properties:
        if name in inputs:
            inputs[name] = mask_secret(inputs[name])
    activity = node.activity
    return JournalRecord(
        activity.activity_id,
        activity.type,
        node.label,
        datetime.fromtimestamp(started, UTC),
        duration_ms,
        inputs,
        outcomes,
        output,
        error,
        data,
    )


def _pushes(node: ActivityNode, groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The targets the emitted outcomes push, in push order: per outcome group, in outcome then connection
    order, each target once (``OutcomeResult.Execute``); the last pushed runs first."""
    targets_by_outcome = node.targets_by_outcome
    pushed: list[str] = []
    for group in groups:
        in_group: set[str] = set()
        for outcome in group:
            for target_id in targets_by_outcome.get(outcome.lower(), ()):
                if target_id not in in_group:
                    in_group.add(target_id)
                    pushed.append(target_id)
    return tuple(pushed)


def _runs_within(parent: InstanceRun | None, workflow: WorkflowDefinition) -> bool:
    """Whether ``workflow`` already runs above this point (a singleton must not wait on itself)."""
    while parent is not None:
        if parent.blueprint.workflow is workflow:
            return True
        parent = parent.parent
    return False
