"""Build workflows in code for tests and samples: ``WorkflowBuilder().add(...).chain(...).build()``."""

from __future__ import annotations

from typing import Any

from runtime.model import Activity, ActivityProperty, Connection, VariableBag, WorkflowDefinition

PropertySpec = str | tuple[str, str] | dict[str, str]
"""A property: literal text, ``(syntax, text)``, or ``{syntax: text, ...}`` (the first key is the syntax)."""


class WorkflowBuilder:
    """Builds a workflow in code (tests, benchmarks, samples) without writing Elsa JSON by hand: ``add``
    activities, wire them with ``connect``/``chain``, then ``build``. Activities are placed left to right.
    """

    def __init__(self, name: str = "Workflow", definition_id: str | None = None, **fields: Any) -> None:
        self._workflow = WorkflowDefinition(
            definition_id=definition_id or name.lower(),
            name=name,
            version=1,
            variables=VariableBag(data={}),
            custom_attributes=VariableBag(data={}),
            is_singleton=False,
            persistence_behavior="WorkflowBurst",
            activities=[],
            connections=[],
            **fields,
        )
        self._x = 0

    def add(
        self,
        activity_id: str,
        type_name: str,
        name: str | None = None,
        display_name: str | None = None,
        at: tuple[int, int] | None = None,
        **properties: PropertySpec,
    ) -> WorkflowBuilder:
        props = [_property(key, spec) for key, spec in properties.items()]
        fields: dict[str, Any] = {}
        if name:
            fields["name"] = name
        self._workflow.activities.append(
            Activity(
                activity_id=activity_id,
                type=type_name,
                display_name=display_name or activity_id,
                x=at[0] if at else self._x,
                y=at[1] if at else 0,
                properties=props,
                **fields,
            )
        )
        self._x += 260
        return self

    def connect(self, source: str, target: str, outcome: str = "Done") -> WorkflowBuilder:
        self._workflow.connections.append(
            Connection(source_activity_id=source, target_activity_id=target, outcome=outcome)
        )
        return self

    def chain(self, *activity_ids: str) -> WorkflowBuilder:
        """Connect each activity to the next by ``Done``."""
        for source, target in zip(activity_ids, activity_ids[1:], strict=False):
            self.connect(source, target)
        return self

    def variables(self, **values: Any) -> WorkflowBuilder:
        assert self._workflow.variables is not None
        self._workflow.variables.data.update(values)
        return self

    def build(self) -> WorkflowDefinition:
        return self._workflow


def _property(name: str, spec: PropertySpec) -> ActivityProperty:
    if isinstance(spec, str):
        return ActivityProperty(name=name, syntax="Literal", expressions={"Literal": spec})
    if isinstance(spec, tuple):
        syntax, text = spec
        return ActivityProperty(name=name, syntax=syntax, expressions={syntax: text})
    syntax = next(iter(spec))
    return ActivityProperty(name=name, syntax=syntax, expressions=dict(spec))
