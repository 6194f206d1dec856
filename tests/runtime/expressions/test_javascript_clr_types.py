"""Elsa 2's date and time functions and the .NET types it registers for JavaScript, with real QuickJS.

Oracles, under Elsa 2.15's ``src/``:
``scripting/Elsa.Scripting.JavaScript/Handlers/ConfigureJavaScriptEngineWithDateTimeFeatures.cs`` (the
functions), ``.../Handlers/ConfigureJavaScriptEngine.cs`` (``RegisterType<Instant>()`` ...
``RegisterType<Encoding>()``) and ``core/Elsa.Core/Serialization/DefaultContentSerializer.cs``
(``ConfigureForNodaTime``). The text forms are NodaTime 3.0.9's (the version
``core/Elsa.Abstractions/Elsa.Abstractions.csproj`` references): ``InstantPattern.ExtendedIso`` and the
other converters of NodaTime.Serialization.JsonNet 3.0 for JSON, the types' default patterns for
``ToString()``. Jint's argument conversion is Jint 3.0.0-beta-2037's ``DefaultTypeConverter`` (a number
for an integer parameter goes through ``Convert.ChangeType``; a missing argument is the parameter type's
default).
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest

from runtime.expressions import ExpressionError, ScriptScope, evaluate


def js(text: str, scope: ScriptScope | None = None, value_type: str = "any") -> Any:
    return evaluate("JavaScript", text, scope if scope is not None else ScriptScope(variables={}), value_type)


def error_of(text: str) -> str:
    with pytest.raises(ExpressionError) as caught:
        js(text)
    return caught.value.message


AT = "instantFromUtc(2024, 1, 31, 10, 5, 7)"


# --- Instant ----------------------------------------------------------------------------------------


def test_an_instant_is_written_as_extended_iso_and_printed_with_the_general_pattern() -> None:
    """JSON: ``InstantPattern.ExtendedIso`` ("uuuu-MM-ddTHH:mm:ss;FFFFFFFFF'Z'", the fraction only as long
    as needed); ``Instant.ToString()``: the general pattern "g" (no fraction)."""
    assert js(AT) == "2024-01-31T10:05:07Z"
    assert js(f"{AT}.PlusTicks(1234500)") == "2024-01-31T10:05:07.12345Z"
    assert js(f"[String({AT}.PlusTicks(1234500)), 'at ' + {AT}, `${{{AT}}}`]") == [
        "2024-01-31T10:05:07Z",
        "at 2024-01-31T10:05:07Z",
        "2024-01-31T10:05:07Z",
    ]
    assert js(f"JSON.stringify({{at: {AT}}})") == '{"at":"2024-01-31T10:05:07Z"}'
    assert js(AT, value_type="string") == "2024-01-31T10:05:07Z"


def test_instants_compare_in_time_order() -> None:
    """Jint compares .NET values through ``valueOf``/``toString``; here a number hint gives milliseconds."""
    assert js(
        f"[{AT} < addDurationTo({AT}, durationFromSeconds(1)), {AT}.CompareTo({AT}), {AT}.Equals({AT})]"
    ) == [
        True,
        0,
        True,
    ]


def test_instant_from_utc_takes_six_integers_and_defaults_missing_ones() -> None:
    """``instantFromUtc`` is ``Instant.FromUtc(int x6)``: Jint passes 0 for a missing int argument and
    rounds a fraction half to even (``Convert.ChangeType``); NodaTime rejects an impossible date."""
    assert js("instantFromUtc(2024, 2, 29)") == "2024-02-29T00:00:00Z"
    assert js("instantFromUtc(2024, 2, 29, 12.5, '30')") == "2024-02-29T12:30:00Z"
    assert js("instantFromUtc(2024, 2, 29, 13.5)") == "2024-02-29T14:00:00Z"
    assert (
        error_of("instantFromUtc(2023, 2, 29)")
        == "RangeError: instantFromUtc: day 29 is out of range (1 to 28)"
    )
    assert error_of("instantFromUtc(2024, 1, 1, 0, 0, null)") == (
        "TypeError: instantFromUtc: the second is null (a number is needed)"
    )


def test_instant_from_date_time_utc_takes_a_javascript_date() -> None:
    """``instantFromDateTimeUtc`` is ``Instant.FromDateTimeUtc(DateTime)``: Jint turns a JS Date into a UTC
    DateTime; text does not become one."""
    assert (
        js("instantFromDateTimeUtc(new Date(Date.UTC(2024, 0, 31, 10, 5, 7, 250)))")
        == "2024-01-31T10:05:07.25Z"
    )
    assert error_of("instantFromDateTimeUtc('2024-01-31')").startswith(
        "TypeError: instantFromDateTimeUtc: expected a JavaScript Date"
    )


def test_current_instant_and_current_year_read_the_clock() -> None:
    """``currentInstant`` is ``IClock.GetCurrentInstant()``; ``currentYear`` its year in UTC."""
    before = dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(js("currentInstant()").replace("Z", "+00:00"))
    after = dt.datetime.now(dt.UTC)
    assert before - dt.timedelta(seconds=1) <= moment <= after + dt.timedelta(seconds=1)
    assert js("currentYear()") in {before.year, after.year}


# --- month boundaries: LocalDate results --------------------------------------------------------------


def test_month_functions_return_local_dates_and_take_null_for_now() -> None:
    """``startOfMonth``/``endOfMonth``/``startOfPreviousMonth`` take an ``Instant?`` (null or missing: now)
    and return a LocalDate (JSON "uuuu-MM-dd"); the previous month is the month of (start of month - 14
    days)."""
    assert js(
        f"[startOfMonth({AT}), endOfMonth(instantFromUtc(2024, 2, 10)),"
        " endOfMonth(instantFromUtc(2023, 2, 1))]"
    ) == [
        "2024-01-01",
        "2024-02-29",
        "2023-02-28",
    ]
    assert js(
        "[startOfPreviousMonth(instantFromUtc(2024, 3, 31)),"
        " startOfPreviousMonth(instantFromUtc(2024, 1, 5))]"
    ) == [
        "2024-02-01",
        "2023-12-01",
    ]
    today = dt.datetime.now(dt.UTC).date()
    first = today.replace(day=1).isoformat()
    assert js("[startOfMonth(null), startOfMonth(), startOfMonth(undefined)]") == [first, first, first]
    assert js("startOfMonth().Day") == 1


def test_a_local_date_prints_with_the_long_date_pattern() -> None:
    """``LocalDate.ToString()`` uses the "D" pattern of the culture (here the invariant one,
    "dddd, dd MMMM yyyy"); JSON uses ``LocalDatePattern.Iso``."""
    assert js("'' + startOfMonth(instantFromUtc(2024, 2, 10))") == "Thursday, 01 February 2024"
    assert js("startOfMonth(instantFromUtc(2024, 2, 10)).ToString('R')") == "2024-02-01"


# --- durations --------------------------------------------------------------------------------------


def test_durations_from_whole_units_round_a_fraction_half_to_even() -> None:
    """``durationFromSeconds(long)``, ``durationFromMinutes(long)``, ``durationFromHours(int)``,
    ``durationFromDays(int)``: Jint converts the number first. JSON: ``DurationPattern.JsonRoundtrip``
    ("-H:mm:ss.FFFFFFFFF"); ``ToString()``: ``DurationPattern.Roundtrip`` ("-D:hh:mm:ss.FFFFFFFFF")."""
    assert js(
        "[durationFromSeconds(2.5), durationFromSeconds(3.5), durationFromMinutes(90), durationFromHours(50)]"
    ) == [
        "0:00:02",
        "0:00:04",
        "1:30:00",
        "50:00:00",
    ]
    assert js(
        "[durationFromDays(2).toString(), String(durationFromSeconds(-90)),"
        " durationFromSeconds().TotalSeconds]"
    ) == [
        "2:00:00:00",
        "-0:00:01:30",
        0,
    ]
    assert js("durationFromMinutes(90)", value_type="duration") == 5400.0


def test_add_and_subtract_durations_and_the_duration_between_two_instants() -> None:
    """``addDurationTo``/``subtractDurationFrom`` are ``Instant.Plus``/``Minus``; ``durationBetween(a, b)`` is
    ``a - b`` (so an earlier first instant gives a negative duration)."""
    assert js(f"addDurationTo({AT}, durationFromMinutes(90))") == "2024-01-31T11:35:07Z"
    assert js(f"subtractDurationFrom({AT}, Duration.FromMilliseconds(7500))") == "2024-01-31T10:04:59.5Z"
    assert js(f"durationBetween({AT}, instantFromUtc(2024, 1, 30, 10, 5, 7))") == "24:00:00"
    assert js(f"durationBetween(instantFromUtc(2024, 1, 30, 10, 5, 7), {AT}).TotalHours") == -24


def test_date_functions_reject_values_of_the_wrong_type_clearly() -> None:
    """Jint cannot turn a number into a Duration, nor a JS Date into an Instant."""
    assert error_of(f"addDurationTo({AT}, 60)") == (
        "TypeError: addDurationTo: the duration must be a Duration, not number 60 "
        "(make one with durationFromSeconds(60))"
    )
    assert error_of("addDurationTo(new Date(), durationFromSeconds(1))") == (
        "TypeError: addDurationTo: the instant must be an Instant, not a JavaScript Date "
        "(make one with instantFromDateTimeUtc(date))"
    )


def test_an_instant_stored_in_a_variable_can_be_used_again() -> None:
    """In Elsa a variable keeps the .NET Instant during a run; here variables are JSON between activities,
    so the text an Instant (or Duration) is stored as is accepted where one is expected."""
    scope = ScriptScope(variables={})
    js(
        f"setVariable('expires', addDurationTo({AT}, durationFromMinutes(60)));"
        " setVariable('d', durationFromMinutes(5))",
        scope,
    )
    assert scope.variables == {"expires": "2024-01-31T11:05:07Z", "d": "0:05:00"}
    assert (
        js("subtractDurationFrom(getVariable('expires'), getVariable('d'))", scope) == "2024-01-31T11:00:07Z"
    )
    assert js("addDurationTo('2024-01-31T10:00:00+01:00', durationFromSeconds(0))") == "2024-01-31T09:00:00Z"


# --- formatting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "expected"), [
    ("yyyy-MM-dd", "2024-01-31"),
    ("dd/MM/yyyy HH:mm", "31/01/2024 10:05"),
    ("dddd d MMMM yy", "Wednesday 31 January 24"),
    ("ddd, MMM d h:mm tt", "Wed, Jan 31 10:05 AM"),
    ("uuuu-MM-dd'T'HH:mm:ss.fff", "2024-01-31T10:05:07.000"),
    ("HH:mm:ss.FFF", "10:05:07"),
    ("'Day' d", "Day 31"),
    ("g", "2024-01-31T10:05:07Z"),
])  # fmt: skip
def test_format_instant_uses_nodatime_patterns(pattern: str, expected: str) -> None:
    """``formatInstant(instant, format, culture)`` is ``instant.ToString(format, culture ?? Invariant)``:
    NodaTime's custom LocalDateTime patterns, or "g" (the only standard pattern of an Instant)."""
    assert js(f"formatInstant({AT}, {pattern!r})") == expected


