"""Subcommands of the ``flowdesk`` command line, one module each (see :mod:`runtime.cli`)."""
