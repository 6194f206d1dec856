"""Every public class of the runtime says what it is for (the first thing a reader of a library looks at)."""

from __future__ import annotations

import ast

from tests.conftest import PROJECT_ROOT


def test_every_public_runtime_class_has_a_docstring():
    missing = []
    for path in sorted((PROJECT_ROOT / "runtime").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            public = isinstance(node, ast.ClassDef) and not node.name.startswith("_")
            if public and not ast.get_docstring(node):
                missing.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}: {node.name}")
    assert not missing, "classes without a docstring:\n" + "\n".join(missing)
