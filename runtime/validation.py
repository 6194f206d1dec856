"""Validation: what a person should fix before running or exporting a workflow.

It runs on every edit in the designer (workflows of 1,000 activities), so it is one pass over the
activities and connections plus linear graph algorithms. Findings:

- ``unknown-type`` (warning): a type the catalog does not know; kept, exported, but not runnable here.
- ``required-property`` (error): a required property missing, or empty under its effective syntax.
- ``unknown-outcome`` (warning): a connection leaving from an outcome the activity does not offer
  (compared case-insensitively; unknown types and outcomes computed by expressions are never flagged).
- ``dangling-connection`` (error): a connection to or from an activity that does not exist.
- ``no-start`` (error): nothing to start (an empty workflow).
- ``unreachable`` (warning): no path leads to the activity from where a run starts: the first start
  activity, or a trigger (HttpEndpoint, Timer...) without inbound connection.
- ``never-starts`` (warning): an activity without inbound connection that is neither the first one nor a
  trigger: Elsa 2 starts a run at the first start activity only (``WorkflowRunner.BeginWorkflow``).
- ``endless-loop`` (warning): a loop nothing leaves: a strongly connected component with no connection
  leaving it, no Finish or Fault in it, and no activity in it with an unwired outcome that would end the
  run (an unwired ``Done`` only counts for While and ForEach, whose ``Done`` means the loop is over).
- ``duplicate-name`` / ``invalid-name`` (errors): ``activities.<name>`` must name one activity and be a
  JavaScript identifier.
- ``undefined-variable`` (warning, beyond Elsa): a variable read (``getVariable("X")`` in JavaScript,
  ``Variables.X`` in Liquid) that nothing sets (SetVariable, ``setVariable("X", ...)``, the VariableName of
  the data activities, ``variables.data``). Skipped when a variable is set under a computed name.
- ``variable-case`` (warning): two variables whose names differ only in letter case; Elsa 2 keeps them
  apart (``Variables.cs`` is a plain case-sensitive dictionary), which is rarely what was meant.
- ``bad-position`` (warning): a canvas position (``x``, ``y``) that is not a finite number within
  ±1,000,000 (:data:`COORDINATE_LIMIT`); the designer and ``flowdesk render`` lay such an activity out
  as if it had no position (non-finite) or clamp it to the limit.
- ``expression-syntax`` (error): a JavaScript expression that does not compile (QuickJS, without running
  it; a top-level ``return`` is allowed as in Elsa) or a Liquid template that does not parse; the problem
  names the property and carries the line and column (:mod:`runtime.expressions.syntax_check`).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from runtime.catalog import generic_descriptor, get_descriptor
from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor
from runtime.catalog.outcomes import OutcomePorts, effective_syntax, known_outcome_ports
from runtime.graph import ActivityLinks, start_activity_ids, strongly_connected_components
from runtime.jsonlimits import loads_bounded
from runtime.model import Activity, Connection, WorkflowDefinition

Severity = Literal["error", "warning"]

UNKNOWN_TYPE = "unknown-type"
REQUIRED_PROPERTY = "required-property"
UNKNOWN_OUTCOME = "unknown-outcome"
DANGLING_CONNECTION = "dangling-connection"
NO_START = "no-start"
UNREACHABLE = "unreachable"
NEVER_STARTS = "never-starts"
VARIABLE_CASE = "variable-case"
ENDLESS_LOOP = "endless-loop"
DUPLICATE_NAME = "duplicate-name"
INVALID_NAME = "invalid-name"
UNDEFINED_VARIABLE = "undefined-variable"
EXPRESSION_SYNTAX = "expression-syntax"
BAD_POSITION = "bad-position"
COORDINATE_LIMIT = 1_000_000.0
"""Canvas coordinates beyond this (either sign) are reported, and clamped where they are drawn."""
CHECKED_LANGUAGES = frozenset({"JavaScript", "Liquid"})
"""The languages whose texts are compiled or parsed (``runtime.expressions.syntax_check``)."""

ENDS_THE_RUN = frozenset({"Finish", "Fault"})
LOOP_TYPES = frozenset({"While", "ForEach"})
"""Types whose ``Done`` is emitted instead of looping, so an unwired ``Done`` is the loop's exit."""
LOOP_SCOPE_VARIABLES = ("CurrentValue", "CurrentIndex")
"""Variables ForEach sets for the activities of its loop."""


