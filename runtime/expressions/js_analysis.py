"""What part of the workflow state a script can reach, read from its text, so only that is injected.

The analysis is conservative: anything it cannot prove unused is injected. Identifiers are the names
used in code (``js_tokens``), or, where the lexer is unsure or the script runs text as code (``eval``,
``Function``), every word of the text (strings and comments included). Literal ``getVariable`` names
and ``activities`` member chains are read from the whole text, so a mention anywhere counts. Variables
reached by name at run time (``getVariable(name)`` with a computed name, ``eval``, ``Function``) make
every variable needed; ``activities`` used other than as ``activities.name[.Output]`` makes every
activity needed.

Elsa's other globals that read workflow state (``getActivity``, ``addJournal``, ``queryString`` ...)
are listed in ``STATEFUL_GLOBALS``: only those a script names get their state. ``getActivity`` and
``getActivityProperty`` called with literal names get the data of those activities only.

``global_check`` tells, from the text too, whether a context must look for globals a script may have
left behind, and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from runtime.expressions.js_tokens import scan

_WORD = re.compile(r"[\w$]+")
_GET_VARIABLE = re.compile(r"(?<![\w$])getVariable(?![\w$])")
_GET_VARIABLE_LITERAL = re.compile(
    r"(?<![\w$])getVariable\s*\(\s*(?:\"(?P<double>[^\"\\\n]*)\"|'(?P<single>[^'\\\n]*)')\s*\)"
)
_ACTIVITIES = re.compile(r"(?<![\w$])activities(?![\w$])")
_ACTIVITY_MEMBER = re.compile(r"(?<![\w$])activities\s*\.\s*(?P<name>[\w$]+)(?:\s*\.\s*(?P<output>[\w$]+))?")
_ACTIVITY_LOOKUP = re.compile(r"(?<![\w$])getActivity(?:Property)?(?![\w$])")
_ACTIVITY_LOOKUP_LITERAL = re.compile(
    r"(?<![\w$])getActivity(?:Property)?\s*\(\s*(?:\"(?P<double>[^\"\\\n]*)\"|'(?P<single>[^'\\\n]*)')\s*[,)]"
)
_DYNAMIC_CODE = frozenset({"eval", "Function"})
STATEFUL_GLOBALS = frozenset(
    {
        "getActivity", "getActivityId", "getActivityProperty", "findExecutedActivityIdByType",
        "getWorkflowDefinitionIdByTag", "getTransientVariable", "addJournal", "workflowInstance",
        "activityExecutionContext", "workflowExecutionContext", "queryString", "absoluteUrl",
        "getRemoteIPAddress", "getRouteValue", "setOutcome", "setOutcomes",
    }
)  # fmt: skip
"""Elsa globals (besides variables, input, activities and the workflow ids) that read workflow state."""
_READ_VARIABLES_BY_NAME = frozenset({"activityExecutionContext", "workflowExecutionContext"})
"""Globals whose methods read any variable by a name given at run time (``GetVariable(name)``)."""
_WORKFLOW_VALUES = frozenset(
    {"workflowInstanceId", "workflowDefinitionId", "workflowDefinitionVersion", "correlationId"}
)


@dataclass(frozen=True)
class ScriptNeeds:
    """The parts of a ScriptScope one script text can read."""

    every_variable: bool
    identifiers: frozenset[str]
    variable_literals: frozenset[str]
    """Names passed as string literals to ``getVariable`` (matched exactly: Elsa's variables are
    case-sensitive, ``Elsa.Abstractions/Models/Variables.cs``)."""
    uses_input: bool
    uses_activities: bool
    activity_outputs: dict[str, frozenset[str] | None] | None
    """Lower-cased activity name -> lower-cased outputs used (None: all of them); None: every activity."""
    uses_workflow_ids: bool
    uses_workflow_values: bool
    """The instance id, definition id and version, or correlation id (or code run by name) is used."""
    bare_identifiers: frozenset[str] = frozenset()
    """The identifiers not read as a property after a dot: the names the script can mean as globals (a
    named activity's data, the deprecated Elsa 2.0 form)."""
    stateful_globals: frozenset[str] = frozenset()
    """The ``STATEFUL_GLOBALS`` the script names (all of them when it runs code from text)."""
    activity_lookups: frozenset[str] | None = frozenset()
    """Literal names or ids given to ``getActivity``/``getActivityProperty``; None: any activity."""
    variables_only: bool = False
    """Nothing but variables is reachable (no input, activities, ids or other stateful globals)."""

    def wants_variable(self, name: str) -> bool:
        return self.every_variable or name in self.identifiers or name in self.variable_literals


@lru_cache(maxsize=2048)
def analyse_script(source: str) -> ScriptNeeds:
    identifiers, bare_identifiers = _code_words(source)
    literal_names = [
        match["double"] if match["double"] is not None else match["single"]
        for match in _GET_VARIABLE_LITERAL.finditer(source)
    ]
    dynamic_lookup = len(literal_names) != len(_GET_VARIABLE.findall(source))
    dynamic_code = not _DYNAMIC_CODE.isdisjoint(identifiers)
    stateful = STATEFUL_GLOBALS if dynamic_code else STATEFUL_GLOBALS & identifiers
    return ScriptNeeds(
        every_variable=dynamic_lookup or dynamic_code or not _READ_VARIABLES_BY_NAME.isdisjoint(identifiers),
        identifiers=identifiers,
        variable_literals=frozenset(literal_names),
        uses_input="input" in identifiers,
        uses_activities="activities" in identifiers,
        activity_outputs=_activity_outputs(source),
        uses_workflow_ids="getWorkflowDefinitionIdByName" in identifiers,
        uses_workflow_values=dynamic_code or not _WORKFLOW_VALUES.isdisjoint(identifiers),
        bare_identifiers=bare_identifiers,
        stateful_globals=stateful,
        activity_lookups=None if dynamic_code else _activity_lookups(source),
        variables_only=not (
            dynamic_code
            or stateful
            or not _OTHER_STATE.isdisjoint(identifiers)
            or not _WORKFLOW_VALUES.isdisjoint(identifiers)
        ),
    )


_OTHER_STATE = frozenset({"input", "activities", "getWorkflowDefinitionIdByName"})


def _activity_lookups(source: str) -> frozenset[str] | None:
    literals = [
        match["double"] if match["double"] is not None else match["single"]
        for match in _ACTIVITY_LOOKUP_LITERAL.finditer(source)
    ]
    if len(literals) != len(_ACTIVITY_LOOKUP.findall(source)):
        return None
    return frozenset(literals)


def _code_words(source: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names used in code, and those not read as a property; every word of the text for both when
    the lexer is unsure or when code is built from text at run time (``eval``), where a name inside a
    string may be code after all."""
    tokens = scan(source)
    if tokens is None or not _DYNAMIC_CODE.isdisjoint(tokens.words):
        words = frozenset(_WORD.findall(source))
        return words, words
    return tokens.words, tokens.bare_words


def _activity_outputs(source: str) -> dict[str, frozenset[str] | None] | None:
    members = list(_ACTIVITY_MEMBER.finditer(source))
    if len(members) != len(_ACTIVITIES.findall(source)):
        return None
    outputs: dict[str, set[str] | None] = {}
    for match in members:
        name = match["name"].lower()
        used = outputs.get(name, set())
        if match["output"] is None:
            outputs[name] = None
        elif used is not None:
            used.add(match["output"].lower())
            outputs[name] = used
    return {name: None if used is None else frozenset(used) for name, used in outputs.items()}


_COMPARISON = re.compile(r"===|!==|==|!=|=>|(?<![<>])[<>]=")
_LITERAL_INDEX = re.compile(r"""\[\s*(?:\d+|"(?P<double>[\w$]*)"|'(?P<single>[\w$]*)')\s*\]""")
_INDEXED = re.compile(r"""[\w$)\]'"`]\s*\[""")
_GLOBAL_OBJECT_ROUTES = frozenset(
    {
        "this", "globalThis", "eval", "Function", "constructor", "arguments", "caller", "callee", "import",
        "__proto__",
    }
)  # fmt: skip
"""Words through which a script can hold the global object itself (or code that does): it may then define
any property on it, change its prototype or make it non-extensible."""
_IMPLICIT_GLOBAL_ROUTES = frozenset(
    {
        "for", "with", "delete", "Reflect", "Object", "Proxy", "Symbol", "Error", "prototype",
        "defineProperty", "defineProperties", "__defineGetter__", "__defineSetter__", "assign",
        "setPrototypeOf", "getPrototypeOf", "getOwnPropertyDescriptor", "getOwnPropertyDescriptors",
        "Promise", "then", "async", "await", "queueMicrotask", "FinalizationRegistry", "WeakRef",
    }
)  # fmt: skip
"""Words of scripts that may assign to an undeclared name or change the scope's values without an ``=``
(``for (k in o)``, ``delete input``), or that the check has always covered."""
_KEYWORDS = frozenset(
    {
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
        "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof",
        "var", "void", "while", "with", "undefined", "NaN", "Infinity", "getVariable", "setVariable",
        "setOutcome", "setOutcomes", "input", "activities", "Math", "JSON", "String", "Number", "Boolean",
        "Array", "Date", "Object", "isNullOrEmpty", "isNullOrWhiteSpace", "parseInt", "parseFloat", "isNaN",
        "RegExp", "Map", "Set", "Error", "TypeError",
    }
)  # fmt: skip
"""Words that never name an implicit global a script could create: reserved words (not contextual ones
such as ``of`` or ``let``, which sloppy code may assign), the scope's names and read-only globals."""

GLOBALS_UNCHANGED, IMPLICIT_GLOBALS, GLOBAL_OBJECT = 0, 1, 2
"""What a context must look for after a script ran (``global_check``)."""


@lru_cache(maxsize=2048)
def global_check(source: str) -> tuple[int, str]:
    """What running the script can leave on the global object, from its text: ``GLOBALS_UNCHANGED``,
    nothing; ``IMPLICIT_GLOBALS``, globals made by assigning to an undeclared name, which can only have
    the names the code uses (returned, comma-separated; the prelude deletes those that were not there
    before); ``GLOBAL_OBJECT``, anything, the script may hold the global object itself.

    ``GLOBALS_UNCHANGED`` only for scripts with no assignment or increment, no index other than a number,
    no escape, and none of the route words (``this``, ``Function``, ``for``, ``delete`` ...): calls such
    as ``setVariable("a", 1)`` and reads such as ``getVariable("a") == "b"``. A computed member access
    (``x[k]``) or an escape can spell any name (``x["constructor"]``), so it counts as holding the global
    object. The characters are looked for in the whole text, strings included.
    """
    words = _code_words(source)
    if "\\" in source or not _GLOBAL_OBJECT_ROUTES.isdisjoint(words[0]):
        return GLOBAL_OBJECT, ""
    for match in _LITERAL_INDEX.finditer(source):
        name = match["double"] if match["double"] is not None else match["single"]
        if name is not None and name in _GLOBAL_OBJECT_ROUTES:
            return GLOBAL_OBJECT, ""
    if "[" in _LITERAL_INDEX.sub("", source) and _has_computed_member(source):
        return GLOBAL_OBJECT, ""
    assigns = "++" in source or "--" in source or "=" in _COMPARISON.sub("", source)
    if not assigns and _IMPLICIT_GLOBAL_ROUTES.isdisjoint(words[0]):
        return GLOBALS_UNCHANGED, ""
    names = sorted(word for word in words[1] if word not in _KEYWORDS and not word[0].isdigit())
    return IMPLICIT_GLOBALS, ",".join(names)


def _has_computed_member(source: str) -> bool:
    """Whether a ``[`` may index a value (``x[k]``), not only open an array literal (``[1, k]``): a ``[``
    after a name, a closing bracket or a string, or anywhere the lexer cannot read."""
    return _INDEXED.search(_LITERAL_INDEX.sub("", source)) is not None or scan(source) is None


def may_create_globals(source: str) -> bool:
    """Whether running the script could leave a new global behind (see :func:`global_check`)."""
    return global_check(source)[0] != GLOBALS_UNCHANGED
