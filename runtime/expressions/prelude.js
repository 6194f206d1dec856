// Flowdesk's JavaScript prelude, installed once in every pooled context: loaded by js_prelude.py.
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
  // Bound once, so a script replacing String.prototype methods cannot change how results are sent.
  const isWellFormed = Function.prototype.call.bind(String.prototype.isWellFormed);
  const stringIncludes = Function.prototype.call.bind(String.prototype.includes);
  const isSafeInteger = Number.isSafeInteger;
  const runProgram = __fdRunProgram, compileBody = __fdCompileBody, compileProgram = __fdCompileProgram;
  const PROGRAM = 1, BODY = 2, OBJECT = 3;
  const RETURN_OUTSIDE_FUNCTION = ["return not in a function", "Illegal return statement", "invalid return"];
  const SCOPE_VALUES = ["input", "activities", "workflowInstanceId", "workflowDefinitionId",
                        "workflowDefinitionVersion", "correlationId", "workflowInstance"];
  const clr = (__CLR_TYPES__)();
  const EMPTY = Object.freeze(Object.create(null));
  const MAX_COMPILED = __MAX_COMPILED__;

  const scope = Object.create(null);
  // Per mode: script text -> compiled function (null: the program can only run through eval).
  const compiled = [null, new Map(), new Map(), new Map()];
  const proxies = new WeakMap();
  const targets = new WeakMap();
  let variableNames = [];
  let scopeValuesSet = true;
  let variables = null, workflowIds = null, changes = null, outcomes = null;
  // "x" of the state: what only some scripts need (transient variables, activity data, the request ...).
  let extra = EMPTY, transient = EMPTY, journalKeys = null, journalEntries = null, transientChanges = null;

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

  function __fdScopeGlobal(name, value) {
    if (reserved.has(name) || name.startsWith("__fd")) return;
    scope[name] = __fdWrap(value);
    variableNames.push(name);
  }

  function __fdPrepare(state) {
    variables = state.v || {};
    workflowIds = state.w || {};
    changes = new Map();
    outcomes = [];
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

  function __fdReset(checkGlobals) {
    if (variableNames.length > 0) {
      for (const name of variableNames) delete scope[name];
      variableNames = [];
    }
    if (scopeValuesSet) __fdScopeDefaults();
    variables = workflowIds = changes = outcomes = null;
    if (extra !== EMPTY || journalKeys !== null || transientChanges !== null) {
      extra = transient = EMPTY;
      journalKeys = journalEntries = transientChanges = null;
    }
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
    if (changes === null) return null;
    if (transientChanges !== null && transientChanges.has(name)) return transientChanges.get(name);
    if (transient !== EMPTY && __fdOwn(transient, name)) return __fdWrap(transient[name]);
    if (changes.size > 0 && changes.has(name)) return changes.get(name);
    return __fdOwn(variables, name) ? __fdWrap(variables[name]) : null;
  }

  function __fdHasVariable(name) {
    name = __fdName(name, "HasVariable");
    return changes !== null && ((transientChanges !== null && transientChanges.has(name)) ||
      __fdOwn(transient, name) || changes.has(name) || __fdOwn(variables, name));
  }

  function __fdSetVariable(name, value) {
    if (typeof name !== "string") name = __fdName(name, "setVariable");
    if (changes !== null) changes.set(name, value);
  }

  function __fdGetTransientVariable(name) {
    name = __fdName(name, "getTransientVariable");
    if (transientChanges !== null && transientChanges.has(name)) return transientChanges.get(name);
    return __fdOwn(transient, name) ? __fdWrap(transient[name]) : null;
  }

  function __fdSetTransientVariable(name, value) {
    name = __fdName(name, "SetTransientVariable");
    if (changes === null) return;
    if (transientChanges === null) transientChanges = new Map();
    transientChanges.set(name, value);
  }

  // Only RunJavaScript defines them ("so": 0 elsewhere); it collects the outcomes in a HashSet<string>:
  // each name once, in the order first set.
  function __fdSetOutcome(name) {
    if (outcomes === null) return;
    if (extra.so === 0) __fdOnlyInRunJavaScript("setOutcome");
    name = String(name);
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
    if (changes === null) return;
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

  const baseline = new Set(getOwnPropertyNames(G));
  const baselineEnumerable = __fdEnumerableGlobals();
  const reserved = new Set([...baseline, ...SCOPE_VALUES, "eval", "arguments"]);
  __fdScopeDefaults();
})();