@dataclass(frozen=True)
class Problem:
    """One finding: where (``activity_id``, ``label``), how bad, what is wrong, and a stable ``code``."""

    severity: Severity
    activity_id: str | None
    message: str
    code: str
    label: str | None = None
    """The activity's display name, name or type; None for a workflow-level problem."""
    property_name: str | None = None
    """The property the problem is in (expression syntax errors), if any."""
    line: int | None = None
    """1-based line in that property's text (expression syntax errors)."""
    column: int | None = None
    """1-based column on that line (expression syntax errors)."""

    @property
    def subject(self) -> str:
        """What the problem is about as printed: the activity's label, or ``workflow``."""
        return self.label or "workflow"

    def __str__(self) -> str:
        return f"{self.severity}: {self.subject}: {self.message}"


def validate(workflow: WorkflowDefinition) -> list[Problem]:
    """Every problem of ``workflow``: errors first, then in document order (workflow-level first)."""
    context = _Context.of(workflow)
    _check_activities(context)
    _check_connections(context)
    _check_flow(context)
    _check_variables(context)
    _check_expressions(context)
    return [problem for _, problem in sorted(context.found, key=lambda item: item[0])]


# --------------------------------------------------------------------------------------------------
# shared state of one validation run


@dataclass
class _Context:
    workflow: WorkflowDefinition
    by_id: dict[str, Activity]
    position: dict[str, int]
    descriptors: dict[str, ActivityDescriptor | None]
    outgoing: dict[str, list[Connection]]
    found: list[tuple[tuple[int, int, int], Problem]] = field(default_factory=list)
    _ports: dict[str, OutcomePorts] = field(default_factory=dict)

    @classmethod
    def of(cls, workflow: WorkflowDefinition) -> _Context:
        outgoing: dict[str, list[Connection]] = defaultdict(list)
        for connection in workflow.connections:
            outgoing[connection.source_activity_id].append(connection)
        return cls(
            workflow=workflow,
            by_id={activity.activity_id: activity for activity in workflow.activities},
            position={activity.activity_id: index for index, activity in enumerate(workflow.activities)},
            descriptors={
                activity.activity_id: get_descriptor(activity.type) for activity in workflow.activities
            },
            outgoing=outgoing,
        )

    def report(
        self,
        severity: Severity,
        code: str,
        message: str,
        activity: Activity | None = None,
        where: tuple[str, int, int] | None = None,
    ) -> None:
        """Record a finding; ``where`` is (property, line, column) for one inside a property's text."""
        order = (
            0 if severity == "error" else 1,
            self.position.get(activity.activity_id, -1) if activity is not None else -1,
            len(self.found),
        )
        problem = Problem(
            severity=severity,
            activity_id=activity.activity_id if activity is not None else None,
            message=message,
            code=code,
            label=activity.label if activity is not None else None,
            property_name=where[0] if where else None,
            line=where[1] if where else None,
            column=where[2] if where else None,
        )
        self.found.append((order, problem))

    def ports(self, activity: Activity) -> OutcomePorts | None:
        """The outcome ports of a catalogued activity (None for an unknown type), computed once."""
        descriptor = self.descriptors.get(activity.activity_id)
        if descriptor is None:
            return None
        if activity.activity_id not in self._ports:
            self._ports[activity.activity_id] = known_outcome_ports(activity, descriptor)
        return self._ports[activity.activity_id]

    def label_of(self, activity_id: str) -> str:
        activity = self.by_id.get(activity_id)
        return activity.label if activity is not None else activity_id


# --------------------------------------------------------------------------------------------------
# activities: types, required properties, names


def _check_activities(context: _Context) -> None:
    first_with_name: dict[str, Activity] = {}
    for activity in context.workflow.activities:
        descriptor = context.descriptors[activity.activity_id]
        if descriptor is None:
            context.report(
                "warning",
                UNKNOWN_TYPE,
                f"activity type {activity.type} is not known; it will be kept as is but cannot run locally",
                activity,
            )
        else:
            for prop_descriptor in descriptor.properties:
                if prop_descriptor.required:
                    _check_required(context, activity, prop_descriptor)
        _check_name(context, activity, first_with_name)
        if not (usable_coordinate(activity.x) and usable_coordinate(activity.y)):
            context.report(
                "warning",
                BAD_POSITION,
                f"position ({_coordinate_text(activity.x)}, {_coordinate_text(activity.y)}) is not a finite "
                f"number within ±{COORDINATE_LIMIT:,.0f}; it is drawn "
                + ("clamped to that range" if _finite(activity.x, activity.y) else "as if it had none"),
                activity,
            )


