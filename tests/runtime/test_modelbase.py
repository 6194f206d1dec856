"""The workflow model's base class: names and camelCase keys, unknown keys kept, values checked as pydantic's
lax mode checked them when the model was pydantic (the oracle below), every fault listed with its place."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel as pydantic_to_camel

from runtime.model import Activity, ActivityProperty, Connection, VariableBag, WorkflowDefinition
from runtime.modelbase import ElsaObject, ModelValidationError, to_camel


class Fields(ElsaObject):
    text: str | None = None
    number: int | float | None = None
    flag: bool = False
    maybe_flag: bool | None = None
    count: int | None = None
    texts: dict[str, str | None] = {}
    bag: dict[str, Any] | None = None


class PydanticFields(BaseModel):
    """The same fields as pydantic 2 declares them: what the model accepted and made of each value before."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=pydantic_to_camel)
    text: str | None = None
    number: int | float | None = None
    flag: bool = False
    maybe_flag: bool | None = None
    count: int | None = None
    texts: dict[str, str | None] = {}
    bag: dict[str, Any] | None = None


INPUTS: list[Any] = [
    None, "a", "", "12", " 7 ", "1.5", "abc", "true", "False", "yes", "off", "t", 0, 1, 2, -3, 1.0, 1.5, 3.0,
    True, False, b"x", [], [1], {}, {"a": "x"}, {"a": 1}, {"a": None}, {1: "x"},
]  # fmt: skip


@pytest.mark.parametrize("field", list(Fields.model_fields))
@pytest.mark.parametrize("value", INPUTS, ids=repr)
def test_each_field_type_accepts_and_converts_what_pydantic_did(field: str, value: Any) -> None:
    try:
        expected: Any = getattr(PydanticFields(**{field: value}), field)
    except ValidationError:
        expected = ValidationError
    try:
        got: Any = getattr(Fields(**{field: value}), field)
    except ModelValidationError:
        got = ValidationError
    assert got == expected
    assert type(got) is type(expected)


def test_keys_are_read_by_camel_case_or_python_name_and_a_name_beside_its_key_is_kept() -> None:
    assert to_camel("property_storage_providers") == "propertyStorageProviders"
    assert Activity.model_validate({"activityId": "a", "type": "T", "displayName": "D"}).display_name == "D"
    assert Activity(activity_id="a", type="T").activity_id == "a"
    for document in (
        {"activity_id": "snake", "activityId": "camel", "type": "T"},
        {"activityId": "camel", "activity_id": "snake", "type": "T"},
    ):
        both = Activity.model_validate(document)
        assert both.activity_id == "camel"
        assert both.model_extra == {"activity_id": "snake"}  # nothing of a file is lost


def test_unknown_keys_are_kept_in_order_as_extras_not_attributes() -> None:
    activity = Activity.model_validate({"activityId": "a", "zeta": 1, "type": "T", "alpha": {"b": [1]}})
    assert activity.model_extra == {"zeta": 1, "alpha": {"b": [1]}}
    assert list(activity.model_extra) == ["zeta", "alpha"]
    with pytest.raises(AttributeError):
        _ = activity.zeta  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="'Activity' has no field 'later' \\(keys it does not declare"):
        activity.later = "x"  # a typo is an error, not a key written to the file
    activity.model_extra["later"] = "x"
    assert activity.model_extra["later"] == "x"


def test_an_object_read_remembers_its_key_order_and_one_built_has_none() -> None:
    workflow = WorkflowDefinition.model_validate(
        {"zeta": 1, "activities": [{"type": "T", "note": 2, "activityId": "a"}], "name": "W"}
    )
    assert workflow.key_order == ["zeta", "activities", "name"]
    assert workflow.activities[0].key_order == ["type", "note", "activityId"]
    assert Activity(activity_id="a", type="T").key_order == []


def test_the_fields_set_are_those_given_or_assigned_since() -> None:
    activity = Activity.model_validate({"activityId": "a", "type": "T", "x": 1})
    assert activity.model_fields_set == {"activity_id", "type", "x"}
    activity.name = "n"
    assert "name" in activity.model_fields_set
    assert "display_name" not in activity.model_fields_set


def test_list_and_dictionary_defaults_are_fresh_for_each_object() -> None:
    first, second = Activity(activity_id="a", type="T"), Activity(activity_id="b", type="T")
    first.properties.append(ActivityProperty(name="P"))
    first.property_storage_providers["P"] = "Memory"
    assert second.properties == [] and second.property_storage_providers == {}


def test_an_object_given_is_kept_as_it_is_and_containers_are_copied() -> None:
    prop = ActivityProperty(name="P", expressions={"Literal": "x"})
    properties = [prop]
    activity = Activity(activity_id="a", type="T", properties=properties)
    assert activity.properties[0] is prop
    assert activity.properties is not properties
    expressions = {"Literal": "y"}
    assert ActivityProperty(name="Q", expressions=expressions).expressions is not expressions


