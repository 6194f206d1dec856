"""Conversion of an evaluated value to a property's type, as Elsa 2 does after every syntax.

Literal text and Liquid output are parsed into the target type; values that already have a usable type
(JavaScript results, parsed JSON) pass through or are coerced where that is unambiguous. Empty or
whitespace-only text means "no value" (None) for every type, except a JavaScript result for a text or
untyped property (:func:`convert_script_result`).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import math
import re
from collections.abc import Callable, Mapping, Set
from typing import Any

from runtime.expressions.errors import ValueConversionError
from runtime.jsonlimits import loads_bounded

_INT_TEXT = re.compile(r"[+-]?\d+")
_ISO_DURATION = re.compile(
    r"(?P<sign>[+-])?P(?:(?P<weeks>\d+(?:[.,]\d+)?)W)?(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?",
    re.IGNORECASE,
)
_CLOCK_DURATION = re.compile(
    r"(?P<sign>-)?(?:(?P<days>\d+)[.:](?=\d{1,2}:\d{1,2}:\d{1,2}))?"
    r"(?P<hours>\d+):(?P<minutes>\d{1,2})(?::(?P<seconds>\d{1,2})(?:\.(?P<fraction>\d{1,9}))?)?"
)


def convert(value: Any, value_type: str = "any") -> Any:
    """Convert ``value`` to ``value_type`` (one of ``runtime.catalog.descriptors.ValueType``).

    Raises ValueConversionError when the value cannot be read as that type.
    """
    converter = _CONVERTERS.get(value_type)
    if converter is None:
        raise ValueError(f"unknown value type {value_type!r}")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return converter(value)


_KEEPS_SCRIPT_TEXT = frozenset({"string", "any"})


def convert_script_result(value: Any, value_type: str = "any") -> Any:
    """Convert a JavaScript result: text stays exactly as the script gave it (``""`` too) for a text or
    untyped property, as Elsa's Jint result converters keep a value that already has the wanted type, and
    any value for ``object`` (``src/scripting/Elsa.Scripting.JavaScript/Services/SameTypeResultConverter.cs``,
    ``TypeConverterResultConverter.cs``). Other cases convert as :func:`convert` does: blank text is no
    value there (for a nullable property, .NET's ``NullableConverter`` gives null for it)."""
    if type(value) is str and value_type in _KEEPS_SCRIPT_TEXT:
        return value
    return convert(value, value_type)


def to_json_text(value: Any) -> str:
    """Compact JSON as JavaScript's ``JSON.stringify`` writes it (non-ASCII kept, NaN and Infinity null)."""
    return encode_json(_COMPACT_ENCODER, value)


def encode_json(encoder: json.JSONEncoder, value: Any) -> str:
    """``value`` as JSON text with NaN and infinities written as null.

    Raises ValueConversionError for what JSON cannot hold (an unknown type, a value containing itself).
    """
    try:
        return encoder.encode(value)
    except TypeError as error:
        raise ValueConversionError(str(error)) from None
    except ValueError as error:
        if "circular" in str(error).lower():
            raise ValueConversionError("a value that contains itself cannot be written as JSON") from None
    return encode_json(encoder, without_non_finite(value))


def without_non_finite(value: Any) -> Any:
    """The value with NaN and infinities replaced by None, as JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {key: without_non_finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_non_finite(item) for item in value]
    return value


def json_default(value: Any) -> Any:
    """Serialise the non-JSON values a workflow can hold (dates, decimals, sets, bytes, mappings)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Set | tuple):
        return list(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"a value of type {type(value).__name__} cannot be written as JSON")


_COMPACT_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), default=json_default, allow_nan=False
)


def _describe(value: Any) -> str:
    text = value if isinstance(value, str) else to_json_text(value) if _is_json(value) else repr(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _is_json(value: Any) -> bool:
    return isinstance(value, dict | list | int | float | bool)


def _as_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, dict | list | tuple | Mapping):
        return to_json_text(value)
    return str(value)


