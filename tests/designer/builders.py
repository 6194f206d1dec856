"""Small workflows built in code for designer tests (the corpus covers real files)."""

from __future__ import annotations

from runtime.model import Activity, ActivityProperty, Connection, WorkflowDefinition


def activity(
    activity_id: str,
    type_name: str = "WriteLine",
    x: float | None = 0,
    y: float | None = 0,
    **properties: str,
) -> Activity:
    """An activity with Literal properties given as keyword arguments."""
    return Activity(
        activity_id=activity_id,
        type=type_name,
        name=activity_id,
        x=x,
        y=y,
        properties=[ActivityProperty(name=k, expressions={"Literal": v}) for k, v in properties.items()],
    )


def connection(source: str, target: str, outcome: str = "Done") -> Connection:
    return Connection(source_activity_id=source, target_activity_id=target, outcome=outcome)


def chain(count: int, spacing: int = 260) -> WorkflowDefinition:
    """``count`` WriteLine activities a0 -> a1 -> ... laid out left to right."""
    activities = [activity(f"a{i}", x=i * spacing, y=100) for i in range(count)]
    connections = [connection(f"a{i}", f"a{i + 1}") for i in range(count - 1)]
    return WorkflowDefinition(name="Chain", activities=activities, connections=connections)


def snapshot(workflow: WorkflowDefinition) -> dict:
    """Everything that is saved, for before/after comparisons."""
    from runtime.elsa_json import workflow_to_elsa

    return workflow_to_elsa(workflow)
