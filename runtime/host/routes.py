"""Route templates as ASP.NET Core writes them (``/orders/{id}``, ``{id:int}``, ``{*rest}``) → regexes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from runtime.errors import FlowdeskError


class RouteError(FlowdeskError):
    """A Path that is not a usable route template."""


_PARAMETER = re.compile(r"\{(\*?)([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?(\?)?\}")
_CONSTRAINTS = {
    "int": r"-?\d+",
    "long": r"-?\d+",
    "guid": r"[0-9A-Fa-f-]{32,36}",
    "alpha": r"[A-Za-z]+",
    "bool": r"(?i:true|false)",
}


@dataclass(frozen=True)
class RouteTemplate:
    """A compiled HttpEndpoint ``Path`` (``/orders/{id}``): matched against request paths, and compared with
    the others to refuse two workflows on the same route.
    """

    template: str
    pattern: re.Pattern[str] | None
    """None for a template without parameters (matched by its normalised text)."""
    parameters: tuple[str, ...]

    @property
    def key(self) -> str:
        """What makes two templates the same route (for the duplicate check)."""
        return _PARAMETER.sub("{}", normalise_path(self.template))


def normalise_path(path: str) -> str:
    """Lower-case, one leading slash, no trailing slash (ASP.NET routing is case-insensitive)."""
    trimmed = "/" + path.strip().strip("/")
    return trimmed.lower()


def compile_route(template: str) -> RouteTemplate:
    text = template.strip()
    if not text:
        raise RouteError("the Path is empty")
    if "//" in text:
        raise RouteError(f"the Path {text!r} contains '//'")
    if "?" in text.split("{")[0]:
        raise RouteError(f"the Path {text!r} contains a query string")
    names: list[str] = []
    pieces: list[str] = []
    position = 0
    normalised = "/" + text.strip("/")
    for match in _PARAMETER.finditer(normalised):
        pieces.append(re.escape(normalised[position : match.start()]))
        catch_all, name, constraint, optional = match.groups()
        if name in names:
            raise RouteError(f"the Path {text!r} names the parameter {{{name}}} twice")
        names.append(name)
        if catch_all:
            body = ".*"
        elif constraint:
            if constraint.lower() not in _CONSTRAINTS:
                raise RouteError(f"the Path {text!r} uses the unknown constraint :{constraint}")
            body = _CONSTRAINTS[constraint.lower()]
        else:
            body = "[^/]+"
        pieces.append(f"(?P<{name}>{body})" + ("?" if optional else ""))
        position = match.end()
    pieces.append(re.escape(normalised[position:]))
    if "{" in normalised[position:] or "}" in normalised[position:]:
        raise RouteError(f"the Path {text!r} has an unbalanced {{ or }}")
    if not names:
        return RouteTemplate(text, None, ())
    pattern = re.compile("^" + "".join(pieces) + "/?$", re.IGNORECASE)
    return RouteTemplate(text, pattern, tuple(names))
