"""Names the Elsa 2 API matches case-sensitively, written as it writes them.

Kept apart from :mod:`runtime.remote.models` so the command line checks ``--status`` and ``--version``
without importing pydantic, and so the command line and the designer offer the same names.
"""

from __future__ import annotations

INSTANCE_STATUSES: tuple[str, ...] = ("Idle", "Running", "Finished", "Suspended", "Faulted", "Cancelled")
"""``WorkflowStatus`` names, as the API writes and accepts them (``ABS/Models/WorkflowStatus.cs``)."""

DEFINITION_VERSIONS: tuple[str, ...] = ("Latest", "Published", "Draft", "LatestOrPublished")
"""The named versions one definition can be fetched at (``VersionOptions.cs``; ``AllVersions`` lists, it
does not pick one)."""
