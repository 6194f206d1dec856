"""Nothing one evaluation does is seen by a later one: every built-in is frozen, what a script adds to the
global object is deleted, the prelude's own objects are out of reach (issue 14).

Elsa 2 gives every evaluation a new Jint engine (``JintJavaScriptEvaluator.GetConfiguredEngine``);
Flowdesk reuses pooled QuickJS contexts, so each test here pollutes one intrinsic as a script can, and
then checks, in another scope, that a probe gives what it gives in a context no script ever touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.engine.instance import InstanceStatus
from runtime.expressions import ExpressionError, ScriptScope, evaluate, shutdown
from runtime.expressions.js_analysis import GLOBAL_OBJECT, GLOBALS_UNCHANGED, IMPLICIT_GLOBALS, global_check


@pytest.fixture(autouse=True, scope="module")
def fresh_pool() -> Iterator[None]:
    shutdown()
    yield
    shutdown()


def js(text: str, variables: dict[str, Any] | None = None) -> Any:
    scope = ScriptScope(variables=dict(variables or {}), outcomes=[])
    try:
        return evaluate("JavaScript", text, scope)
    except ExpressionError as error:
        return f"error: {error.message}"


# (pollution, probe): the probe must give the same after the pollution as in an untouched context.
POLLUTIONS = [
    ("Object.prototype.leak = 'x'", "({}).leak"),
    ("Object.defineProperty(Object.prototype, 'leak', {get() { return 'x' }})", "({}).leak"),
    ("Object.prototype[Symbol.for('leak')] = 'x'", "({})[Symbol.for('leak')]"),
    ("Object.prototype.__defineGetter__('leak', () => 'x')", "({}).leak"),
    ("Object.prototype.toString = () => 'spy'", "String({})"),
    ("Object.setPrototypeOf(Object.prototype, {leak: 1})", "({}).leak"),
    ("Array.prototype.leak = 1", "[].leak"),
    ("Array.prototype.push = function () { return 'spy' }", "[].push(1)"),
    ("Array.prototype[Symbol.iterator] = function* () { yield 'spy' }", "[...[1, 2]]"),
    ("Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({done: true})", "[...[1, 2]]"),
    ("Array.isArray = () => false", "Array.isArray([])"),
    ("Function.prototype.leak = 1", "(function () {}).leak"),
    ("Function.prototype.call = () => 'spy'", "Math.max.call(null, 1, 2)"),
    ("String.prototype.trim = () => 'spy'", "' a '.trim()"),
    ("String.fromCharCode = () => 'spy'", "String.fromCharCode(65)"),
    ("Number.prototype.toFixed = () => 'spy'", "(1.5).toFixed(1)"),
    ("Number.parseFloat = () => 0", "Number.parseFloat('1.5')"),
    ("Boolean.prototype.leak = 1", "true.leak"),
    ("Symbol.prototype.leak = 1", "Symbol().leak"),
    ("BigInt.prototype.leak = 1", "(1n).leak"),
    ("Map.prototype.set = function () { globalThis.spy = 1; return this }", "[new Map().set('a', 1).size]"),
    ("Map.prototype.get = () => 'spy'", "new Map([['a', 1]]).get('a')"),
    ("Set.prototype.add = function () { return this }", "new Set().add(1).size"),
    ("WeakMap.prototype.set = () => 'spy'", "new WeakMap().set({}, 1) instanceof WeakMap"),
    ("WeakSet.prototype.leak = 1", "new WeakSet().leak"),
    ("Promise.prototype.then = () => 'spy'", "Promise.resolve(1).then(x => x) instanceof Promise"),
    ("Promise.resolve = () => 'spy'", "typeof Promise.resolve(1)"),
    ("RegExp.prototype.test = () => true", "/a/.test('b')"),
    ("RegExp.prototype.exec = () => null", "'abc'.replace(/b/, 'x')"),
    ("RegExp.prototype[Symbol.replace] = () => 'spy'", "'abc'.replace(/b/, 'x')"),
    ("Date.prototype.getTime = () => 0", "new Date(5).getTime()"),
    ("Date.now = () => 0", "Date.now() > 0"),
    ("Date.prototype.addDays = function () { return 1 }", "typeof new Date().addDays"),
    ("Error.prototype.leak = 1", "new Error('x').leak"),
    ("TypeError.prototype.name = 'spy'", "new TypeError('x').name"),
    ("Error.prepareStackTrace = () => 'spy'", "String(new Error('x').stack).includes('spy')"),
    ("Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit').set.call(Error, 0)", "Error.stackTraceLimit"),
    ("Error.stackTraceLimit = 0", "Error.stackTraceLimit"),
    ("Error.captureStackTrace = () => 'spy'", "typeof Error.captureStackTrace({})"),
    ("JSON.parse = () => 'spy'", "JSON.parse('1')"),
    ("JSON.stringify = () => 'spy'", "JSON.stringify([1])"),
    ("JSON.stringify = () => 'spy'", "({a: [1]})"),
    ("Math.random = () => 4", "Math.random() < 1"),
    ("Math.PI = 3", "Math.PI"),
    ("Math.leak = 1", "Math.leak"),
    ("Reflect.ownKeys = () => []", "Reflect.ownKeys({a: 1})"),
    ("Object.keys = () => ['spy']", "Object.keys({a: 1})"),
    ("Object.assign = () => 'spy'", "Object.assign({}, {a: 1})"),
    ("Proxy.leak = 1", "Proxy.leak"),
    ("Uint8Array.prototype.leak = 1", "new Uint8Array(1).leak"),
    ("Object.getPrototypeOf(Int8Array.prototype).leak = 1", "new Int8Array(1).leak"),
    ("ArrayBuffer.prototype.leak = 1", "new ArrayBuffer(1).leak"),
    ("DataView.prototype.leak = 1", "new DataView(new ArrayBuffer(1)).leak"),
    ("Iterator.prototype.leak = 1", "[].values().leak"),
    ("Object.getPrototypeOf(function* () {}).prototype.leak = 1", "(function* () {})().leak"),
    ("Object.getPrototypeOf(async function () {}).leak = 1", "(async function () {}).leak"),
    ("Object.getPrototypeOf(new Map().entries()).leak = 1", "new Map().entries().leak"),
    ("Atomics.leak = 1", "Atomics.leak"),
    ("globalThis.parseInt = () => 'spy'", "parseInt('7')"),
    ("encodeURIComponent = () => 'spy'", "encodeURIComponent('a b')"),
    ("undefined = 1; NaN = 2", "[typeof undefined, typeof NaN]"),
    # the global object: implicit, defined, hidden and symbol-keyed globals, its prototype, its extensibility
    ("leak = 'x'", "typeof leak"),
    ("of = 1; let = 2; async = 3; yield = 4", "[typeof of, typeof async, typeof yield]"),
    ("this.leak = 'x'", "typeof leak"),
    ("Function('return this')().leak = 'x'", "typeof leak"),
    ("(0, eval)('var leak = 1; function leakFn() {}')", "[typeof leak, typeof leakFn]"),
    ("Object.defineProperty(globalThis, 'leak', {value: 'x', configurable: true})", "typeof leak"),
    ("Object.defineProperty(globalThis, 'leak', {value: 'x', configurable: false})", "typeof leak"),
    ("Reflect.defineProperty(globalThis, 'leak', {get() { return 'x' }, configurable: true})", "typeof leak"),
    ("Object.defineProperties(globalThis, {leak: {value: 1}})", "typeof leak"),
    ("Error.captureStackTrace(globalThis)", "Object.getOwnPropertyNames(globalThis).includes('stack')"),
    ("globalThis.__defineSetter__('leak', v => {})", "'leak' in globalThis"),
    ("globalThis[Symbol.for('leak')] = 'x'", "globalThis[Symbol.for('leak')]"),
    ("Object.setPrototypeOf(globalThis, {leak: 'x'})", "typeof leak"),
    ("globalThis.__proto__ = {leak: 'x'}", "typeof leak"),
    ("Object.preventExtensions(globalThis)", "Object.isExtensible(globalThis)"),
    ("Object.freeze(globalThis)", "Object.isFrozen(globalThis)"),
    ("toString = () => 'spy'", "String(globalThis).length > 0 && typeof toString"),
    # deferred code never runs (no job queue is run): not later, in another evaluation
    ("Promise.resolve().then(() => { globalThis.leak = 1 })", "typeof leak"),
    ("queueMicrotask(() => { globalThis.leak = 1 })", "typeof leak"),
    ("(async () => { await null; globalThis.leak = 1 })()", "typeof leak"),
    ("new FinalizationRegistry(() => { globalThis.leak = 1 }).register({}, 1)", "typeof leak"),
    # Flowdesk's own globals and objects
    ("getVariable.leak = 1", "getVariable.leak"),
    ("Instant.leak = 1; Instant.prototype.leak = 1", "[Instant.leak, Instant.FromUnixTimeSeconds(0).leak]"),
    ("Duration.FromSeconds = () => 'spy'", "String(Duration.FromSeconds(90))"),
    ("Encoding.UTF8.leak = 1", "Encoding.UTF8.leak"),
    ("activities.leak = 1", "activities.leak"),
    ("currentCulture.leak = 1", "currentCulture.leak"),
    ("activityExecutionContext.leak = 1", "typeof activityExecutionContext.ActivityId"),
    ("__fdScope.leak = 1", "typeof leak"),
    ("arguments[0].leak = 1", "typeof leak"),
    ("input = 'spy'", "input"),
    ("delete input", "input"),
    ("__fdExec('{\"v\":{}}', 'globalThis.leak = 1', 0, -1, -1, 0, '')", "typeof leak"),
]  # fmt: skip


def _pollute(pollution: str) -> str:
    return f"try {{ {pollution}; }} catch (error) {{ }}\n'polluted'"


@pytest.fixture(scope="module")
def pristine() -> dict[str, Any]:
    """Every probe's answer in a new context, before any pollution of this module."""
    shutdown()
    return {probe: js(probe) for _pollution, probe in POLLUTIONS}


