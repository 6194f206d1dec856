"""Each activity family in one place: ``runtime.catalog.<family>`` describes exactly the types that
``runtime.activities.<family>`` runs, and a type name matches exactly, in the catalog and the engine alike."""

from __future__ import annotations

import importlib

import pytest

import runtime.activities
from runtime import catalog
from runtime.builder import WorkflowBuilder
from runtime.engine import InstanceStatus, WorkflowRunner
from runtime.engine.handlers import get_handler, registered_types
from runtime.validation import validate


def handler_family(type_name: str) -> str:
    entry = get_handler(type_name)
    assert entry is not None, type_name
    module = entry.handler.__module__
    assert module.startswith("runtime.activities."), module
    return module.removeprefix("runtime.activities.")


def test_the_catalog_and_the_handlers_have_the_same_families():
    assert catalog.FAMILIES == runtime.activities.FAMILIES


@pytest.mark.parametrize("family", catalog.FAMILIES)
def test_a_family_module_runs_exactly_the_types_its_catalog_module_describes(family: str):
    described = {d.type for d in importlib.import_module(f"runtime.catalog.{family}").DESCRIPTORS}
    run_here = {t for t in registered_types() if handler_family(t) == family}
    assert described == run_here


def test_every_catalogued_type_runs_and_every_handler_is_catalogued():
    assert {d.type for d in catalog.all_descriptors()} == set(registered_types())


def test_a_palette_category_belongs_to_one_family():
    family_of: dict[str, str] = {}
    for family in catalog.FAMILIES:
        for descriptor in importlib.import_module(f"runtime.catalog.{family}").DESCRIPTORS:
            assert family_of.setdefault(descriptor.category, family) == family, descriptor.type


@pytest.mark.parametrize("spelling", ["setVariable", "setvariable", "SETVARIABLE", "SetVariable "])
def test_type_names_match_exactly_as_in_elsa(spelling: str):
    assert catalog.get_descriptor("SetVariable") is not None and get_handler("SetVariable") is not None
    assert catalog.get_descriptor(spelling) is None
    assert get_handler(spelling) is None


def test_a_miscased_type_is_unknown_everywhere_it_is_looked_up():
    workflow = WorkflowBuilder("W").add("s", "setVariable", VariableName="x", Value="1").build()
    activity = workflow.activities[0]
    assert not catalog.descriptor_for(activity, workflow).is_known
    assert [p.severity for p in validate(workflow)] == ["warning"]
    instance = WorkflowRunner().run_sync(workflow)
    assert instance.status is InstanceStatus.FAULTED
    assert "activity type setVariable is not supported locally" in str(instance.fault)
