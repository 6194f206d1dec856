"""Primitives (SetVariable, Fault), Scripting (RunJavaScript), Timers (Timer) and Console (WriteLine).

The small families of the Elsa 2 core set, each a folder or package of its own in Elsa; their handlers are in
:mod:`runtime.activities.primitives`.
"""

from __future__ import annotations

from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor

SET_VARIABLE = ActivityDescriptor(
    type="SetVariable",
    category="Primitives",
    display_name="Set Variable",
    description="Set variable on the workflow.",
    summary_property="VariableName",
    icon="variable",
    outcomes=("Done",),
    properties=(
        PropertyDescriptor(
            "VariableName",
            hint="The name of the variable to store the value into.",
            supported_syntaxes=(),
            required=True,
            sets_variable=True,
        ),
        PropertyDescriptor("Value", value_type="any", hint="The value to store in the variable."),
    ),
)

FAULT = ActivityDescriptor(
    type="Fault",
    category="Primitives",
    display_name="Fault",
    description="Put the workflow in a faulted state.",
    summary_property="Message",
    icon="fault",
    outcomes=(),
    properties=(
        PropertyDescriptor(
            "Message",
            hint="Optional. The message to store as the reason for the fault.",
            supported_syntaxes=("Liquid", "JavaScript"),
        ),
    ),
)

RUN_JAVASCRIPT = ActivityDescriptor(
    type="RunJavaScript",
    category="Scripting",
    display_name="Run JavaScript",
    description="Run JavaScript code.",
    summary_property="Script",
    icon="javascript",
    outcomes=("Done",),
    outputs=("Output",),
    properties=(
        PropertyDescriptor(
            "Script",
            ui_hint="code-editor",
            hint="The JavaScript to run; setOutcome(name) / setOutcomes([...]) choose its outcomes.",
            supported_syntaxes=(),
            content_syntax="JavaScript",
        ),
        PropertyDescriptor(
            "PossibleOutcomes",
            value_type="array",
            ui_hint="multi-text",
            hint="The possible outcomes that can be set by the script.",
            default_syntax="Json",
            supported_syntaxes=("Json", "JavaScript", "Liquid"),
            default_value=("Done",),
            considers_values_as_outcomes=True,
        ),
    ),
)

TIMER = ActivityDescriptor(
    type="Timer",
    category="Timers",
    display_name="Timer",
    description="Triggers at a specified interval.",
    is_trigger=True,
    summary_property="Timeout",
    icon="timer",
    outcomes=("Done",),
    properties=(
        PropertyDescriptor(
            "Timeout",
            value_type="duration",
            hint="The time interval at which this activity should tick.",
            required=True,
        ),
    ),
)

WRITE_LINE = ActivityDescriptor(
    type="WriteLine",
    category="Console",
    display_name="Write Line",
    description="Write text to standard out.",
    summary_property="Text",
    icon="write-line",
    outcomes=("Done",),
    properties=(PropertyDescriptor("Text", hint="The text to write."),),
)

DESCRIPTORS: tuple[ActivityDescriptor, ...] = (SET_VARIABLE, FAULT, RUN_JAVASCRIPT, TIMER, WRITE_LINE)
