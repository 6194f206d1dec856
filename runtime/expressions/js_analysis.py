"""What part of the workflow state a script can reach, read from its text, so only that is injected.

The analysis is conservative: anything it cannot prove unused is injected. Identifiers are the names
used in code (``js_tokens``), or, where the lexer is unsure or the script runs text as code (``eval``,
``Function``), every word of the text (strings and comments included). Literal ``getVariable`` names
and ``activities`` member chains are read from the whole text, so a mention anywhere counts. Variables
reached by name at run time (``getVariable(name)`` with a computed name, ``eval``, ``Function``) make
every variable needed; ``activities`` used other than as ``activities.name[.Output]`` makes every
activity needed.

``may_create_globals`` tells, from the text too, whether a context must look for globals a script may
have left behind.
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
_DYNAMIC_CODE = frozenset({"eval", "Function"})
_WORKFLOW_VALUES = frozenset(
    {"workflowInstanceId", "workflowDefinitionId", "workflowDefinitionVersion", "correlationId"}
)


@dataclass(frozen=True)
class ScriptNeeds:
    """The parts of a ScriptScope one script text can read."""

    every_variable: bool
    identifiers: frozenset[str]
    variable_names: frozenset[str]
    """Lower-cased names passed as string literals to ``getVariable``."""
    variable_literals: frozenset[str]
    """The same names as written in the script."""
    uses_input: bool
    uses_activities: bool
    activity_outputs: dict[str, frozenset[str] | None] | None
    """Lower-cased activity name -> lower-cased outputs used (None: all of them); None: every activity."""
    uses_workflow_ids: bool
    uses_workflow_values: bool
    """The instance id, definition id and version, or correlation id (or code run by name) is used."""

    def wants_variable(self, name: str) -> bool:
        return self.every_variable or name in self.identifiers or name.lower() in self.variable_names


@lru_cache(maxsize=2048)
def analyse_script(source: str) -> ScriptNeeds:
    identifiers = _code_words(source)
    literal_names = [
        match["double"] if match["double"] is not None else match["single"]
        for match in _GET_VARIABLE_LITERAL.finditer(source)
    ]
    dynamic_lookup = len(literal_names) != len(_GET_VARIABLE.findall(source))
    dynamic_code = not _DYNAMIC_CODE.isdisjoint(identifiers)
    return ScriptNeeds(
        every_variable=dynamic_lookup or dynamic_code,
        identifiers=identifiers,
        variable_names=frozenset(name.lower() for name in literal_names),
        variable_literals=frozenset(literal_names),
        uses_input="input" in identifiers,
        uses_activities="activities" in identifiers,
        activity_outputs=_activity_outputs(source),
        uses_workflow_ids="getWorkflowDefinitionIdByName" in identifiers,
        uses_workflow_values=dynamic_code or not _WORKFLOW_VALUES.isdisjoint(identifiers),
    )


def _code_words(source: str) -> frozenset[str]:
    """The names used in code; every word of the text when the lexer is unsure or when code is built
    from text at run time (``eval``), where a name inside a string may be code after all."""
    tokens = scan(source)
    if tokens is None or not _DYNAMIC_CODE.isdisjoint(tokens.words):
        return frozenset(_WORD.findall(source))
    return tokens.words


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
_NUMBER_INDEX = re.compile(r"\[\s*\d+\s*\]")
_GLOBAL_OBJECT_ROUTES = frozenset(
    {
        "this", "globalThis", "eval", "Function", "constructor", "prototype", "__proto__", "Reflect",
        "Object", "Proxy", "Symbol", "Error", "for", "with", "arguments", "caller", "callee", "import",
        "defineProperty", "defineProperties", "__defineGetter__", "__defineSetter__", "assign",
        "setPrototypeOf", "getPrototypeOf", "getOwnPropertyDescriptor", "getOwnPropertyDescriptors",
        "Promise", "then", "async", "await", "queueMicrotask", "FinalizationRegistry", "WeakRef",
    }
)  # fmt: skip
"""Words through which a script can reach the global object, run code later, or loop into a bare name."""


@lru_cache(maxsize=2048)
def may_create_globals(source: str) -> bool:
    """Whether running the script could leave a new global behind (an assignment to an undeclared
    name, say), so the context must look for one afterwards.

    False only for scripts with no assignment or increment, no index other than a number, no escape
    and none of the words that reach the global object or deferred code (``this``, ``Object``,
    ``Function``, ``Promise`` ...): calls such as ``setVariable("a", 1)`` and reads such as
    ``getVariable("a") == "b"``. The characters are looked for in the whole text, strings included.
    """
    if "\\" in source or "++" in source or "--" in source:
        return True
    if "=" in _COMPARISON.sub("", source) or "[" in _NUMBER_INDEX.sub("", source):
        return True
    return not _GLOBAL_OBJECT_ROUTES.isdisjoint(_code_words(source))
