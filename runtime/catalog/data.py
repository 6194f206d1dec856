"""World of Workflows "Data" activities: the object store ("Tables") list, get, update, create and delete.

Names, outcomes and outputs follow WoW's own activity guide (``Psh/activity-guide.md`` in
World-of-Workflows/WorkflowsUniversity) and the properties found in its exported samples. Their handlers are
in :mod:`runtime.activities.data`.
"""

from __future__ import annotations

from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor

OBJECT_TYPE_NOT_FOUND = "Object type not found"
OBJECT_INSTANCE_NOT_FOUND = "Object instance not found"


def _variable_name(hint: str) -> PropertyDescriptor:
    return PropertyDescriptor("VariableName", hint=hint, sets_variable=True)


OBJECT_INSTANCE_LIST = ActivityDescriptor(
    type="ObjectInstanceList",
    category="Data",
    display_name="List Object Instances",
    description="Retrieves the object instance list with an optional filter.",
    summary_property="ObjectType",
    icon="table-list",
    outcomes=("Done", OBJECT_TYPE_NOT_FOUND),
    outputs=("Output",),
    properties=(
        PropertyDescriptor(
            "ObjectType", hint="The object type (table) to search for instances.", required=True
        ),
        PropertyDescriptor(
            "Filter",
            hint="An OData filter that specifies the instances to return, e.g. Key eq 'APIBaseURL'.",
        ),
        PropertyDescriptor(
            "Skip",
            value_type="int",
            hint="The number of instances to skip (applied after Filter and Order By).",
        ),
        PropertyDescriptor(
            "Limit",
            value_type="int",
            hint="The maximum number of instances to return; all matching instances when empty.",
        ),
        PropertyDescriptor(
            "OrderBy",
            label="Order by",
            hint="An OData order by clause, e.g. LastName asc.",
        ),
        PropertyDescriptor(
            "Expand", value_type="bool", ui_hint="checkbox", hint="Also return the expanded objects."
        ),
    ),
)

OBJECT_INSTANCE_GET = ActivityDescriptor(
    type="ObjectInstanceGet",
    category="Data",
    display_name="Get Object Instance",
    description="Gets the detail of an object from a specific state.",
    summary_property="InstanceId",
    icon="table-get",
    outcomes=("Success", OBJECT_INSTANCE_NOT_FOUND),
    outputs=("Instance",),
    properties=(
        PropertyDescriptor(
            "InstanceId",
            value_type="int",
            hint="The id of the object instance to retrieve.",
            required=True,
        ),
        _variable_name("The workflow variable that receives the instance."),
        PropertyDescriptor(
            "Expanded", value_type="bool", ui_hint="checkbox", hint="Also return the expanded object."
        ),
    ),
)

OBJECT_INSTANCE_UPDATE = ActivityDescriptor(
    type="ObjectInstanceUpdate",
    category="Data",
    display_name="Update Object Instance",
    description="Updates an existing object instance.",
    summary_property="InstanceId",
    icon="table-update",
    outcomes=("Done", OBJECT_INSTANCE_NOT_FOUND),
    outputs=("Instance",),
    properties=(
        PropertyDescriptor(
            "InstanceId", value_type="int", hint="The id of the object instance to update.", required=True
        ),
        PropertyDescriptor(
            "ClearOmittedFields",
            value_type="bool",
            ui_hint="checkbox",
            hint="Set the fields missing from Values to null (otherwise they are left unchanged).",
        ),
        PropertyDescriptor(
            "Values",
            value_type="object",
            ui_hint="json",
            hint='The data to update the object with, e.g. {"Data1": "...", "Data2": "..."}.',
            default_syntax="Json",
            supported_syntaxes=("Json", "JavaScript", "Liquid"),
        ),
        _variable_name("The workflow variable that receives the updated instance."),
    ),
)

OBJECT_INSTANCE_CREATE = ActivityDescriptor(
    type="ObjectInstanceCreate",
    category="Data",
    display_name="Create Object Instance",
    description="Creates a new object of the specified type with the specified values.",
    summary_property="ObjectType",
    icon="table-create",
    outcomes=("Done", OBJECT_TYPE_NOT_FOUND),
    outputs=("Instance", "InstanceId"),
    properties=(
        PropertyDescriptor("ObjectType", hint="The object type (table) of the new instance.", required=True),
        PropertyDescriptor(
            "Values",
            value_type="object",
            ui_hint="json",
            hint="The data to create the new object with.",
            default_syntax="Json",
            supported_syntaxes=("Json", "JavaScript", "Liquid"),
        ),
        _variable_name("The workflow variable that receives the created instance."),
    ),
)

DELETE_OBJECT_INSTANCE = ActivityDescriptor(
    type="DeleteObjectInstance",
    category="Data",
    display_name="Delete Object Instance",
    description="Deletes an object instance.",
    summary_property="ObjectInstanceId",
    icon="table-delete",
    outcomes=("Done", OBJECT_TYPE_NOT_FOUND, OBJECT_INSTANCE_NOT_FOUND),
    properties=(
        PropertyDescriptor(
            "ObjectInstanceId", value_type="int", hint="The id of the object instance.", required=True
        ),
    ),
)
"""WoW's guide lists ``Done`` and ``Object type not found``; deleting an id that does not exist locally takes
``Object instance not found`` (as Get and Update do) rather than pretending it was deleted."""

DESCRIPTORS: tuple[ActivityDescriptor, ...] = (
    OBJECT_INSTANCE_LIST,
    OBJECT_INSTANCE_GET,
    OBJECT_INSTANCE_UPDATE,
    OBJECT_INSTANCE_CREATE,
    DELETE_OBJECT_INSTANCE,
)
