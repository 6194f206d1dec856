"""``flowdesk history``: the runs kept in the store file (every ``run``, ``serve``, designer and demo run
unless ``--no-history``): list them, show one as ``run`` printed it, draw its timeline, set the retention.
Also where those commands get their recorder (:func:`history_recorder`)."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runtime.commands.store import _count
from runtime.errors import FlowdeskError

if TYPE_CHECKING:
    from runtime.history.record import RunRecord
    from runtime.history.recorder import HistoryRecorder
    from runtime.store.history import RunHistory, RunRow

RENDERER_GROUP = "flowdesk.renderers"
"""The entry-point group whose ``timeline`` entry draws a timeline to PNG or SVG (the designer's)."""
EXIT_OK, EXIT_NOT_FOUND = 0, 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "history",
        help="list the runs kept in the run history, show one, draw its timeline",
        description=(
            "The run history: every run of flowdesk run, serve, demo and the designer is kept in the store "
            "file (opt out with --no-history), masked as the log masks, and pruned by count and age "
            "(flowdesk history settings). Without an action: list the runs, newest first."
        ),
    )
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--store", metavar="DB", type=Path, default=argparse.SUPPRESS, help=_STORE_HELP)
    parser.add_argument("--store", metavar="DB", type=Path, default=None, help=_STORE_HELP)
    parser.add_argument("--workflow", metavar="NAME", help="only runs of this workflow (its name)")
    parser.add_argument("--status", metavar="S", help="only runs that ended so: Finished, Faulted, Cancelled")
    parser.add_argument("--source", metavar="S", help="only runs started by: run, serve, designer, demo")
    parser.add_argument(
        "--since",
        metavar="WHEN",
        type=_when,
        help="only runs started since: an ISO date/time, or 30m, 2h, 7d",
    )
    parser.add_argument(
        "--limit", metavar="N", type=_count, default=50, help="at most N runs (default 50; 0: all)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON (one array) instead of lines")
    parser.set_defaults(handler=list_command)
    actions = parser.add_subparsers(dest="history_action", metavar="ACTION")

    show = actions.add_parser(
        "show",
        parents=[store],
        help="print one run: summary, input, output and its log lines",
        description=(
            "Print a run: what ran (workflow, file and its SHA-256, source), how it ended, the input and "
            "the output, then its log lines as flowdesk run printed them. ID: the run's instance id, or its "
            "first characters (the 8 the log shows)."
        ),
    )
    show.add_argument("run_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="the whole record as JSON (journal included)")
    show.set_defaults(handler=show_command)

    timeline = actions.add_parser(
        "timeline",
        parents=[store],
        help="draw a run's timeline to PNG or SVG (needs the designer)",
        description=(
            "Draw the timeline of a run: a bar per activity execution on a time axis, sub-workflows nested "
            "under the activity that ran them, HTTP calls and waits marked. Drawn by the designer's chart "
            "(PySide6), without a window."
        ),
    )
    timeline.add_argument("run_id", metavar="ID")
    timeline.add_argument("-o", "--output", metavar="OUT", required=True, help="a .png or .svg file")
    timeline.add_argument(
        "--theme", choices=("light", "dark"), default="light", help="colours (default light)"
    )
    timeline.set_defaults(handler=timeline_command)

    settings = actions.add_parser(
        "settings",
        parents=[store],
        help="show or change how many runs are kept, and for how long",
        description=(
            "The retention of this store's run history (kept in the store file, so run, serve and the "
            "designer on one store share it): at most --keep-runs runs, none older than --keep-days days "
            "(0: no limit). Without options: print them. Older runs go at the next write."
        ),
    )
    settings.add_argument("--keep-runs", metavar="N", type=_count, help="runs kept at most (0: no limit)")
    settings.add_argument("--keep-days", metavar="D", type=_days, help="days a run is kept (0: no limit)")
    settings.set_defaults(handler=settings_command)

    clear = actions.add_parser(
        "clear",
        parents=[store],
        help="delete every run of the history (needs --yes)",
        description="Delete every run kept in this store's history; without --yes nothing changes.",
    )
    clear.add_argument("--yes", action="store_true", help="really delete them")
    clear.set_defaults(handler=clear_command)


_STORE_HELP = "the store file whose history to read (default: store.sqlite3 in the user data directory)"


def _when(text: str) -> float:
    """``--since``: ``30m``, ``2h``, ``7d`` ago, or an ISO date or date-time (UTC unless it says)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", text)
    if match:
        seconds = float(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
        return time.time() - seconds
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither an ISO date/time nor 30m, 2h, 7d") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _days(text: str) -> float:
    """``--keep-days``: a number of days, 0 or more (fractions too: 0.5 is 12 hours)."""
    try:
        days = float(text)
    except ValueError:
        days = math.nan
    if not math.isfinite(days) or days < 0:
        raise argparse.ArgumentTypeError(f"expected a number of days of 0 or more, got {text!r}")
    return days


def history_recorder(store_path: Path | None, source: str, keep_values: bool = True) -> HistoryRecorder:
    """The recorder of runs into the history of the store file (the user's store by default), for ``run``,
    ``serve`` and ``demo``; a history that cannot be written is said once on stderr."""
    from runtime.history.recorder import open_recorder

    def warn(text: str) -> None:
        print(f"flowdesk: {text}", file=sys.stderr)

    return open_recorder(store_path, source, warn=warn, keep_values=keep_values)


def open_history(args: argparse.Namespace) -> RunHistory:
    """The history of ``--store`` (the user's store by default); a store file that is not there is
    refused, not created (a mistyped path says so)."""
    from runtime.store.history import RunHistory
    from runtime.store.store import default_store_path

    path = getattr(args, "store", None) or default_store_path()
    if not Path(path).exists():
        raise FlowdeskError(f"{path}: no such store file (no run has been recorded there)")
    return RunHistory(path)


def list_command(args: argparse.Namespace) -> int:
    from runtime.store.history import RunQuery

    with open_history(args) as history:
        rows = history.runs(RunQuery(args.workflow, args.status, args.source, args.since, None, args.limit))
    if args.json:
        print(json.dumps([row.listed() for row in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print("no runs", file=sys.stderr)
        return EXIT_OK
    for row in rows:
        print(run_line(row))
    return EXIT_OK


def run_line(row: RunRow) -> str:
    """One run in a listing: id, start (UTC), status, duration, source, workflow, outcomes or fault."""
    started = datetime.fromtimestamp(row.started, UTC).strftime("%Y-%m-%d %H:%M:%S")
    duration = _duration(row.duration_ms)
    tail = f"  {', '.join(row.outcomes)}" if row.outcomes else ""
    if row.fault:
        tail = f"  {_one_line(row.fault, 100)}"
    return (
        f"{row.run_id[:8]}  {started}Z  {row.status:<9}  {duration:>9}  {row.source:<8}  {row.workflow}{tail}"
    )


def _duration(milliseconds: float | None) -> str:
    if milliseconds is None:
        return "-"
    if milliseconds < 1000:
        return f"{milliseconds:.1f} ms"
    return f"{milliseconds / 1000:.2f} s"


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def load_record(args: argparse.Namespace) -> RunRecord:
    from runtime.history.record import HistoryFormatError, read_record

    with open_history(args) as history:
        row = history.get(args.run_id)
    if row is None:
        raise FlowdeskError(f"no run {args.run_id!r} in the history")
    try:
        return read_record(row)
    except HistoryFormatError as error:
        raise FlowdeskError(str(error)) from None


def show_command(args: argparse.Namespace) -> int:
    record = load_record(args)
    row = record.row
    if args.json:
        print(json.dumps(record_json(record), ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    listed = row.listed()
    lines = [
        f"run        {row.run_id}",
        f"workflow   {row.workflow}"
        + (f" ({row.definition_id}" + (f", version {row.version})" if row.version is not None else ")"))
        if row.definition_id
        else f"workflow   {row.workflow}",
    ]
    if row.file_path:
        lines.append(f"file       {row.file_path}")
    if row.file_hash:
        lines.append(f"sha256     {row.file_hash}")
    lines += [
        f"source     {row.source}",
        f"status     {row.status}" + (f": {row.fault}" if row.fault else ""),
        f"started    {listed['started']}  ({_duration(row.duration_ms)}, {row.steps} steps)",
    ]
    if row.correlation_id:
        lines.append(f"correlated {row.correlation_id}")
    if row.outcomes:
        lines.append(f"outcomes   {', '.join(row.outcomes)}")
    summary = row.summary
    if row.request is not None:
        status = f" → {row.answer}" if row.answer is not None else ""
        lines.append(f"request    {row.request}{status}")
    if "input" in summary:
        lines.append(f"input      {_json_line(summary.get('input'))}")
    if "response" in summary:
        response = summary["response"]
        lines.append(f"response   {response.get('status')} {_json_line(response.get('content'))}")
    if "output" in summary:
        lines.append(f"output     {_json_line(summary.get('output'))}")
    else:
        lines.append(
            "values     not kept (a served run keeps what its log keeps; serve --history-values keeps them)"
        )
    if record.events_total > len(record.events):
        lines.append(f"(the log kept {len(record.events):,} of {record.events_total:,} lines)")
    print("\n".join(lines))
    print()
    for line in record.log_lines():
        print(line)
    return EXIT_OK


def _json_line(value: Any) -> str:
    return _one_line(json.dumps(value, ensure_ascii=False, default=str), 400)


def record_json(record: RunRecord) -> dict[str, Any]:
    """The whole record, for ``history show --json``."""
    from runtime.engine import NO_OUTPUT

    row = record.row
    return {
        **row.listed(),
        "input": row.summary.get("input"),
        "output": row.summary.get("output"),
        "response": row.summary.get("response"),
        "visits": record.visits,
        "instances": [
            {"id": info.id, "workflow": info.workflow, "parent": info.parent} for info in record.instances
        ],
        "log": record.log_lines(),
        "path": [
            {"workflow": workflow, "activityId": activity_id, "activity": label, "outcomes": list(outcomes)}
            | ({"error": error} if error else {})
            for workflow, activity_id, label, outcomes, error in record.path()
        ],
        "journal": [
            {
                "instanceId": instance_id,
                "activityId": item.activity_id,
                "type": item.activity_type,
                "activity": item.activity_label,
                "started": item.started_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "durationMs": item.duration_ms,
                "inputs": item.inputs,
                "outcomes": list(item.outcomes),
                **({} if item.output is NO_OUTPUT else {"output": item.output}),
                **({"error": item.error} if item.error else {}),
                **({"data": item.data} if item.data else {}),
            }
            for instance_id, item in record.journal
        ],
        "journalTotal": record.journal_total,
    }


def timeline_command(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in (".png", ".svg"):
        raise FlowdeskError(
            f"{output}: unsupported picture format {output.suffix or '(none)'}; use .png or .svg"
        )
    record = load_record(args)
    render = _timeline_renderer()
    from runtime.history.timeline import build_timeline

    timeline = build_timeline(record.events, f"{record.row.workflow} {record.id[:8]}", record.row.status)
    width, height = render(timeline, output, args.theme)
    print(f"{output}: {width} x {height}, {len(timeline.bars)} bars on {len(timeline.rows)} rows")
    return EXIT_OK


def _timeline_renderer() -> Any:
    """The designer's timeline drawing, found through the :data:`RENDERER_GROUP` entry points."""
    from importlib.metadata import entry_points

    for entry in entry_points(group=RENDERER_GROUP, name="timeline"):
        try:
            return entry.load()
        except ImportError as error:
            raise FlowdeskError(
                "flowdesk history timeline needs the designer's Qt (PySide6), which cannot be loaded "
                f"({error})"
            ) from None
    raise FlowdeskError(
        "flowdesk history timeline needs the designer, which is not installed (no timeline entry in the "
        f"{RENDERER_GROUP} entry points); flowdesk history show ID prints the run instead"
    )


def settings_command(args: argparse.Namespace) -> int:
    with open_history(args) as history:
        if args.keep_runs is not None or args.keep_days is not None:
            retention = history.set_retention(args.keep_runs, args.keep_days)
            history.prune(retention)
        else:
            retention = history.retention()
        count = history.count()
    runs = f"{retention.keep_runs:,}" if retention.keep_runs else "no limit"
    days = f"{retention.keep_days:g} days" if retention.keep_days else "no limit"
    print(f"keep runs: {runs}; keep for: {days}; {count:,} runs kept now")
    return EXIT_OK


def clear_command(args: argparse.Namespace) -> int:
    with open_history(args) as history:
        count = history.count()
        if not args.yes:
            print(f"would delete {count:,} runs; add --yes to delete them", file=sys.stderr)
            return EXIT_NOT_FOUND
        history.clear()
    print(f"deleted {count:,} runs", file=sys.stderr)
    return EXIT_OK
