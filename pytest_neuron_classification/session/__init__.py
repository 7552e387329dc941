"""The pytest side: options and settings, the classifier, the outcome log, the controller, the xdist wire format.

The only layer (besides the entry modules) that imports pytest: it translates pytest's
objects into the core's plain evidence, one role object per process role.
"""
