"""The embedded object store (WoW "Tables"): SQLite file, OData filters, seed import and export."""

from runtime.store.errors import ObjectTypeNotFound, SeedError, StoreError
from runtime.store.fields import FIELD_TYPES, FieldDef, ObjectType
from runtime.store.odata import ODataError, parse_filter, parse_order_by
from runtime.store.seed import ImportSummary
from runtime.store.store import ObjectStore, default_store_path

__all__ = [
    "FIELD_TYPES",
    "FieldDef",
    "ImportSummary",
    "ODataError",
    "ObjectStore",
    "ObjectType",
    "ObjectTypeNotFound",
    "SeedError",
    "StoreError",
    "default_store_path",
    "parse_filter",
    "parse_order_by",
]
