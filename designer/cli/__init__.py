"""The designer's commands on the ``flowdesk`` command line: ``open`` (plain ``flowdesk`` too) and ``render``.

The runtime's command line never imports the designer: it finds these through the ``flowdesk.commands``
entry-point group (``pyproject.toml``), whose each entry names a ``register(subparsers)`` function, as the
modules of :mod:`runtime.commands` have. Neither module imports Qt until its command runs, so
``flowdesk --help`` stays light; a missing PySide6 is one clear line (:func:`require_qt`), not a traceback.
"""

from __future__ import annotations

from runtime.errors import FlowdeskError


def require_qt(command: str) -> None:
    """Load Qt for ``command``, or raise a one-line :class:`FlowdeskError` saying it is missing or broken."""
    try:
        import PySide6.QtWidgets  # noqa: F401  (the command imports it next anyway)
    except ImportError as error:
        raise FlowdeskError(
            f"{command} needs Qt (PySide6), which cannot be loaded here ({error}); install it with "
            "`pip install PySide6-Essentials`, or use the headless commands (flowdesk --help)"
        ) from None
