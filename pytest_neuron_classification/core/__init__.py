"""The pure core: the vocabulary, classified items, evidence, outcomes and the audit.

Standard library and ``packaging`` only, no pytest (import-linter keeps it so): the
plugin, ``merge`` and the tests call the same plain functions on the same data.
"""
