"""Copy and paste as Elsa 2 JSON fragments, through the system clipboard.

A fragment is itself a valid Elsa workflow document holding the selected activities and the connections
between them, so it pastes into another tab, another Flowdesk, or a text editor. It travels under its
own MIME type and as plain text; pasting accepts either (also a whole workflow file's text). Pasted
activities get new ids and unique names; connections inside the fragment follow the new ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QMimeData

from designer.editing.factory import unique_name
from runtime.elsa_json import dumps_workflow, loads_workflow, new_activity_id
from runtime.errors import WorkflowFormatError
from runtime.model import Activity, Connection, WorkflowDefinition

FRAGMENT_MIME = "application/x-flowdesk-elsa-fragment+json"
PASTE_OFFSET = 40.0


@dataclass(frozen=True)
class PastedFragment:
    """Activities and connections ready to add to a workflow (new ids, unique names, placed)."""

    activities: list[Activity]
    connections: list[Connection]


def fragment_text(workflow: WorkflowDefinition, activity_ids: Iterable[str]) -> str:
    """The Elsa JSON of the chosen activities and the connections among them."""
    chosen = set(activity_ids)
    fragment = WorkflowDefinition(
        activities=[a for a in workflow.activities if a.activity_id in chosen],
        connections=[
            c
            for c in workflow.connections
            if c.source_activity_id in chosen and c.target_activity_id in chosen
        ],
    )
    return dumps_workflow(fragment, indent=2)


def fragment_mime(workflow: WorkflowDefinition, activity_ids: Iterable[str]) -> QMimeData:
    text = fragment_text(workflow, activity_ids)
    mime = QMimeData()
    mime.setData(FRAGMENT_MIME, text.encode("utf-8"))
    mime.setText(text)
    return mime


def read_fragment(mime: QMimeData | None) -> WorkflowDefinition | None:
    """The fragment on the clipboard, or None when it holds no workflow JSON."""
    if mime is None:
        return None
    if mime.hasFormat(FRAGMENT_MIME):
        text = bytes(mime.data(FRAGMENT_MIME).data()).decode("utf-8")
    elif mime.hasText():
        text = mime.text()
    else:
        return None
    try:
        fragment = loads_workflow(text, "clipboard")
    except WorkflowFormatError:
        return None
    return fragment if fragment.activities else None


def prepare_paste(
    fragment: WorkflowDefinition,
    target: WorkflowDefinition,
    anchor: tuple[float, float] | None = None,
    fallback_positions: dict[str, tuple[float, float]] | None = None,
) -> PastedFragment:
    """Give the fragment's activities new ids and names and place them.

    With an ``anchor`` the fragment's top-left goes there; without one it lands ``PASTE_OFFSET`` right
    and down of where it was copied from (a second paste of the same fragment cascades further).
    """
    fallback_positions = fallback_positions or {}
    positions = {
        a.activity_id: (float(a.x), float(a.y))
        if a.x is not None and a.y is not None
        else fallback_positions.get(a.activity_id, (0.0, 0.0))
        for a in fragment.activities
    }
    left = min(x for x, _ in positions.values())
    top = min(y for _, y in positions.values())
    if anchor is not None:
        dx, dy = anchor[0] - left, anchor[1] - top
    else:
        dx = dy = PASTE_OFFSET
        taken_spots = {
            (float(a.x), float(a.y)) for a in target.activities if a.x is not None and a.y is not None
        }
        while (left + dx, top + dy) in taken_spots:
            dx += PASTE_OFFSET
            dy += PASTE_OFFSET
    new_ids = {a.activity_id: new_activity_id() for a in fragment.activities}
    taken_names = [a.name for a in target.activities]
    activities = []
    for activity in fragment.activities:
        x, y = positions[activity.activity_id]
        activity.activity_id = new_ids[activity.activity_id]
        if activity.name and activity.name in taken_names:
            activity.name = unique_name(activity.name, taken_names)
        taken_names.append(activity.name)
        activity.x, activity.y = round(x + dx), round(y + dy)
        activities.append(activity)
    connections = []
    for connection in fragment.connections:
        connection.source_activity_id = new_ids[connection.source_activity_id]
        connection.target_activity_id = new_ids[connection.target_activity_id]
        connections.append(connection)
    return PastedFragment(activities, connections)
