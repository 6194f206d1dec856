"""Elsa 2 control flow (``Elsa.Activities.ControlFlow``).

If, Switch, Fork, Join, ForEach, For, While and Break; handlers in :mod:`runtime.activities.control`.
"""

from __future__ import annotations

from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor

_LITERAL_JS_LIQUID = ("Literal", "JavaScript", "Liquid")

IF = ActivityDescriptor(
    type="If",
    category="Control Flow",
    display_name="If/Else",
    description="Evaluate a Boolean expression and continue execution depending on the result.",
    summary_property="Condition",
    icon="if",
    outcomes=("True", "False", "Done"),
    properties=(
        PropertyDescriptor(
            "Condition",
            value_type="bool",
            ui_hint="single-line",
            hint="The condition to evaluate.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            required=True,
        ),
    ),
)

SWITCH = ActivityDescriptor(
    type="Switch",
    category="Control Flow",
    display_name="Switch",
    description="Evaluate multiple conditions and continue execution depending on the results.",
    summary_property="Cases",
    icon="switch",
    outcomes=("Default", "Done"),
    properties=(
        PropertyDescriptor(
            "Cases",
            value_type="array",
            ui_hint="switch-case",
            hint="The conditions to evaluate; each case has a name (its outcome), a syntax and an "
            "expression.",
            default_syntax="Switch",
            supported_syntaxes=(),
            considers_values_as_outcomes=True,
        ),
        PropertyDescriptor(
            "Mode",
            value_type="enum",
            ui_hint="dropdown",
            hint="Whether the first match should be scheduled, or all matches.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            default_value="MatchFirst",
            options=("MatchFirst", "MatchAny"),
        ),
    ),
)

FORK = ActivityDescriptor(
    type="Fork",
    category="Control Flow",
    display_name="Fork",
    description="Fork workflow execution into multiple branches.",
    summary_property="Branches",
    icon="fork",
    outcomes=(),
    properties=(
        PropertyDescriptor(
            "Branches",
            value_type="array",
            ui_hint="multi-text",
            hint="Enter one or more branch names.",
            default_syntax="Json",
            supported_syntaxes=("Json",),
            considers_values_as_outcomes=True,
        ),
    ),
)

JOIN = ActivityDescriptor(
    type="Join",
    category="Control Flow",
    display_name="Join",
    description="Merge workflow execution back into a single branch.",
    summary_property="Mode",
    icon="join",
    outcomes=("Done",),
    properties=(
        PropertyDescriptor(
            "EagerJoin",
            value_type="bool",
            ui_hint="checkbox",
            hint="True if all blocking activities within the fork should be cleared.",
        ),
        PropertyDescriptor(
            "Mode",
            value_type="enum",
            ui_hint="dropdown",
            hint="WaitAll: wait for all incoming activities to have executed. WaitAny: continue as soon as "
            "any of the incoming activities has executed.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            default_value="WaitAll",
            options=("WaitAll", "WaitAny"),
        ),
    ),
)

FOR_EACH = ActivityDescriptor(
    type="ForEach",
    category="Control Flow",
    display_name="For Each",
    description="Iterate over a collection.",
    summary_property="Items",
    icon="for-each",
    outcomes=("Iterate", "Done"),
    outputs=("Output",),
    properties=(
        PropertyDescriptor(
            "Items",
            value_type="array",
            ui_hint="multi-line",
            hint="A collection of items to iterate over.",
            default_syntax="Json",
            supported_syntaxes=("Json", "JavaScript", "Liquid"),
        ),
    ),
)

WHILE = ActivityDescriptor(
    type="While",
    category="Control Flow",
    display_name="While",
    description="Execute while a given condition is true.",
    summary_property="Condition",
    icon="while",
    outcomes=("Iterate", "Done"),
    properties=(
        PropertyDescriptor("Condition", value_type="bool", hint="The condition to evaluate.", required=True),
    ),
)

FOR = ActivityDescriptor(
    type="For",
    category="Control Flow",
    display_name="For",
    description="Iterate between two numbers.",
    summary_property="End",
    icon="for-each",
    outcomes=("Iterate", "Done"),
    outputs=("Output",),
    properties=(
        PropertyDescriptor("Start", value_type="int", hint="The starting number.", default_value=0),
        PropertyDescriptor("End", value_type="int", hint="The ending number.", default_value=0),
        PropertyDescriptor(
            "Step",
            value_type="int",
            hint="An expression that evaluates to the incrementing number on each step.",
            default_value=1,
        ),
        PropertyDescriptor(
            "Operator",
            value_type="enum",
            ui_hint="dropdown",
            hint="The operator to use when comparing the current value against the end value.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            default_value="LessThan",
            options=("LessThan", "LessThanOrEqual", "GreaterThan", "GreaterThanOrEqual"),
        ),
    ),
)

BREAK = ActivityDescriptor(
    type="Break",
    category="Control Flow",
    display_name="Break",
    description="Break out of a While, For or ForEach loop.",
    icon="while",
    outcomes=("Done",),
)

DESCRIPTORS: tuple[ActivityDescriptor, ...] = (
    IF,
    SWITCH,
    FORK,
    JOIN,
    FOR_EACH,
    FOR,
    WHILE,
    BREAK,
)
