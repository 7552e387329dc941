"""pytest-neuron-classification: check the promises of Alpha, Beta and Stable on every run."""

__version__ = "0.1.0"