def _number_text(number: float) -> str:
    """A float as JavaScript prints it: 200.0 -> '200', nan -> 'NaN'."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return repr(number)


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "true":
            return True
        if text == "false":
            return False
        raise ValueConversionError(f"cannot convert {_describe(value)} to a boolean (expected true or false)")
    if isinstance(value, int | float):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    return True


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueConversionError(f"cannot convert {_describe(value)} to an integer (not a whole number)")
    if isinstance(value, str):
        text = value.strip()
        if _INT_TEXT.fullmatch(text):
            return int(text)
        number = _parse_float(value, "an integer")
        return _as_int(number)
    raise ValueConversionError(f"cannot convert {_describe(value)} to an integer")


def _parse_float(value: str, wanted: str) -> float:
    try:
        return float(value.strip())
    except ValueError:
        raise ValueConversionError(f"cannot convert {_describe(value)} to {wanted}") from None


def _as_number(value: Any) -> int | float:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        return int(text) if _INT_TEXT.fullmatch(text) else _parse_float(text, "a number")
    raise ValueConversionError(f"cannot convert {_describe(value)} to a number")


def _parse_json_text(text: str, wanted: str) -> Any:
    try:
        return loads_bounded(text)
    except json.JSONDecodeError as error:
        raise ValueConversionError(
            f"cannot convert {_describe(text)} to {wanted}: invalid JSON at line {error.lineno} "
            f"column {error.colno}: {error.msg}"
        ) from None


def _as_object(value: Any) -> Any:
    if isinstance(value, dict | list):
        return value
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("{", "[")):
            return _parse_json_text(text, "an object")
    raise ValueConversionError(
        f"cannot convert {_describe(value)} to an object (expected JSON such as {{...}})"
    )


def _as_array(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, tuple | Set):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            parsed = _parse_json_text(text, "an array")
            if isinstance(parsed, list):
                return parsed
        elif not text.startswith("{"):
            return [item.strip() for item in text.split(",") if item.strip()]
        raise ValueConversionError(f"cannot convert {_describe(value)} to an array")
    if isinstance(value, int | float | bool):
        return [value]
    raise ValueConversionError(f"cannot convert {_describe(value)} to an array")


def _as_enum(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return value
    raise ValueConversionError(f"cannot convert {_describe(value)} to an option name")


def _as_any(value: Any) -> Any:
    return value


def _as_duration(value: Any) -> float:
    """Seconds, from a number of seconds, TimeSpan text ``00:00:10`` or ISO-8601 ``PT10S``."""
    if isinstance(value, bool):
        raise ValueConversionError(f"cannot convert {_describe(value)} to a duration")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if not isinstance(value, str):
        raise ValueConversionError(f"cannot convert {_describe(value)} to a duration")
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    seconds = _parse_clock_duration(text)
    if seconds is None:
        seconds = _parse_iso_duration(text)
    if seconds is None:
        raise ValueConversionError(
            f"cannot convert {_describe(value)} to a duration (expected seconds, 00:00:10 or PT10S)"
        )
    return seconds


def _parse_clock_duration(text: str) -> float | None:
    match = _CLOCK_DURATION.fullmatch(text)
    if match is None:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"])
    seconds = int(match["seconds"] or 0)
    if (hours > 23 and match["days"] is not None) or minutes > 59 or seconds > 59:
        raise ValueConversionError(
            f"cannot convert {_describe(text)} to a duration (a field is out of range)"
        )
    total: float = int(match["days"] or 0) * 86400 + hours * 3600 + minutes * 60 + seconds
    total += float("0." + match["fraction"]) if match["fraction"] else 0.0
    return -float(total) if match["sign"] else float(total)


def _parse_iso_duration(text: str) -> float | None:
    match = _ISO_DURATION.fullmatch(text)
    if match is None or text.upper().endswith(("P", "T")):
        return None
    scale = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
    total = sum(
        float(match[unit].replace(",", ".")) * factor for unit, factor in scale.items() if match[unit]
    )
    return -total if match["sign"] == "-" else total


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "string": _as_string,
    "bool": _as_bool,
    "int": _as_int,
    "number": _as_number,
    "object": _as_object,
    "array": _as_array,
    "any": _as_any,
    "enum": _as_enum,
    "duration": _as_duration,
}
