"""Which workflow a RunWorkflow activity runs, read from its WorkflowDefinitionId as written."""

from __future__ import annotations

import pytest

from designer.features.subworkflow import child_reference
from runtime.model import Activity, ActivityProperty


def run_workflow(syntax: str | None, text: str) -> Activity:
    key = syntax or "Literal"
    prop = ActivityProperty(name="WorkflowDefinitionId", syntax=syntax, expressions={"Liquid": "", key: text})
    return Activity(activity_id="call", type="RunWorkflow", properties=[prop])


@pytest.mark.parametrize(
    ("syntax", "text", "expected"),
    [
        (None, " 3f2a9c ", "3f2a9c"),
        ("Literal", "GetSettings", "GetSettings"),
        ("Json", '"GetSettings"', "GetSettings"),
        ("Liquid", "GetSettings", "GetSettings"),
        (
            "JavaScript",
            'return getWorkflowDefinitionIdByName("GetChangingAccessTokenAuthentication")',
            ("GetChangingAccessTokenAuthentication"),
        ),
        ("JavaScript", "getWorkflowDefinitionIdByName('GetSettings');", "GetSettings"),
        ("JavaScript", "return '3f2a9c'", "3f2a9c"),
        ("JavaScript", "return getVariable('child')", None),
        ("Liquid", "{{ Variables.child }}", None),
        ("Json", "[1]", None),
        ("Literal", "", None),
    ],
)
def test_child_reference(syntax: str | None, text: str, expected: str | None) -> None:
    assert child_reference(run_workflow(syntax, text)) == expected


def test_no_definition_property_means_no_child() -> None:
    assert child_reference(Activity(activity_id="call", type="RunWorkflow")) is None
