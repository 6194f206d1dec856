/* The .NET types Elsa 2 registers in its script engine (loaded by js_clr.py). */ function __fdClrTypes() {
  "use strict";
  const V = Symbol("value");
  const NS_PER_TICK = 100n, NS_PER_MS = 1000000n, NS_PER_S = 1000000000n;
  const NS_PER_MIN = 60n * NS_PER_S, NS_PER_H = 60n * NS_PER_MIN, NS_PER_DAY = 24n * NS_PER_H;
  const NS_PER_DAY_N = 86400e9;
  const INT_MAX = 2147483647;
  const MIN_DAY = __fdDaysFromCivil(-9998, 1, 1), MAX_DAY = __fdDaysFromCivil(9999, 12, 31);
  const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const LONG_DAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  const SHORT_DAYS = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  // The invariant culture's .NET patterns (DateTimeFormatInfo.InvariantInfo).
  const SHORT_DATE = "MM/dd/yyyy", LONG_DATE = "dddd, dd MMMM yyyy", MONTH_DAY = "MMMM dd";
  const SHORT_TIME = "HH:mm", LONG_TIME = "HH:mm:ss";
  const INSTANT_GENERAL = "uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'";
  const INSTANT_EXTENDED_ISO = "uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF'Z'";
  const LOCAL_DATE_ISO = "uuuu'-'MM'-'dd";
  const LOCAL_DATE_TIME_EXTENDED_ISO = "uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF";
  const LOCAL_TIME_EXTENDED_ISO = "HH':'mm':'ss;FFFFFFFFF";

  // --- errors and argument conversion ---------------------------------------------------------------

  function __fdTypeError(where, message) { return new TypeError(where + ": " + message); }
  function __fdRangeError(where, message) { return new RangeError(where + ": " + message); }

  function __fdDescribe(value) {
    if (value === null || value === undefined) return String(value);
    if (typeof value === "string") {
      return JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value);
    }
    if (value instanceof Date) return "a JavaScript Date";
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== null && typeof prototype === "object" && typeof prototype.__fdTypeName === "string") {
      return "a " + prototype.__fdTypeName;
    }
    if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
    return typeof value + " " + String(value);
  }

  function __fdRoundHalfEven(number) {
    const floor = Math.floor(number), rest = number - floor;
    if (rest !== 0.5) return rest > 0.5 ? floor + 1 : floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  // A .NET int or long parameter: Jint's Convert.ChangeType rounds a number half to even, parses digits.
  function __fdInteger(value, where, what, limit) {
    let number;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw __fdRangeError(where, what + " " + value + " is not a whole number");
      number = __fdRoundHalfEven(value);
    } else if (typeof value === "bigint") {
      number = Number(value);
    } else if (typeof value === "boolean") {
      number = value ? 1 : 0;
    } else if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) {
      number = Number(value);
    } else if (value === null || value === undefined) {
      throw __fdTypeError(where, what + " is " + value + " (a number is needed)");
    } else {
      throw __fdTypeError(where, what + " must be a number, not " + __fdDescribe(value));
    }
    if (Math.abs(number) > (limit || Number.MAX_SAFE_INTEGER)) {
      throw __fdRangeError(where, what + " " + number + " is out of range");
    }
    return number;
  }

  // Several int parameters; a missing one is 0 (Jint passes the type's default).
  function __fdIntegers(args, where, names) {
    return names.map(function __fdIntegerArgument(name, index) {
      return index < args.length ? __fdInteger(args[index], where, name, INT_MAX) : 0;
    });
  }

  // --- the proleptic Gregorian calendar, as days since 1970-01-01 -------------------------------------

  function __fdDaysFromCivil(year, month, day) {
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400);
    const yearOfEra = y - era * 400;
    const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
    const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
  }

  function __fdCivilFromDays(days) {
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const dayOfEra = z - era * 146097;
    const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) / 365);
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const shifted = Math.floor((5 * dayOfYear + 2) / 153);
    const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
    const month = shifted < 10 ? shifted + 3 : shifted - 9;
    return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
  }

  function __fdIsLeap(year) { return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0; }

  function __fdDaysInMonth(year, month) {
    return month === 2 && __fdIsLeap(year) ? 29 : MONTH_LENGTHS[month - 1];
  }

  // NodaTime's IsoDayOfWeek: Monday 1 ... Sunday 7 (1970-01-01 was a Thursday).
  function __fdDayOfWeek(days) { return ((((days + 3) % 7) + 7) % 7) + 1; }

  function __fdCheckRange(where, what, value, low, high) {
    if (value < low || value > high) {
      throw __fdRangeError(where, what + " " + value + " is out of range (" + low + " to " + high + ")");
    }
  }

  function __fdCheckDate(year, month, day, where) {
    __fdCheckRange(where, "year", year, -9998, 9999);
    __fdCheckRange(where, "month", month, 1, 12);
    __fdCheckRange(where, "day", day, 1, __fdDaysInMonth(year, month));
  }

  function __fdCheckTime(hour, minute, second, millisecond, where) {
    __fdCheckRange(where, "hour", hour, 0, 23);
    __fdCheckRange(where, "minute", minute, 0, 59);
    __fdCheckRange(where, "second", second, 0, 59);
    __fdCheckRange(where, "millisecond", millisecond, 0, 999);
  }

  // Adds months keeping the day of the month where the month is long enough (Jan 31 + 1 month = Feb 29).
  function __fdAddMonths(days, months) {
    const [year, month, day] = __fdCivilFromDays(days);
    const index = year * 12 + (month - 1) + months;
    const newYear = Math.floor(index / 12), newMonth = index - newYear * 12 + 1;
    return __fdDaysFromCivil(newYear, newMonth, Math.min(day, __fdDaysInMonth(newYear, newMonth)));
  }

  // --- members as Jint shows .NET members: the first letter in either case ---------------------------

  function __fdAliases(name) {
    const first = name[0];
    const other = first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase();
    return other === first ? [name] : [name, other + name.slice(1)];
  }

  function __fdMethods(target, methods) {
    for (const name of Object.keys(methods)) {
      for (const alias of __fdAliases(name)) {
        Object.defineProperty(target, alias, {value: methods[name]});
      }
    }
  }

  function __fdGetters(target, getters) {
    for (const name of Object.keys(getters)) {
      for (const alias of __fdAliases(name)) {
        Object.defineProperty(target, alias, {get: getters[name]});
      }
    }
  }

  function __fdType(name, construct, prototype) {
    Object.defineProperty(prototype, "__fdTypeName", {value: name});
    Object.defineProperty(prototype, "constructor", {value: construct});
    Object.defineProperty(construct, "prototype", {value: prototype});
    return construct;
  }

  function __fdMake(prototype, value) {
    const made = Object.create(prototype);
    made[V] = value;
    return made;
  }

  function __fdIs(value, prototype) {
    return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === prototype;
  }

  function __fdCompare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function __fdFloorDiv(a, b) {
    const quotient = a / b;
    return a % b !== 0n && (a < 0n) !== (b < 0n) ? quotient - 1n : quotient;
  }

  // Nanoseconds since the epoch -> [days since the epoch, nanosecond of the day].
  function __fdSplit(nanoseconds) {
    const days = __fdFloorDiv(nanoseconds, NS_PER_DAY);
    return [Number(days), Number(nanoseconds - days * NS_PER_DAY)];
  }

  // --- NodaTime's text patterns (LocalDateTimePatternParser and its date and time helpers) -----------

  const DATE_LETTERS = "yuMdcg", TIME_LETTERS = "hHmsfFt.;:";

  // The fields a pattern formats: year, month, day, dow (1-7), hour, minute, second, nano (of the second).
  function __fdFields(days, nanoOfDay) {
    const [year, month, day] = __fdCivilFromDays(days);
    const second = Math.floor(nanoOfDay / 1e9);
    return {
      year, month, day, dow: __fdDayOfWeek(days), hour: Math.floor(second / 3600),
      minute: Math.floor(second / 60) % 60, second: second % 60, nano: nanoOfDay - second * 1e9,
    };
  }

  function __fdPad(value, count) {
    const text = String(Math.abs(value));
    return (value < 0 ? "-" : "") + text.padStart(count, "0");
  }

  // The first `count` digits of the fraction of the second; `truncate` (F) drops trailing zeros.
  function __fdFraction(nano, count, truncate) {
    const digits = String(nano).padStart(9, "0").slice(0, count);
    return truncate ? digits.replace(/0+$/, "") : digits;
  }

  // A custom pattern, formatted as NodaTime formats it with the invariant culture. `kinds` says which
  // letters the type knows ("date", "time" or both); any other ASCII letter must be quoted, as in NodaTime.
  function __fdFormatPattern(pattern, fields, kinds, where) {
    const hasDate = kinds.includes("date"), hasTime = kinds.includes("time");
    const used = new Set();
    let out = "";

    function __fdUseField(field, character) {
      if (used.has(field)) {
        throw __fdRangeError(where, "the field \"" + character + "\" is in the pattern more than once");
      }
      used.add(field);
    }

    function __fdRepeat(index, max) {
      let count = 1;
      while (pattern[index + count] === pattern[index]) count++;
      if (count > max) {
        throw __fdRangeError(where, "there are more consecutive copies of the pattern character \"" +
          pattern[index] + "\" than the maximum allowed (" + max + ")");
      }
      return count;
    }

    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === "'" || c === '"') {
        let j = i + 1;
        for (; j < pattern.length && pattern[j] !== c; j++) {
          if (pattern[j] === "\\") j++;
          if (j < pattern.length) out += pattern[j];
        }
        if (j >= pattern.length) throw __fdRangeError(where, "the pattern is missing the end quote " + c);
        i = j;
        continue;
      }
      if (c === "\\" || c === "%") {
        if (i + 1 >= pattern.length) throw __fdRangeError(where, "the pattern ends with " + c);
        if (c === "\\") out += pattern[++i];
        else if (pattern[i + 1] === "%") throw __fdRangeError(where, "the pattern has a doubled %");
        continue;
      }
      if (c === "/" && hasDate) { out += "/"; continue; }
      if (c === "T" && hasDate && hasTime) { out += "T"; continue; }
      if (!(hasDate && DATE_LETTERS.includes(c)) && !(hasTime && TIME_LETTERS.includes(c))) {
        if (/[A-Za-z<>]/.test(c)) {
          throw __fdRangeError(where, "the character " + c + " is not a format specifier: quote it ('" + c +
            "') to use it as text");
        }
        out += c;
        continue;
      }
      let count = 1;
      switch (c) {
        case "y":
          count = __fdRepeat(i, 4);
          if (count !== 2 && count !== 4) {
            throw __fdRangeError(where, "\"y\" must appear 2 or 4 times in a row, not " + count);
          }
          __fdUseField("yearOfEra", c);
          out += count === 2 ? __fdPad(((fields.year % 100) + 100) % 100, 2) : __fdPad(fields.year, 4);
          break;
        case "u":
          count = __fdRepeat(i, 4);
          __fdUseField("year", c);
          out += __fdPad(fields.year, count);
          break;
        case "M":
          count = __fdRepeat(i, 4);
          __fdUseField("month", c);
          if (count <= 2) out += __fdPad(fields.month, count);
          else out += (count === 3 ? SHORT_MONTHS : LONG_MONTHS)[fields.month - 1];
          break;
        case "d":
          count = __fdRepeat(i, 4);
          __fdUseField(count <= 2 ? "day" : "dayOfWeek", c);
          if (count <= 2) out += __fdPad(fields.day, count);
          else out += (count === 3 ? SHORT_DAYS : LONG_DAYS)[fields.dow];
          break;
        case "c":
          __fdUseField("calendar", c);
          out += "ISO";
          break;
        case "g":
          count = __fdRepeat(i, 2);
          __fdUseField("era", c);
          out += "A.D.";
          break;
        case "H": case "h": case "m": case "s": {
          count = __fdRepeat(i, 2);
          __fdUseField(c, c);
          const hour12 = fields.hour % 12 === 0 ? 12 : fields.hour % 12;
          out += __fdPad({H: fields.hour, h: hour12, m: fields.minute, s: fields.second}[c], count);
          break;
        }
        case "f": case "F":
          count = __fdRepeat(i, 9);
          __fdUseField("fraction", c);
          out += __fdFraction(fields.nano, count, c === "F");
          break;
        case "t":
          count = __fdRepeat(i, 2);
          __fdUseField("amPm", c);
          out += (fields.hour > 11 ? "PM" : "AM").slice(0, count);
          break;
        case ":":
          out += ":";
          break;
        case ".": case ";":
          // Followed by F: an optional fraction, left out with its dot when it is zero.
          if (pattern[i + 1] === "F") {
            count = __fdRepeat(i + 1, 9) + 1;
            __fdUseField("fraction", "F");
            const digits = __fdFraction(fields.nano, count - 1, true);
            if (digits !== "") out += "." + digits;
          } else {
            out += ".";
          }
          break;
      }
      i += count - 1;
    }
    if (used.has("era") && !used.has("yearOfEra")) {
      throw __fdRangeError(where, "the era (g) needs the year of the era (yy or yyyy) in the pattern");
    }
    return out;
  }

  // A one-letter pattern is a standard one: the type's table says what it stands for.
  function __fdStandard(pattern, table, typeName, where) {
    if (pattern.length !== 1) return pattern;
    if (Object.prototype.hasOwnProperty.call(table, pattern)) return table[pattern];
    throw __fdRangeError(where, "\"" + pattern + "\" is not a standard pattern of " + typeName +
      " (write \"%" + pattern + "\" to use it as a custom one)");
  }

  // ToString(pattern, provider): no pattern means the type's default; the only culture is the invariant one.
  function __fdPatternText(pattern, culture, fallback, where) {
    if (culture !== null && culture !== undefined && culture !== currentCulture) {
      throw __fdTypeError(where, "the culture must be currentCulture (the invariant culture), not " +
        __fdDescribe(culture));
    }
    return pattern === null || pattern === undefined || pattern === "" ? fallback : String(pattern);
  }

  // --- Instant ---------------------------------------------------------------------------------------

  const MIN_INSTANT = BigInt(MIN_DAY) * NS_PER_DAY, MAX_INSTANT = BigInt(MAX_DAY + 1) * NS_PER_DAY - 1n;
  const InstantProto = {};

  function __fdInstantOf(nanoseconds, where) {
    if (nanoseconds < MIN_INSTANT || nanoseconds > MAX_INSTANT) {
      throw __fdRangeError(where || "Instant", "the result is outside an Instant's range");
    }
    return __fdMake(InstantProto, nanoseconds);
  }

  function __fdInstantFromParts(year, month, day, hour, minute, second, where) {
    __fdCheckDate(year, month, day, where);
    __fdCheckTime(hour, minute, second, 0, where);
    const seconds = (hour * 60 + minute) * 60 + second;
    const days = BigInt(__fdDaysFromCivil(year, month, day));
    return __fdInstantOf(days * NS_PER_DAY + BigInt(seconds) * NS_PER_S);
  }

  const ISO_INSTANT = new RegExp("^\\s*(-?\\d{4,})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2})" +
    "(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(Z|[+-]\\d{2}:?\\d{2})\\s*$");

  // An ISO instant with a Z or an offset ("2024-01-31T10:00:00Z", "2024-01-31T10:00:00.5+00:00"), or null.
  function __fdParseInstant(text, where) {
    const match = ISO_INSTANT.exec(text);
    if (match === null) return null;
    const [, year, month, day, hour, minute, second, fraction, zone] = match;
    const instant = __fdInstantFromParts(+year, +month, +day, +hour, +minute, +(second || 0), where);
    let nanoseconds = instant[V] + BigInt((fraction || "").padEnd(9, "0"));
    if (zone !== "Z") {
      const digits = zone.replace(":", "");
      const offset = BigInt(+digits.slice(1, 3)) * NS_PER_H + BigInt(+digits.slice(3, 5)) * NS_PER_MIN;
      nanoseconds = digits[0] === "+" ? nanoseconds - offset : nanoseconds + offset;
    }
    return __fdInstantOf(nanoseconds, where);
  }

  // An Instant parameter: an Instant, or the text an Instant is stored as between activities.
  function __fdToInstant(value, where, what) {
    if (__fdIs(value, InstantProto)) return value;
    if (typeof value === "string") {
      const parsed = __fdParseInstant(value, where);
      if (parsed !== null) return parsed;
    }
    const hint = value instanceof Date ? " (make one with instantFromDateTimeUtc(date))" : "";
    throw __fdTypeError(where, (what || "the instant") + " must be an Instant, not " + __fdDescribe(value) +
      hint);
  }

  // Instant? (startOfMonth and the like): missing or null means now.
  function __fdOptionalInstant(args, where) {
    const missing = args.length === 0 || args[0] === null || args[0] === undefined;
    return missing ? __fdNow() : __fdToInstant(args[0], where);
  }

  // Instant: missing is the type's default, the Unix epoch.
  function __fdInstantArgument(args, index, where, what) {
    return index >= args.length ? __fdInstantOf(0n) : __fdToInstant(args[index], where, what);
  }

  function __fdNow() { return __fdInstantOf(BigInt(Date.now()) * NS_PER_MS); }

  function __fdInstantFields(instant) { return __fdFields(...__fdSplit(instant[V])); }

  function __fdInstantText(instant, pattern, where) {
    pattern = __fdStandard(pattern, {g: INSTANT_GENERAL}, "Instant", where);
    return __fdFormatPattern(pattern, __fdInstantFields(instant), "date time", where);
  }

  function __fdInstantFromDate(date, where) {
    if (!(date instanceof Date)) {
      throw __fdTypeError(where, "expected a JavaScript Date (a moment in UTC), not " + __fdDescribe(date));
    }
    const milliseconds = date.getTime();
    if (Number.isNaN(milliseconds)) throw __fdRangeError(where, "the Date is invalid");
    return __fdInstantOf(BigInt(milliseconds) * NS_PER_MS, where);
  }

  function __fdMilliseconds(nanoseconds) { return Number(__fdFloorDiv(nanoseconds, NS_PER_MS)); }

  const Instant = __fdType("Instant", function __fdInstantType() {
    if (new.target === undefined) {
      throw new TypeError("Instant is a type: use new Instant(), Instant.FromUtc(...) or currentInstant()");
    }
    return __fdInstantOf(0n);
  }, InstantProto);

  __fdMethods(InstantProto, {
    Plus: function __fdInstantPlus(duration) {
      return __fdInstantOf(this[V] + __fdToDuration(duration, "Instant.Plus")[V], "Instant.Plus");
    },
    Minus: function __fdInstantMinus(other) {
      if (__fdIs(other, InstantProto)) return __fdDurationOf(this[V] - other[V]);
      return __fdInstantOf(this[V] - __fdToDuration(other, "Instant.Minus")[V], "Instant.Minus");
    },
    PlusNanoseconds: function __fdInstantPlusNanoseconds(n) {
      const count = __fdInteger(n, "Instant.PlusNanoseconds", "the nanoseconds");
      return __fdInstantOf(this[V] + BigInt(count), "Instant.PlusNanoseconds");
    },
    PlusTicks: function __fdInstantPlusTicks(n) {
      const count = __fdInteger(n, "Instant.PlusTicks", "the ticks");
      return __fdInstantOf(this[V] + BigInt(count) * NS_PER_TICK, "Instant.PlusTicks");
    },
    ToUnixTimeSeconds: function __fdToUnixTimeSeconds() { return Number(__fdFloorDiv(this[V], NS_PER_S)); },
    ToUnixTimeMilliseconds: function __fdToUnixTimeMilliseconds() { return __fdMilliseconds(this[V]); },
    ToUnixTimeTicks: function __fdToUnixTimeTicks() { return Number(__fdFloorDiv(this[V], NS_PER_TICK)); },
    ToDateTimeUtc: function __fdToDateTimeUtc() { return new Date(__fdMilliseconds(this[V])); },
    ToDateTimeOffset: function __fdToDateTimeOffset() { return new Date(__fdMilliseconds(this[V])); },
    InUtc: function __fdInUtc() { return __fdMake(ZonedProto, this[V]); },
    Equals: function __fdInstantEquals(other) { return __fdIs(other, InstantProto) && other[V] === this[V]; },
    CompareTo: function __fdInstantCompareTo(other) {
      return __fdCompare(this[V], __fdToInstant(other, "Instant.CompareTo")[V]);
    },
    ToString: function __fdInstantToString(pattern, culture) {
      const text = __fdPatternText(pattern, culture, "g", "Instant.ToString");
      return __fdInstantText(this, text, "Instant.ToString");
    },
    toJSON: function __fdInstantToJson() {
      return __fdFormatPattern(INSTANT_EXTENDED_ISO, __fdInstantFields(this), "date time", "Instant");
    },
  });
  // Text where text is wanted ("at " + instant), the milliseconds where a number is (a < b).
  Object.defineProperty(InstantProto, Symbol.toPrimitive, {
    value: function __fdInstantPrimitive(hint) {
      return hint === "number" ? __fdMilliseconds(this[V]) : this.ToString();
    },
  });

  function __fdUnixFactory(unit, name) {
    return function __fdInstantFromUnix(n) {
      const count = __fdInteger(n, "Instant." + name, "the value");
      return __fdInstantOf(BigInt(count) * unit, "Instant." + name);
    };
  }

  __fdMethods(Instant, {
    FromUtc: function __fdInstantFromUtc(...args) {
      const names = ["the year", "the month", "the day", "the hour", "the minute", "the second"];
      return __fdInstantFromParts(...__fdIntegers(args, "Instant.FromUtc", names), "Instant.FromUtc");
    },
    FromUnixTimeSeconds: __fdUnixFactory(NS_PER_S, "FromUnixTimeSeconds"),
    FromUnixTimeMilliseconds: __fdUnixFactory(NS_PER_MS, "FromUnixTimeMilliseconds"),
    FromUnixTimeTicks: __fdUnixFactory(NS_PER_TICK, "FromUnixTimeTicks"),
    FromDateTimeUtc: function __fdFromDateTimeUtc(date) {
      return __fdInstantFromDate(date, "Instant.FromDateTimeUtc");
    },
    FromDateTimeOffset: function __fdFromDateTimeOffset(date) {
      return __fdInstantFromDate(date, "Instant.FromDateTimeOffset");
    },
  });
  __fdGetters(Instant, {
    MinValue: function __fdInstantMinValue() { return __fdInstantOf(MIN_INSTANT); },
    MaxValue: function __fdInstantMaxValue() { return __fdInstantOf(MAX_INSTANT); },
  });

  // The ZonedDateTime of InUtc(): the members a script reads from it; it is not a registered type.
  const ZonedProto = {};
  __fdType("ZonedDateTime", function __fdZonedType() {
    throw new TypeError("ZonedDateTime is not available as a type");
  }, ZonedProto);
  __fdGetters(ZonedProto, {
    LocalDateTime: function __fdZonedLocalDateTime() {
      return __fdMake(LocalDateTimeProto, __fdSplit(this[V]));
    },
    Date: function __fdZonedDate() { return __fdMake(LocalDateProto, __fdSplit(this[V])[0]); },
    TimeOfDay: function __fdZonedTimeOfDay() { return __fdMake(LocalTimeProto, __fdSplit(this[V])[1]); },
    Year: function __fdZonedYear() { return __fdInstantFields(this).year; },
    Month: function __fdZonedMonth() { return __fdInstantFields(this).month; },
    Day: function __fdZonedDay() { return __fdInstantFields(this).day; },
    DayOfWeek: function __fdZonedDayOfWeek() { return __fdInstantFields(this).dow; },
    Hour: function __fdZonedHour() { return __fdInstantFields(this).hour; },
    Minute: function __fdZonedMinute() { return __fdInstantFields(this).minute; },
    Second: function __fdZonedSecond() { return __fdInstantFields(this).second; },
    Millisecond: function __fdZonedMillisecond() { return Math.floor(__fdInstantFields(this).nano / 1e6); },
  });
  __fdMethods(ZonedProto, {
    ToInstant: function __fdZonedToInstant() { return __fdInstantOf(this[V]); },
    // NodaTime's general pattern: uuuu-MM-ddTHH:mm:ss z (o<g>).
    ToString: function __fdZonedToString() {
      const fields = __fdInstantFields(this);
      return __fdFormatPattern("uuuu'-'MM'-'dd'T'HH':'mm':'ss", fields, "date time", "InUtc") + " UTC (+00)";
    },
    toJSON: function __fdZonedToJson() {
      return __fdFormatPattern(LOCAL_DATE_TIME_EXTENDED_ISO, __fdInstantFields(this), "date time", "InUtc") +
        "Z UTC";
    },
  });

  // --- Duration --------------------------------------------------------------------------------------

  const DurationProto = {};
  const MAX_DURATION = (1n << 24n) * NS_PER_DAY - 1n, MIN_DURATION = -(1n << 24n) * NS_PER_DAY;
  const DURATION_TEXT = /^\s*(-)?(?:(\d+):(?=\d+:\d+:))?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*$/;

  function __fdDurationOf(nanoseconds, where) {
    if (nanoseconds < MIN_DURATION || nanoseconds > MAX_DURATION) {
      throw __fdRangeError(where || "Duration", "the result is outside the range of a Duration");
    }
    return __fdMake(DurationProto, nanoseconds);
  }

  // A Duration parameter: a Duration, or the text one is stored as ("1:30:00", ToString's "0:01:30:00").
  function __fdToDuration(value, where) {
    if (__fdIs(value, DurationProto)) return value;
    const match = typeof value === "string" ? DURATION_TEXT.exec(value) : null;
    if (match !== null) {
      const [, sign, days, hours, minutes, seconds, fraction] = match;
      const nanoseconds = BigInt(days || 0) * NS_PER_DAY + BigInt(hours) * NS_PER_H +
        BigInt(minutes) * NS_PER_MIN + BigInt(seconds) * NS_PER_S + BigInt((fraction || "").padEnd(9, "0"));
      return __fdDurationOf(sign ? -nanoseconds : nanoseconds, where);
    }
    const hint = typeof value === "number" ? " (make one with durationFromSeconds(" + value + "))" : "";
    throw __fdTypeError(where, "the duration must be a Duration, not " + __fdDescribe(value) + hint);
  }

  function __fdDurationArgument(args, index, where) {
    return index >= args.length ? __fdDurationOf(0n) : __fdToDuration(args[index], where);
  }

  // Duration.FromX(double) keeps the fraction (truncated to the nanosecond), FromX(long) is exact.
  function __fdDurationFrom(value, unit, where) {
    if (typeof value === "number" && !Number.isInteger(value)) {
      const nanoseconds = value * Number(unit);
      if (!Number.isFinite(nanoseconds)) throw __fdRangeError(where, "the value is too large for a Duration");
      return __fdDurationOf(BigInt(Math.trunc(nanoseconds)), where);
    }
    return __fdDurationOf(BigInt(__fdInteger(value, where, "the value")) * unit, where);
  }

  // DurationPattern.Roundtrip "-D:hh:mm:ss.FFFFFFFFF", or JsonRoundtrip "-H:mm:ss.FFFFFFFFF" (total hours).
  function __fdDurationText(nanoseconds, totalHours) {
    const negative = nanoseconds < 0n, size = negative ? -nanoseconds : nanoseconds;
    const two = function __fdTwoDigits(n) { return String(n).padStart(2, "0"); };
    const fraction = __fdFraction(Number(size % NS_PER_S), 9, true);
    const head = totalHours ? String(size / NS_PER_H) : String(size / NS_PER_DAY) + ":" +
      two((size % NS_PER_DAY) / NS_PER_H);
    return (negative ? "-" : "") + head + ":" + two((size / NS_PER_MIN) % 60n) + ":" +
      two((size / NS_PER_S) % 60n) + (fraction === "" ? "" : "." + fraction);
  }

  const Duration = __fdType("Duration", function __fdDurationType() {
    if (new.target === undefined) {
      throw new TypeError("Duration is a type: use Duration.FromSeconds(...) and the like");
    }
    return __fdDurationOf(0n);
  }, DurationProto);

  // Components truncate towards zero and carry the duration's sign (NodaTime's Days, Hours ...).
  function __fdComponent(unit, per) {
    return function __fdDurationComponent() { return Number((this[V] % per) / unit); };
  }

  function __fdTotal(nanosecondsPerUnit) {
    return function __fdDurationTotal() { return Number(this[V]) / nanosecondsPerUnit; };
  }

  __fdGetters(DurationProto, {
    Days: function __fdDurationDays() { return Number(this[V] / NS_PER_DAY); },
    Hours: __fdComponent(NS_PER_H, NS_PER_DAY),
    Minutes: __fdComponent(NS_PER_MIN, NS_PER_H),
    Seconds: __fdComponent(NS_PER_S, NS_PER_MIN),
    Milliseconds: __fdComponent(NS_PER_MS, NS_PER_S),
    SubsecondTicks: __fdComponent(NS_PER_TICK, NS_PER_S),
    SubsecondNanoseconds: __fdComponent(1n, NS_PER_S),
    TotalDays: __fdTotal(NS_PER_DAY_N),
    TotalHours: __fdTotal(3600e9),
    TotalMinutes: __fdTotal(60e9),
    TotalSeconds: __fdTotal(1e9),
    TotalMilliseconds: __fdTotal(1e6),
    TotalTicks: __fdTotal(100),
    TotalNanoseconds: __fdTotal(1),
    BclCompatibleTicks: function __fdBclCompatibleTicks() {
      return Number(__fdFloorDiv(this[V], NS_PER_TICK));
    },
  });
  __fdMethods(DurationProto, {
    Plus: function __fdDurationPlus(other) {
      return __fdDurationOf(this[V] + __fdToDuration(other, "Duration.Plus")[V], "Duration.Plus");
    },
    Minus: function __fdDurationMinus(other) {
      return __fdDurationOf(this[V] - __fdToDuration(other, "Duration.Minus")[V], "Duration.Minus");
    },
    Negate: function __fdDurationNegate() { return __fdDurationOf(-this[V]); },
    Equals: function __fdDurationEquals(other) {
      return __fdIs(other, DurationProto) && other[V] === this[V];
    },
    CompareTo: function __fdDurationCompareTo(other) {
      return __fdCompare(this[V], __fdToDuration(other, "Duration.CompareTo")[V]);
    },
    ToString: function __fdDurationToString(pattern, culture) {
      const text = __fdPatternText(pattern, culture, "o", "Duration.ToString");
      if (text === "o" || text === "j") return __fdDurationText(this[V], text === "j");
      throw __fdRangeError("Duration.ToString", "only the patterns o and j are supported here, not " +
        JSON.stringify(text));
    },
    toJSON: function __fdDurationToJson() { return __fdDurationText(this[V], true); },
  });
  Object.defineProperty(DurationProto, Symbol.toPrimitive, {
    value: function __fdDurationPrimitive(hint) {
      return hint === "number" ? Number(this[V]) / 1e6 : __fdDurationText(this[V], false);
    },
  });

  function __fdDurationFactory(unit, name) {
    return function __fdDurationFromUnit(n) { return __fdDurationFrom(n, unit, "Duration." + name); };
  }

  __fdMethods(Duration, {
    FromDays: __fdDurationFactory(NS_PER_DAY, "FromDays"),
    FromHours: __fdDurationFactory(NS_PER_H, "FromHours"),
    FromMinutes: __fdDurationFactory(NS_PER_MIN, "FromMinutes"),
    FromSeconds: __fdDurationFactory(NS_PER_S, "FromSeconds"),
    FromMilliseconds: __fdDurationFactory(NS_PER_MS, "FromMilliseconds"),
    FromTicks: __fdDurationFactory(NS_PER_TICK, "FromTicks"),
    FromNanoseconds: __fdDurationFactory(1n, "FromNanoseconds"),
  });
  __fdGetters(Duration, {
    Zero: function __fdDurationZero() { return __fdDurationOf(0n); },
    Epsilon: function __fdDurationEpsilon() { return __fdDurationOf(1n); },
    MaxValue: function __fdDurationMaxValue() { return __fdDurationOf(MAX_DURATION); },
    MinValue: function __fdDurationMinValue() { return __fdDurationOf(MIN_DURATION); },
  });

  // --- Period ----------------------------------------------------------------------------------------

  const PeriodProto = {};
  const PERIOD_UNITS = ["Years", "Months", "Weeks", "Days", "Hours", "Minutes", "Seconds", "Milliseconds",
    "Ticks", "Nanoseconds"];
  const PERIOD_SUFFIXES = ["Y", "M", "W", "D", "H", "M", "S", "s", "t", "n"];
  const TIME_UNIT_SIZES = [NS_PER_H, NS_PER_MIN, NS_PER_S, NS_PER_MS, NS_PER_TICK, 1n];

  function __fdPeriodOf(values) { return __fdMake(PeriodProto, Object.freeze(values.slice())); }
  function __fdNonZero(value) { return value !== 0; }
  function __fdHasTime(values) { return values.slice(4).some(__fdNonZero); }
  function __fdHasDate(values) { return values.slice(0, 4).some(__fdNonZero); }

  // PeriodPattern.Roundtrip: "P", the date units, then "T" and the time units; zero units are left out.
  function __fdPeriodText(values) {
    let text = "P";
    for (let i = 0; i < 4; i++) if (values[i] !== 0) text += values[i] + PERIOD_SUFFIXES[i];
    if (__fdHasTime(values)) {
      text += "T";
      for (let i = 4; i < 10; i++) if (values[i] !== 0) text += values[i] + PERIOD_SUFFIXES[i];
    }
    return text;
  }

  function __fdToPeriod(value, where) {
    if (__fdIs(value, PeriodProto)) return value;
    throw __fdTypeError(where, "expected a Period, not " + __fdDescribe(value));
  }

  function __fdTimeNanoseconds(values) {
    let total = 0n;
    for (let i = 0; i < 6; i++) total += BigInt(values[4 + i]) * TIME_UNIT_SIZES[i];
    return total;
  }

  // Splits nanoseconds into hours, minutes, seconds, milliseconds, ticks and nanoseconds.
  function __fdTimeUnits(nanoseconds) {
    return TIME_UNIT_SIZES.map(function __fdTimeUnit(size) {
      const count = nanoseconds / size;
      nanoseconds -= count * size;
      return Number(count);
    });
  }

  // Period.Between for dates (PeriodUnits.YearMonthDay): whole years, then whole months, then days.
  function __fdDatePeriod(start, end) {
    const forward = start <= end;
    function __fdWhole(guess, add) {
      let count = guess;
      while (forward ? add(count) > end : add(count) < end) count += forward ? -1 : 1;
      return count;
    }
    const [startYear, startMonth] = __fdCivilFromDays(start), [endYear, endMonth] = __fdCivilFromDays(end);
    const years = __fdWhole(endYear - startYear, function __fdPlusYears(n) {
      return __fdAddMonths(start, 12 * n);
    });
    const afterYears = __fdAddMonths(start, 12 * years);
    const monthGuess = (endYear - startYear - years) * 12 + endMonth - startMonth;
    const months = __fdWhole(monthGuess, function __fdPlusMonths(n) { return __fdAddMonths(afterYears, n); });
    return [years, months, 0, end - __fdAddMonths(afterYears, months)];
  }

  function __fdPeriodBetween(start, end, units) {
    if (units !== undefined) throw __fdTypeError("Period.Between", "period units are not supported here");
    if (__fdIs(start, LocalDateProto) && __fdIs(end, LocalDateProto)) {
      return __fdPeriodOf([...__fdDatePeriod(start[V], end[V]), 0, 0, 0, 0, 0, 0]);
    }
    if (__fdIs(start, LocalDateTimeProto) && __fdIs(end, LocalDateTimeProto)) {
      // Whole days first, on the side that keeps the rest of the same sign, then the time units.
      const [startDay, startTime] = start[V], [endDay, endTime] = end[V];
      const forward = __fdDateTimeNanoseconds(start) <= __fdDateTimeNanoseconds(end);
      let lastDay = endDay;
      if (forward && endTime < startTime) lastDay -= 1;
      if (!forward && endTime > startTime) lastDay += 1;
      const date = __fdDatePeriod(startDay, lastDay);
      const reached = __fdAddMonths(startDay, 12 * date[0] + date[1]) + date[3];
      const rest = BigInt(endDay - reached) * NS_PER_DAY + BigInt(endTime - startTime);
      return __fdPeriodOf([...date, ...__fdTimeUnits(rest)]);
    }
    throw __fdTypeError("Period.Between", "expected two LocalDate or two LocalDateTime values, not " +
      __fdDescribe(start) + " and " + __fdDescribe(end));
  }

  const Period = __fdType("Period", function __fdPeriodType() {
    throw new TypeError("Period has no public constructor: use Period.FromDays(...) or Period.Between(...)");
  }, PeriodProto);

  const periodGetters = {
    HasTimeComponent: function __fdPeriodHasTime() { return __fdHasTime(this[V]); },
    HasDateComponent: function __fdPeriodHasDate() { return __fdHasDate(this[V]); },
  };
  const periodFactories = {
    Between: function __fdPeriodBetweenFactory(start, end, units) {
      return __fdPeriodBetween(start, end, units);
    },
  };
  PERIOD_UNITS.forEach(function __fdPeriodUnit(unit, index) {
    periodGetters[unit] = function __fdPeriodUnitGetter() { return this[V][index]; };
    periodFactories["From" + unit] = function __fdPeriodFromUnit(n) {
      const values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
      if (arguments.length > 0) {
        values[index] = __fdInteger(n, "Period.From" + unit, "the value", index < 4 ? INT_MAX : 0);
      }
      return __fdPeriodOf(values);
    };
  });
  __fdGetters(PeriodProto, periodGetters);
  __fdMethods(PeriodProto, {
    Plus: function __fdPeriodPlus(other) {
      const values = __fdToPeriod(other, "Period.Plus")[V];
      return __fdPeriodOf(this[V].map(function __fdAdd(v, i) { return v + values[i]; }));
    },
    Minus: function __fdPeriodMinus(other) {
      const values = __fdToPeriod(other, "Period.Minus")[V];
      return __fdPeriodOf(this[V].map(function __fdSubtract(v, i) { return v - values[i]; }));
    },
    // Weeks become days and the time units are carried into days (Period.Normalize).
    Normalize: function __fdPeriodNormalize() {
      const v = this[V];
      const total = BigInt(v[2] * 7 + v[3]) * NS_PER_DAY + __fdTimeNanoseconds(v);
      const days = total / NS_PER_DAY;
      const [hours, minutes, seconds, ms, ticks, ns] = __fdTimeUnits(total - days * NS_PER_DAY);
      return __fdPeriodOf([v[0], v[1], 0, Number(days), hours, minutes, seconds, ms, 0, ticks * 100 + ns]);
    },
    ToDuration: function __fdPeriodToDuration() {
      const v = this[V];
      if (v[0] !== 0 || v[1] !== 0) {
        throw new RangeError("Period.ToDuration: a period with months or years has no fixed duration");
      }
      return __fdDurationOf(BigInt(v[2] * 7 + v[3]) * NS_PER_DAY + __fdTimeNanoseconds(v));
    },
    Equals: function __fdPeriodEquals(other) {
      const values = this[V];
      return __fdIs(other, PeriodProto) && other[V].every(function __fdSame(value, i) {
        return value === values[i];
      });
    },
    ToString: function __fdPeriodToString() { return __fdPeriodText(this[V]); },
    toJSON: function __fdPeriodToJson() { return __fdPeriodText(this[V]); },
  });
  Object.defineProperty(PeriodProto, Symbol.toPrimitive, {
    value: function __fdPeriodPrimitive() { return __fdPeriodText(this[V]); },
  });
  __fdMethods(Period, periodFactories);
  __fdGetters(Period, {
    Zero: function __fdPeriodZero() { return __fdPeriodOf([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); },
  });

  // --- LocalDate, LocalTime and LocalDateTime --------------------------------------------------------

  const LocalDateProto = {}, LocalTimeProto = {}, LocalDateTimeProto = {};

  function __fdDateOf(days, where) {
    if (days < MIN_DAY || days > MAX_DAY) {
      throw __fdRangeError(where || "LocalDate", "the date is out of range");
    }
    return __fdMake(LocalDateProto, days);
  }

  function __fdDateTimeOf(days, nanoOfDay, where) {
    if (days < MIN_DAY || days > MAX_DAY) {
      throw __fdRangeError(where || "LocalDateTime", "the date is out of range");
    }
    return __fdMake(LocalDateTimeProto, [days, nanoOfDay]);
  }

  function __fdDateTimeNanoseconds(value) { return BigInt(value[V][0]) * NS_PER_DAY + BigInt(value[V][1]); }

  // A LocalDate parameter: a LocalDate, or the text one is stored as ("2024-01-31").
  function __fdToLocalDate(value, where) {
    if (__fdIs(value, LocalDateProto)) return value;
    const match = typeof value === "string" ? /^\s*(-?\d{4,})-(\d{2})-(\d{2})\s*$/.exec(value) : null;
    if (match !== null) {
      __fdCheckDate(+match[1], +match[2], +match[3], where);
      return __fdDateOf(__fdDaysFromCivil(+match[1], +match[2], +match[3]), where);
    }
    throw __fdTypeError(where, "expected a LocalDate, not " + __fdDescribe(value));
  }

  function __fdExpect(value, prototype, typeName, where) {
    if (!__fdIs(value, prototype)) {
      throw __fdTypeError(where, "expected a " + typeName + ", not " + __fdDescribe(value));
    }
    return value;
  }

  // Adds a period's date units to a day number (a time unit there is an error, as in NodaTime).
  function __fdDatePlusPeriod(days, values, where) {
    if (__fdHasTime(values)) throw __fdRangeError(where, "a period with time units cannot move a date");
    return __fdAddMonths(days, values[0] * 12 + values[1]) + values[2] * 7 + values[3];
  }

  function __fdNegated(period) { return period[V].map(function __fdNegate(v) { return -v; }); }

  function __fdDateText(days, pattern, where) {
    const table = {R: LOCAL_DATE_ISO, r: "uuuu'-'MM'-'dd '('c')'", d: SHORT_DATE, D: LONG_DATE, M: MONTH_DAY};
    const text = __fdStandard(pattern, table, "LocalDate", where);
    return __fdFormatPattern(text, __fdFields(days, 0), "date", where);
  }

  const LocalDate = __fdType("LocalDate", function __fdLocalDateType(...args) {
    if (new.target === undefined) {
      throw new TypeError("LocalDate is a type: use new LocalDate(year, month, day)");
    }
    if (args.length === 0) return __fdDateOf(__fdDaysFromCivil(1, 1, 1));
    const [year, month, day] = __fdIntegers(args, "new LocalDate", ["the year", "the month", "the day"]);
    __fdCheckDate(year, month, day, "new LocalDate");
    return __fdDateOf(__fdDaysFromCivil(year, month, day));
  }, LocalDateProto);

  // Shared by LocalDate and LocalDateTime: both read their day number through __fdDays.
  Object.defineProperty(LocalDateProto, "__fdDays", {get: function __fdDateDays() { return this[V]; }});
  Object.defineProperty(LocalDateTimeProto, "__fdDays", {
    get: function __fdDateTimeDays() { return this[V][0]; },
  });
  const dateGetters = {
    Year: function __fdYear() { return __fdCivilFromDays(this.__fdDays)[0]; },
    YearOfEra: function __fdYearOfEra() { return __fdCivilFromDays(this.__fdDays)[0]; },
    Month: function __fdMonth() { return __fdCivilFromDays(this.__fdDays)[1]; },
    Day: function __fdDay() { return __fdCivilFromDays(this.__fdDays)[2]; },
    DayOfWeek: function __fdDayOfWeekGetter() { return __fdDayOfWeek(this.__fdDays); },
    DayOfYear: function __fdDayOfYear() {
      return this.__fdDays - __fdDaysFromCivil(__fdCivilFromDays(this.__fdDays)[0], 1, 1) + 1;
    },
  };
  __fdGetters(LocalDateProto, dateGetters);

  function __fdDateAdder(daysPerUnit, monthsPerUnit, name) {
    return function __fdDatePlusUnits(n) {
      const count = __fdInteger(n, "LocalDate." + name, "the value");
      const days = monthsPerUnit ? __fdAddMonths(this[V], count * monthsPerUnit)
        : this[V] + count * daysPerUnit;
      return __fdDateOf(days, "LocalDate." + name);
    };
  }

  function __fdNextDay(step, name) {
    return function __fdDateNextDay(dayOfWeek) {
      const target = __fdInteger(dayOfWeek, "LocalDate." + name, "the day of the week", 7);
      __fdCheckRange("LocalDate." + name, "the day of the week", target, 1, 7);
      let days = this[V] + step;
      while (__fdDayOfWeek(days) !== target) days += step;
      return __fdDateOf(days, "LocalDate." + name);
    };
  }

  __fdMethods(LocalDateProto, {
    PlusYears: __fdDateAdder(0, 12, "PlusYears"),
    PlusMonths: __fdDateAdder(0, 1, "PlusMonths"),
    PlusWeeks: __fdDateAdder(7, 0, "PlusWeeks"),
    PlusDays: __fdDateAdder(1, 0, "PlusDays"),
    Plus: function __fdDatePlus(period) {
      const values = __fdToPeriod(period, "LocalDate.Plus")[V];
      return __fdDateOf(__fdDatePlusPeriod(this[V], values, "LocalDate.Plus"), "LocalDate.Plus");
    },
    // date - date is Period.Between(other, date); date - period goes back.
    Minus: function __fdDateMinus(other) {
      if (__fdIs(other, LocalDateProto)) return __fdPeriodBetween(other, this);
      const values = __fdNegated(__fdToPeriod(other, "LocalDate.Minus"));
      return __fdDateOf(__fdDatePlusPeriod(this[V], values, "LocalDate.Minus"), "LocalDate.Minus");
    },
    At: function __fdDateAt(time) {
      return __fdDateTimeOf(this[V], __fdExpect(time, LocalTimeProto, "LocalTime", "LocalDate.At")[V]);
    },
    AtMidnight: function __fdDateAtMidnight() { return __fdDateTimeOf(this[V], 0); },
    Next: __fdNextDay(1, "Next"),
    Previous: __fdNextDay(-1, "Previous"),
    Equals: function __fdDateEquals(other) { return __fdIs(other, LocalDateProto) && other[V] === this[V]; },
    CompareTo: function __fdDateCompareTo(other) {
      return __fdCompare(this[V], __fdToLocalDate(other, "LocalDate.CompareTo")[V]);
    },
    ToString: function __fdDateToString(pattern, culture) {
      const text = __fdPatternText(pattern, culture, "D", "LocalDate.ToString");
      return __fdDateText(this[V], text, "LocalDate.ToString");
    },
    toJSON: function __fdDateToJson() {
      return __fdFormatPattern(LOCAL_DATE_ISO, __fdFields(this[V], 0), "date", "LocalDate");
    },
  });
  Object.defineProperty(LocalDateProto, Symbol.toPrimitive, {
    value: function __fdDatePrimitive(hint) { return hint === "number" ? this[V] : this.ToString(); },
  });
  __fdMethods(LocalDate, {
    FromDateTime: function __fdDateFromDateTime(date) {
      return __fdDateOf(__fdSplit(__fdInstantFromDate(date, "LocalDate.FromDateTime")[V])[0]);
    },
  });
  __fdGetters(LocalDate, {
    MinIsoValue: function __fdDateMinIsoValue() { return __fdDateOf(MIN_DAY); },
    MaxIsoValue: function __fdDateMaxIsoValue() { return __fdDateOf(MAX_DAY); },
  });

  function __fdTimeText(nanoOfDay, pattern, where) {
    const table = {o: LOCAL_TIME_EXTENDED_ISO, O: "HH':'mm':'ss;fffffffff", t: SHORT_TIME, T: LONG_TIME,
      r: "HH:mm:ss.FFFFFFFFF"};
    const text = __fdStandard(pattern, table, "LocalTime", where);
    return __fdFormatPattern(text, __fdFields(0, nanoOfDay), "time", where);
  }

  // hour, minute[, second[, millisecond]] -> the nanosecond of the day.
  function __fdNanoOfDay(args, where) {
    const names = ["the hour", "the minute", "the second", "the millisecond"];
    const [hour, minute, second, millisecond] = __fdIntegers(args, where, names);
    __fdCheckTime(hour, minute, second, millisecond, where);
    return ((hour * 60 + minute) * 60 + second) * 1e9 + millisecond * 1e6;
  }

  const LocalTime = __fdType("LocalTime", function __fdLocalTimeType(...args) {
    if (new.target === undefined) {
      throw new TypeError("LocalTime is a type: use new LocalTime(hour, minute[, second[, millisecond]])");
    }
    return __fdMake(LocalTimeProto, args.length === 0 ? 0 : __fdNanoOfDay(args, "new LocalTime"));
  }, LocalTimeProto);

  // Shared by LocalTime and LocalDateTime: both read their nanosecond of the day through __fdNanoOfDay.
  Object.defineProperty(LocalTimeProto, "__fdNanoOfDay", {get: function __fdTimeNanos() { return this[V]; }});
  Object.defineProperty(LocalDateTimeProto, "__fdNanoOfDay", {
    get: function __fdDateTimeNanos() { return this[V][1]; },
  });
  const timeGetters = {
    Hour: function __fdHour() { return Math.floor(this.__fdNanoOfDay / 3600e9); },
    Minute: function __fdMinute() { return Math.floor(this.__fdNanoOfDay / 60e9) % 60; },
    Second: function __fdSecond() { return Math.floor(this.__fdNanoOfDay / 1e9) % 60; },
    Millisecond: function __fdMillisecond() { return Math.floor(this.__fdNanoOfDay / 1e6) % 1000; },
    ClockHourOfHalfDay: function __fdClockHourOfHalfDay() {
      const hour = Math.floor(this.__fdNanoOfDay / 3600e9) % 12;
      return hour === 0 ? 12 : hour;
    },
    NanosecondOfSecond: function __fdNanosecondOfSecond() { return this.__fdNanoOfDay % 1e9; },
    TickOfSecond: function __fdTickOfSecond() { return Math.floor((this.__fdNanoOfDay % 1e9) / 100); },
  };
  __fdGetters(LocalTimeProto, Object.assign({
    NanosecondOfDay: function __fdNanosecondOfDay() { return this[V]; },
    TickOfDay: function __fdTickOfDay() { return Math.floor(this[V] / 100); },
  }, timeGetters));

  // LocalTime.PlusHours and the like wrap around midnight.
  function __fdTimeAdder(unit, name) {
    return function __fdTimePlusUnits(n) {
      const count = __fdInteger(n, "LocalTime." + name, "the value") % (NS_PER_DAY_N / unit);
      const moved = (this[V] + count * unit) % NS_PER_DAY_N;
      return __fdMake(LocalTimeProto, moved < 0 ? moved + NS_PER_DAY_N : moved);
    };
  }

  __fdMethods(LocalTimeProto, {
    PlusHours: __fdTimeAdder(3600e9, "PlusHours"),
    PlusMinutes: __fdTimeAdder(60e9, "PlusMinutes"),
    PlusSeconds: __fdTimeAdder(1e9, "PlusSeconds"),
    PlusMilliseconds: __fdTimeAdder(1e6, "PlusMilliseconds"),
    PlusTicks: __fdTimeAdder(100, "PlusTicks"),
    PlusNanoseconds: __fdTimeAdder(1, "PlusNanoseconds"),
    On: function __fdTimeOn(date) {
      return __fdDateTimeOf(__fdToLocalDate(date, "LocalTime.On")[V], this[V]);
    },
    Equals: function __fdTimeEquals(other) { return __fdIs(other, LocalTimeProto) && other[V] === this[V]; },
    CompareTo: function __fdTimeCompareTo(other) {
      return __fdCompare(this[V], __fdExpect(other, LocalTimeProto, "LocalTime", "LocalTime.CompareTo")[V]);
    },
    ToString: function __fdTimeToString(pattern, culture) {
      const text = __fdPatternText(pattern, culture, "T", "LocalTime.ToString");
      return __fdTimeText(this[V], text, "LocalTime.ToString");
    },
    toJSON: function __fdTimeToJson() {
      return __fdFormatPattern(LOCAL_TIME_EXTENDED_ISO, __fdFields(0, this[V]), "time", "LocalTime");
    },
  });
  Object.defineProperty(LocalTimeProto, Symbol.toPrimitive, {
    value: function __fdTimePrimitive(hint) { return hint === "number" ? this[V] : this.ToString(); },
  });
  __fdGetters(LocalTime, {
    Midnight: function __fdMidnight() { return __fdMake(LocalTimeProto, 0); },
    Noon: function __fdNoon() { return __fdMake(LocalTimeProto, 12 * 3600e9); },
    MinValue: function __fdTimeMinValue() { return __fdMake(LocalTimeProto, 0); },
    MaxValue: function __fdTimeMaxValue() { return __fdMake(LocalTimeProto, NS_PER_DAY_N - 1); },
  });

  function __fdDateTimeText(value, pattern, where) {
    const table = {
      o: "uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", O: "uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff",
      r: "uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffff '('c')'", R: "uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffff",
      s: "uuuu'-'MM'-'dd'T'HH':'mm':'ss", S: LOCAL_DATE_TIME_EXTENDED_ISO,
      f: LONG_DATE + " " + SHORT_TIME, F: LONG_DATE + " " + LONG_TIME,
      g: SHORT_DATE + " " + SHORT_TIME, G: SHORT_DATE + " " + LONG_TIME,
    };
    const fields = __fdFields(value[V][0], value[V][1]);
    const text = __fdStandard(pattern, table, "LocalDateTime", where);
    return __fdFormatPattern(text, fields, "date time", where);
  }

  // A date and time moved by some nanoseconds (whole days carried into the date).
  function __fdDateTimePlus(value, nanoseconds, where) {
    const [days, nanoOfDay] = __fdSplit(__fdDateTimeNanoseconds(value) + nanoseconds);
    return __fdDateTimeOf(days, nanoOfDay, where);
  }

  const LocalDateTime = __fdType("LocalDateTime", function __fdLocalDateTimeType(...args) {
    if (new.target === undefined) {
      throw new TypeError("LocalDateTime is a type: use new LocalDateTime(year, month, day, hour, minute" +
        "[, second[, millisecond]])");
    }
    if (args.length === 0) return __fdDateTimeOf(__fdDaysFromCivil(1, 1, 1), 0);
    if (args.length < 5) {
      throw new TypeError("new LocalDateTime: give the year, month, day, hour and minute " +
        "(and the second and millisecond if you like)");
    }
    const names = ["the year", "the month", "the day"];
    const [year, month, day] = __fdIntegers(args.slice(0, 3), "new LocalDateTime", names);
    __fdCheckDate(year, month, day, "new LocalDateTime");
    const nanoOfDay = __fdNanoOfDay(args.slice(3), "new LocalDateTime");
    return __fdDateTimeOf(__fdDaysFromCivil(year, month, day), nanoOfDay);
  }, LocalDateTimeProto);

  function __fdDateTimeAdder(unit, name) {
    return function __fdDateTimePlusUnits(n) {
      const count = __fdInteger(n, "LocalDateTime." + name, "the value");
      return __fdDateTimePlus(this, BigInt(count) * unit, "LocalDateTime." + name);
    };
  }

  function __fdDateTimeMonthAdder(monthsPerUnit, name) {
    return function __fdDateTimePlusMonths(n) {
      const count = __fdInteger(n, "LocalDateTime." + name, "the value");
      const days = __fdAddMonths(this[V][0], count * monthsPerUnit);
      return __fdDateTimeOf(days, this[V][1], "LocalDateTime." + name);
    };
  }

  function __fdDateTimePlusPeriod(value, values, where) {
    const moved = __fdDateTimeOf(__fdAddMonths(value[V][0], values[0] * 12 + values[1]), value[V][1], where);
    const nanoseconds = BigInt(values[2] * 7 + values[3]) * NS_PER_DAY + __fdTimeNanoseconds(values);
    return __fdDateTimePlus(moved, nanoseconds, where);
  }

  __fdGetters(LocalDateTimeProto, Object.assign({
    Date: function __fdDateTimeDate() { return __fdDateOf(this[V][0]); },
    TimeOfDay: function __fdDateTimeTimeOfDay() { return __fdMake(LocalTimeProto, this[V][1]); },
  }, dateGetters, timeGetters));
  __fdMethods(LocalDateTimeProto, {
    PlusYears: __fdDateTimeMonthAdder(12, "PlusYears"),
    PlusMonths: __fdDateTimeMonthAdder(1, "PlusMonths"),
    PlusWeeks: __fdDateTimeAdder(7n * NS_PER_DAY, "PlusWeeks"),
    PlusDays: __fdDateTimeAdder(NS_PER_DAY, "PlusDays"),
    PlusHours: __fdDateTimeAdder(NS_PER_H, "PlusHours"),
    PlusMinutes: __fdDateTimeAdder(NS_PER_MIN, "PlusMinutes"),
    PlusSeconds: __fdDateTimeAdder(NS_PER_S, "PlusSeconds"),
    PlusMilliseconds: __fdDateTimeAdder(NS_PER_MS, "PlusMilliseconds"),
    PlusTicks: __fdDateTimeAdder(NS_PER_TICK, "PlusTicks"),
    PlusNanoseconds: __fdDateTimeAdder(1n, "PlusNanoseconds"),
    Plus: function __fdDateTimePlusMethod(period) {
      const values = __fdToPeriod(period, "LocalDateTime.Plus")[V];
      return __fdDateTimePlusPeriod(this, values, "LocalDateTime.Plus");
    },
    Minus: function __fdDateTimeMinus(other) {
      if (__fdIs(other, LocalDateTimeProto)) return __fdPeriodBetween(other, this);
      const values = __fdNegated(__fdToPeriod(other, "LocalDateTime.Minus"));
      return __fdDateTimePlusPeriod(this, values, "LocalDateTime.Minus");
    },
    InUtc: function __fdDateTimeInUtc() { return __fdMake(ZonedProto, __fdDateTimeNanoseconds(this)); },
    Equals: function __fdDateTimeEquals(other) {
      if (!__fdIs(other, LocalDateTimeProto)) return false;
      return __fdDateTimeNanoseconds(other) === __fdDateTimeNanoseconds(this);
    },
    CompareTo: function __fdDateTimeCompareTo(other) {
      const checked = __fdExpect(other, LocalDateTimeProto, "LocalDateTime", "LocalDateTime.CompareTo");
      return __fdCompare(__fdDateTimeNanoseconds(this), __fdDateTimeNanoseconds(checked));
    },
    ToString: function __fdDateTimeToString(pattern, culture) {
      const text = __fdPatternText(pattern, culture, "G", "LocalDateTime.ToString");
      return __fdDateTimeText(this, text, "LocalDateTime.ToString");
    },
    toJSON: function __fdDateTimeToJson() {
      const fields = __fdFields(this[V][0], this[V][1]);
      return __fdFormatPattern(LOCAL_DATE_TIME_EXTENDED_ISO, fields, "date time", "LocalDateTime");
    },
  });
  Object.defineProperty(LocalDateTimeProto, Symbol.toPrimitive, {
    value: function __fdDateTimePrimitive(hint) {
      return hint === "number" ? __fdMilliseconds(__fdDateTimeNanoseconds(this)) : this.ToString();
    },
  });
  __fdMethods(LocalDateTime, {
    FromDateTime: function __fdDateTimeFromDateTime(date) {
      const instant = __fdInstantFromDate(date, "LocalDateTime.FromDateTime");
      return __fdMake(LocalDateTimeProto, __fdSplit(instant[V]));
    },
  });

  // --- Guid ------------------------------------------------------------------------------------------

  const GuidProto = {};
  const GUID_D = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  const GUID_TEXT = new RegExp(
    "^(?:([0-9a-f]{32})|(" + GUID_D + ")|\\{(" + GUID_D + ")\\}|\\((" + GUID_D + ")\\))$", "i");
  const HEX = "0123456789abcdef";

  function __fdGuidOf(digits) { return __fdMake(GuidProto, digits); }

  // A version 4 GUID's 32 digits.
  function __fdNewGuidDigits() {
    let digits = "";
    for (let i = 0; i < 32; i++) {
      if (i === 12) digits += "4";
      else if (i === 16) digits += HEX[8 + Math.floor(Math.random() * 4)];
      else digits += HEX[Math.floor(Math.random() * 16)];
    }
    return digits;
  }

  // Guid.Parse: 32 hex digits, as they are (N), with hyphens (D), or that in braces (B) or parentheses (P).
  function __fdGuidDigits(text, where) {
    if (typeof text !== "string") throw __fdTypeError(where, "expected text, not " + __fdDescribe(text));
    const match = GUID_TEXT.exec(text.trim());
    if (match === null) {
      throw new TypeError(where + ": " + JSON.stringify(text) + " is not a valid GUID (expected 32 hex " +
        "digits as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, optionally in {} or ())");
    }
    return (match[1] || match[2] || match[3] || match[4]).replace(/-/g, "").toLowerCase();
  }

  function __fdGuidText(digits, format, where) {
    const d = digits.slice(0, 8) + "-" + digits.slice(8, 12) + "-" + digits.slice(12, 16) + "-" +
      digits.slice(16, 20) + "-" + digits.slice(20);
    switch (format === null || format === undefined || format === "" ? "D" : String(format).toUpperCase()) {
      case "D": return d;
      case "N": return digits;
      case "B": return "{" + d + "}";
      case "P": return "(" + d + ")";
      case "X": {
        const bytes = [];
        for (let i = 16; i < 32; i += 2) bytes.push("0x" + digits.slice(i, i + 2));
        const head = "{0x" + digits.slice(0, 8) + ",0x" + digits.slice(8, 12) + ",0x" + digits.slice(12, 16);
        return head + ",{" + bytes.join(",") + "}}";
      }
      default: throw new RangeError(where + ": the format can only be D, N, B, P or X");
    }
  }

  const Guid = __fdType("Guid", function __fdGuidType(text) {
    if (new.target === undefined) {
      throw new TypeError("Guid is a type: use Guid.NewGuid(), Guid.Parse(text) or new Guid(text)");
    }
    return __fdGuidOf(arguments.length === 0 ? "0".repeat(32) : __fdGuidDigits(text, "new Guid"));
  }, GuidProto);
  __fdMethods(GuidProto, {
    ToString: function __fdGuidToString(format) { return __fdGuidText(this[V], format, "Guid.ToString"); },
    Equals: function __fdGuidEquals(other) { return __fdIs(other, GuidProto) && other[V] === this[V]; },
    CompareTo: function __fdGuidCompareTo(other) {
      return __fdCompare(this[V], __fdExpect(other, GuidProto, "Guid", "Guid.CompareTo")[V]);
    },
    toJSON: function __fdGuidToJson() { return __fdGuidText(this[V], "D", "Guid"); },
  });
  Object.defineProperty(GuidProto, Symbol.toPrimitive, {
    value: function __fdGuidPrimitive() { return __fdGuidText(this[V], "D", "Guid"); },
  });
  __fdMethods(Guid, {
    NewGuid: function __fdNewGuid() { return __fdGuidOf(__fdNewGuidDigits()); },
    Parse: function __fdGuidParse(text) { return __fdGuidOf(__fdGuidDigits(text, "Guid.Parse")); },
  });
  __fdGetters(Guid, { Empty: function __fdGuidEmpty() { return __fdGuidOf("0".repeat(32)); } });

  // --- Encoding --------------------------------------------------------------------------------------

  const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  function __fdBase64(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] +
        (i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : "=") + (i + 2 < bytes.length ? BASE64[n & 63] : "=");
    }
    return out;
  }

  // A .NET byte[]: indexable, with Length, and base64 text in JSON (as Json.NET writes bytes).
  const BytesProto = Object.create(Uint8Array.prototype);
  Object.defineProperty(BytesProto, "Length", {get: function __fdBytesLength() { return this.length; }});
  Object.defineProperty(BytesProto, "toJSON", {
    value: function __fdBytesToJson() { return __fdBase64(this); },
  });

  function __fdBytes(list) {
    const bytes = new Uint8Array(list);
    Object.setPrototypeOf(bytes, BytesProto);
    return bytes;
  }

  function __fdByteList(value, where) {
    if (!(value instanceof Uint8Array) && !Array.isArray(value)) {
      throw __fdTypeError(where, "expected bytes (as Encoding.UTF8.GetBytes gives), not " +
        __fdDescribe(value));
    }
    return Array.from(value, function __fdByte(b) { return __fdInteger(b, where, "a byte", 255) & 255; });
  }

  function __fdUtf8Encode(text) {
    const bytes = [];
    for (const character of String(text)) {
      let code = character.codePointAt(0);
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      if (code < 0x80) bytes.push(code);
      else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
      else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
      else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63),
        0x80 | (code & 63));
    }
    return bytes;
  }

  // Invalid sequences become U+FFFD, one per byte that starts none, as .NET's decoder does.
  function __fdUtf8Decode(bytes) {
    const codes = [];
    for (let i = 0; i < bytes.length;) {
      const first = bytes[i];
      const length = first < 0x80 ? 1 : first >= 0xf0 && first < 0xf5 ? 4 : first >= 0xe0 ? 3
        : first >= 0xc2 ? 2 : 0;
      let code = length === 1 ? first : length === 2 ? first & 31 : length === 3 ? first & 15 : first & 7;
      let valid = length > 0 && i + length <= bytes.length;
      for (let k = 1; valid && k < length; k++) {
        valid = (bytes[i + k] & 0xc0) === 0x80;
        code = (code << 6) | (bytes[i + k] & 63);
      }
      const shortest = [0, 0, 0x80, 0x800, 0x10000][length];
      if (valid && length > 1 && (code < shortest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))) {
        valid = false;
      }
      codes.push(valid ? code : 0xfffd);
      i += valid ? length : 1;
    }
    let text = "";
    for (let i = 0; i < codes.length; i += 4096) text += String.fromCodePoint(...codes.slice(i, i + 4096));
    return text;
  }

  function __fdUtf16Codec(bigEndian) {
    return [
      function __fdUtf16Encode(text) {
        const bytes = [], source = String(text);
        for (let i = 0; i < source.length; i++) {
          const unit = source.charCodeAt(i);
          if (bigEndian) bytes.push(unit >> 8, unit & 255);
          else bytes.push(unit & 255, unit >> 8);
        }
        return bytes;
      },
      function __fdUtf16Decode(bytes) {
        let text = "";
        for (let i = 0; i + 1 < bytes.length; i += 2) {
          const unit = bigEndian ? (bytes[i] << 8) | bytes[i + 1] : bytes[i] | (bytes[i + 1] << 8);
          text += String.fromCharCode(unit);
        }
        return bytes.length % 2 === 1 ? text + "\ufffd" : text;
      },
    ];
  }

  function __fdUtf32Encode(text) {
    const bytes = [];
    for (const character of String(text)) {
      const code = character.codePointAt(0);
      bytes.push(code & 255, (code >> 8) & 255, (code >> 16) & 255, 0);
    }
    return bytes;
  }

  function __fdUtf32Decode(bytes) {
    const codes = [];
    for (let i = 0; i + 3 < bytes.length; i += 4) {
      const code = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
      codes.push(code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? code : 0xfffd);
    }
    return String.fromCodePoint(...codes);
  }

  // ASCII and Latin-1: a character past the limit is written as "?" and read back as "?".
  function __fdSingleByteCodec(limit) {
    return [
      function __fdSingleByteEncode(text) {
        return Array.from(String(text), function __fdSingleByte(character) {
          const code = character.codePointAt(0);
          return code <= limit ? code : 63;
        });
      },
      function __fdSingleByteDecode(bytes) {
        let text = "";
        for (const b of bytes) text += b <= limit ? String.fromCharCode(b) : "?";
        return text;
      },
    ];
  }

  const EncodingProto = {};
  const Encoding = __fdType("Encoding", function __fdEncodingType() {
    throw new TypeError("Encoding has no public constructor: use Encoding.UTF8, Encoding.ASCII and the like");
  }, EncodingProto);

  function __fdEncoding(className, webName, codePage, encodingName, [encode, decode]) {
    const encoding = Object.create(EncodingProto);
    const text = function __fdTextArgument(value, where) {
      if (value === null || value === undefined) throw __fdTypeError(where, "the text is " + value);
      return value;
    };
    __fdGetters(encoding, {
      WebName: function __fdWebName() { return webName; },
      BodyName: function __fdBodyName() { return webName; },
      HeaderName: function __fdHeaderName() { return webName; },
      CodePage: function __fdCodePage() { return codePage; },
      EncodingName: function __fdEncodingName() { return encodingName; },
    });
    __fdMethods(encoding, {
      GetBytes: function __fdGetBytes(value) { return __fdBytes(encode(text(value, "Encoding.GetBytes"))); },
      GetByteCount: function __fdGetByteCount(value) {
        return encode(text(value, "Encoding.GetByteCount")).length;
      },
      GetString: function __fdGetString(bytes) { return decode(__fdByteList(bytes, "Encoding.GetString")); },
      ToString: function __fdEncodingToString() { return className; },
      toJSON: function __fdEncodingToJson() {
        return {WebName: webName, CodePage: codePage, EncodingName: encodingName};
      },
    });
    return Object.freeze(encoding);
  }

  const encodings = {
    UTF8: __fdEncoding("System.Text.UTF8Encoding", "utf-8", 65001, "Unicode (UTF-8)",
      [__fdUtf8Encode, __fdUtf8Decode]),
    ASCII: __fdEncoding("System.Text.ASCIIEncoding", "us-ascii", 20127, "US-ASCII", __fdSingleByteCodec(127)),
    Latin1: __fdEncoding("System.Text.Latin1Encoding", "iso-8859-1", 28591, "Western European (ISO)",
      __fdSingleByteCodec(255)),
    Unicode: __fdEncoding("System.Text.UnicodeEncoding", "utf-16", 1200, "Unicode", __fdUtf16Codec(false)),
    BigEndianUnicode: __fdEncoding("System.Text.UnicodeEncoding", "utf-16BE", 1201, "Unicode (Big-Endian)",
      __fdUtf16Codec(true)),
    UTF32: __fdEncoding("System.Text.UTF32Encoding", "utf-32", 12000, "Unicode (UTF-32)",
      [__fdUtf32Encode, __fdUtf32Decode]),
  };
  const ENCODING_NAMES = {
    "utf-8": "UTF8", utf8: "UTF8", 65001: "UTF8", "us-ascii": "ASCII", ascii: "ASCII", 20127: "ASCII",
    "iso-8859-1": "Latin1", latin1: "Latin1", 28591: "Latin1", "utf-16": "Unicode", "utf-16le": "Unicode",
    unicode: "Unicode", 1200: "Unicode", "utf-16be": "BigEndianUnicode", 1201: "BigEndianUnicode",
    "utf-32": "UTF32", "utf-32le": "UTF32", 12000: "UTF32",
  };
  const encodingGetters = {Default: function __fdDefaultEncoding() { return encodings.UTF8; }};
  for (const name of Object.keys(encodings)) {
    encodingGetters[name] = function __fdEncodingGetter() { return encodings[name]; };
  }
  __fdGetters(Encoding, encodingGetters);
  __fdMethods(Encoding, {
    GetEncoding: function __fdGetEncoding(name) {
      const key = String(name).trim().toLowerCase();
      if (!Object.prototype.hasOwnProperty.call(ENCODING_NAMES, key)) {
        throw new RangeError("Encoding.GetEncoding: " + JSON.stringify(String(name)) + " is not supported " +
          "here (utf-8, us-ascii, iso-8859-1, utf-16, utf-16BE and utf-32 are)");
      }
      return encodings[ENCODING_NAMES[key]];
    },
  });

  // --- CultureInfo.InvariantCulture (currentCulture) -------------------------------------------------

  const INVARIANT = "Invariant Language (Invariant Country)";
  const currentCulture = {};
  __fdGetters(currentCulture, {
    Name: function __fdCultureName() { return ""; },
    DisplayName: function __fdCultureDisplayName() { return INVARIANT; },
    EnglishName: function __fdCultureEnglishName() { return INVARIANT; },
    NativeName: function __fdCultureNativeName() { return INVARIANT; },
    TwoLetterISOLanguageName: function __fdCultureTwoLetters() { return "iv"; },
    ThreeLetterISOLanguageName: function __fdCultureThreeLetters() { return "ivl"; },
    LCID: function __fdCultureLcid() { return 127; },
    IsNeutralCulture: function __fdCultureIsNeutral() { return false; },
  });
  __fdMethods(currentCulture, {
    ToString: function __fdCultureToString() { return ""; },
    toJSON: function __fdCultureToJson() { return {Name: "", DisplayName: INVARIANT, LCID: 127}; },
  });

  // --- ConfigureJavaScriptEngineWithDateTimeFeatures.cs ----------------------------------------------

  function __fdMonthStart(instant) {
    const [year, month] = __fdCivilFromDays(__fdSplit(instant[V])[0]);
    return __fdDaysFromCivil(year, month, 1);
  }

  // durationFromSeconds(long) and the like: a fraction is rounded half to even first (Convert.ChangeType).
  function __fdWholeDuration(unit, where) {
    return function __fdDurationFromWhole(...args) {
      if (args.length === 0) return __fdDurationOf(0n);
      return __fdDurationOf(BigInt(__fdInteger(args[0], where, "the value")) * unit, where);
    };
  }

  const dateFunctions = {
    instantFromDateTimeUtc: function __fdInstantFromDateTimeUtc(date) {
      return __fdInstantFromDate(date, "instantFromDateTimeUtc");
    },
    instantFromUtc: function __fdInstantFromUtcFunction(...args) {
      const names = ["the year", "the month", "the day", "the hour", "the minute", "the second"];
      return __fdInstantFromParts(...__fdIntegers(args, "instantFromUtc", names), "instantFromUtc");
    },
    currentInstant: function __fdCurrentInstant() { return __fdNow(); },
    currentYear: function __fdCurrentYear() { return __fdInstantFields(__fdNow()).year; },
    startOfMonth: function __fdStartOfMonth(...args) {
      return __fdDateOf(__fdMonthStart(__fdOptionalInstant(args, "startOfMonth")));
    },
    endOfMonth: function __fdEndOfMonth(...args) {
      const [year, month] = __fdCivilFromDays(__fdSplit(__fdOptionalInstant(args, "endOfMonth")[V])[0]);
      return __fdDateOf(__fdDaysFromCivil(year, month, __fdDaysInMonth(year, month)));
    },
    // Elsa: the start of the month of (the start of this month - 14 days).
    startOfPreviousMonth: function __fdStartOfPreviousMonth(...args) {
      const before = __fdMonthStart(__fdOptionalInstant(args, "startOfPreviousMonth")) - 14;
      const [year, month] = __fdCivilFromDays(before);
      return __fdDateOf(__fdDaysFromCivil(year, month, 1));
    },
    addDurationTo: function __fdAddDurationTo(...args) {
      const instant = __fdInstantArgument(args, 0, "addDurationTo");
      return __fdInstantOf(instant[V] + __fdDurationArgument(args, 1, "addDurationTo")[V], "addDurationTo");
    },
    subtractDurationFrom: function __fdSubtractDurationFrom(...args) {
      const instant = __fdInstantArgument(args, 0, "subtractDurationFrom");
      const duration = __fdDurationArgument(args, 1, "subtractDurationFrom");
      return __fdInstantOf(instant[V] - duration[V], "subtractDurationFrom");
    },
    durationFromSeconds: __fdWholeDuration(NS_PER_S, "durationFromSeconds"),
    durationFromMinutes: __fdWholeDuration(NS_PER_MIN, "durationFromMinutes"),
    durationFromHours: __fdWholeDuration(NS_PER_H, "durationFromHours"),
    durationFromDays: __fdWholeDuration(NS_PER_DAY, "durationFromDays"),
    formatInstant: function __fdFormatInstant(...args) {
      const instant = __fdInstantArgument(args, 0, "formatInstant");
      const pattern = __fdPatternText(args[1], args[2], "g", "formatInstant");
      return __fdInstantText(instant, pattern, "formatInstant");
    },
    localDateFromInstant: function __fdLocalDateFromInstant(...args) {
      return __fdDateOf(__fdSplit(__fdInstantArgument(args, 0, "localDateFromInstant")[V])[0]);
    },
    instantFromLocalDate: function __fdInstantFromLocalDate(...args) {
      const date = args.length === 0 ? null : __fdToLocalDate(args[0], "instantFromLocalDate");
      const days = date === null ? __fdDaysFromCivil(1, 1, 1) : date[V];
      return __fdInstantOf(BigInt(days) * NS_PER_DAY);
    },
    // Elsa: (a, b) => a - b, so durationBetween(earlier, later) is negative.
    durationBetween: function __fdDurationBetween(...args) {
      const a = __fdInstantArgument(args, 0, "durationBetween", "the first instant");
      const b = __fdInstantArgument(args, 1, "durationBetween", "the second instant");
      return __fdDurationOf(a[V] - b[V]);
    },
    // Period.Between(the instant's UTC date, today's UTC date).
    periodFromNow: function __fdPeriodFromNow(...args) {
      const past = __fdSplit(__fdInstantArgument(args, 0, "periodFromNow")[V])[0];
      return __fdPeriodOf([...__fdDatePeriod(past, __fdSplit(__fdNow()[V])[0]), 0, 0, 0, 0, 0, 0]);
    },
  };

  const types = {Instant, Duration, Period, LocalDate, LocalTime, LocalDateTime, Guid, Encoding};
  for (const name of Object.keys(types)) {
    Object.freeze(types[name].prototype);
    Object.freeze(types[name]);
  }
  for (const frozen of [ZonedProto, BytesProto, currentCulture]) Object.freeze(frozen);

  return {
    types,
    functions: Object.assign(dateFunctions, {
      parseGuid: function __fdParseGuid(text) { return __fdGuidOf(__fdGuidDigits(text, "parseGuid")); },
      guid: function __fdGuid() { return __fdGuidText(__fdNewGuidDigits(), "D", "guid"); },
    }),
    currentCulture,
    base64: __fdBase64,
    utf8Encode: __fdUtf8Encode,
    utf8Decode: __fdUtf8Decode,
    parseInstant: __fdParseInstant,
  };
}
