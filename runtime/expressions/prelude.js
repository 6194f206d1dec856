// Flowdesk's JavaScript prelude, installed once in every pooled context: loaded by js_prelude.py.
(function __fdInstall() {
  "use strict";
  // The sloppy-mode runners (a with statement needs sloppy code), made by an indirect eval so that they are
  // no globals: a script must not call them, nor __fdExec, with its own arguments.
  const [runProgram, compileBody, compileProgram] = (0, eval)(`[
    function __fdRunProgram(__fdScope, __fdSource) {
      with (__fdScope) { return eval(__fdSource); }
    },
    function __fdCompileBody(__fdScope, __fdSource) {
      with (__fdScope) { return eval("(function () {" + __fdSource + "\\n})"); }
    },
    function __fdCompileProgram(__fdScope, __fdText) {
      return eval(__fdText);
    },
  ]`);
  const G = globalThis;
  const jsonParse = JSON.parse, jsonStringify = JSON.stringify;
  const objectKeys = Object.keys, getPrototypeOf = Object.getPrototypeOf, isArray = Array.isArray;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor, defineProperty = Object.defineProperty;
  const getOwnPropertySymbols = Object.getOwnPropertySymbols, isExtensible = Object.isExtensible;
  const freeze = Object.freeze;
  const reflectOwnKeys = Reflect.ownKeys, reflectDeleteProperty = Reflect.deleteProperty;
  const reflectSetPrototypeOf = Reflect.setPrototypeOf;
  const ObjectPrototype = Object.prototype, hasOwn = Object.hasOwn, reflectApply = Reflect.apply;
  // Bound once, so a script replacing String.prototype methods cannot change how results are sent.
  const isWellFormed = Function.prototype.call.bind(String.prototype.isWellFormed);
  const stringIncludes = Function.prototype.call.bind(String.prototype.includes);
  const isSafeInteger = Number.isSafeInteger;
  const PROGRAM = 1, BODY = 2, OBJECT = 3;
  const RETURN_OUTSIDE_FUNCTION = ["return not in a function", "Illegal return statement", "invalid return"];
  const SCOPE_VALUES = ["input", "activities", "workflowInstanceId", "workflowDefinitionId",
                        "workflowDefinitionVersion", "correlationId", "workflowInstance"];
  const clr = (__CLR_TYPES__)();
  const EMPTY = Object.freeze(Object.create(null));
  const MAX_COMPILED = __MAX_COMPILED__;

  // What the scripts' names resolve to before the globals (with (scope)). "__fdScope" (the runners'
  // parameter) and "arguments" are shadowed by read-only undefined members, so a script cannot reach the
  // scope object itself. (It may read __fdSource or __fdText: its own text.)
  const scope = Object.create(null);
  for (const name of ["__fdScope", "arguments"]) {
    defineProperty(scope, name, {value: undefined, writable: false, enumerable: false, configurable: false});
  }
  // Per mode: script text -> compiled function (null: the program can only run through eval).
  const compiled = [null, new Map(), new Map(), new Map()];
  const proxies = new WeakMap();
  const targets = new WeakMap();
  let variableNames = [];
  let running = false;
  // Set when a script called an API that can define a global with attributes (see __fdLockdown).
  let touched = false;
  const globalNameLists = new Map();
  let scopeValuesSet = true;
  // "active" while an evaluation runs; "changes" (the variables set) and "outcomes" are made on first use.
  let active = false;
  let variables = EMPTY, workflowIds = EMPTY, changes = null, outcomes = null;
  // "x" of the state: what only some scripts need (transient variables, activity data, the request ...).
  let frozenNow = null;  // the evaluation's "now" in milliseconds (a replayed test), else the real clock
  let extra = EMPTY, transient = EMPTY, journalKeys = null, journalEntries = null, transientChanges = null;

  function __fdOwn(object, key) { return hasOwn(object, key); }

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

  const noActivities = __fdWrap(freeze({}));

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

  function __fdScopeGlobal(name, value) {
    if (reserved.has(name) || name.startsWith("__fd")) return;
    scope[name] = __fdWrap(value);
    variableNames[variableNames.length] = name;
  }

  function __fdPrepare(stateJson) {
    active = true;
    frozenNow = null;
    if (stateJson === "") return;  // the script can reach no state
    const state = jsonParse(stateJson);
    if (state.n !== undefined) frozenNow = state.n;
    variables = state.v || EMPTY;
    workflowIds = state.w || EMPTY;
    if (state.x !== undefined) {
      extra = state.x;
      transient = extra.t || EMPTY;
    }
    // "g": 0 when the script's code names none of the variables: none has to look like a global.
    // Transient variables are merged over the others (WorkflowExecutionContext.GetMergedVariables).
    if (state.g !== 0) {
      for (const name of objectKeys(variables)) __fdScopeGlobal(name, variables[name]);
      if (transient !== EMPTY) {
        for (const name of objectKeys(transient)) __fdScopeGlobal(name, transient[name]);
      }
    }
    if (extra !== EMPTY) __fdPrepareExtra();
    // Only what the script can reach is sent; the rest keeps its default (see __fdScopeDefaults).
    if (state.i !== undefined) { scope.input = __fdWrap(state.i); scopeValuesSet = true; }
    if (state.a !== undefined) { scope.activities = __fdActivityAccessors(state.a); scopeValuesSet = true; }
    if (state.wi !== undefined) { scope.workflowInstanceId = state.wi; scopeValuesSet = true; }
    if (state.wd !== undefined) { scope.workflowDefinitionId = state.wd; scopeValuesSet = true; }
    if (state.wv !== undefined) { scope.workflowDefinitionVersion = state.wv; scopeValuesSet = true; }
    if (state.c !== undefined) { scope.correlationId = state.c; scopeValuesSet = true; }
  }

  function __fdPrepareExtra() {
    // The deprecated form: a named activity's data as a global, set after the variables (Elsa 2.0).
    if (extra.an !== undefined) {
      for (const name of objectKeys(extra.an)) {
        const data = extra.ad[extra.an[name]];
        __fdScopeGlobal(name, data === null || data === undefined ? {} : data);
      }
    }
    if (extra.ws !== undefined) {
      scope.workflowInstance = __fdInstanceObject(extra.ws);
      scopeValuesSet = true;
    }
  }

  function __fdScopeDefaults() {
    scope.input = null;
    scope.activities = noActivities;
    scope.workflowInstanceId = "";
    scope.workflowDefinitionId = null;
    scope.workflowDefinitionVersion = null;
    scope.correlationId = null;
    scope.workflowInstance = null;
    scopeValuesSet = false;
  }

  // After every evaluation nothing of it may stay in the context: its variables leave the scope, the scope's
  // values get their defaults back, and globals it created are deleted ("checkGlobals", from
  // js_analysis.global_check: 0, it cannot have created one; 1, only implicit globals named in
  // "globalNames"; 2, it may have reached the global object itself). The built-ins are frozen (see
  // __fdLockdown), so they need no check. False when the context cannot be made clean again.
  function __fdReset(checkGlobals, globalNames) {
    if (variableNames.length > 0) {
      for (const name of variableNames) delete scope[name];
      variableNames = [];
    }
    if (scopeValuesSet || checkGlobals !== 0) __fdScopeDefaults();
    active = false;
    variables = workflowIds = EMPTY;
    changes = outcomes = null;
    if (extra !== EMPTY || journalKeys !== null || transientChanges !== null) {
      extra = transient = EMPTY;
      journalKeys = journalEntries = transientChanges = null;
    }
    if (checkGlobals === 0) return true;
    try {
      if (checkGlobals === 1) return __fdDeleteImplicitGlobals(globalNames);
      return __fdRestoreGlobalObject();
    } catch (ignored) {
      return false;
    } finally {
      touched = false;
    }
  }

  // Implicit globals (assignments to undeclared names) can only have names the script's code uses.
  function __fdDeleteImplicitGlobals(globalNames) {
    if (globalNames === "") return true;
    let names = globalNameLists.get(globalNames);
    if (names === undefined) {
      names = globalNames.split(",");
      if (globalNameLists.size >= MAX_COMPILED) globalNameLists.clear();
      globalNameLists.set(globalNames, names);
    }
    let clean = true;
    for (const name of names) {
      if (__fdOwn(G, name) && !baseline.has(name) && !reflectDeleteProperty(G, name)) clean = false;
    }
    return clean;
  }

  // A script that may hold the global object: any new own property (also one defined non-enumerable, or
  // keyed by a symbol), a changed prototype, or a global object made non-extensible. Only the APIs that
  // define a property with attributes (wrapped in __fdLockdown) can add a non-enumerable one.
  function __fdRestoreGlobalObject() {
    if (!touched && isExtensible(G) && getPrototypeOf(G) === ObjectPrototype &&
        getOwnPropertySymbols(G).length === baselineSymbols && __fdEnumerableGlobals() === baselineEnumerable) {
      return true;
    }
    let clean = true;
    if (getPrototypeOf(G) !== ObjectPrototype && !reflectSetPrototypeOf(G, ObjectPrototype)) clean = false;
    for (const key of reflectOwnKeys(G)) {
      if (!baseline.has(key) && !reflectDeleteProperty(G, key)) clean = false;
    }
    return clean && isExtensible(G);
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
    // A compiled function is shared by every later evaluation of the text: frozen, so that no script can
    // keep anything on it (arguments.callee, the __fdProgram name).
    if (run !== null) {
      if (run.prototype !== undefined) freeze(run.prototype);
      freeze(run);
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
    if (journalEntries !== null) text += ',"jn":' + __fdEncode(journalEntries.map(__fdUnwrap));
    if (transientChanges !== null) {
      const entries = [];
      for (const [name, value] of transientChanges) entries.push(name, __fdUnwrap(value));
      text += ',"tc":' + __fdEncode(entries);
    }
    return text;
  }

  function __fdSuccess(mode, modeHint, value) {
    if (mode !== modeHint || journalEntries !== null || transientChanges !== null) {
      const encoded = __fdEncode(value);
      return '{"m":' + mode + (encoded === undefined ? "" : ',"v":' + encoded) + __fdExtras() + "}";
    }
    if (changes !== null || outcomes !== null) {
      const items = [__fdUnwrap(value), outcomes === null ? [] : outcomes];
      if (changes !== null) for (const [name, changed] of changes) items.push(name, __fdUnwrap(changed));
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
    } else if (error === null) {
      // QuickJS throws null when it cannot even allocate its out-of-memory error.
      name = "InternalError";
      message = "out of memory";
    } else {
      message = String(error);
    }
    let extra = "";
    try { extra = __fdExtras(); } catch (ignored) { extra = ""; }
    return '{"m":' + mode + ',"e":' + jsonStringify({n: name, m: String(message), s: stack}) + extra + "}";
  }

  // One evaluation. The reply starts with "!" when the context could not be made clean afterwards: the
  // caller must then drop the context.
  function __fdExecute(stateJson, source, modeHint, lastStart, lastEnd, checkGlobals, globalNames) {
    if (running) throw new TypeError("__fdExec is not a function scripts can call");
    running = true;
    touched = false;
    let mode = modeHint, reply;
    try {
      __fdPrepare(stateJson);
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
      reply = __fdSuccess(mode, modeHint, value);
    } catch (error) {
      reply = __fdFailure(mode, error);
    } finally {
      if (!__fdReset(checkGlobals, globalNames)) reply = "!" + reply;
      running = false;
    }
    return reply;
  }

  // --- Elsa 2 globals (ConfigureJavaScriptEngine.cs and the HTTP module's) ------------------------

  // A name Elsa looks up in a .NET dictionary, where a null key is an ArgumentNullException.
  function __fdName(value, where) {
    if (value === null || value === undefined) throw new TypeError(where + ": the name is " + value);
    return String(value);
  }

  function __fdFindIn(map, key) {
    if (map === null || map === undefined) return undefined;
    if (__fdOwn(map, key)) return key;
    return __fdFindKey(map, key);
  }

  // Variables are case-sensitive (Elsa.Abstractions/Models/Variables.cs); transient ones win
  // (WorkflowExecutionContext.GetMergedVariables).
  function __fdGetVariable(name) {
    if (typeof name !== "string") name = __fdName(name, "getVariable");
    if (!active) return null;
    if (transientChanges !== null && transientChanges.has(name)) return transientChanges.get(name);
    if (transient !== EMPTY && __fdOwn(transient, name)) return __fdWrap(transient[name]);
    if (changes !== null && changes.has(name)) return changes.get(name);
    return __fdOwn(variables, name) ? __fdWrap(variables[name]) : null;
  }

  function __fdHasVariable(name) {
    name = __fdName(name, "HasVariable");
    return active && ((transientChanges !== null && transientChanges.has(name)) ||
      __fdOwn(transient, name) || (changes !== null && changes.has(name)) || __fdOwn(variables, name));
  }

  function __fdSetVariable(name, value) {
    if (typeof name !== "string") name = __fdName(name, "setVariable");
    if (!active) return;
    if (changes === null) changes = new Map();
    changes.set(name, value);
  }

  function __fdGetTransientVariable(name) {
    name = __fdName(name, "getTransientVariable");
    if (transientChanges !== null && transientChanges.has(name)) return transientChanges.get(name);
    return __fdOwn(transient, name) ? __fdWrap(transient[name]) : null;
  }

  function __fdSetTransientVariable(name, value) {
    name = __fdName(name, "SetTransientVariable");
    if (!active) return;
    if (transientChanges === null) transientChanges = new Map();
    transientChanges.set(name, value);
  }

  // Only RunJavaScript defines them ("so": 0 elsewhere); it collects the outcomes in a HashSet<string>:
  // each name once, in the order first set.
  function __fdSetOutcome(name) {
    if (!active) return;
    if (extra.so === 0) __fdOnlyInRunJavaScript("setOutcome");
    name = String(name);
    if (outcomes === null) outcomes = [];
    if (!outcomes.includes(name)) outcomes.push(name);
  }

  function __fdSetOutcomes(names) {
    if (extra.so === 0) __fdOnlyInRunJavaScript("setOutcomes");
    for (const name of names) __fdSetOutcome(name);
  }

  function __fdOnlyInRunJavaScript(name) {
    throw new ReferenceError(name + " is not defined (Elsa defines it only in a RunJavaScript activity's " +
      "script)");
  }

  function __fdIsNullOrEmpty(value) {
    return value === null || value === undefined || String(value) === "";
  }

  function __fdIsNullOrWhiteSpace(value) {
    return value === null || value === undefined || String(value).trim() === "";
  }

  function __fdJsonEncode(value) { return __fdStringify(value); }
  function __fdJsonDecode(text) { return jsonParse(text); }

  const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const BASE64_VALUES = new Map([...BASE64].map((character, index) => [character, index]));

  function __fdBase64Encode(text) { return clr.base64(clr.utf8Encode(text)); }

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
    return clr.utf8Decode(bytes);
  }

  function __fdGetWorkflowDefinitionIdByName(name) {
    const actual = __fdFindIn(workflowIds, String(name));
    return actual === undefined ? null : workflowIds[actual];
  }

  function __fdGetWorkflowDefinitionIdByTag(tag) {
    const tags = extra.tg;
    const actual = __fdFindIn(tags, String(tag));
    return actual === undefined ? null : tags[actual];
  }

  // GetActivityBlueprintByName, then GetActivityBlueprintById: the id, or undefined for no such activity.
  function __fdActivityIdOf(idOrName) {
    const key = String(idOrName), ids = extra.ai || EMPTY, data = extra.ad || EMPTY;
    if (__fdOwn(ids, key)) return ids[key];
    return __fdOwn(data, key) ? key : undefined;
  }

  function __fdGetActivityId(name) {
    const ids = extra.ai || EMPTY, key = String(name);
    return __fdOwn(ids, key) ? ids[key] : null;
  }

  function __fdIsNamed(id) {
    const ids = extra.ai || EMPTY;
    for (const name of objectKeys(ids)) if (ids[name] === id) return true;
    return false;
  }

  // WorkflowInstance.ActivityData[id]: a named activity has (empty) data from the start, as Elsa's
  // deprecated activity globals create it; another one that has not run has none (a KeyNotFoundException).
  function __fdGetActivity(idOrName) {
    const id = __fdActivityIdOf(idOrName);
    if (id === undefined) return null;
    const data = (extra.ad || EMPTY)[id];
    if (data !== null && data !== undefined) return __fdWrap(data);
    if (__fdIsNamed(id)) return __fdWrap({});
    throw new Error("getActivity: activity '" + idOrName + "' has no data: it has not run yet");
  }

  function __fdGetActivityProperty(idOrName, propertyName) {
    const id = __fdActivityIdOf(idOrName);
    if (id === undefined) {
      throw new TypeError("getActivityProperty: there is no activity '" + idOrName + "' in this workflow");
    }
    const data = (extra.ad || EMPTY)[id];
    const key = __fdFindIn(data, String(propertyName));
    return key === undefined ? null : __fdWrap(data[key]);
  }

  function __fdFindExecutedActivityIdByType(type) {
    const found = extra.fx || EMPTY, key = String(type);
    return __fdOwn(found, key) ? found[key] : null;
  }

  // ActivityExecutionContext.JournalData.Add: a name already added is an error.
  function __fdAddJournal(name, value) {
    name = __fdName(name, "addJournal");
    if (!active) return;
    if (journalKeys === null) {
      journalKeys = new Set(extra.j || []);
      journalEntries = [];
    }
    if (journalKeys.has(name)) {
      throw new Error("addJournal: an item with the same key has already been added. Key: " + name);
    }
    journalKeys.add(name);
    journalEntries.push(name, value);
  }

  // The HTTP module reads the current request (IHttpContextAccessor.HttpContext).
  function __fdRequest(where) {
    const request = extra.h;
    if (request === null || request === undefined) {
      throw new Error(where + ": this workflow instance was not started by an HTTP request");
    }
    return request;
  }

  // Request.Query[key].ToString(): several values joined by commas, none is "" (keys in any case).
  function __fdQueryString(key) {
    const query = __fdRequest("queryString").q || EMPTY;
    const actual = __fdFindIn(query, String(key));
    if (actual === undefined) return "";
    const value = query[actual];
    if (value === null || value === undefined) return "";
    return isArray(value) ? value.join(",") : String(value);
  }

  function __fdGetRouteValue(key) {
    const values = __fdRequest("getRouteValue").r || EMPTY;
    const actual = __fdFindIn(values, String(key));
    return actual === undefined ? null : __fdWrap(values[actual]);
  }

  function __fdGetRemoteIPAddress() {
    const address = __fdRequest("getRemoteIPAddress").ip;
    if (address === null || address === undefined) {
      throw new Error("getRemoteIPAddress: the request has no remote address");
    }
    return address;
  }

  // DefaultAbsoluteUrlProvider: the base URL with one "/" before the path.
  function __fdAbsoluteUrl(url) {
    const request = extra.h;
    if (request === null || request === undefined || !request.b) {
      throw new Error("absoluteUrl: there is no base URL: Flowdesk knows it only in a workflow that an " +
        "HTTP request started (Elsa reads it from its Elsa:Server:BaseUrl setting)");
    }
    const text = __fdName(url, "absoluteUrl");
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) return text;
    return request.b.replace(/\/+$/, "") + "/" + text.replace(/^\/+/, "");
  }

  function __fdSignalUrl(signal) {
    throw new Error("signalUrl: Flowdesk's host has no signal endpoint (Elsa's /signals/trigger/{token}), " +
      "so a workflow cannot be resumed by a signal URL here");
  }

  // workflowInstance: the members of Elsa's WorkflowInstance a script can use (see js_workflow).
  function __fdInstanceObject(snapshot) {
    const instance = Object.assign({}, snapshot);
    const created = snapshot.CreatedAt;
    instance.CreatedAt = created === null ? null : clr.parseInstant(created, "workflowInstance");
    const data = snapshot.Variables || {};
    const variablesObject = {Data: data};
    const methods = {
      Get: function __fdVariablesGet(name) {
        name = __fdName(name, "Variables.Get");
        return __fdOwn(data, name) ? __fdWrap(data[name]) : null;
      },
      Has: function __fdVariablesHas(name) { return __fdOwn(data, __fdName(name, "Variables.Has")); },
      Set: function __fdVariablesSet(name, value) { __fdSetVariable(name, value); return variablesObject; },
    };
    for (const name of objectKeys(methods)) {
      for (const alias of [name, name[0].toLowerCase() + name.slice(1)]) {
        Object.defineProperty(variablesObject, alias, {value: methods[name], enumerable: false});
      }
    }
    instance.Variables = variablesObject;
    return __fdWrap(instance);
  }

  // activityExecutionContext and workflowExecutionContext: Elsa hands scripts the .NET objects. The
  // members below are the ones that mean something here; any other is a clear error.
  function __fdContextObject(globalName, typeName, getters, methods) {
    const target = {};
    const names = [];
    const define = (name, descriptor) => {
      for (const alias of [name, name[0].toLowerCase() + name.slice(1)]) {
        Object.defineProperty(target, alias, Object.assign({enumerable: alias === name}, descriptor));
      }
      names.push(name);
    };
    for (const name of objectKeys(getters)) define(name, {get: getters[name]});
    for (const name of objectKeys(methods)) define(name, {value: methods[name]});
    const available = names.join(", ");
    Object.freeze(target);  // nothing a script does to it may outlive the evaluation (pooled contexts)
    return new Proxy(target, {
      get: function __fdContextGet(object, key, receiver) {
        if (typeof key === "symbol" || key in object || PROTOCOL_KEYS.has(key)) {
          return Reflect.get(object, key, receiver);
        }
        throw new TypeError(globalName + "." + key + " is not available in Flowdesk (Elsa's .NET " +
          typeName + "); available: " + available);
      },
      set: function __fdContextSet(object, key) {
        throw new TypeError(globalName + "." + String(key) + " cannot be set");
      },
    });
  }

  function __fdContextValue(key) { return extra.cx === undefined ? null : extra.cx[key]; }

  const sharedContextMethods = {
    GetVariable: __fdGetVariable, SetVariable: __fdSetVariable, HasVariable: __fdHasVariable,
    GetTransientVariable: __fdGetTransientVariable, SetTransientVariable: __fdSetTransientVariable,
    GetWorkflowContext: function __fdGetWorkflowContext() { return null; },
  };
  const workflowExecutionContext = __fdContextObject("workflowExecutionContext", "WorkflowExecutionContext", {
    WorkflowInstance: function __fdWecInstance() { return scope.workflowInstance; },
    CorrelationId: function __fdWecCorrelationId() { return scope.correlationId; },
    Input: function __fdWecInput() { return __fdWrap(__fdContextValue("in")); },
    WorkflowContext: function __fdWecContext() { return null; },
    ContextId: function __fdWecContextId() { return null; },
  }, Object.assign({GetWorkflowVariable: __fdGetVariable}, sharedContextMethods));
  const activityExecutionContext = __fdContextObject("activityExecutionContext", "ActivityExecutionContext", {
    ActivityId: function __fdAecActivityId() { return __fdContextValue("id"); },
    Input: function __fdAecInput() { return scope.input; },
    CorrelationId: function __fdAecCorrelationId() { return scope.correlationId; },
    WorkflowInstance: function __fdAecInstance() { return scope.workflowInstance; },
    WorkflowExecutionContext: function __fdAecWec() { return workflowExecutionContext; },
    ContextId: function __fdAecContextId() { return null; },
  }, sharedContextMethods);

  const globals = {
    __fdExec: __fdExecute, __fdCompiled: __fdCompiledCount, getVariable: __fdGetVariable,
    setVariable: __fdSetVariable, getTransientVariable: __fdGetTransientVariable,
    setOutcome: __fdSetOutcome, setOutcomes: __fdSetOutcomes,
    isNullOrEmpty: __fdIsNullOrEmpty, isNullOrWhiteSpace: __fdIsNullOrWhiteSpace,
    jsonEncode: __fdJsonEncode, jsonDecode: __fdJsonDecode,
    base64Encode: __fdBase64Encode, base64Decode: __fdBase64Decode,
    getWorkflowDefinitionIdByName: __fdGetWorkflowDefinitionIdByName,
    getWorkflowDefinitionIdByTag: __fdGetWorkflowDefinitionIdByTag,
    getActivity: __fdGetActivity, getActivityId: __fdGetActivityId,
    getActivityProperty: __fdGetActivityProperty,
    findExecutedActivityIdByType: __fdFindExecutedActivityIdByType, addJournal: __fdAddJournal,
    queryString: __fdQueryString, absoluteUrl: __fdAbsoluteUrl, signalUrl: __fdSignalUrl,
    getRemoteIPAddress: __fdGetRemoteIPAddress, getRouteValue: __fdGetRouteValue,
    activityExecutionContext, workflowExecutionContext, workflowContext: null,
    currentCulture: clr.currentCulture,
  };
  Object.assign(globals, clr.functions, clr.types);
  for (const name of objectKeys(globals)) {
    const value = globals[name];
    Object.defineProperty(G, name, {value, writable: false, configurable: false, enumerable: false});
  }

  // --- the clock: a recorded test replays with the clock frozen at its recorded instant -----------------
  //
  // Date is replaced, before the lockdown, by a constructor that reads "now" from the evaluation's state
  // (state "n", milliseconds since the epoch) when one is sent, and the real clock otherwise. Instances
  // keep Date.prototype, so instanceof and every method behave as the built-in's.
  const RealDate = G.Date, realNow = RealDate.now;
  const ClockDate = function Date(...args) {
    if (new.target === undefined) {
      return frozenNow === null ? RealDate() : new RealDate(frozenNow).toString();
    }
    if (args.length === 0 && frozenNow !== null) return Reflect.construct(RealDate, [frozenNow], new.target);
    return Reflect.construct(RealDate, args, new.target);
  };
  defineProperty(ClockDate, "length", {value: RealDate.length});
  defineProperty(ClockDate, "prototype", {value: RealDate.prototype, writable: false});
  defineProperty(ClockDate, "now", {
    value: function now() { return frozenNow === null ? realNow() : frozenNow; },
    writable: true, configurable: true,
  });
  defineProperty(ClockDate, "parse", {value: RealDate.parse, writable: true, configurable: true});
  defineProperty(ClockDate, "UTC", {value: RealDate.UTC, writable: true, configurable: true});
  defineProperty(RealDate.prototype, "constructor", {value: ClockDate, writable: true, configurable: true});
  defineProperty(G, "Date", {value: ClockDate, writable: true, configurable: true, enumerable: false});

  // --- isolation: one realm for every evaluation, nothing of one left for the next ------------------
  //
  // Elsa 2 builds a new Jint engine for every evaluation. A pooled context is reused instead (a new one
  // costs milliseconds), so every object a script could change and a later script could see is frozen
  // here, once: every built-in reachable from the global object (prototypes, constructors, JSON, Math,
  // Reflect ...), the few not reachable as properties (iterator and generator prototypes,
  // %ThrowTypeError%), and Flowdesk's own globals. The global object's own properties become read-only;
  // what a script adds to it is deleted afterwards (__fdReset).

  // APIs that define a property with attributes (a non-enumerable global, which for-in does not count):
  // wrapped to note the call, so __fdRestoreGlobalObject knows it must look closer.
  function __fdNoteDefinition(original) {
    return function __fdDefinition(...args) {
      touched = true;
      return reflectApply(original, this, args);
    };
  }

  function __fdWrapDefinitions() {
    for (const [owner, name] of [[Object, "defineProperty"], [Object, "defineProperties"],
                                 [Reflect, "defineProperty"], [Error, "captureStackTrace"]]) {
      const original = owner[name];
      if (typeof original !== "function") continue;
      const wrapper = __fdNoteDefinition(original);
      defineProperty(wrapper, "length", {value: original.length});
      defineProperty(owner, name, {value: wrapper, writable: true, enumerable: false, configurable: true});
    }
  }

  // Assigning to a property that a frozen prototype has as a data property fails (the "override
  // mistake"): e.name = "X" on an Error, Foo.prototype.toString = ... . These common ones become
  // accessors whose setter gives the object its own property instead, as SES's lockdown does.
  // Only members scripts commonly assign on their own objects: a tamed member costs a getter call on every
  // read (so not push, call, or Symbol.iterator, which loops read).
  const OVERRIDABLE = [
    [Object.prototype, ["constructor", "toString", "toLocaleString", "valueOf"]],
    [Function.prototype, ["constructor", "toString"]],
    [Array.prototype, ["constructor", "toString"]],
    [Error.prototype, ["constructor", "message", "name", "toString"]],
    [Promise.prototype, ["constructor"]],
    [Date.prototype, ["constructor", "toString"]],
  ];
  for (const NativeError of [EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError,
                             AggregateError, G.InternalError]) {
    if (typeof NativeError === "function") {
      OVERRIDABLE[OVERRIDABLE.length] = [NativeError.prototype, ["constructor", "message", "name"]];
    }
  }

  function __fdOverridable(prototype, key) {
    const descriptor = getOwnPropertyDescriptor(prototype, key);
    if (descriptor === undefined || !("value" in descriptor) || !descriptor.writable || !descriptor.configurable) {
      return;
    }
    const value = descriptor.value;
    defineProperty(prototype, key, {
      get: function __fdInherited() { return value; },
      set: function __fdOverride(newValue) {
        if (this === prototype) {
          throw new TypeError("Cannot assign to read only property '" + String(key) +
            "' of a built-in prototype (built-in objects are frozen in Flowdesk)");
        }
        if (hasOwn(this, key)) {
          this[key] = newValue;
        } else {
          defineProperty(this, key, {value: newValue, writable: true, enumerable: true, configurable: true});
        }
      },
      enumerable: descriptor.enumerable,
      configurable: false,
    });
  }

  // Intrinsics a script can reach without a property path from the global object.
  function __fdHiddenIntrinsics() {
    const found = [];
    const add = make => { try { found.push(make()); } catch (ignored) { /* not in this engine */ } };
    add(() => getPrototypeOf(function* () {}));
    add(() => getPrototypeOf(async function () {}));
    add(() => getPrototypeOf(async function* () {}));
    add(() => getPrototypeOf((async function* () {})()));
    add(() => getPrototypeOf([][Symbol.iterator]()));
    add(() => getPrototypeOf(new Map()[Symbol.iterator]()));
    add(() => getPrototypeOf(new Set()[Symbol.iterator]()));
    add(() => getPrototypeOf(""[Symbol.iterator]()));
    add(() => getPrototypeOf(/a/[Symbol.matchAll]("")));
    add(() => getPrototypeOf(Iterator.from({next() { return {done: true}; }})));
    add(() => getPrototypeOf([].values().map(x => x)));
    add(() => getPrototypeOf(Int8Array));
    add(() => getOwnPropertyDescriptor(function () { "use strict"; return arguments; }(), "callee").get);
    add(() => getPrototypeOf(G));
    return found;
  }

  // Accessors whose setters change the engine's own state, not a property (QuickJS-ng's V8-style
  // Error.prepareStackTrace and Error.stackTraceLimit): frozen as read-only values.
  function __fdFreezeEngineSettings() {
    for (const key of ["prepareStackTrace", "stackTraceLimit"]) {
      const descriptor = getOwnPropertyDescriptor(Error, key);
      if (descriptor === undefined || descriptor.get === undefined || !descriptor.configurable) continue;
      defineProperty(Error, key, {value: reflectApply(descriptor.get, Error, []), writable: false,
                                  enumerable: descriptor.enumerable, configurable: false});
    }
  }

  function __fdLockdown() {
    __fdFreezeEngineSettings();
    __fdWrapDefinitions();
    for (const [prototype, keys] of OVERRIDABLE) {
      for (const key of keys) __fdOverridable(prototype, key);
    }
    const seen = new Set([G]);
    const queue = [];
    const visit = value => {
      if ((typeof value === "object" && value !== null) || typeof value === "function") {
        if (!seen.has(value)) {
          seen.add(value);
          queue.push(value);
        }
      }
    };
    const visitMembers = object => {
      visit(getPrototypeOf(object));
      for (const key of reflectOwnKeys(object)) {
        const descriptor = getOwnPropertyDescriptor(object, key);
        if ("value" in descriptor) {
          visit(descriptor.value);
        } else {
          visit(descriptor.get);
          visit(descriptor.set);
        }
      }
    };
    visitMembers(G);
    for (const hidden of __fdHiddenIntrinsics()) visit(hidden);
    visit(scope.activities);
    while (queue.length > 0) visitMembers(queue.pop());
    for (const object of seen) {
      if (object !== G) freeze(object);
    }
    for (const key of reflectOwnKeys(G)) {
      const descriptor = getOwnPropertyDescriptor(G, key);
      if ("value" in descriptor) descriptor.writable = false;
      descriptor.configurable = false;
      defineProperty(G, key, descriptor);
    }
  }

  __fdScopeDefaults();
  __fdLockdown();
  const baseline = new Set(reflectOwnKeys(G));
  const baselineEnumerable = __fdEnumerableGlobals();
  const baselineSymbols = getOwnPropertySymbols(G).length;
  const reserved = new Set([...baseline, ...SCOPE_VALUES, "eval", "arguments"]);
})();