def test_every_fault_is_listed_with_its_place_in_document_order() -> None:
    second = {"type": "T", "properties": [{"name": "P", "expressions": {"Literal": 1}}]}
    with pytest.raises(ModelValidationError) as caught:
        WorkflowDefinition.model_validate(
            {"activities": [{"activityId": "a", "type": 5}, second], "isSingleton": "perhaps"}
        )
    problems = [(p.location, p.message, p.value) for p in caught.value.problems]
    assert problems == [
        (("activities", 0, "type"), "expected a valid string", 5),
        (("activities", 1, "properties", 0, "expressions", "Literal"), "expected a valid string", 1),
        (("activities", 1, "activityId"), "missing", second),
        (("isSingleton",), "expected a valid boolean, unable to interpret input", "perhaps"),
    ]  # fmt: skip
    assert str(caught.value) == (
        "WorkflowDefinition: activities[0].type: expected a valid string, got int 5 (and 3 more problem(s))"
    )


def test_wrong_shapes_are_named() -> None:
    for data, message in [
        ({"activities": "x"}, "expected a valid list"),
        ({"activities": ["x"]}, "expected a valid dictionary or instance of Activity"),
        ({"variables": []}, "expected a valid dictionary or instance of VariableBag"),
        ({"contextOptions": 3}, "expected a valid dictionary"),
    ]:
        with pytest.raises(ModelValidationError) as caught:
            WorkflowDefinition.model_validate(data)
        assert caught.value.problems[0].message == message
    with pytest.raises(ModelValidationError, match="expected a valid dictionary or instance of Connection"):
        Connection.model_validate(["not", "an", "object"])
    connection = Connection(source_activity_id="a", target_activity_id="b")
    assert Connection.model_validate(connection) is connection


def test_building_from_keywords_checks_too() -> None:
    with pytest.raises(ModelValidationError, match="Connection: targetActivityId: missing"):
        Connection(source_activity_id="a")
    with pytest.raises(ValueError, match="Activity: x: expected a number"):
        Activity(activity_id="a", type="T", x=[1])


def test_a_copy_shares_values_not_state_and_marks_what_it_updates() -> None:
    workflow = WorkflowDefinition.model_validate({"activities": [], "zeta": 1, "name": "W"})
    workflow.remember_key_order(["zeta", "name", "activities"])
    heard: list[object] = []
    workflow.subscribe(heard.append)
    workflow.touch()
    bag = VariableBag(data={"a": 1})
    copied = workflow.model_copy(update={"variables": bag})
    assert copied.variables is bag and "variables" in copied.model_fields_set
    assert workflow.variables is None and "variables" not in workflow.model_fields_set
    assert copied.key_order == ["zeta", "name", "activities"] and copied.model_extra == {"zeta": 1}
    assert copied.model_extra is not workflow.model_extra
    assert copied.revision == 0
    copied.set_workflow_field("name", "V")
    assert heard == [] and workflow.name == "W"


def test_equality_is_by_value_and_objects_are_not_dictionary_keys() -> None:
    def make() -> Activity:
        return Activity.model_validate({"activityId": "a", "type": "T", "extra": [1]})

    assert make() == make()
    changed = make()
    changed.model_extra["extra"] = [2]
    assert changed != make()
    assert Connection(source_activity_id="a", target_activity_id="b") != make()
    with pytest.raises(TypeError, match="unhashable"):
        hash(make())


def test_copies_and_pickles_keep_fields_extras_and_key_order() -> None:
    activity = Activity.model_validate({"type": "T", "zeta": {"k": 1}, "activityId": "a"})
    activity.remember_key_order(["type", "zeta", "activityId"])
    for clone in (copy.copy(activity), copy.deepcopy(activity), pickle.loads(pickle.dumps(activity))):
        assert clone == activity
        assert clone.key_order == ["type", "zeta", "activityId"]
        assert clone.model_fields_set == {"activity_id", "type"}
        assert clone.model_extra is not activity.model_extra


def test_repr_names_the_fields_and_extras() -> None:
    text = repr(Connection.model_validate({"sourceActivityId": "a", "targetActivityId": "b", "note": 1}))
    assert text == "Connection(source_activity_id='a', target_activity_id='b', outcome=None, note=1)"


def test_a_field_of_a_type_without_a_check_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match="Odd: no check for a field of type 'set\\[str\\]'"):

        class Odd(ElsaObject):
            names: set[str] = set()


# --------------------------------------------------------------------------------------------------
# whole documents against the model as it was in pydantic: the same accepted, the same values, the same
# fields set and extras kept (hypothesis: fields given odd values, odd shapes, unknown keys)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


class _Was(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=pydantic_to_camel)


class _WasProperty(_Was):
    name: str
    syntax: str | None = None
    expressions: dict[str, str | None] = {}