@pytest.mark.parametrize(("pollution", "probe"), POLLUTIONS)
def test_a_polluted_intrinsic_is_not_seen_by_a_later_evaluation(
    pollution: str, probe: str, pristine: dict[str, Any]
) -> None:
    """The pollutions run one after the other in the same pooled contexts: none may show in any probe."""
    assert js(_pollute(pollution)) == "polluted"
    assert js(probe, {"secret": "s3cret"}) == pristine[probe]
    assert js(probe) == pristine[probe]  # and again, once its script is compiled


def test_a_script_may_still_override_inherited_members_of_its_own_objects() -> None:
    """Frozen prototypes would make ``e.name = ...`` fail (the "override mistake"); the common members
    are accessors that give the object its own property instead (as SES's lockdown does)."""
    assert js("var e = new Error('m'); e.name = 'Custom'; e.name + ': ' + e.message") == "Custom: m"
    assert js("class MyError extends Error { constructor(m) { super(m); this.name = 'MyError' } }\n"
              "String(new MyError('x'))") == "MyError: x"  # fmt: skip
    assert (
        js("function Foo() {}\nFoo.prototype.toString = function () { return 'foo' }\nString(new Foo())")
        == "foo"
    )
    assert js("var o = {}; o.toString = () => 'mine'; o.valueOf = () => 7; [String(o), o + 1]") == ["mine", 8]
    assert js("var d = new Date(0); d.toString = () => 'epoch'; String(d)") == "epoch"
    assert js("function f() {}\nf.toString = () => 'f'; String(f)") == "f"
    assert js("Object.prototype.toString.call([])") == "[object Array]"
    assert js("'use strict'; Object.prototype.toString = 1") == (
        "error: TypeError: Cannot assign to read only property 'toString' of a built-in prototype "
        "(built-in objects are frozen in Flowdesk)"
    )


