"""The JavaScript installed once in every pooled context: Elsa 2's globals and the evaluation bridge.

Each evaluation is one call ``__fdExec(stateJson, source, modeHint, lastStart, lastEnd, checkGlobals)``
(``checkGlobals`` 0: the script cannot have created a global, see ``js_analysis``). The reply is a JSON
envelope ``{"m": mode, "v": value, "c": [name, value, name, value ...], "o": [outcomes], "e": {n, m, s}}``
(``c``: the variables set, in order) when the script failed or ran in another mode than the hint.
Otherwise it is one tag letter (``REPLY_*``) and the value, so neither side builds or reads an envelope.

Scripts run inside ``with (scope)`` through a sloppy direct ``eval`` in a fresh function call, so:
  * workflow variables, ``input``, ``activities`` and the workflow ids look like globals without being
    globals (nothing of one evaluation is left for the next in a pooled context);
  * ``var``/``let``/``const``/function declarations stay local to one evaluation;
  * the completion value of the program is the result (Elsa 2 / Jint ``Evaluate`` semantics).
A script whose parse fails only because of a top-level ``return`` is compiled as a function body instead
(cached per context); one that fails to parse and starts with ``{`` is retried as an object literal.
Both wrappers keep the user's line numbers (the wrapper text shares the script's first line).

Once a script's mode is known, each context compiles it once and keeps the function (at most
``MAX_COMPILED`` texts a mode; the older half is dropped when full): a function body as it is; a program
(or object literal) whose last top-level statement is an expression, found by ``js_tokens`` and passed
in as ``lastStart``/``lastEnd``, as ``function () { with (scope) { PREFIX result = (LAST) } return result }``,
which returns the program's completion value. Other programs keep running through eval.

Every function of the prelude is declared with a ``__fd`` name (the Elsa names are bound to them as
globals), so error stacks tell its frames from the user's in any engine.
"""

from __future__ import annotations

MODE_UNKNOWN = 0
MODE_PROGRAM = 1
MODE_BODY = 2
MODE_OBJECT = 3

RUNNER_FUNCTION = "__fdExec"
COMPILED_COUNT_FUNCTION = "__fdCompiled"
"""Returns (as text) how many script texts the context keeps compiled; at most ``MAX_COMPILED`` a mode."""
MAX_COMPILED = 256

REPLY_STRING = "s"
"""Tag of a bare string result: the rest of the reply is the string itself."""
REPLY_JSON = "j"
"""Tag of any other bare result: the rest of the reply is its JSON text."""
REPLY_TRUE, REPLY_FALSE, REPLY_NONE = "t", "f", "u"
"""Tags of a bare true, false, and null/undefined (or a value JSON cannot hold) result."""
REPLY_INTEGER = "i"
"""Tag of a bare safe integer result, in decimal digits."""
REPLY_CHANGES = "c"
"""Tag of a script that set variables or outcomes: ``[value, [outcomes], name, value, name, value ...]``."""
COMPILE_FRAMES = frozenset({"__fdRunProgram", "__fdCompileBody"})
"""The prelude frames directly under the engine's frame for a syntax error in the user's own script."""
PROGRAM_FRAME = "__fdProgram"
"""The frame of a compiled program: the user's own top-level code, whose lines are as exact as eval's."""

