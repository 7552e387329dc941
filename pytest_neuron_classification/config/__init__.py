"""``[tool.neuron-classification]`` as data: the key tables and the parser they drive.

Pure (no pytest): the plugin, the command line and the Sphinx reference read the same
tables, so a key, its default and its check live in one place.
"""
