"""Find the HttpEndpoint triggers of a set of workflows and index them by route and method."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from runtime.catalog import descriptor_for, effective_syntax
from runtime.errors import FlowdeskError
from runtime.expressions import ExpressionError, ScriptScope, evaluate
from runtime.graph import start_activity_ids
from runtime.host.routes import RouteError, RouteTemplate, compile_route, normalise_path
from runtime.model import Activity, WorkflowDefinition

ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")


class HostConfigError(FlowdeskError):
    """The workflows cannot be served as they are (bad Path, two workflows on one route, ...)."""


@dataclass(frozen=True)
class HostedWorkflow:
    """A workflow the host serves, with where it came from (for error messages and the request log)."""

    workflow: WorkflowDefinition
    source: str
    """Where it came from (a file path, or the designer's tab title), for messages."""


@dataclass
class Endpoint:
    """One HttpEndpoint of a hosted workflow: its route, methods and request options, read once at start so a
    request is matched without evaluating anything.
    """

    hosted: HostedWorkflow
    activity: Activity
    route: RouteTemplate
    methods: frozenset[str]
    read_content: bool
    required_header: tuple[str, str] | None = None
    """(lower-cased header name, expected value) when AuthorizeWithCustomHeader is on."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def workflow(self) -> WorkflowDefinition:
        return self.hosted.workflow

    def describe(self) -> str:
        methods = "|".join(sorted(self.methods))
        return f"{methods} {self.route.template} → {self.workflow.label} ({self.hosted.source})"


class Router:
    """Static paths by dictionary, templated ones by regex, in the order they were added."""

    def __init__(self, endpoints: list[Endpoint]) -> None:
        self.endpoints = endpoints
        self._static: dict[str, list[Endpoint]] = {}
        self._templated: list[Endpoint] = []
        seen: dict[tuple[str, str], Endpoint] = {}
        for endpoint in endpoints:
            for method in endpoint.methods:
                key = (endpoint.route.key, method)
                if key in seen:
                    other = seen[key]
                    raise HostConfigError(
                        f"{method} {endpoint.route.template} is served by two workflows: "
                        f'"{other.workflow.label}" ({other.hosted.source}) and '
                        f'"{endpoint.workflow.label}" ({endpoint.hosted.source})'
                    )
                seen[key] = endpoint
            if endpoint.route.pattern is None:
                self._static.setdefault(normalise_path(endpoint.route.template), []).append(endpoint)
            else:
                self._templated.append(endpoint)

    def match(self, method: str, path: str) -> tuple[Endpoint | None, dict[str, str], list[str]]:
        """The endpoint for ``method path`` and its route values; else the methods the path allows."""
        allowed: list[str] = []
        for endpoint in self._static.get(normalise_path(path), ()):
            if method in endpoint.methods:
                return endpoint, {}, []
            allowed.extend(endpoint.methods)
        for endpoint in self._templated:
            assert endpoint.route.pattern is not None
            found = endpoint.route.pattern.match(path)
            if found is None:
                continue
            if method in endpoint.methods:
                return endpoint, {k: v for k, v in found.groupdict().items() if v is not None}, []
            allowed.extend(endpoint.methods)
        return None, {}, sorted(set(allowed))


def discover_endpoints(hosted: list[HostedWorkflow]) -> list[Endpoint]:
    """Every HttpEndpoint that starts a workflow (triggers further in are resume points: not served)."""
    endpoints: list[Endpoint] = []
    for item in hosted:
        workflow = item.workflow
        starts = set(start_activity_ids(workflow))
        for activity in workflow.activities:
            if activity.type.lower() != "httpendpoint" or activity.activity_id not in starts:
                continue
            endpoints.append(_endpoint(item, activity))
    return endpoints


def _endpoint(item: HostedWorkflow, activity: Activity) -> Endpoint:
    where = f'{item.source}: activity "{activity.label}"'
    path = static_value(item.workflow, activity, "Path", where=where)
    if not path:
        raise HostConfigError(f"{where}: the HTTP endpoint has no Path")
    try:
        route = compile_route(str(path))
    except RouteError as error:
        raise HostConfigError(f"{where}: {error}") from None
    methods = static_value(item.workflow, activity, "Methods", where=where) or ["GET"]
    if isinstance(methods, str):
        methods = [m for m in methods.replace(",", " ").split() if m]
    method_set = frozenset(str(m).upper() for m in methods)
    unknown = sorted(method_set - set(ALL_METHODS))
    if unknown:
        raise HostConfigError(f"{where}: unknown HTTP method(s) {', '.join(unknown)} in Methods")
    required: tuple[str, str] | None = None
    if _truthy(static_value(item.workflow, activity, "AuthorizeWithCustomHeader", where=where)):
        name = static_value(item.workflow, activity, "CustomHeaderName", where=where)
        value = static_value(item.workflow, activity, "CustomHeaderValue", where=where)
        if not name:
            raise HostConfigError(f"{where}: AuthorizeWithCustomHeader is on but CustomHeaderName is empty")
        required = (str(name).strip().lower(), "" if value is None else str(value))
    return Endpoint(
        hosted=item,
        activity=activity,
        route=route,
        methods=method_set,
        read_content=_truthy(static_value(item.workflow, activity, "ReadContent", where=where)),
        required_header=required,
    )


def static_value(workflow: WorkflowDefinition, activity: Activity, name: str, where: str = "") -> Any:
    """A property evaluated outside a run, against the workflow's initial variables."""
    descriptor = descriptor_for(activity, workflow)
    prop_descriptor = descriptor.get_property(name)
    prop = activity.get_property(name)
    syntax = effective_syntax(prop, prop_descriptor)
    text = prop.expressions.get(syntax) if prop is not None else None
    if not text:
        return prop_descriptor.default_value if prop_descriptor is not None else None
    scope = ScriptScope(variables=copy.deepcopy(workflow.variable_data()))
    try:
        return evaluate(syntax, text, scope, prop_descriptor.value_type if prop_descriptor else "any")
    except ExpressionError as error:
        raise HostConfigError(f"{where}, property {name} ({syntax}): {error}") from None


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)
