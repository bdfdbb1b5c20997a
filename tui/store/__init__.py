"""The register's storage: SQL on one SQLite file (peewee), and nothing else.

One module per concern: ``database`` (open_db, write_tx, fault mapping), ``schema`` /
``migrations`` (version and migrations), ``models`` (tables), ``settings`` (the one
settings row), ``children`` (living records, the column list, circumstance and support
rows), ``households``, ``villages``, ``users``, ``search``, ``review`` (the review lists as
SQL), ``duplicates`` (decisions), ``police`` (batches), ``workflow`` (states and events),
``recheck``, ``audit`` (hash-chained log), ``drafts``, ``bulk`` (executemany inserts for
the demo and imports), ``records`` (form/import values to rows through libchild),
``backup``, ``clock``. No permission is checked here: ``tui.services`` decides who may do
what and calls these inside its transactions; nothing above the services imports this
package.
"""
