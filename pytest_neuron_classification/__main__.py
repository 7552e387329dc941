"""``python -m pytest_neuron_classification``: the subcommands live in :mod:`.cli`."""

import sys

from pytest_neuron_classification.cli import main

sys.exit(main())
