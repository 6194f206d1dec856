"""Route templates: parameters, constraints, catch-all, case and trailing slashes, bad templates."""

from __future__ import annotations

import pytest

from runtime.host.routes import RouteError, compile_route, normalise_path


def test_a_template_captures_route_values() -> None:
    route = compile_route("/orders/{id}/lines/{line:int}")
    found = route.pattern.match("/orders/A7/lines/3")
    assert found.groupdict() == {"id": "A7", "line": "3"}
    assert route.pattern.match("/orders/A7/lines/x") is None
    assert route.pattern.match("/ORDERS/a/LINES/1/") is not None


def test_catch_all_and_optional_parameters() -> None:
    assert compile_route("/files/{*rest}").pattern.match("/files/a/b/c").group("rest") == "a/b/c"
    assert compile_route("/items/{id?}").pattern.match("/items/") is not None


def test_static_paths_normalise_case_and_slashes() -> None:
    route = compile_route("/getAccessToken/")
    assert route.pattern is None
    assert normalise_path(route.template) == normalise_path("/GETACCESSTOKEN") == "/getaccesstoken"


def test_equivalent_templates_share_a_key() -> None:
    assert compile_route("/items/{id}").key == compile_route("/Items/{key}/").key


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("", "empty"),
        ("/a//b", "'//'"),
        ("/x/{id}/{id}", "twice"),
        ("/x/{id:colour}", "unknown constraint"),
        ("/x/{id", "unbalanced"),
        ("/x?y=1", "query string"),
    ],
)
def test_bad_templates_are_named(template: str, message: str) -> None:
    with pytest.raises(RouteError, match=message):
        compile_route(template)
