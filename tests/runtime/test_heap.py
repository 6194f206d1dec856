"""The collector's setting around a long run (issue 10): frozen start-up, rarer young collections, and
everything as it was afterwards, so a program calling the command line's main keeps its own setting."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import save_workflow
from runtime.heap import YOUNG_COLLECTION_THRESHOLD, settled_heap


def test_inside_start_up_is_frozen_and_young_collections_are_rarer_then_all_is_undone() -> None:
    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with settled_heap():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == max(thresholds[0], YOUNG_COLLECTION_THRESHOLD)
        assert gc.get_threshold()[1:] == thresholds[1:]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_cycles_made_during_the_run_are_still_collected() -> None:
    class Node:
        def __init__(self) -> None:
            self.other: Node | None = None

    import weakref

    with settled_heap():
        first, second = Node(), Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
        gc.collect()
        assert gone() is None


def test_a_program_that_froze_its_own_heap_keeps_it_frozen() -> None:
    code = (
        "import gc\nfrom runtime.heap import settled_heap\ngc.freeze()\nfrozen = gc.get_freeze_count()\n"
        "with settled_heap():\n    pass\nprint(gc.get_freeze_count() >= frozen > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_flowdesk_run_leaves_the_callers_collector_as_it_was(tmp_path: Path, capsys) -> None:
    path = tmp_path / "flow.json"
    save_workflow(
        WorkflowBuilder("Loop")
        .add("each", "ForEach", Items=("Json", "[1, 2, 3]"))
        .add("set", "SetVariable", VariableName="x", Value=("JavaScript", "input"))
        .connect("each", "set", "Iterate")
        .build(),
        path,
    )
    thresholds = gc.get_threshold()
    assert main(["run", str(path), "--store", str(tmp_path / "s.db")]) == 0
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def test_as_the_program_young_objects_are_collected_less_often_from_the_start() -> None:
    code = (
        "import gc, sys\nsys.argv = ['flowdesk', '--version']\nfrom runtime.cli import main\n"
        "before = gc.get_threshold()[0]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(before, gc.get_threshold()[0])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-2:] == ["700", str(YOUNG_COLLECTION_THRESHOLD)]
