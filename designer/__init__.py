"""The Flowdesk designer: the PySide6 node-graph editor (a view and editor of the runtime's model)."""

from designer.qt_compat import guard_none_refcount

guard_none_refcount()