def test_a_script_that_changes_a_built_in_is_told_they_are_frozen() -> None:
    assert "built-in objects are frozen" in js(
        "Date.prototype.addDays = function (d) { return d }\nnew Date().addDays(1)"
    )
    assert "built-in objects are frozen" in js("'use strict'; Array.prototype.sum = 1")


def test_compiled_functions_keep_nothing_between_evaluations() -> None:
    """A context keeps each text's compiled function for later evaluations (of other instances too):
    frozen, so neither ``arguments.callee`` (function-body mode) nor the program's own name can carry
    anything."""
    body = "var f = arguments.callee; var before = f.leak; f.leak = getVariable('v'); return before"
    program = "var before = typeof __fdProgram === 'function' ? __fdProgram.leak : 'eval'; " \
        "try { __fdProgram.leak = getVariable('v') } catch (e) {}\nbefore"  # fmt: skip
    for script in (body, program):
        results = [js(script, {"v": f"secret {index}"}) for index in range(4)]
        assert all(result in (None, "eval") for result in results), results


def test_a_context_that_cannot_be_cleaned_is_dropped() -> None:
    assert js("Object.defineProperty(globalThis, 'stuck', {value: 1, configurable: false}); stuck") == 1
    assert js("typeof stuck") == "undefined"
    assert js("Object.preventExtensions(globalThis); 1") == 1
    assert js("fresh = 1; fresh") == 1
    assert js("typeof fresh") == "undefined"


