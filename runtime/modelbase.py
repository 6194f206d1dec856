"""The base of the workflow model's classes: fields read by camelCase name, unknown keys kept, values checked
as JSON gives them.

The model was pydantic; importing pydantic and building its six schemas took about 0.25 s of every command
that reads a workflow (``flowdesk validate`` was 0.30 s over a bare interpreter). The model's needs are few
(a dozen field types, all from JSON), so they are met here, with pydantic's lax rules where a file can
differ (``"12"`` for a number, ``"true"`` for a boolean) and the same names for what callers use:
``model_validate``, ``model_fields``, ``model_fields_set``, ``model_extra``, ``model_copy``.

A class declares its fields as annotated class attributes, as a dataclass does; the annotation's text picks
the check (:data:`_CHECKS`), or names a model class of the same module (alone, in ``list[...]``, or
``| None``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar, dataclass_transform

Check = Callable[[Any], Any]
"""Turns an input into the field's value, or raises :class:`_Invalid`."""

Location = tuple[str | int, ...]

_M = TypeVar("_M", bound="ElsaObject")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (keys and indexes from the top), what, and the value found."""

    location: Location
    message: str
    value: Any


class ModelValidationError(ValueError):
    """The input does not fit the model; :attr:`problems` lists every fault, in document order."""

    def __init__(self, model: str, problems: list[Problem]) -> None:
        self.model = model
        self.problems = problems
        super().__init__(f"{model}: {self.summary()}")

    def summary(self) -> str:
        """The first fault in one line: where, what, the scalar found (shortened), how many more."""
        first = self.problems[0]
        got = first.value
        got_text = "" if isinstance(got, dict | list) else f", got {type(got).__name__} {_shown(got)}"
        more = f" (and {len(self.problems) - 1} more problem(s))" if len(self.problems) > 1 else ""
        return f"{format_location(first.location) or self.model}: {first.message}{got_text}{more}"


def _shown(value: Any) -> str:
    try:
        return json.dumps(value)[:40]
    except (TypeError, ValueError):  # built from Python, not JSON: anything may come
        return repr(value)[:40]


def format_location(location: Location) -> str:
    """``("activities", 2, "type")`` as ``activities[2].type``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location).lstrip(".")


class _Invalid(Exception):
    """Raised by a check; the caller adds where. A fault inside the value (a dictionary's entry) carries its
    place in it and the part that was wrong; otherwise the whole value was."""

    def __init__(self, message: str, location: Location = (), part: Any = None) -> None:
        self.message = message
        self.location = location
        self.part = part

    def problem(self, where: Location, value: Any) -> Problem:
        return Problem((*where, *self.location), self.message, self.part if self.location else value)


class _Problems(Exception):
    """Raised by a nested model's check: its problems, located inside it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def under(self, where: str | int) -> list[Problem]:
        """The problems, located from the container that holds the nested model at ``where``."""
        return [Problem((where, *p.location), p.message, p.value) for p in self.problems]


# --------------------------------------------------------------------------------------------------
# checks (pydantic 2's lax mode, for the inputs JSON and Python callers give)

_TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})
_FALSE = frozenset({"false", "0", "no", "off", "f", "n"})


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            pass
    raise _Invalid("expected a valid string")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, str | int) or (isinstance(value, float) and value.is_integer()):
        raise _Invalid("expected a valid boolean, unable to interpret input")
    raise _Invalid("expected a valid boolean")


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Invalid("expected a valid integer, got a number with a fractional part")
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise _Invalid("expected a valid integer, unable to parse string as an integer") from None
    raise _Invalid("expected a valid integer")


def _number(value: Any) -> int | float:
    """An int stays an int and a float a float (a position may be either); text holding a number is read."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        for kind in (int, float):
            try:
                return kind(value.strip())
            except ValueError:
                continue
        raise _Invalid("expected a number, unable to parse string as a number")
    raise _Invalid("expected a number")


