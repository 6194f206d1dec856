"""Recorded tests: any run turned into a ``.flowtest.json`` file that ``flowdesk test`` replays offline.

* :mod:`runtime.flowtest.testfile`: the file (format in the README's "Recorded tests");
* :mod:`runtime.flowtest.recording`: the seams a run is recorded and replayed at (HTTP transport, store);
* :mod:`runtime.flowtest.runner`: recording a run (:class:`~runtime.flowtest.runner.RunRecording`) and
  replaying a test (:func:`~runtime.flowtest.runner.run_test`) with its readable differences;
* :mod:`runtime.flowtest.compare`: JSON differences with loosened JSONPaths, and the path;
* :mod:`runtime.flowtest.junit`: the results as JUnit XML.
"""
