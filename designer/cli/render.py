"""``flowdesk render FILE -o OUT.png|OUT.svg``: draw a workflow as the canvas does, without a window.

Registered through the ``flowdesk.commands`` entry point ``render``; Qt is imported inside the handler only.
"""

from __future__ import annotations

import argparse

from designer.cli import require_qt


def positive_scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.1 <= value <= 8:
        raise argparse.ArgumentTypeError(f"{text} is outside 0.1 to 8")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="draw a workflow to PNG or SVG, as the canvas shows it",
        description="Draw a workflow with the designer's own canvas code (no window needed) to PNG or SVG.",
    )
    parser.add_argument("file", metavar="FILE", help="the workflow (Elsa 2 JSON)")
    parser.add_argument(
        "-o", "--output", metavar="OUT", required=True, help="the picture: a .png or .svg file"
    )
    parser.add_argument(
        "--theme", choices=("light", "dark"), default="light", help="colours (default: light)"
    )
    parser.add_argument(
        "--scale",
        type=positive_scale,
        default=1.0,
        metavar="N",
        help="PNG pixels per canvas unit (default 1)",
    )
    parser.set_defaults(handler=render_command)


def render_command(args: argparse.Namespace) -> int:
    require_qt("flowdesk render")
    from designer.render import render_file
    from designer.theme import theme_named

    notes: list[str] = []
    size = render_file(args.file, args.output, theme_named(args.theme), args.scale, notes=notes)
    detail = f" ({'; '.join(notes)})" if notes else ""
    print(f"{args.output}: {size.width()} x {size.height()}{detail}")
    return 0
