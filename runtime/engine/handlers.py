"""The table from activity type to the Python that runs it, and what a handler returns.

A handler takes an :class:`~runtime.engine.context.ActivityExecutionContext` and returns an
:class:`ActivityResult`, or a coroutine resolving to one when it waits (HTTP, timers, sub-workflows).

This is engine code: the engine compiles a workflow against this table, and the activity families
(:mod:`runtime.activities`) fill it with :func:`activity_handler`. So the imports run one way, activities →
engine. The engine names the package of built-in handlers as data (:data:`BUILTIN_ACTIVITY_PACKAGES`) and
imports it on the first look-up, as a host loads a plug-in, without a static import back up the layers.

Type names match exactly, as in the catalog (:func:`runtime.catalog.get_descriptor`) and in Elsa 2, whose
``ActivityTypeService`` keeps the registered types in a dictionary keyed by ``ActivityType.TypeName`` with
the default (ordinal, case-sensitive) comparer, and whose ``WorkflowBlueprintMaterializer`` looks each
``activityDefinition.Type`` up there: an Elsa server refuses ``setVariable`` where ``SetVariable`` is
registered. One rule for the catalog and the engine means a type is either known everywhere (drawn with
its card, validated, run) or unknown everywhere (generic card, a warning, "not supported locally").
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

if TYPE_CHECKING:
    from runtime.engine.context import ActivityExecutionContext


class _NoOutput:
    """Marks a result that leaves ``input`` as it was (the activity has no ``Output``)."""

    _instance: _NoOutput | None = None

    def __new__(cls) -> _NoOutput:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_OUTPUT"

    def __bool__(self) -> bool:
        return False


NO_OUTPUT: Any = _NoOutput()


@dataclass(slots=True)
class ActivityResult:
    """What an activity did: the outcomes to follow, its ``Output`` and other named outputs."""

    outcomes: tuple[str, ...] = ("Done",)
    output: Any = NO_OUTPUT
    """The activity's ``Output`` (NO_OUTPUT: it has none, so ``input`` stays as it was)."""
    outputs: dict[str, Any] | None = None
    finish: bool = False
    """True when the workflow ends here (Finish): nothing else scheduled runs."""
    scheduled_input: Any = None
    """The ``input`` handed to the scheduled targets (ForEach's item); None: the last ``Output``."""
    outcome_groups: tuple[tuple[str, ...], ...] | None = None
    """Outcomes scheduled one group after the other, each target once per group (Elsa's combined
    results, e.g. RunWorkflow's ``Done`` then the child's outcomes); None: ``outcomes`` as one group."""


DONE = ActivityResult()
NOOP = ActivityResult(outcomes=())

SyncHandler = Callable[["ActivityExecutionContext"], ActivityResult]
"""A handler that does its work at once (most activities)."""
AsyncHandler = Callable[["ActivityExecutionContext"], Awaitable[ActivityResult]]
"""A handler that waits (HTTP, timers, sub-workflows): the engine awaits what it returns."""
Handler = SyncHandler | AsyncHandler
_Sync = TypeVar("_Sync", bound=SyncHandler)
_Async = TypeVar("_Async", bound=AsyncHandler)


@dataclass(frozen=True, slots=True)
class SyncHandlerEntry:
    """A registered handler the engine calls directly, without a coroutine per step."""

    handler: SyncHandler
    is_async: Literal[False] = False


@dataclass(frozen=True, slots=True)
class AsyncHandlerEntry:
    """A registered handler whose result the engine awaits."""

    handler: AsyncHandler
    is_async: Literal[True] = True


HandlerEntry = SyncHandlerEntry | AsyncHandlerEntry
"""What the engine keeps per type; ``is_async`` tells the two kinds apart (and narrows the type)."""

BUILTIN_ACTIVITY_PACKAGES: tuple[str, ...] = ("runtime.activities",)
"""Packages whose import registers the built-in handlers (their modules use :func:`activity_handler`)."""

_HANDLERS: dict[str, HandlerEntry] = {}
_loaded = False


@overload
def activity_handler(type_name: str, *, is_async: Literal[False] = False) -> Callable[[_Sync], _Sync]: ...


@overload
def activity_handler(type_name: str, *, is_async: Literal[True]) -> Callable[[_Async], _Async]: ...


def activity_handler(type_name: str, *, is_async: bool = False) -> Callable[[Any], Any]:
    """Register the decorated function as the runner of ``type_name`` (matched exactly, see the module).

    Set ``is_async`` when it returns a coroutine. A second registration of a type replaces the first.
    """

    def register(fn: Any) -> Any:
        _HANDLERS[type_name] = AsyncHandlerEntry(fn) if is_async else SyncHandlerEntry(fn)
        return fn

    return register


def get_handler(type_name: str) -> HandlerEntry | None:
    """The handler registered for exactly ``type_name``, or None (the type cannot run locally)."""
    if not _loaded:
        _load_builtin_activities()
    return _HANDLERS.get(type_name)


def registered_types() -> list[str]:
    """Every type with a handler, in registration order."""
    if not _loaded:
        _load_builtin_activities()
    return list(_HANDLERS)


def _load_builtin_activities() -> None:
    global _loaded
    _loaded = True
    for package in BUILTIN_ACTIVITY_PACKAGES:
        importlib.import_module(package)
