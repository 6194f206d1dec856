"""Serve's runner: the host's runner, telling the window of each instance it starts.

The window's run feature describes the events of the instances it follows as fully as those of its own runs
(journal records, starting variables: :meth:`designer.run.bridge.EventBridge.follow`), so requests served
while designing fill the journal panel as a Run does.
"""

from __future__ import annotations

from typing import Any

from designer.run.bridge import InstanceFollower
from runtime.engine import WorkflowInstance, WorkflowRunner
from runtime.host.app import WorkflowHost
from runtime.model import WorkflowDefinition


class FollowingRunner(WorkflowRunner):
    """A runner that tells ``follower`` of every instance it runs (sub-workflows too), before the first
    event and after the last."""

    def __init__(self, runner: WorkflowRunner, follower: InstanceFollower) -> None:
        super().__init__(runner.services, runner.observers)
        self.follower = follower

    async def run(
        self,
        workflow: WorkflowDefinition,
        input: Any = None,
        *,
        instance: WorkflowInstance | None = None,
        **options: Any,
    ) -> WorkflowInstance:
        if instance is None:
            instance = WorkflowInstance(
                workflow_name=workflow.name or workflow.label, definition_id=workflow.definition_id
            )
        self.follower.follow(instance, workflow)
        try:
            return await super().run(workflow, input, instance=instance, **options)
        finally:
            self.follower.unfollow(instance)


def follow_instances(app: WorkflowHost, follower: InstanceFollower) -> None:
    """Make ``app`` (not started yet) run its instances through a :class:`FollowingRunner` with the same
    services and observers."""
    app.runner = FollowingRunner(app.runner, follower)
