"""``flowdesk test --junit-xml``: results in the JUnit XML that CI servers read.

The common shape (Jenkins/Ant's schema, as GitLab, GitHub actions and Azure read it)::

    <testsuites name tests failures errors skipped time>
      <testsuite name tests failures errors skipped time timestamp hostname>   one per folder of tests
        <testcase name classname file time>
          <failure message type>the report</failure>   or   <error message type>why</error>
        </testcase>
      </testsuite>
    </testsuites>
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from runtime.flowtest.runner import TestResult


def junit_xml(results: Sequence[TestResult], started: datetime | None = None) -> bytes:
    """The XML document (UTF-8, with its declaration)."""
    started = started or datetime.now(UTC)
    root = ElementTree.Element("testsuites", name="flowdesk test")
    suites: dict[Path, list[TestResult]] = {}
    for result in results:
        suites.setdefault(result.file.parent, []).append(result)
    for folder, members in suites.items():
        suite = ElementTree.SubElement(root, "testsuite", name=_suite_name(folder))
        _counts(suite, members)
        suite.set("timestamp", started.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds"))
        suite.set("hostname", socket.gethostname() or "localhost")
        for result in members:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=result.name,
                classname=_suite_name(folder),
                file=str(result.file),
                time=f"{result.seconds:.3f}",
            )
            if result.error is not None:
                error = ElementTree.SubElement(
                    case, "error", message=_clean(result.error), type="UnusableTest"
                )
                error.text = _clean(result.report())
            elif result.failures:
                failure = ElementTree.SubElement(
                    case, "failure", message=_clean(result.summary()), type="FlowtestFailure"
                )
                failure.text = _clean(result.report())
            if result.notes:
                out = ElementTree.SubElement(case, "system-out")
                out.text = _clean("\n".join(result.notes))
    _counts(root, list(results))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _counts(element: ElementTree.Element, results: Sequence[TestResult]) -> None:
    element.set("tests", str(len(results)))
    element.set("failures", str(sum(1 for r in results if r.outcome == "failed")))
    element.set("errors", str(sum(1 for r in results if r.outcome == "error")))
    element.set("skipped", "0")
    element.set("time", f"{sum(r.seconds for r in results):.3f}")


def _suite_name(folder: Path) -> str:
    try:
        relative = folder.resolve().relative_to(Path.cwd().resolve())
        name = relative.as_posix()
    except ValueError:
        name = folder.name
    return "flowtest" if name in ("", ".") else f"flowtest.{name.replace('/', '.')}"


def _clean(text: str) -> str:
    """XML 1.0 has no place for most control characters: they are written as ``\\xNN``."""
    return "".join(
        ch
        if ch in "\t\n\r"
        or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ord(ch) not in (0xFFFE, 0xFFFF))
        else f"\\x{ord(ch):02x}"
        for ch in text
    )


__all__ = ["junit_xml"]
