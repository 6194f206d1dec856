"""Activity descriptors: what the designer draws and edits, what validation checks, what the engine evaluates.

A descriptor is plain data (frozen dataclasses), the Python twin of Elsa 2's ``ActivityDescriptor`` as
served by ``GET /v1/activities``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class PropertyDescriptor:
    """One input property of an activity type."""

    name: str
    value_type: ValueType = "string"
    ui_hint: UIHint = "single-line"
    label: str = ""
    hint: str = ""
    default_syntax: str = "Literal"
    supported_syntaxes: tuple[str, ...] = ("JavaScript", "Liquid")
    default_value: Any = None
    required: bool = False
    options: tuple[str, ...] = ()
    category: str = "Properties"
    considers_values_as_outcomes: bool = False
    is_secret: bool = False
    """Values are masked in logs and the journal (Authorization headers, passwords)."""


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
        wanted = name.lower()
        return next((p for p in self.properties if p.name.lower() == wanted), None)

    @property
    def outcome_properties(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties if p.considers_values_as_outcomes)