PRELUDE = r"""
function __fdRunProgram(__fdScope, __fdSource) {
  with (__fdScope) { return eval(__fdSource); }
}
function __fdCompileBody(__fdScope, __fdSource) {
  with (__fdScope) { return eval("(function () {" + __fdSource + "\n})"); }
}
function __fdCompileProgram(__fdScope, __fdText) {
  return eval(__fdText);
}
(function __fdInstall() {
  "use strict";
  const G = globalThis;
  const jsonParse = JSON.parse, jsonStringify = JSON.stringify;
  const objectKeys = Object.keys, getPrototypeOf = Object.getPrototypeOf, isArray = Array.isArray;
  const getOwnPropertyNames = Object.getOwnPropertyNames;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ObjectPrototype = Object.prototype, hasOwnProperty = Object.prototype.hasOwnProperty;
  const random = Math.random, floor = Math.floor, fromCodePoint = String.fromCodePoint;
  // Bound once, so a script replacing String.prototype methods cannot change how results are sent.
  const isWellFormed = Function.prototype.call.bind(String.prototype.isWellFormed);
  const stringIncludes = Function.prototype.call.bind(String.prototype.includes);
  const isSafeInteger = Number.isSafeInteger;
  const runProgram = __fdRunProgram, compileBody = __fdCompileBody, compileProgram = __fdCompileProgram;
  const PROGRAM = 1, BODY = 2, OBJECT = 3;
  const RETURN_OUTSIDE_FUNCTION = ["return not in a function", "Illegal return statement", "invalid return"];
  const SCOPE_VALUES = ["input", "activities", "workflowInstanceId", "workflowDefinitionId",
                        "workflowDefinitionVersion", "correlationId"];
  const MAX_COMPILED = __MAX_COMPILED__;

  const scope = Object.create(null);
  // Per mode: script text -> compiled function (null: the program can only run through eval).
  const compiled = [null, new Map(), new Map(), new Map()];
  const proxies = new WeakMap();
  const targets = new WeakMap();
  let variableNames = [];
  let scopeValuesSet = true;
  let variables = null, workflowIds = null, changes = null, outcomes = null;

  function __fdOwn(object, key) { return hasOwnProperty.call(object, key); }

  function __fdFindKey(target, key) {
    const wanted = key.toLowerCase();
    for (const actual of objectKeys(target)) {
      if (actual.toLowerCase() === wanted) return actual;
    }
    return undefined;
  }

  // Keys the engine itself probes on every object (JSON.stringify, promise resolution): never data.
  const PROTOCOL_KEYS = new Set(["toJSON", "then"]);

  const caseTolerant = {
    get: function __fdGet(target, key, receiver) {
      let value = target[key];
      if (value === undefined && typeof key === "string" && !isArray(target) && !(key in target) &&
          !PROTOCOL_KEYS.has(key)) {
        const actual = __fdFindKey(target, key);
        if (actual !== undefined) value = target[actual];
      }
      const wrapped = __fdWrap(value);
      if (wrapped !== value) {
        const descriptor = getOwnPropertyDescriptor(target, key);
        if (descriptor !== undefined && !descriptor.configurable && !descriptor.writable) return value;
      }
      return wrapped;
    },
    has: function __fdHas(target, key) {
      if (key in target) return true;
      return typeof key === "string" && !isArray(target) && !PROTOCOL_KEYS.has(key) &&
        __fdFindKey(target, key) !== undefined;
    },
  };

  // Plain objects and arrays read from the workflow state tolerate PascalCase/camelCase differences.
  function __fdWrap(value) {
    if (value === null || typeof value !== "object" || targets.has(value)) return value;
    let proxy = proxies.get(value);
    if (proxy === undefined) {
      const prototype = getPrototypeOf(value);
      if (prototype !== ObjectPrototype && prototype !== null && !isArray(value)) return value;
      proxy = new Proxy(value, caseTolerant);
      proxies.set(value, proxy);
      targets.set(proxy, value);
    }
    return proxy;
  }

  const noActivities = __fdWrap({});

  function __fdOutputGetter(outputs, key) {
    return function __fdOutput() { return __fdWrap(outputs[key]); };
  }

  function __fdActivityAccessors(activities) {
    if (objectKeys(activities).length === 0) return noActivities;
    const accessors = {};
    for (const name of objectKeys(activities)) {
      const outputs = activities[name], accessor = {};
      if (outputs !== null && typeof outputs === "object") {
        for (const key of objectKeys(outputs)) accessor[key] = __fdOutputGetter(outputs, key);
      }
      accessors[name] = accessor;
    }
    return __fdWrap(accessors);
  }

  function __fdPrepare(state) {
    variables = state.v || {};
    workflowIds = state.w || {};
    changes = new Map();
    outcomes = [];
    // "g": 0 when the script's code names none of the variables: none has to look like a global.
    if (state.g !== 0) {
      for (const name of objectKeys(variables)) {
        if (reserved.has(name) || name.startsWith("__fd")) continue;
        scope[name] = __fdWrap(variables[name]);
        variableNames.push(name);
      }
    }
    // Only what the script can reach is sent; the rest keeps its default (see __fdScopeDefaults).
    if (state.i !== undefined) { scope.input = __fdWrap(state.i); scopeValuesSet = true; }
    if (state.a !== undefined) { scope.activities = __fdActivityAccessors(state.a); scopeValuesSet = true; }
    if (state.wi !== undefined) { scope.workflowInstanceId = state.wi; scopeValuesSet = true; }
    if (state.wd !== undefined) { scope.workflowDefinitionId = state.wd; scopeValuesSet = true; }
    if (state.wv !== undefined) { scope.workflowDefinitionVersion = state.wv; scopeValuesSet = true; }
    if (state.c !== undefined) { scope.correlationId = state.c; scopeValuesSet = true; }
  }

  function __fdScopeDefaults() {
    scope.input = null;
    scope.activities = noActivities;
    scope.workflowInstanceId = "";
    scope.workflowDefinitionId = null;
    scope.workflowDefinitionVersion = null;
    scope.correlationId = null;
    scopeValuesSet = false;
  }

  function __fdReset(checkGlobals) {
    if (variableNames.length > 0) {
      for (const name of variableNames) delete scope[name];
      variableNames = [];
    }
    if (scopeValuesSet) __fdScopeDefaults();
    variables = workflowIds = changes = outcomes = null;
    // Implicit globals (assignments to undeclared names) are enumerable; built-ins and ours are not.
    if (checkGlobals !== 0 && __fdEnumerableGlobals() !== baselineEnumerable) {
      for (const name of getOwnPropertyNames(G)) {
        if (!baseline.has(name)) {
          try { delete G[name]; } catch (ignored) { /* a non-configurable global the script defined */ }
        }
      }
    }
  }

  // Counting with for-in is several times cheaper than Object.keys on the global object.
  function __fdEnumerableGlobals() {
    let count = 0;
    for (const name in G) count++;
    return count;
  }

  function __fdRemember(cache, source, run) {
    if (cache.size >= MAX_COMPILED) {
      let drop = cache.size >> 1;
      for (const oldest of cache.keys()) {
        if (drop-- === 0) break;
        cache.delete(oldest);
      }
    }
    cache.set(source, run);
  }

  function __fdBodyFunction(source) {
    let body = compiled[BODY].get(source);
    if (body === undefined) {
      body = compileBody(scope, source);
      __fdRemember(compiled[BODY], source, body);
    }
    return body;
  }

  // A program or object-literal script (already known to parse) as a function returning the value of its
  // last statement. That statement stays an expression statement, so the engine records the lines of
  // this function's statements exactly as it does for eval'd code (a "return (...)" would record none).
  function __fdCompileLast(program, lastStart, lastEnd) {
    if (lastStart < 0) return null;
    const text = "(function __fdProgram() { let __fdResult; with (__fdScope) { " +
      program.slice(0, lastStart) + "__fdResult = (" + program.slice(lastStart, lastEnd) + "\n);" +
      program.slice(lastEnd) + "\n} return __fdResult; })";
    try {
      return compileProgram(scope, text);
    } catch (error) {
      if (error instanceof SyntaxError) return null;
      throw error;
    }
  }

  function __fdRunKnown(source, mode, lastStart, lastEnd) {
    if (mode === BODY) return __fdBodyFunction(source)();
    const cache = compiled[mode];
    let run = cache.get(source);
    if (run === undefined) {
      run = __fdCompileLast(mode === OBJECT ? "(" + source + "\n)" : source, lastStart, lastEnd);
      __fdRemember(cache, source, run);
    }
    if (run !== null) return run();
    return runProgram(scope, mode === OBJECT ? "(" + source + "\n)" : source);
  }

  function __fdCompiledCount() {
    return String(compiled[PROGRAM].size + compiled[BODY].size + compiled[OBJECT].size);
  }

  function __fdFirstNamedFrame(error) {
    const match = /^\s*at ([^\s(]+) \(/m.exec(String(error.stack || ""));
    return match === null ? "" : match[1];
  }

  // Only a parse error of the script itself (nothing has run yet) may be retried in another mode.
  function __fdRetryMode(error, source) {
    if (!(error instanceof SyntaxError) || __fdFirstNamedFrame(error) !== "__fdRunProgram") return 0;
    if (RETURN_OUTSIDE_FUNCTION.includes(error.message)) return BODY;
    if (/^\s*(?:(?:\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)\s*)*\{/.test(source)) return OBJECT;
    return 0;
  }

  function __fdRunObject(source, originalError) {
    try {
      return runProgram(scope, "(" + source + "\n)");
    } catch (error) {
      const parseError = error instanceof SyntaxError && __fdFirstNamedFrame(error) === "__fdRunProgram";
      throw parseError ? originalError : error;
    }
  }

  // The plain data behind one of our proxies: serialising it needs no trap calls.
  function __fdUnwrap(value) {
    const target = value !== null && typeof value === "object" ? targets.get(value) : undefined;
    return target === undefined ? value : target;
  }

  function __fdStringify(value, replacer, space) {
    return jsonStringify(__fdUnwrap(value), replacer, space);
  }
  Object.defineProperty(JSON, "stringify", {value: __fdStringify, writable: true, configurable: true});

  function __fdBigIntAsNumber(key, value) { return typeof value === "bigint" ? Number(value) : value; }

  function __fdEncode(value) {
    try {
      return __fdStringify(value);
    } catch (error) {
      return __fdStringify(value, __fdBigIntAsNumber);
    }
  }

  function __fdExtras() {
    let text = "";
    if (changes !== null && changes.size > 0) {
      const entries = [];
      for (const [name, value] of changes) entries.push(name, __fdUnwrap(value));
      text += ',"c":' + __fdEncode(entries);
    }
    if (outcomes !== null && outcomes.length > 0) text += ',"o":' + jsonStringify(outcomes);
    return text;
  }

  function __fdSuccess(mode, modeHint, value) {
    if (mode !== modeHint) {
      const encoded = __fdEncode(value);
      return '{"m":' + mode + (encoded === undefined ? "" : ',"v":' + encoded) + __fdExtras() + "}";
    }
    if (changes.size > 0 || outcomes.length > 0) {
      const items = [__fdUnwrap(value), outcomes];
      for (const [name, changed] of changes) items.push(name, __fdUnwrap(changed));
      return "c" + __fdEncode(items);
    }
    const type = typeof value;
    // Python receives text as it is, except a NUL (it would cut the text) or a lone surrogate.
    if (type === "string" && isWellFormed(value) && !stringIncludes(value, "\0")) return "s" + value;
    if (type === "boolean") return value ? "t" : "f";
    if (type === "number" && isSafeInteger(value)) return "i" + value;
    if (value === undefined || value === null) return "u";
    const encoded = __fdEncode(value);
    return encoded === undefined ? "u" : "j" + encoded;
  }

  function __fdFailure(mode, error) {
    let name = "Error", message, stack = "";
    if (error !== null && typeof error === "object") {
      name = String(error.name === undefined ? "Error" : error.name);
      message = typeof error.message === "string" ? error.message : __fdEncode(error);
      stack = String(error.stack === undefined ? "" : error.stack);
    } else {
      message = String(error);
    }
    let extra = "";
    try { extra = __fdExtras(); } catch (ignored) { extra = ""; }
    return '{"m":' + mode + ',"e":' + jsonStringify({n: name, m: String(message), s: stack}) + extra + "}";
  }

  function __fdExecute(stateJson, source, modeHint, lastStart, lastEnd, checkGlobals) {
    let mode = modeHint;
    try {
      __fdPrepare(jsonParse(stateJson));
      let value;
      if (mode === PROGRAM || mode === BODY || mode === OBJECT) {
        value = __fdRunKnown(source, mode, lastStart, lastEnd);
      } else {
        try {
          value = runProgram(scope, source);
          mode = PROGRAM;
        } catch (error) {
          mode = __fdRetryMode(error, source);
          if (mode === BODY) value = __fdBodyFunction(source)();
          else if (mode === OBJECT) value = __fdRunObject(source, error);
          else throw error;
        }
      }
      return __fdSuccess(mode, modeHint, value);
    } catch (error) {
      return __fdFailure(mode, error);
    } finally {
      __fdReset(checkGlobals);
    }
  }

  // --- Elsa 2 globals -----------------------------------------------------------------------------

  function __fdGetVariable(name) {
    name = String(name);
    if (changes === null) return null;
    if (changes.has(name)) return changes.get(name);
    if (__fdOwn(variables, name)) return __fdWrap(variables[name]);
    const wanted = name.toLowerCase();
    for (const [changed, value] of changes) if (changed.toLowerCase() === wanted) return value;
    const actual = __fdFindKey(variables, name);
    return actual === undefined ? null : __fdWrap(variables[actual]);
  }

  function __fdSetVariable(name, value) {
    if (changes !== null) changes.set(String(name), value);
  }

  function __fdSetOutcome(name) {
    if (outcomes !== null) outcomes.push(String(name));
  }

  function __fdSetOutcomes(names) {
    for (const name of names) __fdSetOutcome(name);
  }

  function __fdIsNullOrEmpty(value) {
    return value === null || value === undefined || String(value) === "";
  }

  function __fdIsNullOrWhiteSpace(value) {
    return value === null || value === undefined || String(value).trim() === "";
  }

  function __fdGuid() {
    const hex = "0123456789abcdef";
    let text = "";
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) text += "-";
      else if (i === 14) text += "4";
      else if (i === 19) text += hex[8 + floor(random() * 4)];
      else text += hex[floor(random() * 16)];
    }
    return text;
  }

  function __fdParseGuid(text) {
    const compact = String(text).trim().replace(/^[{(]|[})]$/g, "").replace(/-/g, "").toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(compact)) throw new TypeError("'" + text + "' is not a valid GUID");
    return compact.slice(0, 8) + "-" + compact.slice(8, 12) + "-" + compact.slice(12, 16) + "-" +
      compact.slice(16, 20) + "-" + compact.slice(20);
  }

  function __fdJsonEncode(value) { return __fdStringify(value); }
  function __fdJsonDecode(text) { return jsonParse(text); }

  const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const BASE64_VALUES = new Map([...BASE64].map((character, index) => [character, index]));

  function __fdUtf8Bytes(text) {
    const bytes = [];
    for (const character of String(text)) {
      let code = character.codePointAt(0);
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      if (code < 0x80) bytes.push(code);
      else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
      else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
      else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63),
                      0x80 | (code & 63));
    }
    return bytes;
  }

  function __fdUtf8Text(bytes) {
    const codes = [];
    for (let i = 0; i < bytes.length;) {
      const first = bytes[i];
      const length = first < 0x80 ? 1 : first >= 0xf0 && first < 0xf5 ? 4 : first >= 0xe0 ? 3
        : first >= 0xc2 ? 2 : 0;
      let code = length === 1 ? first : length === 2 ? first & 31 : length === 3 ? first & 15 : first & 7;
      let valid = length > 0 && i + length <= bytes.length;
      for (let k = 1; valid && k < length; k++) {
        valid = (bytes[i + k] & 0xc0) === 0x80;
        code = (code << 6) | (bytes[i + k] & 63);
      }
      if (valid && length > 1 && (code < [0, 0, 0x80, 0x800, 0x10000][length] || code > 0x10ffff ||
          (code >= 0xd800 && code <= 0xdfff))) valid = false;
      codes.push(valid ? code : 0xfffd);
      i += valid ? length : 1;
    }
    let text = "";
    for (let i = 0; i < codes.length; i += 4096) text += fromCodePoint(...codes.slice(i, i + 4096));
    return text;
  }

  function __fdBase64Encode(text) {
    const bytes = __fdUtf8Bytes(text);
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] +
        (i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : "=") + (i + 2 < bytes.length ? BASE64[n & 63] : "=");
    }
    return out;
  }

  function __fdBase64Decode(text) {
    const clean = String(text).replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
      throw new TypeError("'" + text + "' is not valid base64 text");
    }
    const bytes = [];
    let buffer = 0, bits = 0;
    for (const character of clean) {
      if (character === "=") break;
      buffer = ((buffer << 6) | BASE64_VALUES.get(character)) & 0xffff;
      bits += 6;
      if (bits >= 8) { bits -= 8; bytes.push((buffer >> bits) & 255); }
    }
    return __fdUtf8Text(bytes);
  }

  function __fdGetWorkflowDefinitionIdByName(name) {
    name = String(name);
    if (workflowIds === null) return null;
    if (__fdOwn(workflowIds, name)) return workflowIds[name];
    const actual = __fdFindKey(workflowIds, name);
    return actual === undefined ? null : workflowIds[actual];
  }

  // NodaTime stand-ins: an Instant is a Date, a Duration is a number of seconds.
  function __fdToDate(value) { return value instanceof Date ? value : new Date(value); }
  function __fdCurrentInstant() { return new Date(); }
  function __fdCurrentYear() { return new Date().getUTCFullYear(); }
  function __fdDurationFromSeconds(value) { return Number(value); }
  function __fdDurationFromMinutes(value) { return Number(value) * 60; }
  function __fdDurationFromHours(value) { return Number(value) * 3600; }
  function __fdDurationFromDays(value) { return Number(value) * 86400; }
  function __fdAddDurationTo(instant, seconds) {
    return new Date(__fdToDate(instant).getTime() + Number(seconds) * 1000);
  }
  function __fdSubtractDurationFrom(instant, seconds) {
    return new Date(__fdToDate(instant).getTime() - Number(seconds) * 1000);
  }
  function __fdDurationBetween(start, end) {
    return (__fdToDate(end).getTime() - __fdToDate(start).getTime()) / 1000;
  }
  function __fdInstantFromUtc(year, month, day, hour, minute, second) {
    return new Date(Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0));
  }
  function __fdInstantFromDateTimeUtc(value) { return __fdToDate(value); }
  function __fdStartOfMonth(instant) {
    const date = __fdToDate(instant === undefined ? new Date() : instant);
    return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  }
  function __fdEndOfMonth(instant) {
    const date = __fdToDate(instant === undefined ? new Date() : instant);
    return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - 1);
  }
  function __fdStartOfPreviousMonth(instant) {
    const date = __fdToDate(instant === undefined ? new Date() : instant);
    return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1));
  }

  const Duration = Object.freeze({
    FromMilliseconds: function __fdFromMilliseconds(value) { return Number(value) / 1000; },
    FromSeconds: function __fdFromSeconds(value) { return Number(value); },
    FromMinutes: function __fdFromMinutes(value) { return Number(value) * 60; },
    FromHours: function __fdFromHours(value) { return Number(value) * 3600; },
    FromDays: function __fdFromDays(value) { return Number(value) * 86400; },
  });
  const currentCulture = Object.freeze({Name: "", name: "", toString: function __fdCulture() { return ""; }});

  const globals = {
    __fdExec: __fdExecute, __fdCompiled: __fdCompiledCount, getVariable: __fdGetVariable,
    setVariable: __fdSetVariable, setOutcome: __fdSetOutcome, setOutcomes: __fdSetOutcomes,
    isNullOrEmpty: __fdIsNullOrEmpty, isNullOrWhiteSpace: __fdIsNullOrWhiteSpace, guid: __fdGuid,
    parseGuid: __fdParseGuid, jsonEncode: __fdJsonEncode, jsonDecode: __fdJsonDecode,
    base64Encode: __fdBase64Encode, base64Decode: __fdBase64Decode,
    getWorkflowDefinitionIdByName: __fdGetWorkflowDefinitionIdByName,
    currentInstant: __fdCurrentInstant, currentYear: __fdCurrentYear,
    durationFromSeconds: __fdDurationFromSeconds, durationFromMinutes: __fdDurationFromMinutes,
    durationFromHours: __fdDurationFromHours, durationFromDays: __fdDurationFromDays,
    addDurationTo: __fdAddDurationTo, subtractDurationFrom: __fdSubtractDurationFrom,
    durationBetween: __fdDurationBetween, instantFromUtc: __fdInstantFromUtc,
    instantFromDateTimeUtc: __fdInstantFromDateTimeUtc, startOfMonth: __fdStartOfMonth,
    endOfMonth: __fdEndOfMonth, startOfPreviousMonth: __fdStartOfPreviousMonth, Duration, currentCulture,
  };
  for (const name of objectKeys(globals)) {
    const value = globals[name];
    Object.defineProperty(G, name, {value, writable: false, configurable: false, enumerable: false});
  }

  const baseline = new Set(getOwnPropertyNames(G));
  const baselineEnumerable = __fdEnumerableGlobals();
  const reserved = new Set([...baseline, ...SCOPE_VALUES, "eval", "arguments"]);
  __fdScopeDefaults();
})();
""".replace("__MAX_COMPILED__", str(MAX_COMPILED))
