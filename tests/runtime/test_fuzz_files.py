"""Fuzzing the file path (issue 14): mutated workflow files through the loader, the validator and the
exporter. Whatever the file, the answer is a workflow or one :class:`WorkflowFormatError` line; a loaded
workflow validates and exports to UTF-8 JSON that loads again. Bounded and derandomised, so it is quick and
the same in every run; ``tests/designer/test_fuzz_render.py`` sends the same files through the renderer.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.elsa_json import dumps_workflow, loads_workflow
from runtime.errors import WorkflowFormatError
from runtime.validation import validate
from tests.conftest import PROJECT_ROOT

SAMPLES = sorted((PROJECT_ROOT / "samples").glob("*.json"))
BASES = [json.loads(path.read_text("utf-8-sig")) for path in SAMPLES if path.name != "store.json"]

HOSTILE_TEXT = [
    "\ud800",
    "x\udfffy",
    "\u2028\u0085",
    "{{ Variables.x }}",
    "{% for i in (1..100000000) %}{% endfor %}",
    "return '\ud801';",
    "}}{{",
    "",
    " ",
    "é" * 50,
]
HOSTILE_NUMBERS = [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 10**40, -(10**18), 0.1, 1e6 + 1]


RAW = "@@raw-json@@"
"""Stands for deeply nested JSON in the document; written into the text after ``json.dumps`` (which
cannot write what Python's recursion limit will not reach)."""


def _nested_text(depth: int) -> str:
    return '{"a":[' * (depth // 2) + "1" + "]}" * (depth // 2)


def _bomb(levels: int) -> dict[str, Any]:
    nodes: list[Any] = [{"$id": "fz0", "v": "x"}]
    for level in range(1, levels + 1):
        nodes.append({"$id": f"fz{level}", "l": {"$ref": f"fz{level - 1}"}, "r": {"$ref": f"fz{level - 1}"}})
    return {"nodes": nodes, "top": {"$ref": f"fz{levels}"}}


KEYS = ["$id", "$ref", "$values", "x", "name", "type", "activityId"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.sampled_from(HOSTILE_NUMBERS),
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=20),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=3),
    ),
    max_leaves=12,
)
special_values = st.one_of(
    st.just(RAW),
    st.integers(10, 40).map(_bomb),
    st.just({"$ref": "1"}),
    st.just({"$ref": "nowhere"}),
    st.just({"$values": [{"$ref": "2"}]}),
)
replacements = st.one_of(json_values, special_values)


def _paths(document: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) of the document, for a mutation to replace or drop."""
    found: list[tuple[Any, Any]] = []
    stack = [document]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            found.append((node, key))
            stack.append(value)
    return found


@st.composite
def workflow_texts(draw: st.DrawFn) -> str:
    """A sample workflow with a few values replaced or dropped, then maybe cut or spliced as text."""
    document = json.loads(json.dumps(draw(st.sampled_from(BASES))))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(document)
        container, key = paths[draw(st.integers(0, len(paths) - 1))]
        if draw(st.booleans()) and isinstance(container, dict):
            del container[key]
        else:
            container[key] = copy.deepcopy(draw(replacements))  # never a value shared between examples
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    while f'"{RAW}"' in text:
        text = text.replace(f'"{RAW}"', _nested_text(draw(st.integers(100, 3000))), 1)
    edit = draw(st.sampled_from(["none", "none", "cut", "digits", "splice"]))
    if edit == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif edit == "digits":
        text = text.replace('"version":', '"version": ' + "9" * 5000 + ', "v":', 1)
    elif edit == "splice":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["[" * 5000, "\\ud800", '"', "}", "\x00", "NaN"])) + text[at:]
    return text


FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(workflow_texts())
def test_any_file_loads_validates_and_exports_or_is_one_line(text: str) -> None:
    try:
        workflow = loads_workflow(text, "fuzz.json")
    except WorkflowFormatError as error:
        assert "\n" not in str(error) and str(error).startswith("fuzz.json")
        return
    problems = validate(workflow)
    assert all("\n" not in problem.message for problem in problems)
    exported = dumps_workflow(workflow)
    exported.encode("utf-8")  # lone surrogates are written as escapes
    again = loads_workflow(exported, "exported.json")
    assert len(again.activities) == len(workflow.activities)
    for activity in workflow.activities:
        for coordinate in (activity.x, activity.y):
            assert coordinate is None or isinstance(coordinate, int | float)
            if isinstance(coordinate, float) and not math.isfinite(coordinate):
                assert any(problem.code == "bad-position" for problem in problems)
