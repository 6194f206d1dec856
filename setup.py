"""The one thing pyproject.toml cannot say: the packages found under runtime/ and designer/, plus
``runtime.samples``, which ``[tool.setuptools.package-dir]`` maps to the repository's ``samples/`` folder so the
wheel ships the samples while the repository keeps them at its root (see ``runtime.resources``)."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["runtime", "runtime.*", "designer", "designer.*"]), "runtime.samples"])
