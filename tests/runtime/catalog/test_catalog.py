"""The catalog's descriptors match Elsa 2 / WoW, and unknown types get a usable generic descriptor."""

from __future__ import annotations

import pytest

from runtime.catalog import (
    UNKNOWN_CATEGORY,
    all_descriptors,
    categories,
    descriptor_for,
    effective_syntax,
    get_descriptor,
)
from runtime.catalog.descriptors import PropertyDescriptor, humanize
from runtime.elsa_json import load_workflow
from runtime.model import Activity, ActivityProperty, Connection, WorkflowDefinition
from tests.conftest import corpus_files

ELSA_CORE = (
    "HttpEndpoint",
    "WriteHttpResponse",
    "SendHttpRequest",
    "Correlate",
    "If",
    "Switch",
    "SetVariable",
    "RunJavaScript",
    "Finish",
    "Fault",
    "RunWorkflow",
    "Fork",
    "Join",
    "ForEach",
    "For",
    "While",
    "Break",
    "Timer",
    "WriteLine",
)
WOW_DATA = (
    "ObjectInstanceList",
    "ObjectInstanceGet",
    "ObjectInstanceUpdate",
    "ObjectInstanceCreate",
    "DeleteObjectInstance",
)


def test_every_core_and_wow_type_is_catalogued_once() -> None:
    types = [descriptor.type for descriptor in all_descriptors()]
    assert sorted(types) == sorted(ELSA_CORE + WOW_DATA)
    assert all(get_descriptor(name) is not None and get_descriptor(name).is_known for name in types)


def test_lookup_is_by_exact_type_name() -> None:
    assert get_descriptor("sendhttprequest") is None
    assert get_descriptor("SignalReceived") is None


def test_categories_in_palette_order() -> None:
    assert categories() == [
        "HTTP",
        "Control Flow",
        "Primitives",
        "Scripting",
        "Workflows",
        "Data",
        "Timers",
        "Console",
    ]
    assert {d.category for d in all_descriptors()} == set(categories())


@pytest.mark.parametrize("descriptor", all_descriptors(), ids=lambda d: d.type)
def test_descriptors_are_complete(descriptor) -> None:
    assert descriptor.display_name and descriptor.description and descriptor.icon
    names = [prop.name for prop in descriptor.properties]
    assert len(names) == len(set(names))
    if descriptor.summary_property is not None:
        assert descriptor.get_property(descriptor.summary_property) is not None
    for prop in descriptor.properties:
        assert prop.label, prop.name
        assert prop.default_syntax
        if prop.ui_hint in ("dropdown", "check-list"):
            assert prop.options, prop.name


