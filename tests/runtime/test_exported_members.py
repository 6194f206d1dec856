"""The runtime's public API: what ``import runtime`` offers, pinned (as httpx pins its own), and lazy."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import runtime

EXPORTED = [
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


def test_the_exported_members_are_pinned():
    assert runtime.__all__ == EXPORTED
    assert sorted([*runtime._EXPORTS, "__version__"]) == EXPORTED


def test_every_exported_member_resolves_to_a_documented_runtime_object():
    for name in runtime.__all__:
        member = getattr(runtime, name)
        if name == "__version__":
            assert isinstance(member, str)
            continue
        if not (inspect.isclass(member) or inspect.isfunction(member)):
            continue  # a type alias (Observer)
        assert member.__module__.startswith("runtime."), name
        assert inspect.getdoc(member), f"runtime.{name} has no docstring"


def test_star_import_and_dir_offer_the_public_names():
    namespace: dict[str, object] = {}
    exec("from runtime import *", namespace)
    assert set(EXPORTED) <= set(namespace)
    assert set(EXPORTED) <= set(dir(runtime))


def test_an_unknown_name_is_an_attribute_error():
    try:
        runtime.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("runtime.no_such_name resolved")


def test_import_runtime_stays_light():
    code = "import json, sys, runtime\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(result.stdout))
    assert loaded.isdisjoint({"pydantic", "networkx", "httpx", "quickjs", "liquid", "PySide6", "sqlite3"})
    code = "import sys, runtime; print(sorted(m for m in sys.modules if m.startswith('runtime')))"
    modules = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert modules.stdout.strip() == "['runtime']"