class _WasActivity(_Was):
    activity_id: str
    type: str
    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    x: int | float | None = None
    y: int | float | None = None
    persist_workflow: bool = False
    load_workflow_context: bool = False
    save_workflow_context: bool = False
    properties: list[_WasProperty] = []
    property_storage_providers: dict[str, str | None] = {}


class _WasConnection(_Was):
    source_activity_id: str
    target_activity_id: str
    outcome: str | None = None


class _WasBag(_Was):
    data: dict[str, Any] = {}


class _WasWorkflow(_Was):
    definition_id: str | None = None
    version_id: str | None = None
    tenant_id: str | None = None
    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    channel: str | None = None
    version: int | None = None
    variables: _WasBag | None = None
    custom_attributes: _WasBag | None = None
    context_options: dict[str, Any] | None = None
    is_singleton: bool | None = None
    persistence_behavior: str | None = None
    delete_completed_instances: bool | None = None
    is_published: bool | None = None
    is_latest: bool | None = None
    tag: str | None = None
    created_at: str | None = None
    activities: list[_WasActivity] = []
    connections: list[_WasConnection] = []
    id: str | None = None


def test_the_oracle_declares_the_fields_the_model_does() -> None:
    pairs = [
        (_WasWorkflow, WorkflowDefinition),
        (_WasActivity, Activity),
        (_WasProperty, ActivityProperty),
        (_WasConnection, Connection),
        (_WasBag, VariableBag),
    ]
    for was, now in pairs:
        assert list(was.model_fields) == list(now.model_fields)


_scalar = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([1.5, 2.0, "", "x", "7", "true"])
_json = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from("ab"), inner, max_size=2),
    max_leaves=4,
)


def _document(
    fields: dict[str, st.SearchStrategy[Any]], required: tuple[str, ...] = ()
) -> st.SearchStrategy[dict[str, Any]]:
    """The required fields and some of the others, by camelCase key, each mostly a plausible value and now
    and then an odd one; now and then a field by its Python name, and unknown keys."""

    def value(key: str) -> st.SearchStrategy[Any]:
        return st.integers(0, 9).flatmap(lambda roll: _json if roll == 0 else fields[key])

    optional = sorted(set(fields) - set(required))
    some: st.SearchStrategy[Any] = st.just(())
    if optional:
        some = st.lists(st.sampled_from(optional), max_size=len(optional), unique=True)
    return some.flatmap(
        lambda chosen: st.fixed_dictionaries(
            {key: value(key) for key in (*required, *chosen)},
            optional={"note": _json, "activity_id": st.text(max_size=2)},
        )
    )


_texts = st.dictionaries(st.sampled_from(["Literal", "Json"]), st.none() | st.text(max_size=3) | _scalar)
_property_doc = _document(
    {"name": st.text(max_size=3), "syntax": st.text(max_size=3), "expressions": _texts}, required=("name",)
)
_activity_doc = _document(
    {
        "activityId": st.text(max_size=3),
        "type": st.text(max_size=3),
        "x": st.integers() | st.floats(allow_nan=False),
        "persistWorkflow": st.booleans(),
        "properties": st.lists(_property_doc, max_size=2),
        "propertyStorageProviders": _texts,
    },
    required=("activityId", "type"),
)
_workflow_doc = _document(
    {
        "name": st.text(max_size=3),
        "version": st.integers(),
        "isSingleton": st.booleans(),
        "variables": st.fixed_dictionaries({"data": st.dictionaries(st.text(max_size=2), _json)}),
        "contextOptions": st.dictionaries(st.text(max_size=2), _json),
        "activities": st.lists(_activity_doc, max_size=3),
        "connections": st.lists(
            _document(
                {"sourceActivityId": st.text(max_size=2), "targetActivityId": st.text(max_size=2)},
                required=("sourceActivityId", "targetActivityId"),
            ),
            max_size=2,
        ),
    }
)


def _shape(value: Any) -> Any:
    """A model object as plain data: its fields, the fields set and its extras, recursively (pydantic
    counted extras among the fields set too; here they are only in ``model_extra``)."""
    if isinstance(value, ElsaObject | BaseModel):
        fields = type(value).model_fields
        return (
            {name: _shape(getattr(value, name)) for name in fields},
            sorted(set(value.model_fields_set) & set(fields)),
            value.model_extra,
        )
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return (type(value).__name__, value)


@settings(max_examples=400, deadline=None)
@given(_workflow_doc)
def test_any_document_reads_as_it_did_with_pydantic(document: dict[str, Any]) -> None:
    try:
        expected: Any = _shape(_WasWorkflow.model_validate(document))
    except ValidationError:
        expected = "refused"
    try:
        got: Any = _shape(WorkflowDefinition.model_validate(document))
    except ModelValidationError:
        got = "refused"
    assert got == expected
