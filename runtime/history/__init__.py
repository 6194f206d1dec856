"""Run history: every run recorded in the store file, read back as its log, path, journal and timeline.

* :mod:`runtime.history.recorder`: the engine observer that keeps a run's events, and the writer thread that
  stores finished runs in batches (:class:`~runtime.history.recorder.HistoryRecorder`,
  :class:`~runtime.history.recorder.HistoryWriter`);
* :mod:`runtime.history.record`: what a stored run holds, masked as the log masks, and how it is read back;
* :mod:`runtime.history.timeline`: the run as bars on a time axis (one per activity execution, sub-workflows
  nested, HTTP calls and waits marked), which the designer draws;
* the table itself: :mod:`runtime.store.history`.

Nothing is imported here: ``import runtime.history.timeline`` loads neither SQLite nor the engine's runner.
"""
