"""The window's features, each plugged in through the :class:`~designer.shell.Shell`: Run and debug
(:mod:`.run`), Serve (:mod:`.serve`) and the object store browser (:mod:`.store`)."""
