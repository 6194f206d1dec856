"""Flowdesk's headless runtime: workflow model, Elsa 2 format, catalog, validation, engine, store, host.

Never imports Qt: the designer is a view over this library.
"""

__version__ = "0.1.0"
