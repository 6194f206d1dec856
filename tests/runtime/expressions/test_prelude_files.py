"""The JavaScript prelude and the .NET stand-ins are JavaScript files, read as package data."""

from __future__ import annotations

import tomllib
from importlib.resources import files

from runtime.expressions import ScriptScope, evaluate
from runtime.expressions.js_clr import CLR_TYPES
from runtime.expressions.js_prelude import MAX_COMPILED, PRELUDE
from tests.conftest import PROJECT_ROOT


def test_the_prelude_is_read_from_its_js_files_with_the_placeholders_filled():
    here = files("runtime.expressions")
    prelude, clr = (here / "prelude.js").read_text("utf-8"), (here / "clr_types.js").read_text("utf-8")
    assert "__MAX_COMPILED__" in prelude and "__CLR_TYPES__" in prelude
    assert "__MAX_COMPILED__" not in PRELUDE and "__CLR_TYPES__" not in PRELUDE
    assert f"const MAX_COMPILED = {MAX_COMPILED};" in PRELUDE
    assert clr == CLR_TYPES and clr.strip() in PRELUDE


def test_the_js_files_are_package_data():
    package_data = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
        "package-data"
    ]
    assert "expressions/*.js" in package_data["runtime"]


def test_the_prelude_from_the_files_runs():
    script = "jsonEncode({seconds: Duration.FromMinutes(2).TotalSeconds, x: getVariable('x')})"
    assert evaluate("JavaScript", script, ScriptScope(variables={"x": 1})) == '{"seconds":120,"x":1}'
