"""Small workflows built in code for designer tests (the corpus covers real files)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from designer.document import Document
from runtime.model import Activity, ActivityProperty, Connection, WorkflowDefinition

if TYPE_CHECKING:
    from designer.editing.editor import WorkflowEditor
    from designer.editor_tab import EditorTab


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


def editor_for(source: WorkflowDefinition | Document) -> WorkflowEditor:
    """The editor of a document (made from ``source`` when it is a workflow), over a scene of its own."""
    from designer.canvas.scene import WorkflowScene
    from designer.editing.editor import WorkflowEditor
    from designer.theme import LIGHT

    document = source if isinstance(source, Document) else Document(source)
    return WorkflowEditor(document, WorkflowScene(document, LIGHT))


def shown_tab(qtbot, workflow: WorkflowDefinition) -> EditorTab:
    """An editor tab on ``workflow`` shown at 1200×800, zoom 1, centred on (500, 250), for mouse tests."""
    from PySide6.QtCore import QPointF

    from designer.editor_tab import EditorTab
    from designer.theme import LIGHT

    tab = EditorTab(Document(workflow), LIGHT)
    tab.resize(1200, 800)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    tab.view.set_zoom(1.0)
    tab.view.centerOn(QPointF(500, 250))
    return tab
