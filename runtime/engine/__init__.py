"""The workflow engine: compile a workflow, walk it by outcomes, emit events, keep a journal."""

from runtime.engine.context import ActivityExecutionContext, ActivityFault
from runtime.engine.control import ExecutionControl
from runtime.engine.events import EngineEvent, EventKind, Observer
from runtime.engine.handlers import NO_OUTPUT, ActivityResult, activity_handler
from runtime.engine.instance import Fault, InstanceStatus, JournalRecord, WorkflowInstance
from runtime.engine.library import WorkflowLibrary
from runtime.engine.runner import InstanceRun, PinnedOutput, WorkflowRunner
from runtime.engine.services import EngineSettings, RuntimeServices

__all__ = [
    "NO_OUTPUT",
    "ActivityResult",
    "ActivityExecutionContext",
    "ActivityFault",
    "EngineEvent",
    "EngineSettings",
    "EventKind",
    "ExecutionControl",
    "Fault",
    "InstanceRun",
    "InstanceStatus",
    "JournalRecord",
    "Observer",
    "PinnedOutput",
    "RuntimeServices",
    "WorkflowInstance",
    "WorkflowLibrary",
    "WorkflowRunner",
    "activity_handler",
]
