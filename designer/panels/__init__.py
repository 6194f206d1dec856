"""The window's panels: palette, inspector, problems, log, journal, variables and the object store browser."""
