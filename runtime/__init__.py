"""Flowdesk's headless runtime: workflow model, Elsa 2 format, catalog, validation, engine, store, host.

Never imports Qt: the designer is a view over this library. The names below are its public API, e.g.::

    import runtime

    workflow = runtime.load_workflow("samples/call-my-api.json")
    problems = runtime.validate(workflow)
    runner = runtime.WorkflowRunner(runtime.RuntimeServices(library=runtime.WorkflowLibrary(["samples"])))
    instance = runner.run_sync(workflow, {"api": "/api/orders"})
    print(instance.status, instance.output)

They are imported on first use (PEP 562), so ``import runtime`` (and ``flowdesk --version``) loads none of
pydantic, networkx, httpx or the JavaScript engine. Everything else (``runtime.engine.handlers``,
``runtime.host``, ``runtime.store.odata`` ...) is importable too, but may change between versions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # reading and writing Elsa 2 JSON
    "load_workflow": "runtime.elsa_json",
    "loads_workflow": "runtime.elsa_json",
    "save_workflow": "runtime.elsa_json",
    "dumps_workflow": "runtime.elsa_json",
    # the model
    "WorkflowDefinition": "runtime.model",
    "Activity": "runtime.model",
    "ActivityProperty": "runtime.model",
    "Connection": "runtime.model",
    "WorkflowBuilder": "runtime.builder",
    # the catalog and validation
    "ActivityDescriptor": "runtime.catalog",
    "PropertyDescriptor": "runtime.catalog",
    "all_descriptors": "runtime.catalog",
    "descriptor_for": "runtime.catalog",
    "get_descriptor": "runtime.catalog",
    "Problem": "runtime.validation",
    "validate": "runtime.validation",
    # running
    "WorkflowRunner": "runtime.engine",
    "RuntimeServices": "runtime.engine",
    "EngineSettings": "runtime.engine",
    "WorkflowLibrary": "runtime.engine",
    "WorkflowInstance": "runtime.engine",
    "InstanceStatus": "runtime.engine",
    "Fault": "runtime.engine",
    "PinnedOutput": "runtime.engine",
    "EngineEvent": "runtime.engine",
    "EventKind": "runtime.engine",
    "Observer": "runtime.engine",
    # the object store
    "ObjectStore": "runtime.store",
    # errors
    "FlowdeskError": "runtime.errors",
    "WorkflowFormatError": "runtime.errors",
    "WorkflowSaveError": "runtime.errors",
}
"""Public name → the module it lives in (and is imported from on first use)."""

__all__ = [
    "Activity",
    "ActivityDescriptor",
    "ActivityProperty",
    "Connection",
    "EngineEvent",
    "EngineSettings",
    "EventKind",
    "Fault",
    "FlowdeskError",
    "InstanceStatus",
    "ObjectStore",
    "Observer",
    "PinnedOutput",
    "Problem",
    "PropertyDescriptor",
    "RuntimeServices",
    "WorkflowBuilder",
    "WorkflowDefinition",
    "WorkflowFormatError",
    "WorkflowInstance",
    "WorkflowLibrary",
    "WorkflowRunner",
    "WorkflowSaveError",
    "__version__",
    "all_descriptors",
    "descriptor_for",
    "dumps_workflow",
    "get_descriptor",
    "load_workflow",
    "loads_workflow",
    "save_workflow",
    "validate",
]

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ imports on demand
    from runtime.builder import WorkflowBuilder
    from runtime.catalog import (
        ActivityDescriptor,
        PropertyDescriptor,
        all_descriptors,
        descriptor_for,
        get_descriptor,
    )
    from runtime.elsa_json import dumps_workflow, load_workflow, loads_workflow, save_workflow
    from runtime.engine import (
        EngineEvent,
        EngineSettings,
        EventKind,
        Fault,
        InstanceStatus,
        Observer,
        PinnedOutput,
        RuntimeServices,
        WorkflowInstance,
        WorkflowLibrary,
        WorkflowRunner,
    )
    from runtime.errors import FlowdeskError, WorkflowFormatError, WorkflowSaveError
    from runtime.model import Activity, ActivityProperty, Connection, WorkflowDefinition
    from runtime.store import ObjectStore
    from runtime.validation import Problem, validate


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'runtime' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
