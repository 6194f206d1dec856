"""``flowdesk test [PATH...] [--junit-xml OUT.xml]``: replay recorded tests offline and say what changed.

A test is a ``.flowtest.json`` file made by ``flowdesk run FILE --record TEST.flowtest.json`` or the
designer's "Save Run as Test" (format: README, "Recorded tests").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_PASSED, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "test",
        help="replay recorded tests (*.flowtest.json) offline and report what changed",
        description=(
            "Replay each recorded test offline and deterministically: HTTP answered from the recording (a "
            "request it does not hold fails the test), the store seeded from the recording into a temporary "
            "database, the clock frozen at the recorded instant, sub-workflows from the workflow's folder. "
            "Each test passes or fails with the differences: the first activity that went otherwise, the "
            "status, the outcomes, the output as a JSON diff naming the activity that produced it. "
            "Exit status: 0 all passed, 1 a test failed, 2 unusable input (a file that is not a test, a "
            "missing workflow, no test found)."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="test files, or folders searched for *.flowtest.json (default: the current folder)",
    )
    parser.add_argument(
        "--junit-xml", metavar="OUT.xml", type=Path, help="also write the results as JUnit XML"
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print failures only, and the summary")
    parser.set_defaults(handler=test_command)


def test_command(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from runtime.flowtest.runner import TestResult, run_test_file
    from runtime.flowtest.testfile import find_tests

    started = datetime.now(UTC)
    paths, problems = find_tests(args.paths or ["."])
    for problem in problems:
        print(f"flowdesk: {problem}", file=sys.stderr)
    if not paths:
        if not problems:
            print(f"flowdesk: no *.flowtest.json in {', '.join(args.paths or ['.'])}", file=sys.stderr)
        return EXIT_UNUSABLE
    results: list[TestResult] = []
    for path in paths:
        result = run_test_file(path)
        results.append(result)
        if not (args.quiet and result.passed):
            print(result.report())
    passed = sum(1 for r in results if r.outcome == "passed")
    failed = sum(1 for r in results if r.outcome == "failed")
    errors = sum(1 for r in results if r.outcome == "error")
    seconds = sum(r.seconds for r in results)
    print(f"{len(results)} tests: {passed} passed, {failed} failed, {errors} unusable ({seconds:.2f} s)")
    if args.junit_xml is not None:
        from runtime.errors import WorkflowSaveError
        from runtime.files import write_bytes_atomically
        from runtime.flowtest.junit import junit_xml

        try:
            write_bytes_atomically(args.junit_xml, junit_xml(results, started))
        except WorkflowSaveError as error:  # it names the file and why
            print(f"flowdesk: {error}", file=sys.stderr)
            return EXIT_UNUSABLE
    if errors or problems:
        return EXIT_UNUSABLE
    return EXIT_FAILED if failed else EXIT_PASSED
