"""Guided training sessions (issue 12): scenarios, printed pages, scoring, keyer statistics.

This package is pure: it reads scenario files and works on typed records handed to it;
it never opens the register. Where the records come from is described by the protocols
in :mod:`tui.training.records` (a trainee's households and children),
:mod:`tui.training.keystrokes` (counts and timings of typing) and
:mod:`tui.training.keyer_stats` (re-check outcomes), which the service layer implements.

Modules:

- ``scenario``: the scenario as data (pages as written, answer key, lessons).
- ``loader``: reading and checking scenario files (TOML); the shipped scenarios.
- ``answer_key``: what the register should hold after correct entry of the pages.
- ``values``: the register's values of a household and a child, cleaned and shown.
- ``records``: what a trainee's register holds (typed), and the source protocol.
- ``keystrokes``: keystroke measures (counts and timings only, never the text).
- ``matching``: pairing a trainee's records with the answer key.
- ``scoring``: field-by-field comparison, lessons caught, time and keys per child.
- ``results`` / ``render``: typed results and their Vietnamese text.
- ``keyer_stats``: re-check (phúc tra) error rates per enterer and per field.
- ``print``: the household-book pages as a workbook (and PDF through LibreOffice).
- ``export``: a session's results as a workbook with certificate lines.
"""
