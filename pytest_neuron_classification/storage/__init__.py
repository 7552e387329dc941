"""The plugin's versioned files: how each is read, validated and written atomically.

Each format has one :class:`~.files.FileFormat` (a schema name, what it is, how to fix it),
so a wrong or corrupt file is one line naming it, whichever command reads it.
"""
