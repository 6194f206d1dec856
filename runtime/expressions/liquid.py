"""Liquid templates as Elsa 2 renders them (Fluid there, python-liquid here).

The template sees ``Variables``, ``Input``, ``Activities`` (name -> outputs), ``CorrelationId``,
``WorkflowInstanceId``, ``WorkflowDefinitionId`` and ``WorkflowDefinitionVersion`` (camelCase names work
too). Member access on workflow data is case-insensitive, as Fluid's is on JSON objects. Filters: Elsa's
``json`` and ``base64``, Fluid's ``raw``, and python-liquid's standard filters. Undefined names render as
nothing, as in Fluid.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from liquid import BoundTemplate, Environment, Mode, Undefined
from liquid.exceptions import LiquidError

from runtime.expressions.conversion import to_json_text
from runtime.expressions.errors import ExpressionError, ValueConversionError
from runtime.expressions.scope import ScriptScope

SYNTAX = "Liquid"


class CaseInsensitiveMapping(Mapping[str, Any]):
    """A read-only view of a dict whose keys also match in another case; nested data is wrapped too."""

    __slots__ = ("data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def __getitem__(self, key: str) -> Any:
        try:
            return wrap(self.data[key])
        except KeyError:
            if not isinstance(key, str):
                raise
        wanted = key.lower()
        for actual, value in self.data.items():
            if isinstance(actual, str) and actual.lower() == wanted:
                return wrap(value)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __str__(self) -> str:
        try:
            return to_json_text(self.data)
        except ValueConversionError:
            return str(self.data)


class CaseInsensitiveList(list[Any]):
    """A list whose object items are case-insensitive mappings; ``data`` is the original list."""

    def __init__(self, data: list[Any]) -> None:
        super().__init__(wrap(item) for item in data)
        self.data = data


def wrap(value: Any) -> Any:
    if isinstance(value, Mapping) and not isinstance(value, CaseInsensitiveMapping):
        return CaseInsensitiveMapping(value)
    if isinstance(value, list) and not isinstance(value, CaseInsensitiveList):
        return CaseInsensitiveList(value)
    return value


def unwrap(value: Any) -> Any:
    """The plain data behind a wrapped value (undefined -> None)."""
    if isinstance(value, CaseInsensitiveMapping | CaseInsensitiveList):
        return value.data
    if isinstance(value, Undefined):
        return None
    return value


def _filter_json_text(value: Any) -> str:
    try:
        return to_json_text(value)
    except ValueConversionError as error:
        raise TypeError(str(error)) from None  # python-liquid reports a filter's TypeError with its line


def json_filter(value: Any) -> str:
    """Elsa's ``json`` filter: the value as compact JSON."""
    return _filter_json_text(unwrap(value))


def base64_filter(value: Any) -> str:
    """Elsa's ``base64`` filter: the UTF-8 text of the value, base64-encoded."""
    plain = unwrap(value)
    text = "" if plain is None else plain if isinstance(plain, str) else _filter_json_text(plain)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def raw_filter(value: Any) -> Any:
    """Fluid's ``raw``: output without encoding. Nothing is encoded here, so it returns the value."""
    return value


def _environment() -> Environment:
    environment = Environment(tolerance=Mode.STRICT, undefined=Undefined, autoescape=False)
    environment.filters["json"] = json_filter
    environment.filters["base64"] = base64_filter
    environment.filters["raw"] = raw_filter
    return environment


_environment_lock = threading.Lock()
_ENVIRONMENT = _environment()


@lru_cache(maxsize=1024)
def _compiled(text: str) -> BoundTemplate:
    with _environment_lock:
        return _ENVIRONMENT.from_string(text)


def render_liquid(text: str, scope: ScriptScope) -> str:
    """Render ``text`` against the scope. Raises ExpressionError with the template line on errors."""
    try:
        template = _compiled(text)
        return template.render(**_template_data(scope))
    except LiquidError as error:
        raise _liquid_error(error) from None


def _template_data(scope: ScriptScope) -> dict[str, Any]:
    data = {
        "Variables": CaseInsensitiveMapping(scope.variables),
        "Input": wrap(scope.input),
        "Activities": CaseInsensitiveMapping(scope.activities),
        "CorrelationId": scope.correlation_id,
        "WorkflowInstanceId": scope.workflow_instance_id,
        "WorkflowDefinitionId": scope.workflow_definition_id,
        "WorkflowDefinitionVersion": scope.workflow_definition_version,
    }
    data.update({name[0].lower() + name[1:]: value for name, value in list(data.items())})
    return data


def _liquid_error(error: LiquidError) -> ExpressionError:
    context = error.context()
    line = context[0] if context is not None else None
    return ExpressionError(SYNTAX, str(error.message), line)
