"""The designer's Serve toggle: host the open workflows' HTTP endpoints, list the runs, send test requests.

The runtime's HTTP host does the work on its own thread (:class:`runtime.host.BackgroundHost`); this package
only plans what to host, carries the host's events to the GUI thread and shows them.
"""
