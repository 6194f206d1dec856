"""Liquid templates as Elsa 2.15 renders them (Fluid 2.2 there, python-liquid here).

What a template sees (Elsa's ``ConfigureLiquidEngine`` handlers): ``Variables.<name>``, ``Input``,
``Activities.<name>.<output>`` (or the activity name alone at the top level), ``WorkflowInstanceId``,
``WorkflowDefinitionId``, ``WorkflowDefinitionVersion``, ``CorrelationId``, ``WorkflowContextId``,
``ActivityId`` and ``Request.*`` (HTTP module). Those names, variable names, activity names and output
names are case-sensitive, as Fluid's member access and Elsa's dictionaries are; members of the objects
below them (parsed JSON) match in any case, as Newtonsoft's ``JObject`` lookup does.

Output is HTML-encoded with the rules of .NET's ``HtmlEncoder.Default`` (Elsa renders with it), except
what ``raw`` or ``capture`` produced. Filters: Elsa's ``json``, ``base64``, ``workflow_definition_id``,
``output`` (``signal_token``/``signal_url`` and ``Configuration`` fail: they need an Elsa server), Fluid's
``raw`` and python-liquid's standard ones; an unknown filter returns its input, as in Fluid.

A render has a budget (:class:`LiquidLimits`, module-level :data:`limits`): loop iterations (all loops of
the render, nested ones multiplied), output text, the size of assigned values and of any one filter's
input and result, block nesting, and wall-clock time. Past any of them the render stops and the activity
faults with one message ("the template exceeded 1,000,000 loop iterations"). python-liquid's own limits
are used where it has them (``loop_iteration_limit``, ``output_stream_limit``, ``local_namespace_limit``,
``block_nesting_limit``); the running count, the clock and the filter checks are this module's.
"""

from __future__ import annotations

import base64
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from io import StringIO
from typing import Any, TextIO
from urllib.parse import urlencode

from liquid import BoundTemplate, Environment, Mode, RenderContext, Undefined
from liquid.builtin.filters.misc import date as standard_date_filter
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.capture_tag import CaptureNode, CaptureTag
from liquid.builtin.tags.echo_tag import EchoNode, EchoTag
from liquid.exceptions import (
    BlockNestingError,
    ContextDepthError,
    LiquidError,
    LiquidSyntaxError,
    LocalNamespaceLimitError,
    LoopIterationLimitError,
    OutputStreamLimitError,
    ResourceLimitError,
)
from liquid.filter import with_context
from liquid.output import LimitedStringIO

from runtime.expressions.conversion import json_default, to_json_text
from runtime.expressions.errors import ExpressionError, ValueConversionError
from runtime.expressions.scope import ScriptScope

SYNTAX = "Liquid"


class LiquidModelError(LiquidError):
    """A template asked for something Elsa would fail on (an unknown activity, a server-only filter)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, token=None)


# --- the render budget ------------------------------------------------------------------------------

_MB = 1024 * 1024


@dataclass
class LiquidLimits:
    """What one render may use; change the module's :data:`limits` to change them for every render."""

    iterations: int = 1_000_000
    """Loop iterations of one render, all loops counted (a loop inside a loop multiplies)."""
    output: int = 16 * _MB
    """Bytes of text a render may write, and characters any one filter may return."""
    items: int = 1_000_000
    """Items of a list or range a filter may be given or return."""
    assigned: int = 64 * _MB
    """Bytes held by the template's own variables at once (``assign``, ``capture``)."""
    nesting: int = 30
    """Blocks (``if``, ``for``, ...) inside one another."""
    time_limit: float = 5.0
    """Seconds of rendering."""


limits = LiquidLimits()


