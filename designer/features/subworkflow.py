"""Open Sub-workflow: the workflow a RunWorkflow activity runs, opened in a tab of its own.

The child is looked up as the engine looks it up (:class:`runtime.engine.WorkflowLibrary`: the open
workflows first, then the files in the folders of the workflow in front and of the other open files), from
its ``WorkflowDefinitionId`` as written: a literal id or name, a JSON string, or a script that only names it
(``return getWorkflowDefinitionIdByName("GetSettings")``, ``"3f2a…"``). A definition computed otherwise can
only be known by running it, and is said so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from designer.actions import make_action
from designer.editor_tab import EditorTab
from designer.run.locate import find_workflow_file
from designer.shell import Feature, MenuName, Shell
from runtime.catalog import descriptor_for
from runtime.engine import WorkflowLibrary
from runtime.model import Activity, WorkflowDefinition

RUN_WORKFLOW = "RunWorkflow"
MESSAGE_MS = 6000
_BY_NAME = re.compile(
    r"""^\s*(?:return\s+)?getWorkflowDefinitionIdByName\s*\(\s*(?P<q>["'])(?P<name>[^"'\\\n]+)(?P=q)\s*\)\s*;?\s*$"""
)
_STRING = re.compile(r"""^\s*(?:return\s+)?(?P<q>["'])(?P<value>[^"'\\\n]+)(?P=q)\s*;?\s*$""")


def child_reference(activity: Activity, workflow: WorkflowDefinition | None = None) -> str | None:
    """The definition id or name a RunWorkflow activity runs, when its text says it; else None."""
    prop = activity.get_property("WorkflowDefinitionId")
    if prop is None:
        return None
    descriptor = descriptor_for(activity, workflow)
    declared = next((p for p in descriptor.properties if p.name == "WorkflowDefinitionId"), None)
    syntax = prop.syntax or (declared.default_syntax if declared is not None else "Literal")
    text = (prop.expression(syntax) or "").strip()
    if not text:
        return None
    if syntax == "Literal" or (syntax == "Liquid" and "{" not in text):
        return text
    if syntax == "Json":
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value.strip() or None if isinstance(value, str) else None
    if syntax == "JavaScript":
        match = _BY_NAME.match(text) or _STRING.match(text)
        if match is not None:
            return match.group("name") if "name" in match.groupdict() else match.group("value")
    return None


class SubworkflowFeature(Feature):
    """The ``actionOpenSubworkflow`` command (F12; View menu, and a RunWorkflow card's context menu)."""

    shell: Shell

    def install(self, shell: Shell) -> None:
        self.shell = shell
        self.action = make_action(
            shell.window(),
            "actionOpenSubworkflow",
            "Open &Sub-workflow",
            self.open_selected,
            "F12",
            "Open the workflow the selected Run Workflow activity runs, in a tab",
        )
        shell.add_actions(MenuName.VIEW, [None, self.action])

    def current_tab_changed(self, tab: EditorTab | None) -> None:
        self.action.setEnabled(tab is not None)

    def open_selected(self) -> EditorTab | None:
        """Open (or bring to the front) the child of the selected RunWorkflow activity."""
        shell = self.shell
        tab = shell.current_tab()
        ids = tab.scene.selected_activity_ids() if tab is not None else []
        activity = tab.document.workflow.activity(ids[0]) if tab is not None and len(ids) == 1 else None
        if tab is None or activity is None or activity.type != RUN_WORKFLOW:
            shell.show_message("Select a Run Workflow activity to open the workflow it runs", MESSAGE_MS)
            return None
        reference = child_reference(activity, tab.document.workflow)
        if reference is None:
            shell.show_message(
                f"{activity.label}: its Workflow Definition is computed as it runs (run it to see the child)",
                MESSAGE_MS,
            )
            return None
        tabs = shell.editor_tabs()
        folders = _folders([tab, *(other for other in tabs if other is not tab)])
        library = WorkflowLibrary(folders, [other.document.workflow for other in tabs])
        child = library.find(reference)
        if child is None:
            where = ", ".join(str(folder) for folder in folders) or "no folder (save the workflow first)"
            shell.show_message(f'No workflow "{reference}" in the workflow library: {where}', MESSAGE_MS)
            return None
        owner = next((other for other in tabs if other.document.workflow is child), None)
        if owner is not None:
            shell.show_tab(owner)
            return owner
        path = find_workflow_file(folders, child.definition_id, child.name or child.label)
        opened = shell.open_files([path]) if path is not None else []
        return opened[0] if opened else None


def _folders(tabs: list[EditorTab]) -> list[Path]:
    """The folders of the tabs' files, the first tab's first, each once."""
    found = (tab.document.path.parent for tab in tabs if tab.document.path is not None)
    return list(dict.fromkeys(found))
