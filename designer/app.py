"""Start the designer: ``flowdesk`` / ``flowdesk open FILE...`` end up in :func:`run_designer`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from designer.main_window import APP_NAME, MainWindow
from designer.platform_check import QtPlatformError, check_platform

ORGANIZATION = "Flowdesk"


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication with Flowdesk's names (QSettings location) and the Fusion style."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        if not app.organizationName():
            app.setOrganizationName(ORGANIZATION)
            app.setApplicationName(APP_NAME)
        return app
    app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setStyle("Fusion")
    return app


def run_designer(files: Sequence[str] = (), theme: str = "system", store: str | None = None) -> int:
    """Open the window with ``files`` in tabs and run until it closes; returns the exit code.

    ``theme`` "system" keeps the theme chosen last time (which follows the system by default);
    ``store`` is the object store runs use (default: the one chosen last, else the user's store).
    Raises :class:`~designer.platform_check.QtPlatformError` (one line; the command line prints it and
    exits with 2) when Qt's platform plugin cannot start here, instead of letting Qt abort.
    """
    if QApplication.instance() is None:
        check_platform()
    app = create_application()
    window = MainWindow(theme_choice=None if theme == "system" else theme, store_path=store)
    window.show()
    window.open_files(files)
    return app.exec()


def main() -> int:
    try:
        return run_designer(sys.argv[1:])
    except QtPlatformError as error:
        print(f"flowdesk: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
