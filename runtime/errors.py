"""Precise exceptions. Each one renders as a single line a person can act on."""

from __future__ import annotations

import json


class FlowdeskError(Exception):
    """Base of every error Flowdesk reports to a user (never shown with a traceback)."""


class WorkflowFormatError(FlowdeskError):
    """A workflow file that cannot be read: names the file and what is wrong with it."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class WorkflowSaveError(FlowdeskError):
    """A workflow that could not be written; the target file is left as it was."""


def describe_json_error(error: json.JSONDecodeError) -> str:
    """``not valid JSON: Expecting ',' delimiter (line 3, column 7)`` — the same words everywhere."""
    return f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
