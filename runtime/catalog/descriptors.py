"""Activity descriptors: what the designer draws and edits, what validation checks, what the engine evaluates.

A descriptor is plain data (frozen dataclasses), the Python twin of Elsa 2's ``ActivityDescriptor`` as
served by ``GET /v1/activities``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

ValueType = Literal["string", "bool", "int", "number", "object", "array", "any", "enum", "duration"]
"""How a property's evaluated value is converted (Literal text is parsed into this type)."""

UIHint = Literal[
    "single-line",
    "multi-line",
    "checkbox",
    "dropdown",
    "check-list",
    "radio-list",
    "multi-text",
    "json",
    "code-editor",
    "dictionary",
    "switch-case",
]

ALL_SYNTAXES: tuple[str, ...] = ("Literal", "JavaScript", "Liquid", "Json")

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def humanize(name: str) -> str:
    """``VariableName`` -> ``Variable Name``: the label Elsa derives from a property name."""
    return _WORD_BOUNDARY.sub(" ", name)


@dataclass(frozen=True)
class PropertyDescriptor:
    """One input property of an activity type."""

    name: str
    value_type: ValueType = "string"
    ui_hint: UIHint = "single-line"
    label: str = ""
    """Shown in the inspector; derived from ``name`` when left empty (``ReadContent`` -> ``Read Content``)."""
    hint: str = ""
    default_syntax: str = "Literal"
    """The syntax used when the property has none (Elsa's ``DefaultSyntax``; the editor's "Default")."""
    supported_syntaxes: tuple[str, ...] = ("JavaScript", "Liquid")
    """The syntaxes the editor offers besides "Default", exactly as Elsa declares them (may be empty)."""
    default_value: Any = None
    required: bool = False
    options: tuple[str, ...] = ()
    category: str = "Properties"
    considers_values_as_outcomes: bool = False
    is_secret: bool = False
    """Values are masked in logs and the journal (Authorization headers, passwords)."""
    aliases: tuple[str, ...] = ()
    """Older names of this property found in exports (Finish ``OutputValue`` for ``ActivityOutput``)."""
    content_syntax: str | None = None
    """The language of the text when it is not the stored syntax: RunJavaScript keeps its JavaScript
    ``Script`` under ``Literal``, and the activity runs it itself."""
    sets_variable: bool = False
    """The value names a workflow variable that the activity sets (SetVariable, ObjectInstanceGet...)."""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", humanize(self.name))

    def answers_to(self, name: str) -> bool:
        """True when ``name`` is this property's name or an alias (case-insensitive, as Elsa matches)."""
        wanted = name.lower()
        return self.name.lower() == wanted or any(alias.lower() == wanted for alias in self.aliases)


@dataclass(frozen=True)
class ActivityDescriptor:
    """One activity type: its look in the palette, its inputs, and the outcomes it can emit."""

    type: str
    category: str
    display_name: str
    description: str = ""
    properties: tuple[PropertyDescriptor, ...] = ()
    outcomes: tuple[str, ...] = ("Done",)
    outputs: tuple[str, ...] = ()
    is_trigger: bool = False
    is_known: bool = True
    """False for the generic descriptor made up for a type the catalog does not know."""
    summary_property: str | None = None
    """The property whose value the canvas shows on the card as a one-line summary."""
    icon: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def get_property(self, name: str) -> PropertyDescriptor | None:
        """The property called ``name`` or known by that older name (case-insensitive)."""
        return self._properties_by_name.get(name.lower())

    @cached_property
    def _properties_by_name(self) -> dict[str, PropertyDescriptor]:
        index: dict[str, PropertyDescriptor] = {}
        for prop in self.properties:
            for known_as in (prop.name, *prop.aliases):
                index.setdefault(known_as.lower(), prop)
        return index

    @property
    def outcome_properties(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties if p.considers_values_as_outcomes)