def _dictionary(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid("expected a valid dictionary")
    for key in value:
        if not isinstance(key, str):
            raise _Invalid("expected a valid string", (key, "[key]"), key)
    return dict(value)


def _text_map(value: Any) -> dict[str, str | None]:
    checked = _dictionary(value)
    for key, item in checked.items():
        if item is not None:
            try:
                checked[key] = _text(item)
            except _Invalid as invalid:
                raise _Invalid(invalid.message, (key,), item) from None
    return checked


def _optional(check: Check) -> Check:
    def optional(value: Any) -> Any:
        return None if value is None else check(value)

    return optional


def _model(cls: type[ElsaObject]) -> Check:
    def model(value: Any) -> Any:
        if isinstance(value, cls):
            return value  # an instance is taken as it is, not copied (as pydantic does)
        if not isinstance(value, dict):
            raise _Invalid(f"expected a valid dictionary or instance of {cls.__name__}")
        return cls._checked(value)

    return model


def _list_of(check: Check) -> Check:
    def list_of(value: Any) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise _Invalid("expected a valid list")
        items, problems = [], []
        for index, item in enumerate(value):
            try:
                items.append(check(item))
            except _Invalid as invalid:
                problems.append(invalid.problem((index,), item))
            except _Problems as nested:
                problems += nested.under(index)
        if problems:
            raise _Problems(problems)
        return items

    return list_of


_CHECKS: dict[str, Check] = {
    "str": _text,
    "str | None": _optional(_text),
    "bool": _boolean,
    "bool | None": _optional(_boolean),
    "int | None": _optional(_integer),
    "int | float | None": _optional(_number),
    "dict[str, str | None]": _text_map,
    "dict[str, Any]": _dictionary,
    "dict[str, Any] | None": _optional(_dictionary),
}
"""The field types the model uses, by annotation text; a model class, a list of one, or either ``| None``,
is resolved by name."""


def to_camel(name: str) -> str:
    """``activity_id`` as Elsa writes it: ``activityId``."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


# --------------------------------------------------------------------------------------------------
# fields and the base class


@dataclass(frozen=True)
class ModelField:
    """One declared field: its Python name, its key in the file, how its value is checked, and its default
    (``required`` when it has none; a list or dictionary default is copied for each object)."""

    name: str
    alias: str
    check: Check
    default: Any
    required: bool

    def fresh_default(self) -> Any:
        default = self.default
        return default.copy() if isinstance(default, list | dict) else default


def _resolve_check(annotation: str, module: str, owner: str) -> Check:
    known = _CHECKS.get(annotation)
    if known is not None:
        return known
    optional = annotation.endswith(" | None")
    text = annotation.removesuffix(" | None")
    is_list = text.startswith("list[") and text.endswith("]")
    class_name = text[5:-1] if is_list else text
    cls = vars(sys.modules[module]).get(class_name)
    if not (isinstance(cls, type) and issubclass(cls, ElsaObject)):
        raise TypeError(f"{owner}: no check for a field of type {annotation!r}")
    check = _list_of(_model(cls)) if is_list else _model(cls)
    return _optional(check) if optional else check


@dataclass_transform(kw_only_default=True)
class ElsaObject:
    """Base of every model object: camelCase aliases, unknown keys kept, original key order kept.

    Built from keyword arguments (a field's camelCase key, or its name when that key is not given; other
    keys are kept as extras) or
    from a parsed JSON object with :meth:`model_validate`; both check every value. Assigning a field
    later is not checked, and marks it as set, so it is written.
    """

    model_fields: ClassVar[dict[str, ModelField]] = {}
    _by_key: ClassVar[dict[str, ModelField]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls.model_fields)
        for name, annotation in vars(cls).get("__annotations__", {}).items():
            if name.startswith("_") or annotation.startswith("ClassVar"):
                continue
            required = name not in vars(cls)
            default = None if required else vars(cls)[name]
            if not required:
                delattr(cls, name)  # the value lives on each object; the class keeps only the declaration
            check = _resolve_check(annotation, cls.__module__, cls.__name__)
            fields[name] = ModelField(name, to_camel(name), check, default, required)
        cls.model_fields = fields
        cls._by_key = {**{f.name: f for f in fields.values()}, **{f.alias: f for f in fields.values()}}

    def __init__(self, **data: Any) -> None:
        try:
            self._fill(data)
        except _Problems as invalid:
            raise ModelValidationError(type(self).__name__, invalid.problems) from None

    @classmethod
    def model_validate(cls: type[_M], data: Any) -> _M:
        """The object for a parsed JSON object (an object of the class is itself); raises
        :class:`ModelValidationError` listing every fault."""
        if isinstance(data, cls):
            return data
        if not isinstance(data, dict):
            expected = f"expected a valid dictionary or instance of {cls.__name__}"
            raise ModelValidationError(cls.__name__, [Problem((), expected, data)])
        try:
            return cls._checked(data)
        except _Problems as invalid:
            raise ModelValidationError(cls.__name__, invalid.problems) from None

    @classmethod
    def _checked(cls: type[_M], data: dict[str, Any]) -> _M:
        """Built from a JSON object: it remembers the object's key order, to write its keys in that order."""
        model = cls.__new__(cls)
        model._fill(data)
        model.remember_key_order(data)
        return model

    def _fill(self, data: dict[str, Any]) -> None:
        values: dict[str, Any] = {}
        given: set[str] = set()
        extra: dict[str, Any] = {}
        problems: list[Problem] = []
        by_key = self._by_key
        for key, value in data.items():
            declared = by_key.get(key)
            if declared is None or (key != declared.alias and declared.alias in data):
                extra[key] = value  # beside its camelCase key, a field's Python name is a key like any other
                continue
            given.add(declared.name)
            try:
                values[declared.name] = declared.check(value)
            except _Invalid as invalid:
                problems.append(invalid.problem((declared.alias,), value))
            except _Problems as nested:
                problems += nested.under(declared.alias)
        for declared in self.model_fields.values():
            if declared.name not in given:
                if declared.required:
                    problems.append(Problem((declared.alias,), "missing", data))
                values[declared.name] = declared.fresh_default()
        if problems:
            raise _Problems(problems)
        state = self.__dict__
        state.update(values)
        state["_fields_set"] = given
        state["_extra"] = extra
        state["_key_order"] = []
        self._start()

    def _start(self) -> None:
        """Set up the state a subclass keeps beside its fields (called once the fields are in)."""

    # --- what callers read --------------------------------------------------------------------------

    @property
    def model_fields_set(self) -> set[str]:
        """The fields given when built, or assigned since: the ones a file writes."""
        fields_set: set[str] = self.__dict__["_fields_set"]
        return fields_set

    @property
    def model_extra(self) -> dict[str, Any]:
        """The keys this model does not declare, with their values as read (the dictionary itself)."""
        extra: dict[str, Any] = self.__dict__["_extra"]
        return extra

    def remember_key_order(self, keys: Iterable[str]) -> None:
        """Record the key order of the JSON object this model was read from (:meth:`model_validate` does)."""
        self.__dict__["_key_order"] = [k for k in keys if k not in ("$id", "$ref")]

    @property
    def key_order(self) -> list[str]:
        key_order: list[str] = self.__dict__["_key_order"]
        return key_order

    def model_copy(self: _M, update: dict[str, Any] | None = None) -> _M:
        """A shallow copy with ``update``'s fields replaced (and marked as set); listeners are not copied."""
        copied = type(self).__new__(type(self))
        state = copied.__dict__
        state.update({name: self.__dict__[name] for name in self.model_fields})
        state["_fields_set"] = set(self.model_fields_set)
        state["_extra"] = dict(self.model_extra)
        state["_key_order"] = list(self.key_order)
        copied._start()
        for name, value in (update or {}).items():
            setattr(copied, name, value)
        return copied

    # --- object protocol ------------------------------------------------------------------------------

    def __copy__(self: _M) -> _M:
        """``copy.copy``: as :meth:`model_copy` (its own extras, set fields and key order; no listeners)."""
        return self.model_copy()

    def __setattr__(self, name: str, value: Any) -> None:
        """A field is marked as set; a name that is neither a field nor private is refused (a file's unknown
        keys are :attr:`model_extra`'s, not attributes: no ``__getattr__`` slows every field read)."""
        if name in self.model_fields:
            self.__dict__[name] = value
            self.model_fields_set.add(name)
        elif name.startswith("_") or hasattr(type(self), name):
            object.__setattr__(self, name, value)
        else:
            raise AttributeError(
                f"{type(self).__name__!r} has no field {name!r} (keys it does not declare are in model_extra)"
            )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, ElsaObject)
        mine, theirs = self.__dict__, other.__dict__
        same_fields = all(mine[name] == theirs[name] for name in self.model_fields)
        return same_fields and self.model_extra == other.model_extra

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: not a dictionary key

    def __repr__(self) -> str:
        shown = [f"{name}={self.__dict__[name]!r}" for name in self.model_fields]
        shown += [f"{key}={value!r}" for key, value in self.model_extra.items()]
        return f"{type(self).__name__}({', '.join(shown)})"
