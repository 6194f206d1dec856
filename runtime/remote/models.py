"""What the Elsa 2.15 REST API answers, as pydantic models (reference: ``elsa2-server-api.md``).

Every model reads the API's camelCase keys, keeps keys it does not know (``model_extra``) and tolerates an
absent optional field (Newtonsoft omits nulls). Full workflow definitions are not modelled here: they go
straight into the runtime's own model (:mod:`runtime.remote.convert`), so nothing of them is lost.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")


class ApiModel(BaseModel):
    """Base of the API's models: camelCase keys, unknown keys kept, nulls omitted when written back."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)

    def to_api(self) -> dict[str, Any]:
        """The object as the API wrote it (camelCase, nulls omitted)."""
        return self.model_dump(by_alias=True, exclude_none=True)


class PagedList(ApiModel, Generic[T]):
    """``{items, page?, pageSize?, totalCount}``; paging is 0-based."""

    items: list[T] = []
    page: int | None = None
    page_size: int | None = None
    total_count: int = 0


class DefinitionSummary(ApiModel):
    """One row of ``GET v1/workflow-definitions`` (one *version* of a definition)."""

    id: str = ""
    """The version id."""
    definition_id: str
    tenant_id: str | None = None
    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    version: int = 1
    is_singleton: bool = False
    persistence_behavior: str | None = None
    is_published: bool = False
    is_latest: bool = False
    custom_attributes: Any = None
    created_at: str | None = None


class InstanceSummary(ApiModel):
    """One row of ``GET v1/workflow-instances``."""

    id: str
    definition_id: str = ""
    definition_version_id: str | None = None
    tenant_id: str | None = None
    version: int = 0
    workflow_status: str = "Idle"
    correlation_id: str | None = None
    context_type: str | None = None
    context_id: str | None = None
    name: str | None = None
    created_at: str | None = None
    last_executed_at: str | None = None
    finished_at: str | None = None
    cancelled_at: str | None = None
    faulted_at: str | None = None
    metadata: dict[str, Any] = {}

    def summary_json(self) -> dict[str, Any]:
        """The object ``flowdesk remote instances --json`` prints (``status`` for ``workflowStatus``)."""
        return {
            "id": self.id,
            "definitionId": self.definition_id,
            "definitionVersionId": self.definition_version_id,
            "version": self.version,
            "name": self.name,
            "status": self.workflow_status,
            "correlationId": self.correlation_id,
            "createdAt": self.created_at,
            "lastExecutedAt": self.last_executed_at,
            "finishedAt": self.finished_at,
            "faultedAt": self.faulted_at,
            "cancelledAt": self.cancelled_at,
        }


class ExceptionInfo(ApiModel):
    """The exception of a fault: its .NET type name, message and stack trace."""

    type: str | None = None
    message: str | None = None
    stack_trace: str | None = None


class WorkflowFault(ApiModel):
    """``{exception?, message, faultedActivityId, resuming}`` (``ABS/Models/WorkflowFault.cs``)."""

    exception: ExceptionInfo | None = None
    message: str | None = None
    faulted_activity_id: str | None = None
    resuming: bool = False

    @property
    def text(self) -> str:
        if self.message:
            return self.message
        if self.exception is not None and self.exception.message:
            return self.exception.message
        return "faulted"


class WorkflowInstance(InstanceSummary):
    """``GET v1/workflow-instances/{id}``: the summary fields plus the instance's state."""

    variables: dict[str, Any] = {}
    activity_data: dict[str, Any] = {}
    blocking_activities: list[Any] = []
    faults: list[WorkflowFault] = []
    fault: WorkflowFault | None = None
    """Elsa before 2.10 had a single ``fault``."""
    last_executed_activity_id: str | None = None
    output: Any = None

    def variable_data(self) -> dict[str, Any]:
        data = self.variables.get("data") if isinstance(self.variables, dict) else None
        return dict(data) if isinstance(data, dict) else {}

    def all_faults(self) -> list[WorkflowFault]:
        return [*self.faults, *([self.fault] if self.fault is not None else [])]


class ExecutionLogRecord(ApiModel):
    """One record of ``GET v1/workflow-instances/{id}/execution-log``; ``data`` keys are PascalCase."""

    id: str = ""
    tenant_id: str | None = None
    workflow_instance_id: str = ""
    activity_id: str = ""
    activity_type: str = ""
    timestamp: str = ""
    event_name: str = ""
    message: str | None = None
    source: str | None = None
    data: Any = None

    @property
    def outcomes(self) -> list[str]:
        found = self.data.get("Outcomes") if isinstance(self.data, dict) else None
        return [str(o) for o in found] if isinstance(found, list) else []

    @property
    def exception_message(self) -> str | None:
        if not isinstance(self.data, dict):
            return None
        exception = self.data.get("Exception")
        if isinstance(exception, dict):
            return str(exception.get("Message") or "") or None
        message = self.data.get("Message")
        return str(message) if message else None


class InputPropertyInfo(ApiModel):
    """An input property of a server's activity descriptor (``ActivityInputDescriptor.cs``)."""

    name: str
    type: Any = None
    ui_hint: str | None = None
    label: str | None = None
    hint: str | None = None
    options: Any = None
    category: str | None = None
    order: float = 0.0
    default_value: Any = None
    default_syntax: str | None = None
    supported_syntaxes: list[str] = []
    is_read_only: bool = False
    is_browsable: bool = True
    is_designer_critical: bool = False
    default_workflow_storage_provider: str | None = None
    disable_workflow_provider_selection: bool = False
    consider_values_as_outcomes: bool = Field(default=False, alias="considerValuesAsOutcomes")


class OutputPropertyInfo(ApiModel):
    """An output property of a server's activity descriptor (``ActivityOutputDescriptor.cs``)."""

    name: str
    type: Any = None
    hint: str | None = None
    is_browsable: bool = True


class ServerActivityDescriptor(ApiModel):
    """One element of ``GET v1/activities``. ``traits`` is a flags integer: 1 action, 2 trigger, 4 job."""

    type: str
    display_name: str | None = None
    description: str | None = None
    category: str = "Miscellaneous"
    traits: int = 1
    outcomes: list[str] = []
    input_properties: list[InputPropertyInfo] = []
    output_properties: list[OutputPropertyInfo] = []
    custom_attributes: dict[str, Any] = {}

    @property
    def is_trigger(self) -> bool:
        return bool(self.traits & 2)

    def summary_json(self) -> dict[str, Any]:
        """What ``flowdesk remote activities --json`` prints for it (``properties`` dropped: it repeats
        ``inputProperties``)."""
        data = self.to_api()
        data.pop("properties", None)
        return data