def test_format_instant_errors_are_those_of_nodatime_patterns() -> None:
    """An unquoted letter that is no field, or an unknown standard pattern, is an InvalidPatternException;
    the only culture here is ``currentCulture`` (the invariant culture)."""
    assert "the character Q is not a format specifier" in error_of(f"formatInstant({AT}, 'yyyy Q')")
    assert '"d" is not a standard pattern of Instant' in error_of(f"formatInstant({AT}, 'd')")
    assert js(f"formatInstant({AT}, 'yyyy', currentCulture)") == "2024"
    assert "the culture must be currentCulture" in error_of(f"formatInstant({AT}, 'yyyy', 'en-US')")


def test_local_date_from_instant_and_back() -> None:
    """``localDateFromInstant`` is the instant's UTC date; ``instantFromLocalDate`` the start of that day
    in UTC."""
    assert js("localDateFromInstant(instantFromUtc(2024, 3, 31, 23, 59))") == "2024-03-31"
    assert js("instantFromLocalDate(new LocalDate(2024, 3, 31))") == "2024-03-31T00:00:00Z"


def test_period_from_now_counts_whole_years_months_and_days_to_today() -> None:
    """``periodFromNow(i)`` is ``Period.Between(i's UTC date, today's UTC date)``; JSON and ``ToString()``
    are ``PeriodPattern.Roundtrip``."""
    today = dt.datetime.now(dt.UTC).date()
    start = dt.date(today.year - 2, today.month, 1)
    days = (today - today.replace(day=1)).days
    expected = "P2Y" + (f"{days}D" if days else "")
    assert js(f"periodFromNow(instantFromUtc({start.year}, {start.month}, 1))") == expected


