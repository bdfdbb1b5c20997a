"""Every user-facing text of the treem application, one module per area.

``core`` holds the storage, account, audit and workflow messages; the command line,
the screens and the review lists keep theirs in sibling modules.
"""
