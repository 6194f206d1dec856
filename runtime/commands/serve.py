"""``flowdesk serve``: host every HttpEndpoint workflow of the given folders and files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runtime.errors import FlowdeskError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="host the HTTP endpoint workflows of folders and files",
        description=(
            "Host every workflow that starts with an HTTP Endpoint at its Path and Methods. A request starts "
            "an instance; the live log streams to stderr. Ctrl-C or SIGTERM stops cleanly, answering the "
            "requests in flight first."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="DIR|FILE", help="workflow folders or files (default: .)")
    parser.add_argument("--host", default="127.0.0.1", help="the address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5080, help="the port (default 5080; 0 picks a free one)")
    parser.add_argument("--store", metavar="DB", help="the object store file (default: the user's store)")
    parser.add_argument("--quiet", "-q", action="store_true", help="do not stream the log (for load tests)")
    parser.add_argument("--verbose", "-v", action="store_true", help="also log every variable change")
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="do not record the served runs in the run history (see flowdesk history)",
    )
    parser.add_argument(
        "--history-values",
        action="store_true",
        help=(
            "also keep each served run's request, output and response in the run history (masked; by "
            "default a served run keeps what its log keeps: path, timings, outcomes, fault, the request line)"
        ),
    )
    parser.set_defaults(handler=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    from runtime.heap import settled_heap
    from runtime.host.server import load_hosted, make_host, serve

    paths = [Path(p) for p in args.paths] or [Path(".")]
    for path in paths:
        if not path.exists():
            raise FlowdeskError(f"{path}: no such file or folder")
    hosted = load_hosted(paths, warn=lambda message: print(f"flowdesk: {message}", file=sys.stderr))
    folders = sorted({p if p.is_dir() else p.parent for p in paths})
    store_path = Path(args.store) if args.store else None
    history = None
    if not args.no_history:
        from runtime.commands.history import history_recorder

        history = history_recorder(store_path, "serve", keep_values=args.history_values)
    app = make_host(
        hosted,
        folders,
        store_path,
        log=None if args.quiet else sys.stderr,
        verbose=args.verbose,
        journal=False,
        history=history,
    )
    if not app.endpoints:
        raise FlowdeskError(f"no workflow in {', '.join(map(str, paths))} starts with an HTTP Endpoint")
    try:
        with settled_heap():
            serve(app, args.host, args.port)
    finally:
        if history is not None:
            history.writer.close()
    return 0