# --- the registered types ---------------------------------------------------------------------------


def test_duration_type() -> None:
    """NodaTime ``Duration``: ``FromX(double)`` keeps the fraction, components truncate towards zero with
    the duration's sign, totals are doubles; Jint matches ``fromSeconds`` to ``FromSeconds``."""
    assert js("Duration.FromSeconds(10)", value_type="duration") == 10.0
    assert js(
        "[Duration.FromSeconds(10.5), Duration.fromMinutes(1).totalSeconds, Duration.Zero,"
        " Duration.FromHours(-1.5).Minutes]"
    ) == [
        "0:00:10.5",
        60,
        "0:00:00",
        -30,
    ]
    assert js("Duration.FromDays(1).Plus(Duration.FromHours(1)).ToString('j')") == "25:00:00"


def test_period_type() -> None:
    """NodaTime ``Period``: Between dates counts years, months, days; ``Normalize`` turns weeks into days;
    a period with months has no duration."""
    assert js("Period.Between(new LocalDate(2024, 1, 31), new LocalDate(2024, 3, 1))") == "P1M1D"
    assert js("Period.FromWeeks(1).Plus(Period.FromHours(25)).Normalize()") == "P8DT1H"
    assert js("[Period.FromDays(2).ToDuration(), Period.Zero.ToString(), Period.FromMonths(3).Months]") == [
        "48:00:00",
        "P",
        3,
    ]
    assert "non-zero" not in error_of("Period.FromMonths(1).ToDuration()")
    assert "has no fixed duration" in error_of("Period.FromMonths(1).ToDuration()")