def test_http_endpoint_matches_elsa() -> None:
    endpoint = get_descriptor("HttpEndpoint")
    assert endpoint.is_trigger and endpoint.category == "HTTP" and endpoint.outcomes == ("Done",)
    methods = endpoint.get_property("Methods")
    assert methods.default_syntax == "Json"
    assert methods.value_type == "array" and methods.ui_hint == "check-list"
    assert set(methods.options) == {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"}
    assert methods.default_value == ("GET",)
    assert endpoint.get_property("Path").required
    assert endpoint.get_property("CustomHeaderValue").category == "Security"
    assert endpoint.outputs == ("Output",)


def test_send_http_request_matches_elsa() -> None:
    send = get_descriptor("SendHttpRequest")
    assert send.outcomes == ("Done", "Unsupported Status Code")
    assert send.outputs == ("Response", "ResponseContent")
    codes = send.get_property("SupportedStatusCodes")
    assert codes.default_syntax == "Json" and codes.value_type == "array"
    assert codes.considers_values_as_outcomes and codes.default_value == (200,)
    assert send.get_property("Authorization").is_secret
    assert send.get_property("Url").required
    assert send.get_property("RequestHeaders").default_syntax == "Json"
    assert send.get_property("ResponseContentParserName").label == "Response Content Parser"
    assert send.outcome_properties == ("SupportedStatusCodes",)


def test_control_flow_outcomes() -> None:
    assert get_descriptor("If").outcomes == ("True", "False", "Done")
    assert get_descriptor("If").display_name == "If/Else"
    condition = get_descriptor("If").get_property("Condition")
    assert condition.required and condition.default_syntax == "Literal"
    assert condition.supported_syntaxes == ("Literal", "JavaScript", "Liquid")
    assert get_descriptor("ForEach").outcomes == ("Iterate", "Done")
    assert get_descriptor("While").outcomes == ("Iterate", "Done")
    assert get_descriptor("Fork").outcomes == ()
    assert get_descriptor("Fork").outcome_properties == ("Branches",)
    assert get_descriptor("Switch").outcomes == ("Default", "Done")
    assert get_descriptor("Switch").get_property("Cases").default_syntax == "Switch"


def test_finish_has_no_outcomes_and_knows_the_old_output_name() -> None:
    finish = get_descriptor("Finish")
    assert finish.outcomes == ()
    assert [prop.name for prop in finish.properties] == ["ActivityOutput", "OutcomeNames"]
    assert finish.get_property("OutputValue") is finish.get_property("ActivityOutput")
    outcome_names = finish.get_property("OutcomeNames")
    assert outcome_names.default_syntax == "Json" and outcome_names.supported_syntaxes == ("Json",)


def test_run_workflow_and_run_javascript() -> None:
    run_workflow = get_descriptor("RunWorkflow")
    assert run_workflow.outcomes == ("Done", "Not Found")
    assert run_workflow.get_property("PossibleOutcomes").considers_values_as_outcomes
    assert run_workflow.get_property("WorkflowDefinitionId").required
    assert run_workflow.get_property("Mode").options == ("DispatchAndForget", "FireAndForget", "Blocking")
    script = get_descriptor("RunJavaScript").get_property("Script")
    assert script.default_syntax == "Literal" and script.content_syntax == "JavaScript"
    assert get_descriptor("RunJavaScript").get_property("PossibleOutcomes").default_value == ("Done",)


def test_wow_data_outcomes_and_required_properties() -> None:
    assert get_descriptor("ObjectInstanceGet").outcomes == ("Success", "Object instance not found")
    assert get_descriptor("ObjectInstanceList").outcomes == ("Done", "Object type not found")
    assert get_descriptor("ObjectInstanceUpdate").outcomes == ("Done", "Object instance not found")
    assert get_descriptor("ObjectInstanceCreate").outcomes == ("Done", "Object type not found")
    assert get_descriptor("ObjectInstanceList").get_property("ObjectType").required
    assert get_descriptor("ObjectInstanceGet").get_property("InstanceId").required
    assert get_descriptor("ObjectInstanceGet").get_property("VariableName").sets_variable
    assert get_descriptor("SetVariable").get_property("VariableName").required
    assert all(d.category == "Data" for d in all_descriptors() if d.type in WOW_DATA)


def test_labels_are_humanised_names_unless_given() -> None:
    assert humanize("VariableName") == "Variable Name"
    assert humanize("AuthorizeWithCustomHeader") == "Authorize With Custom Header"
    assert PropertyDescriptor("ReadContent").label == "Read Content"
    assert PropertyDescriptor("Url", label="Address").label == "Address"


def test_effective_syntax_follows_elsa() -> None:
    methods = get_descriptor("HttpEndpoint").get_property("Methods")
    assert effective_syntax(ActivityProperty(name="Methods", syntax="JavaScript"), methods) == "JavaScript"
    assert effective_syntax(ActivityProperty(name="Methods"), methods) == "Json"
    assert effective_syntax(None, methods) == "Json"
    assert effective_syntax(ActivityProperty(name="X"), None) == "Literal"


def test_unknown_type_gets_a_generic_descriptor() -> None:
    task = Activity(
        activity_id="t",
        type="TaskCreate",
        properties=[
            ActivityProperty(name="Title", syntax="JavaScript", expressions={"JavaScript": "x"}),
            ActivityProperty(name="Branches", expressions={"Json": '["a"]'}),
            ActivityProperty(name="Due", expressions={}),
        ],
    )
    after = Activity(activity_id="a", type="WriteLine")
    workflow = WorkflowDefinition(
        activities=[task, after],
        connections=[
            Connection(source_activity_id="t", target_activity_id="a", outcome="Task Created"),
            Connection(source_activity_id="t", target_activity_id="a", outcome="task created"),
            Connection(source_activity_id="t", target_activity_id="a"),
        ],
    )
    generic = descriptor_for(task, workflow)
    assert not generic.is_known and generic.category == UNKNOWN_CATEGORY == "Other"
    assert generic.type == "TaskCreate" and "TaskCreate" in generic.description
    assert generic.outcomes == ("Task Created", "Done")
    assert [prop.name for prop in generic.properties] == ["Title", "Branches", "Due"]
    assert [prop.default_syntax for prop in generic.properties] == ["JavaScript", "Json", "Literal"]
    assert descriptor_for(task).outcomes == ("Done",)
    assert descriptor_for(after, workflow) is get_descriptor("WriteLine")


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_properties_are_known_to_their_descriptors(path) -> None:
    """Every property a real export gives a catalogued activity is one the catalog describes."""
    workflow = load_workflow(path)
    for activity in workflow.activities:
        descriptor = get_descriptor(activity.type)
        if descriptor is None:
            continue
        for prop in activity.properties:
            assert descriptor.get_property(prop.name) is not None, (activity.type, prop.name)
