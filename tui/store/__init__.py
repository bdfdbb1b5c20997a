"""Storage and services of the treem application (peewee on one SQLite file).

Modules: ``database`` (open_db, write_tx, fault mapping), ``schema`` / ``migrations``
(version and migrations), ``models`` (tables), ``settings`` (the commune, create_register),
``accounts`` (roles, passwords, sessions), ``audit`` (hash-chained log), ``workflow``,
``drafts``, ``register`` (the ``Register`` service the screens and CLI call), ``bulk``
(executemany inserts for the demo generator and imports), ``errors`` (exceptions with
Vietnamese messages from ``tui.messages.core``).
"""
