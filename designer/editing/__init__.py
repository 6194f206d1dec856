"""Editing a workflow: one :class:`~designer.editing.editor.WorkflowEditor` per document, its undo commands
over the runtime model (:mod:`~designer.editing.commands`), and the mouse gestures that call it
(:mod:`~designer.editing.interactions`). The canvas (:mod:`designer.canvas`) only draws; it never edits.
"""