class LiquidBudgetError(ResourceLimitError):
    """The render went past one of :data:`limits` (its message says which)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, token=None)


class _Budget:
    """The running count and the deadline of one render."""

    __slots__ = ("deadline", "iterations", "limits", "output", "small")

    def __init__(self, limits: LiquidLimits, output: StringIO) -> None:
        self.limits = limits
        self.output = output
        """The render's output: loops look at its size (``{{ … }}`` does after each write)."""
        self.iterations = 0
        self.deadline = time.monotonic() + limits.time_limit
        self.small = min(limits.output // 4, limits.items)
        """Values no longer than this are within every size limit (checked without looking further)."""

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise LiquidBudgetError(f"the template exceeded the time limit of {self.limits.time_limit:g} s")

    def check_filter_input(self, name: str, value: object) -> None:
        """A large value going into a filter: the clock (work on it takes time), then its size."""
        if isinstance(value, _SIZED) and len(value) > _LARGE:
            self.check_time()
            if len(value) > self.small:
                self.check_filter_value(name, value, True)

    def counted(self, items: Iterator[Any]) -> Iterator[Any]:
        """``items``, counting each against the iteration budget (and looking at the clock now and then)."""
        most = self.limits.iterations
        for item in items:
            self.iterations += 1
            if self.iterations > most:
                raise LiquidBudgetError(iterations_message(most))
            if not self.iterations & 63:
                self.check_time()
                if self.output.tell() > self.limits.output:
                    raise OutputStreamLimitError("output stream limit reached", token=None)
            yield item

    def check_filter_value(self, name: str, value: Any, given: bool) -> None:
        """A filter's input (``given``) or result: a list of at most ``items``, text of at most ``output``."""
        if isinstance(value, str):
            if len(value) > self.limits.output // 4 and len(value.encode("utf-8", "surrogatepass")) > (
                self.limits.output
            ):
                role = "was given" if given else "made"
                raise LiquidBudgetError(
                    f"the {name} filter {role} more than {_megabytes(self.limits.output)} of text"
                )
        elif isinstance(value, list | tuple | range) and len(value) > self.limits.items:
            role = "was given" if given else "made"
            raise LiquidBudgetError(
                f"the {name} filter {role} a list of {len(value):,} items (at most {self.limits.items:,})"
            )


_SIZED = (str, list, tuple, range)
_LARGE = 4096
"""A filter's input or result longer than this is looked at (the clock, the limits); shorter ones cost
nothing to check and little to work on."""


def iterations_message(most: int) -> str:
    return f"the template exceeded {most:,} loop iterations"


def _megabytes(size: int) -> str:
    return f"{size / _MB:g} MB"


_BUDGET: ContextVar[_Budget | None] = ContextVar("liquid_budget", default=None)


class _BudgetedContext(RenderContext):
    """A render context whose loops are counted against the render's :class:`_Budget`."""

    @contextmanager
    def loop(self, namespace: Mapping[str, object], forloop: Any) -> Iterator[RenderContext]:
        budget = _BUDGET.get()
        if budget is not None and hasattr(forloop, "it"):  # ForLoop, TableRow
            forloop.it = budget.counted(forloop.it)
        with super().loop(namespace, forloop) as context:
            yield context

    def get_buffer(self, buf: TextIO | None = None) -> StringIO:
        """A ``capture`` block's buffer: what is left of the output limit, newlines kept as written."""
        carry = buf.size if isinstance(buf, LimitedStringIO) else 0
        return _BudgetedOutput(limits.output - carry)


