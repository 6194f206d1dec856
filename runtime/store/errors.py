"""Errors of the object store. Each renders as one line naming the store, type, field or seed place."""

from __future__ import annotations

from runtime.errors import FlowdeskError


class StoreError(FlowdeskError):
    """The store cannot do what was asked (bad value, unknown field, unreadable file, busy database)."""


class ObjectTypeNotFound(StoreError):
    """No object type of that name: the data activities turn this into the `Object type not found` outcome."""

    def __init__(self, type_name: str, store_path: str | None = None) -> None:
        where = f" in store {store_path}" if store_path else ""
        super().__init__(f'object type "{type_name}" not found{where}')
        self.type_name = type_name


class SeedError(FlowdeskError):
    """A seed file that cannot be imported: names the file and the place in it. Nothing was written."""

    def __init__(self, source: str, message: str, place: str | None = None) -> None:
        super().__init__(f"{source}: {place}: {message}" if place else f"{source}: {message}")
        self.source = source
        self.place = place
        self.message = message
