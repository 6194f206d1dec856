"""The JavaScript installed once in every pooled context: Elsa 2's globals and the evaluation bridge.

Each evaluation is one call ``__fdExec(stateJson, source, modeHint, lastStart, lastEnd, checkGlobals,
globalNames)`` (``checkGlobals`` and ``globalNames``: what the context must look for on the global object
afterwards, see ``js_analysis.global_check``). A reply starting with ``!`` means the context could not be
made clean afterwards and must be dropped (the rest is the reply). The reply is a JSON
envelope ``{"m": mode, "v": value, "c": [name, value, name, value ...], "o": [outcomes], "e": {n, m, s},
"jn": [name, value ...], "tc": [name, value ...]}`` (``c``: the variables set, in order; ``jn``: what
``addJournal`` added; ``tc``: the transient variables set) when the script failed, ran in another mode
than the hint, or added to the journal or the transient variables. Otherwise it is one tag letter
(``REPLY_*``) and the value, so neither side builds or reads an envelope.

The state object (empty text for a script that can reach no state) holds only what the script can reach
(see ``javascript._state_json``): ``v`` variables, ``g`` 0 when no variable needs to be a global, ``i``
input, ``a`` activity outputs, ``w`` workflow ids by name, ``wi``/``wd``/``wv``/``c`` instance and
definition ids and the correlation id, and ``x`` what only some scripts need: ``t`` transient variables,
``ai`` named activities' ids, ``ad`` activity data by id (null: not run), ``an`` the activity names used
as globals, ``fx`` the first activity id per executed type, ``tg`` workflow ids by tag, ``j`` the
journal's keys, ``h`` the HTTP request, ``ws`` the instance, ``cx`` the execution contexts' own values,
``so`` 0 where ``setOutcome`` is not defined.

Scripts run inside ``with (scope)`` through a sloppy direct ``eval`` in a fresh function call, so:
  * workflow variables, ``input``, ``activities`` and the workflow ids look like globals without being
    globals (nothing of one evaluation is left for the next in a pooled context);
  * ``var``/``let``/``const``/function declarations stay local to one evaluation;
  * the completion value of the program is the result (Elsa 2 / Jint ``Evaluate`` semantics).
A script whose parse fails only because of a top-level ``return`` is compiled as a function body instead
(cached per context); one that fails to parse and starts with ``{`` is retried as an object literal.
Both wrappers keep the user's line numbers (the wrapper text shares the script's first line).

Once a script's mode is known, each context compiles it once and keeps the function (at most
``MAX_COMPILED`` texts a mode; the older half is dropped when full): a function body as it is; a program
(or object literal) whose last top-level statement is an expression, found by ``js_tokens`` and passed
in as ``lastStart``/``lastEnd``, as ``function () { with (scope) { PREFIX result = (LAST) } return result }``,
which returns the program's completion value. Other programs keep running through eval.

Every function of the prelude is declared with a ``__fd`` name (the Elsa names are bound to them as
globals), so error stacks tell its frames from the user's in any engine.

The program itself is ``prelude.js`` beside this module (shipped in the wheel as package data), read once
with :mod:`importlib.resources`; ``__MAX_COMPILED__`` and ``__CLR_TYPES__`` in it are filled in here.
"""

from __future__ import annotations

from importlib.resources import files

from runtime.expressions.js_clr import CLR_TYPES

MODE_UNKNOWN = 0
MODE_PROGRAM = 1
MODE_BODY = 2
MODE_OBJECT = 3

RUNNER_FUNCTION = "__fdExec"
COMPILED_COUNT_FUNCTION = "__fdCompiled"
"""Returns (as text) how many script texts the context keeps compiled; at most ``MAX_COMPILED`` a mode."""
MAX_COMPILED = 256

REPLY_STRING = "s"
"""Tag of a bare string result: the rest of the reply is the string itself."""
REPLY_JSON = "j"
"""Tag of any other bare result: the rest of the reply is its JSON text."""
REPLY_TRUE, REPLY_FALSE, REPLY_NONE = "t", "f", "u"
"""Tags of a bare true, false, and null/undefined (or a value JSON cannot hold) result."""
REPLY_INTEGER = "i"
"""Tag of a bare safe integer result, in decimal digits."""
REPLY_CHANGES = "c"
"""Tag of a script that set variables or outcomes: ``[value, [outcomes], name, value, name, value ...]``."""
COMPILE_FRAMES = frozenset({"__fdRunProgram", "__fdCompileBody"})
"""The prelude frames directly under the engine's frame for a syntax error in the user's own script."""
PROGRAM_FRAME = "__fdProgram"
"""The frame of a compiled program: the user's own top-level code, whose lines are as exact as eval's."""

PRELUDE = (
    files(__package__)
    .joinpath("prelude.js")
    .read_text("utf-8")
    .replace("__MAX_COMPILED__", str(MAX_COMPILED))
    .replace("__CLR_TYPES__", CLR_TYPES.strip())
)
"""The prelude's JavaScript, ready to evaluate."""