def _budgeted_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` checked against the running render's budget: the clock, and the size of what it is
    given and what it returns (python-liquid passes ``context``/``environment`` as it did before)."""

    def budgeted(left: object, *args: object, **kwargs: object) -> object:
        budget = _BUDGET.get()
        if budget is None:
            return function(left, *args, **kwargs)
        budget.check_filter_input(name, left)
        for argument in args:
            budget.check_filter_input(name, argument)
        result = function(left, *args, **kwargs)
        if isinstance(result, _SIZED) and len(result) > _LARGE:
            budget.check_filter_value(name, result, False)
        return result

    for marker in ("with_context", "with_environment"):
        if getattr(function, marker, False):
            setattr(budgeted, marker, True)
    budgeted.__name__ = getattr(function, "__name__", name)
    budgeted.__doc__ = getattr(function, "__doc__", None)
    return budgeted


class _BudgetedOutput(LimitedStringIO):
    """The render's output, limited like python-liquid's stream but counted in characters (cheaper than
    encoding every write; a character is a byte of the ASCII that templates mostly write), and keeping
    ``\r\n`` as written (python-liquid's stream translates newlines)."""

    def __init__(self, limit: int) -> None:
        StringIO.__init__(self)  # not LimitedStringIO's newline=None, which turns "\r\n" into "\n"
        self.limit = limit
        self.size = 0

    def write(self, text: str, /) -> int:
        if text:
            self.size += len(text)
            if self.size > self.limit:
                raise OutputStreamLimitError("output stream limit reached", token=None)
        return StringIO.write(self, text)


def _limit_message(error: LiquidError) -> str | None:
    """The budget message of a python-liquid resource error (None for other errors)."""
    if isinstance(error, LiquidBudgetError):
        return str(error.message)
    if isinstance(error, LoopIterationLimitError):
        return iterations_message(limits.iterations)
    if isinstance(error, OutputStreamLimitError):
        return f"the template exceeded {_megabytes(limits.output)} of output"
    if isinstance(error, LocalNamespaceLimitError):
        return f"the template's variables exceeded {_megabytes(limits.assigned)}"
    if isinstance(error, BlockNestingError):
        return f"the template nests blocks deeper than {limits.nesting} levels"
    if isinstance(error, ContextDepthError):
        return "the template renders itself too deeply"
    return None


# --- HTML encoding (System.Text.Encodings.Web HtmlEncoder.Default) -----------------------------------

_TO_ENCODE = re.compile(r"[^\x20\x21\x23-\x25\x28-\x2a\x2c-\x3b\x3d\x3f-\x7e]")
"""Everything but printable ASCII, plus ``" & ' + < >``: the encoder allows Basic Latin only and forbids
controls and those six characters."""
_NAMED = {'"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _entity(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        code = 0xFFFD  # a lone surrogate is not a scalar value; .NET writes the replacement character
    return f"&#x{code:X};"


def encode_html(text: str) -> str:
    """``text`` as Fluid writes encoded strings: ``"`` -> ``&quot;``, ``+`` -> ``&#x2B;``, é -> ``&#xE9;``."""
    return _TO_ENCODE.sub(_entity, text)


class RawText(str):
    """A string written as it is: Fluid's ``StringValue`` with ``Encode = false`` (``raw``, ``capture``)."""

    __slots__ = ()


# --- values as Fluid prints them --------------------------------------------------------------------


def _decimal_text(number: float) -> str:
    """A float as .NET's ``decimal`` prints it (Fluid keeps numbers as decimals): 2.0 -> '2', 0.5 -> '0.5'."""
    if not math.isfinite(number):
        return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
    value = Decimal(format(number, ".15g"))  # Convert.ToDecimal(double) keeps 15 significant digits
    return "0" if value == 0 else format(value, "f")


def _number_text(number: int | float) -> str:
    return str(number) if isinstance(number, int) else _decimal_text(number)


def _indented_json(value: Any) -> str:
    """An object as Newtonsoft's ``JObject.ToString()`` writes it (indented by two spaces)."""
    try:
        return _newtonsoft_escapes(json.dumps(value, indent=2, ensure_ascii=False, default=json_default))
    except (ValueConversionError, TypeError, ValueError):
        return str(value)  # no JSON form: .NET's Convert.ToString prints the object somehow too


def _newtonsoft_escapes(text: str) -> str:
    """Newtonsoft also escapes NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR inside strings."""
    if "\u0085" in text or "\u2028" in text or "\u2029" in text:
        text = text.replace("\u0085", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text


def plain_text(value: Any) -> str:
    """Fluid's ``ToStringValue``: the text of a value without encoding (what ``join``/``append`` see)."""
    if isinstance(value, str):
        return str.__str__(value)
    if value is None or isinstance(value, Undefined):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, list | tuple):
        return "".join(plain_text(item) for item in value)
    if isinstance(value, _Accessor):
        return ""
    if isinstance(value, Mapping):
        return _indented_json(unwrap(value))
    return str(value)


def output_text(value: Any) -> str:
    """What ``{{ value }}`` writes: encoded, except raw strings and arrays (Fluid writes those unencoded)."""
    if type(value) is str:
        return encode_html(value)
    if isinstance(value, RawText | list | tuple):
        return plain_text(value)
    return encode_html(plain_text(value))


class EncodedOutputNode(OutputNode):
    """``{{ … }}`` writing as Fluid's ``OutputStatement`` does; model errors get this statement's line."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        try:
            written = buffer.write(output_text(self.expression.evaluate(context)))
        except LiquidModelError as error:
            error.token = error.token or self.token
            raise
        if buffer.tell() > limits.output:
            raise OutputStreamLimitError("output stream limit reached", token=self.token)
        return written

    async def render_to_output_async(self, context: RenderContext, buffer: TextIO) -> int:
        try:
            return buffer.write(output_text(await self.expression.evaluate_async(context)))
        except LiquidModelError as error:
            error.token = error.token or self.token
            raise


class EncodedOutput(Output):
    """The ``{{ … }}`` tag, replaced so output is HTML-encoded as Elsa's Fluid writes it."""

    node_class = EncodedOutputNode


class EncodedEchoNode(EncodedOutputNode, EchoNode):
    """``{% echo %}``'s node, encoding as ``{{ … }}`` does."""


class EncodedEcho(EchoTag):
    """The ``{% echo %}`` tag, replaced so it encodes as Fluid does."""

    node_class = EncodedEchoNode


class RawCaptureNode(CaptureNode):
    """Fluid stores a captured block as a raw string: it was encoded while it was rendered."""

    def _assign(self, context: RenderContext, buf: StringIO) -> None:
        context.assign(self.name, RawText(buf.getvalue()))


class RawCapture(CaptureTag):
    """The ``{% capture %}`` tag, replaced so captured text is not encoded twice (:class:`RawCaptureNode`)."""

    node_class = RawCaptureNode


# --- workflow data: case-insensitive JSON objects ---------------------------------------------------


class CaseInsensitiveMapping(Mapping[str, Any]):
    """A JSON object as Fluid sees a ``JObject``: member names match in any case; nested data is wrapped."""

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
        return plain_text(self)


class CaseInsensitiveList(list[Any]):
    """A list whose object items are case-insensitive mappings; ``data`` is the original list."""

    def __init__(self, data: list[Any]) -> None:
        super().__init__(wrap(item) for item in data)
        self.data = data


def wrap(value: Any) -> Any:
    if isinstance(value, Mapping) and not isinstance(value, CaseInsensitiveMapping | _Accessor):
        return CaseInsensitiveMapping(value)
    if isinstance(value, list) and not isinstance(value, CaseInsensitiveList):
        return CaseInsensitiveList(value)
    return value


def unwrap(value: Any) -> Any:
    """The plain data behind a wrapped value (undefined -> None)."""
    if isinstance(value, CaseInsensitiveMapping | CaseInsensitiveList | _Strict):
        return value.data
    if isinstance(value, Undefined):
        return None
    return value


# --- the template model (Elsa's ActivityExecutionContext accessors) ---------------------------------


class _Accessor(Mapping[str, Any]):
    """One of Elsa's member accessors (``Variables``, ``Request``, ...): it prints as nothing."""

    __slots__ = ()

    def __str__(self) -> str:
        return ""


class _Strict(_Accessor):
    """A name lookup that is case-sensitive, like the .NET dictionaries behind it; values are wrapped."""

    __slots__ = ("data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def __getitem__(self, key: str) -> Any:
        return wrap(self.data[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


class _Activities(_Strict):
    """``Activities.<name>``: an activity of this workflow by its exact name; another name is an error."""

    __slots__ = ("names",)

    def __init__(self, scope: ScriptScope) -> None:
        super().__init__(scope.activities)
        self.names = scope.activity_names

    def __getitem__(self, key: str) -> Any:
        outputs = self.data.get(key)
        if outputs is not None:
            return _Strict(outputs)
        if self.names is None or key in self.names:
            return _Strict({})  # not run yet: every output is empty
        raise LiquidModelError(f'there is no activity named "{key}" (activity names are case-sensitive)')


_QUERY = "Query"


class _Request(_Accessor):
    """The HTTP module's ``Request``: the request that started the workflow (ASP.NET's ``HttpRequest``)."""

    __slots__ = ("model",)

    MEMBERS = (
        "QueryString",
        "ContentType",
        "ContentLength",
        "Form",
        "Protocol",
        "Path",
        "PathBase",
        "Host",
        "IsHttps",
        "Scheme",
        "Method",
        _QUERY,
    )

    def __init__(self, model: Mapping[str, Any] | None) -> None:
        self.model = model

    def __getitem__(self, key: str) -> Any:
        model = self.model
        if key == _QUERY:
            if model is None:
                raise LiquidModelError("Request.Query needs the HTTP request that started the workflow")
            return _Query(model.get("QueryString") or {})
        if model is None or key not in self.MEMBERS:
            raise KeyError(key)
        headers = CaseInsensitiveMapping(model.get("Headers") or {})
        content_type = str(headers.get("Content-Type") or "")
        if key == "QueryString":
            query = model.get("QueryString") or {}
            return "?" + urlencode(query, doseq=True) if query else ""
        if key == "ContentType":
            return content_type
        if key == "ContentLength":
            text = str(headers.get("Content-Length") or "0").strip()
            return int(text) if text.isdigit() else 0
        if key == "Form":
            form = content_type.split(";")[0].strip().lower()
            is_form = form in ("application/x-www-form-urlencoded", "multipart/form-data")
            return wrap(model.get("Body")) if is_form and isinstance(model.get("Body"), Mapping) else None
        if key == "Protocol":
            return "HTTP/1.1"
        if key == "PathBase":
            return ""
        if key == "Host":
            return str(headers.get("Host") or "")
        if key == "IsHttps":
            return False
        if key == "Scheme":
            return "http"
        return model.get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.MEMBERS)

    def __len__(self) -> int:
        return len(self.MEMBERS)


class _Query(_Accessor):
    """``Request.Query.<key>``: the values of a query parameter joined by commas ('' when absent)."""

    __slots__ = ("query",)

    def __init__(self, query: Mapping[str, Any]) -> None:
        self.query = CaseInsensitiveMapping(query)

    def __getitem__(self, key: str) -> str:
        value = self.query.get(key)
        if value is None:
            return ""
        return ",".join(map(str, value)) if isinstance(value, list) else str(value)

    def __iter__(self) -> Iterator[str]:
        return iter(self.query)

    def __len__(self) -> int:
        return len(self.query)


_MODEL_NAMES = (
    "Variables",
    "Input",
    "Activities",
    "WorkflowInstanceId",
    "WorkflowDefinitionId",
    "WorkflowDefinitionVersion",
    "CorrelationId",
    "WorkflowContextId",
    "ActivityId",
    "Request",
)
_MODEL_NAMES_LOWER = {name.lower(): name for name in _MODEL_NAMES}


class _Model(Mapping[str, Any]):
    """The template's global names, resolved on use."""

    __slots__ = ("scope",)

    def __init__(self, scope: ScriptScope) -> None:
        self.scope = scope

    def __getitem__(self, key: str) -> Any:
        scope = self.scope
        if key == "Variables":
            transient = scope.transient_variables
            return _Strict({**scope.variables, **transient} if transient else scope.variables)
        if key == "Input":
            return wrap(scope.input)
        if key == "Activities":
            return _Activities(scope)
        if key == "WorkflowInstanceId":
            return scope.workflow_instance_id
        if key == "WorkflowDefinitionId":
            return scope.workflow_definition_id
        if key == "WorkflowDefinitionVersion":
            return scope.workflow_definition_version
        if key == "CorrelationId":
            return scope.correlation_id
        if key == "ActivityId":
            return scope.activity_id
        if key == "Request":
            return _Request(scope.http_request)
        if key == "WorkflowContextId":
            return None
        return self._other(key)

    def _other(self, key: str) -> Any:
        """Elsa reads any other top-level name as an activity name (``{{ auth.Output }}``)."""
        scope = self.scope
        outputs = scope.activities.get(key)
        if outputs is not None:
            return _Strict(outputs)
        if scope.activity_names is not None and key in scope.activity_names:
            return _Strict({})
        if key == "Configuration":
            raise LiquidModelError(
                "Configuration is not available: Elsa exposes it only when the server enables "
                "configuration access, and there is no .NET configuration locally"
            )
        proper = _MODEL_NAMES_LOWER.get(key.lower()) if isinstance(key, str) else None
        if proper is not None:
            raise LiquidModelError(f'"{key}" is not defined: names are case-sensitive, use "{proper}"')
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(_MODEL_NAMES)

    def __len__(self) -> int:
        return len(_MODEL_NAMES)


def _scope_of(context: RenderContext) -> ScriptScope:
    model = context.globals
    if not isinstance(model, _Model):
        raise LiquidModelError("this filter needs a workflow")
    return model.scope


# --- Elsa's filters ---------------------------------------------------------------------------------


def _json_text(value: Any) -> str:
    try:
        return _newtonsoft_escapes(to_json_text(value))
    except ValueConversionError as error:
        raise TypeError(str(error)) from None  # python-liquid reports a filter's TypeError with its line


def _json_number(number: int | float) -> str:
    """A Fluid number (a .NET decimal) as Newtonsoft writes it: always with a decimal point (5 -> 5.0)."""
    text = _number_text(number)
    return text if "." in text or not math.isfinite(number) else text + ".0"


def _json_item(value: Any) -> str:
    """An array item as Newtonsoft writes the object values of Fluid's array items."""
    value = unwrap(value)
    if isinstance(value, bool) or value is None:
        return _json_text(value)
    if isinstance(value, int | float):
        return _json_number(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_json_item(item) for item in value) + "]"
    return _json_text(value)


def json_filter(value: Any) -> Any:
    """Elsa's ``json``: compact JSON; numbers get a decimal point, blank strings stay as they are."""
    plain = unwrap(value)
    if plain is None:
        return "null"
    if isinstance(plain, str):
        return value if not plain.strip() else _newtonsoft_escapes(json.dumps(str(plain), ensure_ascii=False))
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, int | float):
        return _json_number(plain)
    if isinstance(plain, list | tuple):
        return _json_item(plain)
    return _json_text(plain)


def base64_filter(value: Any) -> Any:
    """Elsa's ``base64``: the UTF-8 bytes of the value's text, base64-encoded (nothing for nil)."""
    plain = unwrap(value)
    if plain is None:
        return None
    if isinstance(plain, str):
        text = str(plain)
    elif isinstance(plain, bool):
        text = "True" if plain else "False"  # .NET's Boolean.ToString()
    elif isinstance(plain, int | float):
        text = _number_text(plain)
    elif isinstance(plain, list | tuple):
        text = _json_item(plain)
    else:
        text = _json_text(plain)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def raw_filter(value: Any) -> RawText:
    """Fluid's ``raw``: the value's text, written without encoding."""
    return RawText(plain_text(value))


@with_context
def workflow_definition_id_filter(
    value: Any, query: Any = "name", *_tenant: Any, context: RenderContext
) -> str:
    """Elsa's ``workflow_definition_id``: the id of the workflow with that name (or ``: "tag"``)."""
    scope = _scope_of(context)
    kind = plain_text(query)
    table: Mapping[str, str | None]
    if kind == "name":
        table = scope.workflow_ids_by_name
    elif kind == "tag":
        table = scope.workflow_ids_by_tag
    else:
        raise LiquidModelError(f'workflow_definition_id: expected "name" or "tag", not "{kind}"')
    return table.get(plain_text(value)) or ""


@with_context
def output_filter(value: Any, *names: Any, context: RenderContext) -> Any:
    """Elsa's ``output``: ``{{ "ActivityName" | output: "Output" }}`` reads a named activity's output."""
    if not names:
        raise LiquidModelError('output: name the output to read, e.g. output: "Output"')
    activity = _Activities(_scope_of(context))[plain_text(value)]
    return activity.get(plain_text(names[0]))


@with_context
def date_filter(value: Any, *args: Any, context: RenderContext) -> Any:
    """The standard ``date``, with ``"now"`` and ``"today"`` read from a recorded test's frozen clock."""
    model = context.globals
    if value in ("now", "today") and isinstance(model, _Model) and model.scope.frozen_now is not None:
        value = datetime.fromtimestamp(model.scope.frozen_now / 1000.0)
    return standard_date_filter(value, *args, environment=context.env)


def _server_only(name: str) -> Any:
    def fail(_value: Any, *_args: Any) -> Any:
        raise LiquidModelError(
            f"the {name} filter is not supported locally: signals need an Elsa server's signal endpoints"
        )

    return fail


class _ElsaEnvironment(Environment):
    """python-liquid set up as Elsa sets Fluid up: its filters, Fluid's encoding, lenient filters; its
    resource limits read from :data:`limits`."""

    context_class = _BudgetedContext

    @property
    def loop_iteration_limit(self) -> int:  # type: ignore[override]
        return limits.iterations

    @property
    def output_stream_limit(self) -> int:  # type: ignore[override]
        return limits.output

    @property
    def local_namespace_limit(self) -> int:  # type: ignore[override]
        return limits.assigned

    @property
    def block_nesting_limit(self) -> int:  # type: ignore[override]
        return limits.nesting

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=extra)
        self.add_tag(EncodedOutput)
        self.add_tag(EncodedEcho)
        self.add_tag(RawCapture)
        self.filters["json"] = json_filter
        self.filters["base64"] = base64_filter
        self.filters["raw"] = raw_filter
        self.filters["workflow_definition_id"] = workflow_definition_id_filter
        self.filters["output"] = output_filter
        self.filters["date"] = date_filter
        self.filters["signal_token"] = _server_only("signal_token")
        self.filters["signal_url"] = _server_only("signal_url")
        self.filters = {name: _budgeted_filter(name, function) for name, function in self.filters.items()}


_environment_lock = threading.Lock()
_ENVIRONMENT = _ElsaEnvironment(tolerance=Mode.STRICT, undefined=Undefined, strict_filters=False)


@lru_cache(maxsize=1024)
def _compiled(text: str) -> BoundTemplate:
    with _environment_lock:
        return _ENVIRONMENT.from_string(text)


_MAY_LOOP_OR_FILTER = re.compile(r"\||\{%-?\s*(?:for|tablerow|liquid)\b")


@lru_cache(maxsize=1024)
def _needs_budget(text: str) -> bool:
    """Whether a template can loop or call filters; one that cannot does as much work as it is long (its
    output is still limited), so it renders without the counting."""
    return _MAY_LOOP_OR_FILTER.search(text) is not None


def parse_template(text: str) -> BoundTemplate:
    """Parse ``text`` as a template (cached) without rendering it; raises LiquidError on a syntax error."""
    try:
        return _compiled(text)
    except RecursionError:
        raise LiquidSyntaxError("the template is nested too deeply", token=None) from None


def render_liquid(text: str, scope: ScriptScope) -> str | None:
    """Render ``text`` against the scope; blank output is None (Elsa's handler returns null then).

    Raises ExpressionError with the template line on errors.
    """
    if not text.strip():
        return None
    buffer = StringIO()  # newline="\n", the default: written as given ("\r\n" stays)
    reset = _BUDGET.set(_Budget(limits, buffer) if _needs_budget(text) else None)
    try:
        template = parse_template(text)
        context = _BudgetedContext(template, globals=_Model(scope))
        template.render_with_context(context, buffer)
        if buffer.tell() > limits.output:
            raise OutputStreamLimitError("output stream limit reached", token=None)
    except LiquidError as error:
        raise _liquid_error(error) from None
    except RecursionError:
        raise ExpressionError(SYNTAX, "the template or its data is nested too deeply") from None
    except MemoryError:
        raise ExpressionError(SYNTAX, "the template ran out of memory") from None
    finally:
        _BUDGET.reset(reset)
    result = buffer.getvalue()
    return result if result.strip() else None


def _liquid_error(error: LiquidError) -> ExpressionError:
    context = error.context()
    line = context[0] if context is not None else None
    return ExpressionError(SYNTAX, _limit_message(error) or str(error.message), line)
