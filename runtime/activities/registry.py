"""The table from activity type to the Python that runs it.

A handler takes an :class:`~runtime.engine.context.ActivityExecutionContext` and returns an
:class:`ActivityResult`, or a coroutine resolving to one when it waits (HTTP, timers, sub-workflows).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

Handler = Callable[["ActivityExecutionContext"], "ActivityResult | Awaitable[ActivityResult]"]


@dataclass(frozen=True, slots=True)
class HandlerEntry:
    handler: Handler
    is_async: bool


_HANDLERS: dict[str, HandlerEntry] = {}


def activity_handler(type_name: str, *, is_async: bool = False) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the runner of ``type_name`` (set ``is_async`` when it returns a coroutine)."""

    def register(fn: Handler) -> Handler:
        _HANDLERS[type_name.lower()] = HandlerEntry(fn, is_async)
        return fn

    return register


def get_handler(type_name: str) -> HandlerEntry | None:
    _load_builtin_activities()
    return _HANDLERS.get(type_name.lower())


_loaded = False


def _load_builtin_activities() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for module in ("control", "primitives", "http", "workflows", "data"):
        try:
            importlib.import_module(f"runtime.activities.{module}")
        except ModuleNotFoundError as error:
            if error.name != f"runtime.activities.{module}":
                raise
