"""The Flowdesk designer: the PySide6 node-graph editor (a view and editor of the runtime's model)."""
