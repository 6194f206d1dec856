"""Elsa 2's "Workflows" category: RunWorkflow, Correlate and Finish.

``Activities/Workflows`` (RunWorkflow, Correlate) and ``Activities/ControlFlow/Finish`` in Elsa 2.15, all
three shown under "Workflows" in its palette; their handlers are in :mod:`runtime.activities.workflows`.
"""

from __future__ import annotations

from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor

_LITERAL_JS_LIQUID = ("Literal", "JavaScript", "Liquid")

NOT_FOUND = "Not Found"
"""RunWorkflow's outcome when the library has no such workflow."""

CORRELATE = ActivityDescriptor(
    type="Correlate",
    category="Workflows",
    display_name="Correlate",
    description="Set the CorrelationId of the workflow to a given value.",
    summary_property="Value",
    icon="correlate",
    outcomes=("Done",),
    outputs=("Output",),
    properties=(
        PropertyDescriptor(
            "Value", hint="An expression that evaluates to the value to store as the correlation ID."
        ),
    ),
)

RUN_WORKFLOW = ActivityDescriptor(
    type="RunWorkflow",
    category="Workflows",
    display_name="Run Workflow",
    description="Runs a child workflow.",
    summary_property="WorkflowDefinitionId",
    icon="run-workflow",
    outcomes=("Done", NOT_FOUND),
    outputs=("Output",),
    properties=(
        PropertyDescriptor(
            "WorkflowDefinitionId",
            label="Workflow Definition",
            hint="The workflow definition ID to run.",
            required=True,
        ),
        PropertyDescriptor(
            "TenantId",
            label="Tenant ID",
            hint="The tenant ID to which the workflow to run belongs.",
            category="Advanced",
        ),
        PropertyDescriptor("Input", value_type="any", hint="Optional input to send to the workflow to run."),
        PropertyDescriptor(
            "PossibleOutcomes",
            value_type="array",
            ui_hint="multi-text",
            hint="Enter one or more potential child workflow outcomes you might want to handle.",
            default_syntax="Json",
            supported_syntaxes=("Json",),
            considers_values_as_outcomes=True,
        ),
        PropertyDescriptor(
            "CorrelationId",
            label="Correlation ID",
            hint="The correlation ID to associate with the workflow to run.",
            category="Advanced",
        ),
        PropertyDescriptor(
            "ContextId",
            label="Context ID",
            hint="The context ID to associate with the workflow to run.",
            category="Advanced",
        ),
        PropertyDescriptor(
            "CustomAttributes",
            value_type="object",
            ui_hint="multi-line",
            hint="Optional custom attributes to associate with the workflow to run (obsolete).",
            supported_syntaxes=("JavaScript", "Liquid", "Json"),
            category="Advanced",
        ),
        PropertyDescriptor(
            "Mode",
            value_type="enum",
            ui_hint="dropdown",
            hint="Fire And Forget: run the child workflow and continue the current one. Blocking: run the "
            "child workflow and suspend the current one until the child workflow finishes.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            options=("DispatchAndForget", "FireAndForget", "Blocking"),
        ),
        PropertyDescriptor(
            "RetryFailedActivities",
            label="Retry failed workflow",
            value_type="bool",
            ui_hint="checkbox",
            hint="True to retry the existing child workflow instance instead of creating a new one when "
            "faulted.",
            category="Advanced",
        ),
    ),
)

FINISH = ActivityDescriptor(
    type="Finish",
    category="Workflows",
    display_name="Finish",
    description="Removes any blocking activities from the current container "
    "(workflow or composite activity).",
    summary_property="ActivityOutput",
    icon="finish",
    outcomes=(),
    outputs=("Output",),
    properties=(
        PropertyDescriptor(
            "ActivityOutput",
            value_type="any",
            hint="The value to set as the workflow's output.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            aliases=("OutputValue",),
        ),
        PropertyDescriptor(
            "OutcomeNames",
            value_type="array",
            ui_hint="multi-text",
            hint="The outcomes to set on the container activity (what a parent RunWorkflow sees).",
            default_syntax="Json",
            supported_syntaxes=("Json",),
            default_value=("Done",),
        ),
    ),
)

DESCRIPTORS: tuple[ActivityDescriptor, ...] = (CORRELATE, RUN_WORKFLOW, FINISH)
