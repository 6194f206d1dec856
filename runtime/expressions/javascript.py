"""JavaScript expressions with Elsa 2's globals, run in pooled, limited QuickJS-ng contexts.

One evaluation is one host->JS call: the part of the scope the script can reach is injected as JSON,
and the result, the variables the script set and the outcomes it chose come back as one JSON envelope
(see ``js_prelude``), or as a tagged bare value when the script set nothing. No Python callbacks:
QuickJS refuses them while a time limit is set.

A warm evaluation of a known script is a handful of dict lookups here: what the script needs, its mode
and where its last statement is are worked out once per text (``_Script``), and each context keeps the
script compiled. Texts simple enough are answered without the engine (``js_fast``, the same results).

Contexts are shared by every instance, their built-ins frozen (``prelude.js``, ``__fdLockdown``). A
running instance's script that needs more than the event loop's budget is run again in a lane
(``js_lanes``); a lane keeps a context of its own.

Every global Elsa 2.15 defines for JavaScript, and what Flowdesk does with it, is in ``README.md`` next to
this module.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from runtime.expressions.conversion import encode_json, json_default
from runtime.expressions.errors import ExpressionError, ValueConversionError
from runtime.expressions.js_analysis import ScriptNeeds, analyse_script, global_check
from runtime.expressions.js_engine import (
    JsEngine,
    JsEngineError,
    JsLimits,
    JsMemoryLimitExceeded,
    JsStackOverflow,
    JsTimeLimitExceeded,
    QuickJsEngine,
)
from runtime.expressions.js_fast import DECLINE, PLAIN_TYPES, compile_fast
from runtime.expressions.js_lanes import MAX_DEFERRALS, LaneJob, ScriptDeferred, StepLog, in_background
from runtime.expressions.js_prelude import (
    COMPILE_FRAMES,
    COMPILED_COUNT_FUNCTION,
    MODE_OBJECT,
    MODE_PROGRAM,
    MODE_UNKNOWN,
    PRELUDE,
    PROGRAM_FRAME,
    REPLY_CHANGES,
    REPLY_FALSE,
    REPLY_INTEGER,
    REPLY_JSON,
    REPLY_NONE,
    REPLY_STRING,
    REPLY_TRUE,
    RUNNER_FUNCTION,
)
from runtime.expressions.js_tokens import last_expression_statement
from runtime.expressions.js_workflow import WorkflowFacts
from runtime.expressions.scope import ScriptScope

SYNTAX = "JavaScript"
_MIB = 1024 * 1024


@dataclass
class JavaScriptSettings:
    """Limits, lanes and pooling; changes apply to the next evaluation (contexts pick up new limits)."""

    time_limit: float = 5.0
    """CPU seconds per evaluation (QuickJS counts the whole process's CPU time)."""
    wall_time_limit: float = 10.0
    """Seconds a running instance waits for a script run off the event loop, waiting for a lane included
    (see ``js_lanes``); the script is stopped by its CPU limit at the latest."""
    inline_time_limit: float = 0.02
    """CPU seconds a script of a running instance may take on the event loop before it is stopped and run
    again, from the start, in a lane (``js_lanes``)."""
    lanes: int = 2
    """Worker threads for scripts run off the event loop (read when the first one starts)."""
    memory_limit: int = 64 * _MIB
    stack_size: int = 1 * _MIB
    """Native stack for JS frames (about 650 nested calls); must stay below every calling thread's stack."""
    max_idle_contexts: int = 8
    engine_factory: Callable[[], JsEngine] = QuickJsEngine

    def limits(self, time_limit: float | None = None) -> JsLimits:
        seconds = self.time_limit if time_limit is None else time_limit
        return JsLimits(seconds, self.memory_limit, self.stack_size)


settings = JavaScriptSettings()


class _PooledContext:
    """An engine with the prelude installed, and the limits last applied to it."""

    def __init__(self, engine: JsEngine) -> None:
        self.engine = engine
        self.limits: tuple[float, int, int] | None = None
        engine.run_setup(PRELUDE)

    def ensure_limits(self, time_limit: float) -> None:
        """Apply these limits if they changed (compared as a tuple: cheaper than a JsLimits)."""
        limits = (time_limit, settings.memory_limit, settings.stack_size)
        if limits != self.limits:
            self.engine.apply_limits(settings.limits(time_limit))
            self.limits = limits


class _ContextPool:
    """Idle contexts, last in first out. A context is only ever used by the thread that took it."""

    def __init__(self) -> None:
        self._idle: list[_PooledContext] = []
        self._lock = threading.Lock()
        self._preparing = False

    def acquire(self, time_limit: float) -> _PooledContext:
        """An idle context, else a new one; a spare is then prepared off this thread, so that a context
        dropped later (a script stopped, say) is replaced without the event loop making one."""
        idle = self._idle
        try:
            context: _PooledContext | None = idle.pop()  # atomic: no lock on the common path
        except IndexError:
            context = None
        if not idle and not self._preparing:
            self._preparing = True  # (two threads may both prepare one: harmless)
            in_background(self._prepare_spare)
        if context is None:
            context = _PooledContext(settings.engine_factory())
        context.ensure_limits(time_limit)
        return context

    def release(self, context: _PooledContext) -> None:
        idle = self._idle
        if len(idle) < settings.max_idle_contexts:
            idle.append(context)  # atomic (one over the bound, when two threads race: harmless)
            return
        context.engine.close()

    def discard(self, context: _PooledContext) -> None:
        """Close a context that must not run another script."""
        context.engine.close()

    def _prepare_spare(self) -> None:
        try:
            context: _PooledContext | None = _PooledContext(settings.engine_factory())
        except Exception:  # the next evaluation makes one, and reports what fails
            context = None
        self._preparing = False
        if context is not None and len(self._idle) < settings.max_idle_contexts:
            self._idle.insert(0, context)  # behind the warm ones (their scripts are compiled)
        elif context is not None:
            context.engine.close()

    def idle_count(self) -> int:
        return len(self._idle)

    def compiled_counts(self) -> list[int]:
        """Taken out of the pool one by one (a context is only ever used by the thread holding it)."""
        with self._lock:
            taken = self._take_all()
            try:
                return [int(context.engine.call(COMPILED_COUNT_FUNCTION)) for context in taken]
            finally:
                self._idle.extend(taken)

    def clear(self) -> None:
        with self._lock:
            taken = self._take_all()
        for context in taken:
            context.engine.close()

    def _take_all(self) -> list[_PooledContext]:
        taken = []
        while True:
            try:
                taken.append(self._idle.pop())
            except IndexError:
                taken.reverse()
                return taken


class _LaneContexts:
    """Each lane keeps a context of its own, so that the lanes' scripts (stopped ones dropping theirs) never
    take the contexts the event loop's evaluations use."""

    def __init__(self) -> None:
        self._local = threading.local()

    def acquire(self, time_limit: float) -> _PooledContext:
        context: _PooledContext | None = getattr(self._local, "context", None)
        if context is None:
            context = self._local.context = _PooledContext(settings.engine_factory())
        context.ensure_limits(time_limit)
        return context

    def release(self, context: _PooledContext) -> None:
        pass

    def discard(self, context: _PooledContext) -> None:
        self._local.context = None
        context.engine.close()


class _Script:
    """What is known about one script text: the state it can reach, what it can leave on the global
    object, its mode once an evaluation found it, and (program or object mode) where its last top-level
    statement is, or -1 when it cannot be compiled apart from ``eval``."""

    __slots__ = ("needs", "check_globals", "global_names", "mode", "last_start", "last_end", "slow", "fast")

    def __init__(self, source: str) -> None:
        self.needs = analyse_script(source)
        self.fast = compile_fast(source, self.needs, fast_state)
        """The script answered without the engine (``js_fast``), when it is simple enough."""
        self.check_globals, self.global_names = global_check(source)
        self.mode = MODE_UNKNOWN
        self.last_start = -1
        self.last_end = -1
        self.slow = False
        """It needed more than the event loop's budget last time: it goes straight to a lane."""

    def learn_mode(self, source: str, mode: int) -> None:
        """Later evaluations of the same text (in any context) skip the program-mode attempt."""
        if mode == MODE_UNKNOWN or self.mode != MODE_UNKNOWN:
            return
        split = None
        text = source if mode == MODE_PROGRAM else f"({source}\n)"
        if mode in (MODE_PROGRAM, MODE_OBJECT):
            split = last_expression_statement(text)
        if split is not None:
            self.last_start, self.last_end = _utf16_index(text, split[0]), _utf16_index(text, split[1])
        self.mode = mode  # last: a thread seeing the mode also sees the split


def _utf16_index(text: str, index: int) -> int:
    """A Python (code point) index into ``text`` as a JavaScript string index (UTF-16 code units)."""
    if text.isascii():
        return index
    return index + sum(1 for character in text[:index] if ord(character) > 0xFFFF)


_pool = _ContextPool()
_lane_contexts = _LaneContexts()
_STATE_ENCODER = json.JSONEncoder(default=json_default, allow_nan=False, separators=(",", ":"))
_encoders = threading.local()
_DECODER = json.JSONDecoder()
_scripts: dict[str, _Script] = {}
_MAX_REMEMBERED_SCRIPTS = 4096
_CONSTANT_REPLIES = {REPLY_TRUE: True, REPLY_FALSE: False, REPLY_NONE: None}
_BROKEN = "!"
"""First character of a reply after which the context could not be made clean (it is dropped)."""
_CAUGHT_INTERNAL_ERROR = '"e":{"n":"InternalError"'
"""An out-of-memory or stack error the script caught: the heap may be near its limit (context dropped)."""


def shutdown() -> None:
    """Free the pooled contexts (new ones are created on the next evaluation)."""
    _pool.clear()


def idle_contexts() -> int:
    """How many prepared contexts wait in the pool (diagnostics and tests)."""
    return _pool.idle_count()


def compiled_scripts() -> list[int]:
    """How many script texts each idle context keeps compiled, most recently used context last
    (diagnostics and tests)."""
    return _pool.compiled_counts()


def evaluate_javascript(source: str, scope: ScriptScope) -> Any:
    """Run ``source`` and return its result as plain Python data (Date -> ISO text, undefined -> None).

    Variables the script set are written into ``scope.variables`` (also when it then fails, as in
    Elsa), outcomes it chose are appended to ``scope.outcomes`` when that is a list, what it added with
    ``addJournal`` goes into ``scope.journal`` and the transient variables it set into
    ``scope.transient_variables``.

    For a running instance (``scope.defer_slow_scripts``), a script that needs more than the event
    loop's budget raises ``js_lanes.ScriptDeferred`` instead, which the engine handles.
    """
    script = _scripts.get(source)
    if script is None:
        script = _remember_script(source)
    if scope.defer_slow_scripts and scope.journal is not None:
        return _evaluate_in_step(source, script, scope)
    if script.fast is not None:
        value = script.fast(scope)
        if value is not DECLINE:
            return value
    state_json = _state_json(script.needs, scope)
    return _apply(_run(source, script, state_json, settings.time_limit), source, script, scope)


def _evaluate_in_step(source: str, script: _Script, scope: ScriptScope) -> Any:
    """An evaluation of a running instance's step: answered from the step's record when the step runs
    again, else run on this thread within the event loop's budget, else deferred to a lane."""
    log = scope.step_log
    if log is None:
        log = scope.step_log = StepLog(scope.journal)
    elif log.key is not scope.journal:
        log.restart(scope.journal)
    else:
        replayed, value = log.replay(source, scope.outcomes)
        if replayed:
            return value
    outcomes = scope.outcomes
    already = len(outcomes) if outcomes is not None else 0
    try:
        if script.fast is not None:
            value = script.fast(scope)
            if value is not DECLINE:
                log.record_value(source, value, _NO_OUTCOMES)
                return value
        state_json = _state_json(script.needs, scope)
        budget = settings.inline_time_limit
        if settings.time_limit <= budget or log.deferrals >= MAX_DEFERRALS:
            reply = _run(source, script, state_json, settings.time_limit)
        elif script.slow:
            raise _defer(source, script, state_json, scope, log)
        else:
            try:
                reply = _run(source, script, state_json, budget, inline=True)
            except _OverBudget:
                script.slow = True
                raise _defer(source, script, state_json, scope, log) from None
        value = _apply(reply, source, script, scope)
    except ExpressionError as error:
        log.record_error(source, error)
        raise
    log.record_value(source, value, outcomes[already:] if outcomes else _NO_OUTCOMES)
    return value


_NO_OUTCOMES: list[str] = []


def _defer(source: str, script: _Script, state_json: str, scope: ScriptScope, log: StepLog) -> ScriptDeferred:
    """The signal for the engine: run this script in a lane, then the step again."""

    def run() -> tuple[str, JsEngine]:
        started = time.thread_time()
        reply = _run(source, script, state_json, settings.time_limit, contexts=_lane_contexts)
        if time.thread_time() - started < settings.inline_time_limit / 2:
            script.slow = False  # quick again: back on the event loop next time
        return reply

    job = LaneJob(run, lambda reply: _apply(reply, source, script, scope))
    log.record_job(source, job)
    message = (
        f"the script did not finish within the wall-clock limit of {_seconds(settings.wall_time_limit)} s "
        "(waiting for a free lane included)"
    )
    return ScriptDeferred(job, log, settings.wall_time_limit, message, settings.lanes)


class _OverBudget(Exception):
    """An inline run used up the event loop's budget: the script is run again in a lane."""


def _run(
    source: str,
    script: _Script,
    state_json: str,
    time_limit: float,
    inline: bool = False,
    contexts: _ContextPool | _LaneContexts = _pool,
) -> tuple[str, JsEngine]:
    """The engine's reply (and the engine, for reading error stacks), on this thread. An engine failure
    drops the context and becomes an ExpressionError (``_OverBudget`` for an inline run's time)."""
    context = contexts.acquire(time_limit)
    engine = context.engine
    try:
        reply = engine.call(
            RUNNER_FUNCTION,
            state_json,
            source,
            script.mode,
            script.last_start,
            script.last_end,
            script.check_globals,
            script.global_names,
        )
    except JsTimeLimitExceeded:
        contexts.discard(context)
        if inline:
            raise _OverBudget from None
        message = f"the script exceeded the time limit of {_seconds(time_limit)} s and was stopped"
        raise ExpressionError(SYNTAX, message) from None
    except JsMemoryLimitExceeded:
        message = f"the script exceeded the memory limit of {_mebibytes(settings.memory_limit)} MiB"
    except JsStackOverflow:
        message = "the script recursed too deeply (stack overflow)"
    except JsEngineError as error:
        message = str(error)
    else:
        if reply[0] == _BROKEN:
            contexts.discard(context)
            return reply[1:], engine
        if reply[0] == "{" and _CAUGHT_INTERNAL_ERROR in reply:
            contexts.discard(context)
        else:
            contexts.release(context)
        return reply, engine
    contexts.discard(context)
    raise ExpressionError(SYNTAX, message)


def _apply(reply_and_engine: tuple[str, JsEngine], source: str, script: _Script, scope: ScriptScope) -> Any:
    """The result of an engine reply, with what the script did written into the scope."""
    reply, engine = reply_and_engine
    if reply[0] == "{":
        return _finish_envelope(engine, source, json.loads(reply), script, scope)
    return _tagged_result(reply, scope)


def _tagged_result(reply: str, scope: ScriptScope) -> Any:
    """The value of a tagged reply (see ``js_prelude.REPLY_*``); variables and outcomes written back."""
    tag = reply[0]
    if tag == REPLY_STRING:
        return reply[1:]
    if tag in _CONSTANT_REPLIES:
        return _CONSTANT_REPLIES[tag]
    if tag == REPLY_INTEGER:
        return int(reply[1:])
    if tag == REPLY_JSON:
        return _DECODER.raw_decode(reply, 1)[0]
    if tag != REPLY_CHANGES:
        raise ExpressionError(SYNTAX, f"the engine sent an unknown reply {reply[:20]!r}")
    items = _DECODER.raw_decode(reply, 1)[0]
    _apply_changes(items, 2, scope)
    if scope.outcomes is not None:
        scope.outcomes.extend(items[1])
    return items[0]


def _remember_script(source: str) -> _Script:
    if len(_scripts) >= _MAX_REMEMBERED_SCRIPTS:
        _scripts.clear()
    script = _scripts[source] = _Script(source)
    return script


def _finish_envelope(
    engine: JsEngine, source: str, reply: dict[str, Any], script: _Script, scope: ScriptScope
) -> Any:
    """The envelope of a script that failed, or ran in a mode not known before (remembered now)."""
    error = reply.get("e")
    _apply_changes(reply.get("c", ()), 0, scope)
    _apply_journal_and_transient(reply, scope)
    if error is not None:
        raise _script_error(engine, source, error)
    if scope.outcomes is not None:
        scope.outcomes.extend(reply.get("o", ()))
    script.learn_mode(source, reply.get("m", MODE_UNKNOWN))
    return reply.get("v")


def _seconds(value: float) -> str:
    return f"{value:g}"


def _mebibytes(value: int) -> str:
    return f"{value / _MIB:g}"


# --- state injection --------------------------------------------------------------------------------


def _state_json(needs: ScriptNeeds, scope: ScriptScope) -> str:
    """The compact JSON of what the script can reach: only the keys it needs, the rest stays unset
    (the keys are listed in ``js_prelude``), and the frozen clock when there is one."""
    text = _reachable_state_json(needs, scope)
    if scope.frozen_now is None:
        return text
    return f'{text[:-1] if text else _NO_VARIABLES},"n":{scope.frozen_now!r}}}'


def _reachable_state_json(needs: ScriptNeeds, scope: ScriptScope) -> str:
    transient = scope.transient_variables
    if needs.variables_only and not transient:
        facts = scope.workflow
        if facts is None or needs.bare_identifiers.isdisjoint(facts.activity_names):
            try:
                text = _variables_json(needs, scope.variables, transient)
            except ValueConversionError as error:
                message = f"the workflow state cannot be passed to the script: {error}"
                raise ExpressionError(SYNTAX, message) from None
            return "" if text == _NO_VARIABLES else text + "}"
    try:
        parts = [_variables_json(needs, scope.variables, transient)]
        stateful = needs.stateful_globals
        contexts = bool(stateful) and not _CONTEXT_GLOBALS.isdisjoint(stateful)
        if needs.uses_workflow_values or contexts:
            parts.append(
                f',"wi":{_json(scope.workflow_instance_id)},"wd":{_json(scope.workflow_definition_id)}'
                f',"wv":{_json(scope.workflow_definition_version)},"c":{_json(scope.correlation_id)}'
            )
        if needs.uses_input or contexts:
            parts.append(f',"i":{_json(scope.input)}')
        facts = scope.workflow
        if needs.uses_activities:
            parts.append(f',"a":{_json(_needed_activities(needs, scope.activities, facts))}')
        if needs.uses_workflow_ids:
            parts.append(f',"w":{_json(dict(scope.workflow_ids_by_name))}')
        if facts is not None and not needs.bare_identifiers.isdisjoint(facts.activity_names):
            extra = _extra_state(needs, scope, facts, needs.bare_identifiers & facts.activity_names)
        elif stateful or transient:
            extra = _extra_state(needs, scope, facts, frozenset())
        else:
            extra = ""
        if extra:
            parts.append(f',"x":{{{extra}}}')
    except ValueConversionError as error:
        raise ExpressionError(SYNTAX, f"the workflow state cannot be passed to the script: {error}") from None
    if len(parts) == 1 and parts[0] == _NO_VARIABLES:
        return ""  # nothing to send: the prelude skips parsing
    parts.append("}")
    return "".join(parts)


_NO_VARIABLES = '{"v":{}'


def fast_state(needs: ScriptNeeds, scope: ScriptScope) -> dict[str, str] | None:
    """For ``js_fast``: None where the state the engine path would send is more than the variables (a
    transient variable, a named activity the script may mean as a global); else the JSON text of each
    variable the script can reach that is not plain, written as ``_state_json`` writes it, in the same
    order, with the same error for one that cannot be written."""
    if scope.transient_variables:
        return None
    facts = scope.workflow
    if facts is not None and not needs.bare_identifiers.isdisjoint(facts.activity_names):
        return None
    variables = scope.variables
    texts: dict[str, str] = {}
    try:
        for name in _reachable_variables(needs, variables)[0]:
            value = variables[name]
            if type(value) not in PLAIN_TYPES:
                texts[name] = _json(value)
    except ValueConversionError as error:
        raise ExpressionError(SYNTAX, f"the workflow state cannot be passed to the script: {error}") from None
    return texts


def _variables_json(needs: ScriptNeeds, variables: Mapping[str, Any], transient: Mapping[str, Any]) -> str:
    """``{"v":{...}`` with the variables the script can reach (the state object is closed by the caller),
    and ``"g":0`` when the script names none of them in its code (so none has to become a global)."""
    if needs.every_variable:
        names, named_in_code = list(variables), True
    else:
        names, named_in_code = _reachable_variables(needs, variables)
    text = '{"v":{' + ",".join([f"{_json_key(name)}:{_json(variables[name])}" for name in names]) + "}"
    return text if named_in_code or not names or transient else text + ',"g":0'


def _reachable_variables(needs: ScriptNeeds, variables: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The variables named in the script's code or passed to ``getVariable`` as text, and whether any
    is named in code. Names match exactly: Elsa's variables are case-sensitive
    (``Elsa.Abstractions/Models/Variables.cs``). Found from whichever side is smaller."""
    identifiers = needs.identifiers
    if len(identifiers) < len(variables):
        names = [word for word in identifiers if word in variables]
    else:
        names = [name for name in variables if name in identifiers]
    named_in_code = bool(names)
    for literal in needs.variable_literals:
        if literal in variables and literal not in names:
            names.append(literal)
    return names, named_in_code


def _json_key(name: Any) -> str:
    if type(name) is str:
        return encode_basestring_ascii(name)
    return encode_json(_STATE_ENCODER, {name: None})[1 : -len(":null}")]  # the encoder's key rules


def _json(value: Any) -> str:
    """JSON text for one value (ASCII only, so the engine gets no NUL); scalars without the encoder."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value) if math.isfinite(value) else "null"
    encode = getattr(_encoders, "encode", None)
    if encode is None:
        encode = _encoders.encode = _compact_encoder()
    try:
        return "".join(encode(value, 0))
    except (TypeError, ValueError, RecursionError):
        _encoders.encode = None  # its circular-reference markers may hold this value's parts
        return encode_json(_STATE_ENCODER, value)  # the same text, or the error it makes


def _compact_encoder() -> Callable[[Any, int], Any]:
    """The C encoder ``_STATE_ENCODER`` uses, made once per thread (``JSONEncoder.encode`` makes one per
    call) and without spaces, so the engine has less to parse; a failure is left to ``encode_json``."""
    if c_make_encoder is None:  # pragma: no cover - CPython has it
        return lambda value, _level: (_STATE_ENCODER.encode(value),)
    return c_make_encoder({}, json_default, encode_basestring_ascii, None, ":", ",", False, False, False)


def _needed_activities(
    needs: ScriptNeeds, activities: Mapping[str, Mapping[str, Any]], facts: WorkflowFacts | None
) -> dict[str, Any]:
    """The outputs of the activities the script names. With the running workflow known, every named
    activity is there before it runs, its declared outputs null (``AddActivityOutputAsync`` in
    ``ConfigureJavaScriptEngine.cs``)."""
    wanted = needs.activity_outputs
    if wanted is None:
        selected = dict(activities)
        if facts is not None:
            for name in facts.activity_names:
                selected[name] = _outputs_of(name, activities, facts)
        return selected
    selected = {}
    for name in activities:
        key = name.lower()
        if key in wanted:
            selected[name] = _used_outputs(_outputs_of(name, activities, facts), wanted[key])
    if facts is not None:
        for key, used in wanted.items():
            for name in facts.names_like(key):
                if name not in selected:
                    selected[name] = _used_outputs(_outputs_of(name, activities, facts), used)
    return selected


def _outputs_of(name: str, activities: Mapping[str, Any], facts: WorkflowFacts | None) -> Any:
    stored = activities.get(name)
    declared = facts.declared_outputs(name) if facts is not None else ()
    if not declared:
        return stored if stored is not None else {}
    if stored is None:
        return dict.fromkeys(declared)
    if not isinstance(stored, Mapping):
        return stored
    return {**{output: None for output in declared if output not in stored}, **stored}


def _used_outputs(outputs: Any, used: frozenset[str] | None) -> Any:
    if used is None or not isinstance(outputs, Mapping):
        return outputs
    return {output: value for output, value in outputs.items() if output.lower() in used}


_CONTEXT_GLOBALS = frozenset({"activityExecutionContext", "workflowExecutionContext"})
_INSTANCE_GLOBALS = frozenset({"workflowInstance", *_CONTEXT_GLOBALS})
_HTTP_GLOBALS = frozenset({"queryString", "absoluteUrl", "getRemoteIPAddress", "getRouteValue"})
_ACTIVITY_GLOBALS = frozenset({"getActivity", "getActivityId", "getActivityProperty"})
_OUTCOME_GLOBALS = frozenset({"setOutcome", "setOutcomes"})


def _extra_state(
    needs: ScriptNeeds, scope: ScriptScope, facts: WorkflowFacts | None, names_as_globals: frozenset[str]
) -> str:
    """The members of the state's ``"x"``: the transient variables, the state of Elsa's other stateful
    globals the script names (``js_analysis.STATEFUL_GLOBALS``), and the data of the named activities it
    uses as globals (the deprecated Elsa 2.0 form)."""
    used = needs.stateful_globals
    parts = []
    if scope.transient_variables:
        parts.append(f'"t":{_json(scope.transient_variables)}')
    if facts is not None and (names_as_globals or not _ACTIVITY_GLOBALS.isdisjoint(used)):
        ids_by_name = facts.activity_ids_by_name
        wanted: set[str] = {ids_by_name[name] for name in names_as_globals}
        if not used.isdisjoint({"getActivity", "getActivityProperty"}):
            lookups = needs.activity_lookups
            if lookups is None:
                wanted.update(facts.activity_ids)
            else:
                for key in lookups:
                    if key in ids_by_name:
                        wanted.add(ids_by_name[key])
                    elif key in facts.activity_ids:
                        wanted.add(key)
        data = facts.activities_data(wanted)
        parts.append(f'"ai":{_json(ids_by_name)},"ad":{_json(data)}')
        if names_as_globals:
            parts.append(f'"an":{_json({name: ids_by_name[name] for name in names_as_globals})}')
    if "findExecutedActivityIdByType" in used and facts is not None:
        parts.append(f'"fx":{_json(facts.first_executed_by_type(scope.activity_id))}')
    if "getWorkflowDefinitionIdByTag" in used:
        parts.append(f'"tg":{_json(dict(scope.workflow_ids_by_tag))}')
    if scope.outcomes is None and not _OUTCOME_GLOBALS.isdisjoint(used):
        parts.append('"so":0')
    if "addJournal" in used and scope.journal is not None:
        parts.append(f'"j":{_json(list(scope.journal))}')
    if not _HTTP_GLOBALS.isdisjoint(used) and facts is not None:
        parts.append(f'"h":{_json(facts.http_request())}')
    if not _INSTANCE_GLOBALS.isdisjoint(used) and facts is not None:
        parts.append(f'"ws":{_json(facts.instance_snapshot())}')
    if not _CONTEXT_GLOBALS.isdisjoint(used):
        workflow_input = facts.workflow_input() if facts is not None else None
        parts.append(f'"cx":{_json({"id": scope.activity_id, "in": workflow_input})}')
    return ",".join(parts)


def _apply_journal_and_transient(reply: Mapping[str, Any], scope: ScriptScope) -> None:
    """Write what ``addJournal`` added (into the running activity's journal data) and the transient
    variables set through ``activityExecutionContext.SetTransientVariable``."""
    entries = reply.get("jn")
    if entries and scope.journal is not None:
        for index in range(0, len(entries), 2):
            scope.journal[entries[index]] = entries[index + 1]
    changes = reply.get("tc")
    if changes:
        for index in range(0, len(changes), 2):
            scope.transient_variables[changes[index]] = changes[index + 1]


def _apply_changes(entries: list[Any], start: int, scope: ScriptScope) -> None:
    """Write the variables the script set (``entries[start:]`` is name, value, name, value ...)."""
    for index in range(start, len(entries), 2):
        name, value = entries[index], entries[index + 1]
        scope.variables[name] = value
        if scope.on_variable_set is not None:
            scope.on_variable_set(name, value)


# --- errors -----------------------------------------------------------------------------------------

_READ_OF_NOTHING = re.compile(r"cannot read property '(?P<key>[^']*)' of (?:null|undefined)")
_NOT_DEFINED = re.compile(r"^'?(?P<key>[\w$]+)'? is not defined")


_NOT_SUPPORTED = {
    "getConfig": "Elsa defines getConfig only when its EnableConfigurationAccess option is on, and Flowdesk "
    "has no server configuration",
    "setTransientVariable": "Elsa 2 has no such global: use activityExecutionContext.SetTransientVariable"
    "(name, value)",
    "formatE164PhoneNumber": "it comes with Elsa's Telnyx activities, which Flowdesk does not have",
    "EmailAttachment": "it comes with Elsa's email activities, which Flowdesk does not have",
    "WorkflowExecutionContext": "Elsa registers the .NET type, which scripts cannot use here: the "
    "workflowExecutionContext global has the members that mean something in Flowdesk",
    "ActivityExecutionContext": "Elsa registers the .NET type, which scripts cannot use here: the "
    "activityExecutionContext global has the members that mean something in Flowdesk",
    "plus": "the Elsa 2 documentation lists it, but Elsa 2 never defined it: use addDurationTo",
    "minus": "the Elsa 2 documentation lists it, but Elsa 2 never defined it: use subtractDurationFrom",
}
"""Names a script may expect from Elsa 2 that are not defined here: the error says why."""


_FROZEN_FAILURE = re.compile(
    r"^(?:object is not extensible|'[^']*' is read-only|(?:\S+ )?is not a function|not a function)"
)
_BUILT_INS = (
    r"Object|Function|Array|String|Number|Boolean|Symbol|BigInt|Map|Set|WeakMap|WeakSet|Promise|RegExp|Date"
    r"|\w*Error|JSON|Math|Reflect|Proxy|Atomics|Iterator|ArrayBuffer|DataView|\w+Array|globalThis"
)
_CHANGES_A_BUILT_IN = re.compile(
    rf"\b(?:{_BUILT_INS})\s*(?:\.\s*prototype\s*)?(?:\.\s*[\w$]+|\[[^\]]*\])\s*=(?!=)"
    r"|\bdefinePropert(?:y|ies)\s*\(\s*(?:{_BUILT_INS})\b".replace("{_BUILT_INS}", _BUILT_INS)
)
_FROZEN_HINT = (
    "built-in objects are frozen in Flowdesk: a script cannot add to or change them (Elsa gives every "
    "evaluation a new engine, Flowdesk shares prepared ones); use a function of your own instead"
)


def _script_error(engine: JsEngine, source: str, error: Mapping[str, str]) -> ExpressionError:
    name, message = error.get("n", "Error"), error.get("m", "")
    unsupported = _NOT_DEFINED.search(message) if name == "ReferenceError" else None
    if unsupported is not None and unsupported["key"] in _NOT_SUPPORTED:
        message = f"{message} ({_NOT_SUPPORTED[unsupported['key']]})"
    line = _user_line(engine, source, name, message, error.get("s", ""))
    if line is not None:
        line = min(line, source.count("\n") + 1)
    text = f"{name}: {message}" if message else name
    if name == "TypeError" and _FROZEN_FAILURE.search(message) and _CHANGES_A_BUILT_IN.search(source):
        text += f" ({_FROZEN_HINT})"
    if name == "InternalError" and "out of memory" in message:
        text = f"the script exceeded the memory limit of {_mebibytes(settings.memory_limit)} MiB ({text})"
    return ExpressionError(SYNTAX, text, line)


def _user_line(engine: JsEngine, source: str, error_name: str, message: str, stack: str) -> int | None:
    """The line in the user's script where the error happened, from the engine's stack text.

    Prelude frames (``__fd...``) and native frames are skipped, except a compiled program's, which is the
    user's top-level code. A frame without a function name is the engine compiling some text: it is the
    user's script only when the prelude's compile frame is next.
    """
    frames = engine.stack_frames(stack)
    for index, frame in enumerate(frames):
        if frame.line is None:
            continue
        if frame.function == PROGRAM_FRAME:
            return frame.line
        if frame.function is None:
            caller = frames[index + 1].function if index + 1 < len(frames) else None
            if caller in COMPILE_FRAMES:
                return frame.line
            continue
        if frame.function.startswith("__fd"):
            continue
        if frame.line_is_exact:
            return frame.line
        return _line_of_failed_read(source, error_name, message, frame.line)
    return None


def _line_of_failed_read(source: str, error_name: str, message: str, engine_line: int) -> int:
    """Where the engine's line may be that of the function's last call rather than of a failed property or
    variable read, look for the read in the script: the first line at or after the engine's line that
    reads that name, or else the only line anywhere that does; otherwise keep the engine's line."""
    if error_name == "TypeError" and (match := _READ_OF_NOTHING.search(message)):
        key = re.escape(match["key"])
        pattern = re.compile(rf"\.\s*{key}(?![\w$])|\[\s*(['\"]){key}\1\s*\]")
    elif error_name == "ReferenceError" and (match := _NOT_DEFINED.search(message)):
        pattern = re.compile(rf"(?<![\w$.]){re.escape(match['key'])}(?![\w$])")
    else:
        return engine_line
    lines = _without_comments(source).split("\n")
    candidates = [number for number, text in enumerate(lines, 1) if pattern.search(text)]
    later = [number for number in candidates if number >= engine_line]
    if later:
        return later[0]
    return candidates[0] if len(candidates) == 1 else engine_line


def _without_comments(source: str) -> str:
    """The script with comments blanked (line breaks kept), so a name in a comment is not a candidate."""
    out: list[str] = []
    index, length = 0, len(source)
    quote: str | None = None
    while index < length:
        char = source[index]
        if quote is not None:
            out.append(char)
            if char == "\\" and index + 1 < length:
                out.append(source[index + 1])
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'`":
            quote = char
            out.append(char)
        elif source.startswith("//", index):
            end = source.find("\n", index)
            index = length if end < 0 else end
            continue
        elif source.startswith("/*", index):
            end = source.find("*/", index + 2)
            comment = source[index : length if end < 0 else end + 2]
            out.append("\n" * comment.count("\n"))
            index += len(comment)
            continue
        else:
            out.append(char)
        index += 1
    return "".join(out)