def test_local_date_time_and_date_time_types() -> None:
    """NodaTime ``LocalDate`` (months keep the day where they can), ``LocalTime`` ("T" pattern, JSON
    ``ExtendedIso``) and ``LocalDateTime`` ("G" pattern, JSON ``ExtendedIso``); IsoDayOfWeek is 1 (Monday)
    to 7 (Sunday)."""
    assert js("[new LocalDate(2024, 1, 31).PlusMonths(1), new LocalDate(2024, 2, 29).PlusYears(1)]") == [
        "2024-02-29",
        "2025-02-28",
    ]
    assert js("[new LocalDate(2024, 1, 28).DayOfWeek, new LocalDate(2024, 1, 29).dayOfWeek]") == [7, 1]
    assert js(
        "[new LocalTime(9, 5, 7, 120), String(new LocalTime(9, 5)), new LocalTime(23, 0).PlusHours(2)]"
    ) == [
        "09:05:07.12",
        "09:05:00",
        "01:00:00",
    ]
    assert js("[new LocalDateTime(2024, 1, 31, 10, 5), String(new LocalDateTime(2024, 1, 31, 10, 5))]") == [
        "2024-01-31T10:05:00",
        "01/31/2024 10:05:00",
    ]
    assert js(f"{AT}.InUtc().Date.PlusDays(1)") == "2024-02-01"
    assert (
        error_of("new LocalDate(2024, 13, 1)")
        == "RangeError: new LocalDate: month 13 is out of range (1 to 12)"
    )


def test_guid_type() -> None:
    """``System.Guid``: ``NewGuid``, ``Parse`` (N, D, B and P forms), ``Empty``, ``ToString(format)``;
    Json.NET writes a Guid in the D form."""
    text = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert js(f"Guid.Parse('({text.upper()})')") == text
    assert js(
        f"[new Guid('{text}').ToString('B'), Guid.Empty.ToString('N'), Guid.NewGuid().ToString().length]"
    ) == [
        "{" + text + "}",
        "0" * 32,
        36,
    ]


def test_encoding_type() -> None:
    """``System.Text.Encoding``: ``GetBytes`` gives a byte array (Json.NET writes bytes as base64, Jint keeps
    ``byte[]`` a .NET object: scripting/Elsa.Scripting.JavaScript/Converters/Jint/ByteArrayConverter.cs),
    ``GetString`` reads one; ASCII writes "?" for what it cannot encode."""
    text = "héllo €"
    assert js(f"Encoding.UTF8.GetBytes('{text}')") == base64.b64encode(text.encode()).decode()
    assert js(
        f"[Encoding.UTF8.GetBytes('{text}').Length,"
        f" Encoding.UTF8.GetString(Encoding.UTF8.GetBytes('{text}'))]"
    ) == [
        len(text.encode()),
        text,
    ]
    assert js(
        "[Encoding.ASCII.GetString(Encoding.ASCII.GetBytes('hé')), [...Encoding.Unicode.GetBytes('A')]]"
    ) == [
        "h?",
        [65, 0],
    ]
    assert js("[Encoding.GetEncoding('utf-8').WebName, Encoding.UTF8.CodePage]") == ["utf-8", 65001]


def test_registered_types_cannot_be_changed_for_later_evaluations() -> None:
    """Contexts are pooled: what one script does to a type must not reach the next script."""
    js("try { Instant.FromUtc = null; Duration.prototype.Plus = null; } catch (e) {} 1")
    js("try { Object.defineProperty(activityExecutionContext, 'x', {value: 1}); } catch (e) {} 1")
    assert js(
        "[typeof Instant.FromUtc, typeof durationFromSeconds(1).Plus, 'x' in activityExecutionContext]"
    ) == [
        "function",
        "function",
        False,
    ]
