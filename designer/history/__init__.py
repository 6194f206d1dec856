"""The run history in the designer: the Run History panel, the timeline chart (also drawn to PNG/SVG for
``flowdesk history timeline``), and the Tests panel of recorded tests."""
