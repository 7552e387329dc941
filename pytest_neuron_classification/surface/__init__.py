"""Everything that imports or parses user code: signatures, flags, environment variables, exposure.

User code may raise anything or exit at import; this layer turns that into one line naming
the target, so the layers above only ever see plain snapshots.
"""