def usable_coordinate(value: object) -> bool:
    """True for no coordinate (None) or a finite number within ±:data:`COORDINATE_LIMIT`."""
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value) and -COORDINATE_LIMIT <= value <= COORDINATE_LIMIT
    except OverflowError:  # an int too large for a float
        return False


def drawable_position(x: object, y: object) -> tuple[float, float] | None:
    """Where the canvas draws an activity saved at (x, y): None (lay it out) when either is missing or not
    a finite number, else the point clamped to ±:data:`COORDINATE_LIMIT`."""
    if not _finite(x, y):
        return None
    return _clamped(x), _clamped(y)


def _finite(*values: object) -> bool:
    for value in values:
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            return False
        try:
            if not math.isfinite(value):
                return False
        except OverflowError:
            continue  # a huge int is finite (clamped)
    return True


def _clamped(value: object) -> float:
    assert isinstance(value, int | float)
    if value > COORDINATE_LIMIT:
        return COORDINATE_LIMIT
    if value < -COORDINATE_LIMIT:
        return -COORDINATE_LIMIT
    return float(value)


def _coordinate_text(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return f"{'-' if value < 0 else ''}{len(str(abs(value)))}-digit number"
    return repr(value) if isinstance(value, float) else str(value)


def _check_required(context: _Context, activity: Activity, descriptor: PropertyDescriptor) -> None:
    prop = activity.get_property(descriptor.name)
    if prop is None:
        context.report(
            "error", REQUIRED_PROPERTY, f"required property {descriptor.name} is missing", activity
        )
        return
    syntax = effective_syntax(prop, descriptor)
    text = prop.expression(syntax)
    if text is not None and text.strip():
        return
    unused = [name for name, kept in prop.expressions.items() if name != syntax and kept and kept.strip()]
    detail = f" (its {', '.join(unused)} text is kept but not used)" if unused else ""
    context.report(
        "error",
        REQUIRED_PROPERTY,
        f"required property {descriptor.name} is empty under its {syntax} syntax{detail}",
        activity,
    )


def is_javascript_identifier(name: str) -> bool:
    """True for names JavaScript accepts as identifiers (letters, digits, ``_``, ``$``; no leading digit)."""
    return name.replace("$", "_").isidentifier()


def _check_name(context: _Context, activity: Activity, first_with_name: dict[str, Activity]) -> None:
    name = activity.name
    if not name:
        return
    if not is_javascript_identifier(name):
        context.report(
            "error",
            INVALID_NAME,
            f"name {json.dumps(name, ensure_ascii=False)} is not a valid JavaScript identifier, so "
            "activities.<name> cannot reach it (use letters, digits, _ or $, not starting with a digit)",
            activity,
        )
    earlier = first_with_name.setdefault(name, activity)
    if earlier is not activity:
        context.report(
            "error",
            DUPLICATE_NAME,
            f'name "{name}" is also used by "{earlier.label}"; activities.{name} must name one activity',
            activity,
        )


# --------------------------------------------------------------------------------------------------
# connections: dangling ends, outcomes nobody emits


def _check_connections(context: _Context) -> None:
    for connection in context.workflow.connections:
        source = context.by_id.get(connection.source_activity_id)
        for role, end in (
            ("source", connection.source_activity_id),
            ("target", connection.target_activity_id),
        ):
            if end not in context.position:
                context.report(
                    "error",
                    DANGLING_CONNECTION,
                    f"a connection (outcome {connection.effective_outcome}) has {role} activity id "
                    f"{end!r}, which does not exist",
                    source,
                )
    for activity in context.workflow.activities:
        _check_outcomes(context, activity)


def _check_outcomes(context: _Context, activity: Activity) -> None:
    descriptor = context.descriptors[activity.activity_id]
    ports = context.ports(activity)
    if descriptor is None or ports is None or not ports.certain:
        return
    offered = {port.lower() for port in ports.ports}
    for connection in context.outgoing.get(activity.activity_id, ()):
        outcome = connection.effective_outcome
        if outcome.lower() in offered:
            continue
        target = context.label_of(connection.target_activity_id)
        if not ports.ports:
            message = (
                f'the connection to "{target}" (outcome {outcome}) is never followed: '
                f"{descriptor.display_name} has no outcomes"
            )
        elif descriptor.outcome_properties:
            message = (
                f'the connection to "{target}" leaves from outcome "{outcome}", which is not one of its '
                f"outcomes ({', '.join(ports.ports)}); add it to {' or '.join(descriptor.outcome_properties)}"
                " or rewire the connection"
            )
        else:
            message = (
                f'the connection to "{target}" leaves from outcome "{outcome}", which '
                f"{descriptor.display_name} never emits (its outcomes: {', '.join(ports.ports)})"
            )
        context.report("warning", UNKNOWN_OUTCOME, message, activity)


# --------------------------------------------------------------------------------------------------
# flow: start, reachability, loops nothing leaves


def _check_flow(context: _Context) -> None:
    workflow = context.workflow
    if not workflow.activities:
        context.report("error", NO_START, "the workflow has no activities, so there is nothing to start")
        return
    graph = ActivityLinks(workflow)
    candidates = start_activity_ids(graph)
    starts = [
        start
        for index, start in enumerate(candidates)
        if index == 0 or _is_trigger(context.descriptors.get(start))
    ]
    for never in candidates:
        if never not in starts:
            context.report(
                "warning",
                NEVER_STARTS,
                f"never runs: nothing leads here, and Elsa 2 starts a run at the first start activity only "
                f'("{context.label_of(candidates[0])}")',
                context.by_id[never],
            )
    reached = _reachable(graph, starts)
    start_names = ", ".join(f'"{context.label_of(start)}"' for start in starts[:3])
    for activity in workflow.activities:
        if (
            activity.activity_id not in reached
            and activity.activity_id in graph
            and graph.in_degree(activity.activity_id)
        ):
            context.report(
                "warning",
                UNREACHABLE,
                f"unreachable: no path leads here from the start ({start_names})",
                activity,
            )
    for component in strongly_connected_components(graph.adjacency):
        if _is_loop(graph, component) and not _has_way_out(context, graph, component):
            members = sorted(component, key=context.position.__getitem__)
            names = ", ".join(f'"{context.label_of(member)}"' for member in members[:4])
            more = f" and {len(members) - 4} more" if len(members) > 4 else ""
            context.report(
                "warning",
                ENDLESS_LOOP,
                f"endless loop: {names}{more} form a loop that nothing leaves (no connection leads out, "
                "no unwired outcome ends the run, and it has no Finish)",
                context.by_id[members[0]],
            )


def _is_trigger(descriptor: ActivityDescriptor | None) -> bool:
    return descriptor is not None and descriptor.is_trigger


def _reachable(graph: ActivityLinks, starts: Iterable[str]) -> set[str]:
    seen = set(starts)
    pending = list(seen)
    while pending:
        for successor in graph.successors(pending.pop()):
            if successor not in seen:
                seen.add(successor)
                pending.append(successor)
    return seen


def _is_loop(graph: ActivityLinks, component: set[str]) -> bool:
    if len(component) > 1:
        return True
    (only,) = component
    return graph.has_edge(only, only)


def _has_way_out(context: _Context, graph: ActivityLinks, component: set[str]) -> bool:
    for activity_id in component:
        activity = graph.nodes[activity_id]
        ports = context.ports(activity)
        if ports is None or not ports.certain or activity.type in ENDS_THE_RUN:
            return True
        if any(successor not in component for successor in graph.successors(activity_id)):
            return True
        wired = {connection.effective_outcome.lower() for connection in context.outgoing[activity_id]}
        for port in ports.ports:
            ends_here = port.lower() != "done" or activity.type in LOOP_TYPES
            if ends_here and port.lower() not in wired:
                return True
    return False


# --------------------------------------------------------------------------------------------------
# variables read but never set

_JS_STRING_OR_COMMENT = re.compile(
    r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_QUOTED_NAME = r"""(?:"([^"\\\n]*)"|'([^'\\\n]*)'|`([^`\\$]*)`)"""
_JS_GET = re.compile(r"\bgetVariable\s*\(\s*" + _QUOTED_NAME + r"\s*\)")
_JS_SET_CALL = re.compile(r"\bsetVariable\s*\(\s*")
_JS_SET_NAME = re.compile(_QUOTED_NAME + r"\s*,")
_LIQUID_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)
_LIQUID_VARIABLE = re.compile(r"""\bVariables\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*(?:"([^"]*)"|'([^']*)')\s*\])""")


@dataclass
class _VariableUse:
    reads: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(activity id, variable) -> the properties reading it, in the order found."""
    sets: set[str] = field(default_factory=set)
    set_by: dict[str, str] = field(default_factory=dict)
    """Variable -> the id of the first activity that sets it (absent: ``variables.data`` or ForEach)."""
    computed_set: bool = False

    def set(self, activity: Activity, variable: str) -> None:
        self.sets.add(variable)
        self.set_by.setdefault(variable, activity.activity_id)

    def read(self, activity: Activity, variable: str, where: str) -> None:
        places = self.reads.setdefault((activity.activity_id, variable), [])
        if where not in places:
            places.append(where)


def strip_javascript_comments(source: str) -> str:
    """``source`` without ``//`` and ``/* */`` comments (string literals are kept as they are)."""
    return _JS_STRING_OR_COMMENT.sub(lambda match: match.group(1) or " ", source)


def javascript_variable_reads(source: str) -> Iterator[str]:
    """Names read with ``getVariable("X")`` (string literal argument) outside comments."""
    for match in _JS_GET.finditer(strip_javascript_comments(source)):
        yield next(group for group in match.groups() if group is not None)


def javascript_variable_sets(source: str) -> Iterator[str | None]:
    """Names set with ``setVariable("X", ...)``; None for a call whose name is computed."""
    code = strip_javascript_comments(source)
    for call in _JS_SET_CALL.finditer(code):
        named = _JS_SET_NAME.match(code, call.end())
        yield next(group for group in named.groups() if group is not None) if named else None


def liquid_variable_reads(template: str) -> Iterator[str]:
    """Names read as ``Variables.X`` (or ``Variables["X"]``) inside ``{{ }}`` and ``{% %}`` tags."""
    for tag in _LIQUID_TAG.finditer(template):
        for match in _LIQUID_VARIABLE.finditer(tag.group(1) or tag.group(2) or ""):
            yield next(group for group in match.groups() if group is not None)


def _check_variables(context: _Context) -> None:
    use = _VariableUse(sets=set(context.workflow.variable_data()))
    for activity in context.workflow.activities:
        _collect_variable_use(context, activity, use)
    _check_variable_case(context, use)
    if use.computed_set:
        return
    suggest = _Suggestions(sorted(use.sets))
    for (activity_id, variable), places in use.reads.items():
        if variable in use.sets:
            continue
        suggestion = suggest(variable)
        hint = f' (did you mean "{suggestion}"?)' if suggestion else ""
        if suggestion and suggestion.casefold() == variable.casefold():
            hint = f' (did you mean "{suggestion}"? Elsa 2 matches variable names case-sensitively)'
        context.report(
            "warning",
            UNDEFINED_VARIABLE,
            f'variable "{variable}" is read in {", ".join(places)} but never set{hint}',
            context.by_id[activity_id],
        )


def _check_variable_case(context: _Context, use: _VariableUse) -> None:
    """Warn at the second spelling of a variable set under names that differ only in letter case."""
    first_spelling: dict[str, str] = {}
    for variable in sorted(use.sets, key=lambda name: context.position.get(use.set_by.get(name, ""), -1)):
        folded = variable.casefold()
        other = first_spelling.setdefault(folded, variable)
        if other == variable:
            continue
        activity_id = use.set_by.get(variable)
        context.report(
            "warning",
            VARIABLE_CASE,
            f'variables "{other}" and "{variable}" differ only in letter case: Elsa 2 keeps them as two '
            "variables",
            context.by_id.get(activity_id) if activity_id else None,
        )


def _collect_variable_use(context: _Context, activity: Activity, use: _VariableUse) -> None:
    descriptor = context.descriptors[activity.activity_id] or generic_descriptor(activity, [])
    if activity.type == "ForEach":
        use.sets.update(LOOP_SCOPE_VARIABLES)
    for prop in activity.properties:
        prop_descriptor = descriptor.get_property(prop.name)
        if prop_descriptor is None:
            continue
        syntax = effective_syntax(prop, prop_descriptor)
        text = prop.expression(syntax)
        if not text or not text.strip():
            continue
        names_a_variable = prop_descriptor.sets_variable or (
            not descriptor.is_known and prop.name.lower() == "variablename"
        )
        if names_a_variable:
            if syntax == "Literal":
                use.set(activity, text.strip())
            else:
                use.computed_set = True
            continue
        _scan_expression(activity, prop.name, prop_descriptor.content_syntax or syntax, text, use)


def _scan_expression(activity: Activity, where: str, language: str, text: str, use: _VariableUse) -> None:
    if language == "JavaScript":
        for variable in javascript_variable_reads(text):
            use.read(activity, variable, where)
        for set_name in javascript_variable_sets(text):
            if set_name is None:
                use.computed_set = True
            else:
                use.set(activity, set_name)
    elif language == "Liquid":
        for variable in liquid_variable_reads(text):
            use.read(activity, variable, where)
    elif language == "Variable":
        use.read(activity, text.strip(), where)
    elif language == "Switch":
        for case in _switch_cases(text):
            case_syntax = case.get("syntax") or "Literal"
            expressions = case.get("expressions") or {}
            case_text = expressions.get(case_syntax) if isinstance(expressions, dict) else None
            if isinstance(case_syntax, str) and isinstance(case_text, str) and case_text.strip():
                _scan_expression(activity, f"{where} ({case.get('name')})", case_syntax, case_text, use)


# --------------------------------------------------------------------------------------------------
# expressions that cannot run: JavaScript that does not compile, Liquid that does not parse


def _check_expressions(context: _Context) -> None:
    for activity in context.workflow.activities:
        descriptor = context.descriptors[activity.activity_id] or generic_descriptor(activity, [])
        for prop in activity.properties:
            prop_descriptor = descriptor.get_property(prop.name)
            if prop_descriptor is None or prop_descriptor.sets_variable:
                continue
            syntax = effective_syntax(prop, prop_descriptor)
            text = prop.expression(syntax)
            if text and text.strip():
                language = prop_descriptor.content_syntax or syntax
                _check_expression(context, activity, prop_descriptor.name, language, text)


def _check_expression(context: _Context, activity: Activity, where: str, language: str, text: str) -> None:
    if language == "Switch":
        for case in _switch_cases(text):
            case_syntax = case.get("syntax") or "Literal"
            expressions = case.get("expressions") or {}
            case_text = expressions.get(case_syntax) if isinstance(expressions, dict) else None
            if isinstance(case_syntax, str) and isinstance(case_text, str) and case_text.strip():
                _check_expression(context, activity, f"{where} ({case.get('name')})", case_syntax, case_text)
        return
    if language not in CHECKED_LANGUAGES:
        return
    from runtime.expressions.syntax_check import check_expression  # QuickJS and Liquid only when needed

    issue = check_expression(language, text)
    if issue is None:
        return
    verb = "does not compile" if language == "JavaScript" else "does not parse"
    context.report(
        "error",
        EXPRESSION_SYNTAX,
        f"the {language} of {where} {verb} (line {issue.line}, column {issue.column}): {issue.message}",
        activity,
        (where, issue.line, issue.column),
    )


def _switch_cases(text: str) -> list[dict]:
    try:
        cases = loads_bounded(text)
    except ValueError:
        return []
    if isinstance(cases, dict):
        cases = cases.get("$values", [])
    return [case for case in cases if isinstance(case, dict)] if isinstance(cases, list) else []


class _Suggestions:
    """Did-you-mean for unset variables: a name differing only in case, else the closest by difflib.

    Memoised per name; fuzzy matching stops after ``fuzzy_limit`` names, so a workflow with hundreds of
    unset variables still validates quickly.
    """

    def __init__(self, known: list[str], fuzzy_limit: int = 50) -> None:
        self._known = known
        self._by_folded_case: dict[str, str] = {}
        for name in known:
            self._by_folded_case.setdefault(name.casefold(), name)
        self._memo: dict[str, str | None] = {}
        self._fuzzy_left = fuzzy_limit

    def __call__(self, variable: str) -> str | None:
        if variable not in self._memo:
            self._memo[variable] = self._by_folded_case.get(variable.casefold()) or self._closest(variable)
        return self._memo[variable]

    def _closest(self, variable: str) -> str | None:
        if self._fuzzy_left <= 0:
            return None
        self._fuzzy_left -= 1
        import difflib  # only for a variable read but never set

        close = difflib.get_close_matches(variable, self._known, n=1, cutoff=0.6)
        return close[0] if close else None


__all__ = [
    "Problem",
    "Severity",
    "is_javascript_identifier",
    "javascript_variable_reads",
    "javascript_variable_sets",
    "liquid_variable_reads",
    "strip_javascript_comments",
    "validate",
]
