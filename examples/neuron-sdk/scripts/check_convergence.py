"""Training convergence of the `linear` model class, checked outside pytest.

A real SDK runs this kind of check as a script on hardware (hours of training, a loss curve
compared with a reference), not as a pytest test. It records its result with
`python -m pytest_neuron_classification record`, and the audit takes it in through
`pytest --neuron-evidence=PATH` or `python -m pytest_neuron_classification merge`.

    python scripts/check_convergence.py reports/convergence.json
    python scripts/check_convergence.py reports/convergence.json 5   # a learning rate that diverges

A diverged run has no finite loss to compare: it is recorded ``--outcome failed`` without it.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the example's neuron_sdk

from neuron_sdk import LinearModel

TARGET_LOSS = 1e-6


def main(output: str, lr: float = 0.02) -> int:
    xs = [i / 10 for i in range(50)]
    ys = [3 * x - 2 for x in xs]  # y = 3x - 2: a "long" run on a bigger data set than the unit test's
    try:
        history = LinearModel().fit(xs, ys, steps=3000, lr=lr)
    except OverflowError:  # pure Python raises where an accelerator's loss becomes inf or nan
        history = [math.inf]
    converged = history[-1] <= TARGET_LOSS < history[0]
    # A diverged run (loss inf or nan) has no loss to compare: it is recorded failed, without it.
    loss = [f"final_loss={history[-1]!r}:lower:max={TARGET_LOSS}"] if math.isfinite(history[-1]) else []
    record = [sys.executable, "-m", "pytest_neuron_classification", "record"]
    record += ["--item", "linear", "--kind", "model", "--level", "beta", "--framework", "pytorch-neuronx"]
    record += ["--library", "neuronx-distributed", "--workload", "training", "--category", "convergence"]
    record += ["--outcome", "passed" if converged else "failed", "--source", "scripts/check_convergence.py"]
    for metric in [*loss, f"steps={len(history)}"]:
        record += ["--metric", metric]
    return subprocess.run([*record, "--output", output], check=False).returncode


if __name__ == "__main__":
    # An optional learning rate (a too large one diverges: the failed path of the script).
    sys.exit(main(*sys.argv[1:2] or ["reports/convergence.json"], *map(float, sys.argv[2:3])))
