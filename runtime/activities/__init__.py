"""The built-in activity handlers, one module per family, beside its descriptors (:mod:`runtime.catalog`).

=========================  ================================  ==========================================
family (module)            types                             palette categories
=========================  ================================  ==========================================
``control``                If, Switch, Fork, Join, ForEach,  Control Flow
                           For, While, Break
``primitives``             SetVariable, Fault,               Primitives, Scripting, Timers, Console
                           RunJavaScript, Timer, WriteLine
``workflows``              RunWorkflow, Correlate, Finish    Workflows
``http``                   HttpEndpoint, WriteHttpResponse,  HTTP
                           SendHttpRequest
``data``                   ObjectInstanceList/Get/Update/    Data (World of Workflows' object store)
                           Create, DeleteObjectInstance
=========================  ================================  ==========================================

``runtime.catalog.<family>`` describes the types (what the designer draws and validation checks),
``runtime.activities.<family>`` runs them. Importing this package registers every handler with the engine's
table (:mod:`runtime.engine.handlers`), which imports it on its first look-up.
"""

from runtime.activities import control, data, http, primitives, workflows

FAMILIES: tuple[str, ...] = ("control", "primitives", "workflows", "http", "data")
"""The family modules, named as in :mod:`runtime.catalog`."""

__all__ = ["FAMILIES", "control", "data", "http", "primitives", "workflows"]
