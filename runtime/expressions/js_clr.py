"""JavaScript stand-ins for the .NET types Elsa 2 registers in its script engine, and its date functions.

Elsa 2.15 (``src/scripting/Elsa.Scripting.JavaScript/Handlers/ConfigureJavaScriptEngine.cs``) registers
NodaTime's ``Instant``, ``Duration``, ``Period``, ``LocalDate``, ``LocalTime`` and ``LocalDateTime``, and
``Guid`` and ``Encoding``; ``ConfigureJavaScriptEngineWithDateTimeFeatures.cs`` adds functions returning
NodaTime values. Jint shows such values as .NET objects: members match with the first letter in either case
(``Duration.FromSeconds`` or ``Duration.fromSeconds``), ``toString()`` is the .NET ``ToString()``, and a
value a script returns or stores is written by Elsa's JSON settings, which use NodaTime's converters
(``ConfigureForNodaTime``): an Instant as ``InstantPattern.ExtendedIso`` ("2024-01-31T10:00:00Z"), a
Duration as ``DurationPattern.JsonRoundtrip`` ("1:30:00"), a Period as ``PeriodPattern.Roundtrip``, a
LocalDate as ``uuuu-MM-dd``. These stand-ins keep that: ``toString()`` formats as NodaTime does (the
invariant culture) and ``toJSON()`` as the converters do. Values keep NodaTime's nanosecond precision.

Arguments are converted as Jint converts them for a .NET parameter: a number for an ``int``/``long`` is
rounded half to even (``Convert.ChangeType``), a missing argument is the type's default (0, the Unix epoch,
a zero Duration), an explicit null or undefined for a non-nullable type is an error. One lenience: where
an Instant, Duration or LocalDate is expected, the text those values are stored as is accepted too,
because a variable holding one becomes that text between activities here (JSON state), while in Elsa it
stays a .NET value within a run.

``CLR_TYPES`` is the text of a JavaScript function that builds everything and returns it (``clr_types.js``
beside this module, read with :mod:`importlib.resources`); the prelude calls it once per context. Every
function is named ``__fd...`` so error stacks tell its frames from the user's.
"""

from __future__ import annotations

from importlib.resources import files

CLR_TYPES = files(__package__).joinpath("clr_types.js").read_text("utf-8")
"""The JavaScript function expression (``function __fdClrTypes() {...}``) the prelude calls."""
