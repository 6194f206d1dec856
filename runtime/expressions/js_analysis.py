"""What part of the workflow state a script can reach, read from its text, so only that is injected.

The analysis is conservative: anything it cannot prove unused is injected. Identifiers are collected
from the whole text (strings and comments included), so a mention anywhere counts. Variables reached by
name at run time (``getVariable(name)`` with a computed name, ``eval``, ``Function``) make every
variable needed; ``activities`` used other than as ``activities.name[.Output]`` makes every activity
needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[\w$]+")
_GET_VARIABLE = re.compile(r"(?<![\w$])getVariable(?![\w$])")
_GET_VARIABLE_LITERAL = re.compile(
    r"(?<![\w$])getVariable\s*\(\s*(?:\"(?P<double>[^\"\\\n]*)\"|'(?P<single>[^'\\\n]*)')\s*\)"
)
_ACTIVITIES = re.compile(r"(?<![\w$])activities(?![\w$])")
_ACTIVITY_MEMBER = re.compile(r"(?<![\w$])activities\s*\.\s*(?P<name>[\w$]+)(?:\s*\.\s*(?P<output>[\w$]+))?")
_DYNAMIC_CODE = frozenset({"eval", "Function"})


@dataclass(frozen=True)
class ScriptNeeds:
    """The parts of a ScriptScope one script text can read."""

    every_variable: bool
    identifiers: frozenset[str]
    variable_names: frozenset[str]
    """Lower-cased names passed as string literals to ``getVariable``."""
    uses_input: bool
    uses_activities: bool
    activity_outputs: dict[str, frozenset[str] | None] | None
    """Lower-cased activity name -> lower-cased outputs used (None: all of them); None: every activity."""
    uses_workflow_ids: bool

    def wants_variable(self, name: str) -> bool:
        return self.every_variable or name in self.identifiers or name.lower() in self.variable_names


@lru_cache(maxsize=2048)
def analyse_script(source: str) -> ScriptNeeds:
    identifiers = frozenset(_WORD.findall(source))
    literal_names = [
        match["double"] if match["double"] is not None else match["single"]
        for match in _GET_VARIABLE_LITERAL.finditer(source)
    ]
    dynamic_lookup = len(literal_names) != len(_GET_VARIABLE.findall(source))
    return ScriptNeeds(
        every_variable=dynamic_lookup or not _DYNAMIC_CODE.isdisjoint(identifiers),
        identifiers=identifiers,
        variable_names=frozenset(name.lower() for name in literal_names),
        uses_input="input" in identifiers,
        uses_activities="activities" in identifiers,
        activity_outputs=_activity_outputs(source),
        uses_workflow_ids="getWorkflowDefinitionIdByName" in identifiers,
    )


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