def test_a_later_instance_of_another_workflow_sees_nothing_of_an_earlier_one() -> None:
    """The issue's case: a workflow wraps Map.prototype.set (which setVariable uses) to record what later
    instances of other workflows do, a password among them; its next instance reads the record."""
    spy = (
        WorkflowBuilder("Spy", definition_id="spy")
        .add(
            "js",
            "RunJavaScript",
            Script=(
                "var seen = typeof globalThis.recorded === 'undefined' ? [] : globalThis.recorded;\n"
                "try {\n"
                "  globalThis.recorded = globalThis.recorded || [];\n"
                "  const set = Map.prototype.set;\n"
                "  Map.prototype.set = function (k, v) {\n"
                "    globalThis.recorded.push([k, v]); return set.call(this, k, v) };\n"
                "  Object.defineProperty(Object.prototype, 'spied', {\n"
                "    get() { globalThis.recorded.push(this); }});\n"
                "  Object.defineProperty(globalThis, 'hidden', {value: [], configurable: true});\n"
                "} catch (e) {}\n"
                "setVariable('seen', JSON.stringify(seen)); setVariable('hidden', typeof hidden);"
            ),
        )
        .build()
    )  # fmt: skip
    victim = (
        WorkflowBuilder("Victim", definition_id="victim")
        .add("js", "RunJavaScript", Script="setVariable('password', 's3cret'); ({}).spied; [1].length")
        .add("check", "SetVariable", VariableName="count", Value=("JavaScript", "new Map([[1, 2]]).size"))
        .chain("js", "check")
        .build()
    )
    runner = WorkflowRunner(RuntimeServices(library=WorkflowLibrary(workflows=[spy, victim])))
    first = runner.run_sync(spy)
    assert first.status is InstanceStatus.FINISHED, first.fault
    assert first.variables["seen"] == "[]"
    for _ in range(3):
        other = runner.run_sync(victim)
        assert other.status is InstanceStatus.FINISHED, other.fault
        assert other.variables["password"] == "s3cret" and other.variables["count"] == 1
    again = runner.run_sync(spy)
    assert again.variables["seen"] == "[]"
    assert again.variables["hidden"] == "undefined"


@pytest.mark.parametrize(
    ("script", "level"),
    [
        ('getVariable("token")', GLOBALS_UNCHANGED),
        ('setVariable("a", 1); getVariable("b") == "c"', GLOBALS_UNCHANGED),
        ("Object.keys(input).length", IMPLICIT_GLOBALS),
        ("x = 1", IMPLICIT_GLOBALS),
        ("for (k in input) {}", IMPLICIT_GLOBALS),
        ("delete input", IMPLICIT_GLOBALS),
        ("let a = [1, 2]; a['0']", IMPLICIT_GLOBALS),
        ("this.x = 1", GLOBAL_OBJECT),
        ("globalThis.x = 1", GLOBAL_OBJECT),
        ("x[k] = 1", GLOBAL_OBJECT),
        ("[]['constructor']", GLOBAL_OBJECT),
        ("\\u0074his.x = 1", GLOBAL_OBJECT),
        ("eval(code)", GLOBAL_OBJECT),
        ("(function () { return arguments })()", GLOBAL_OBJECT),
    ],
)
def test_what_a_context_checks_after_a_script(script: str, level: int) -> None:
    assert global_check(script)[0] == level


def test_implicit_globals_are_looked_for_by_the_names_the_code_uses() -> None:
    level, names = global_check("total = 0; for (item of getVariable('list')) total += item.n; total")
    assert level == IMPLICIT_GLOBALS
    assert {"total", "item"} <= set(names.split(","))
    assert js("total = 0; for (item of [{n: 1}, {n: 2}]) total += item.n; total") == 3
    assert js("[typeof total, typeof item]") == ["undefined", "undefined"]
