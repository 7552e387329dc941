"""Metrics with other processes: the commit git reports, numpy never imported, baselines and history under xdist and through merge."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_neuron_classification.metrics.history import git_commit


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_commit_is_the_checked_out_commit_and_never_raises(tmp_path: Path) -> None:
    assert git_commit(tmp_path) is None  # not a repository
    assert git_commit(tmp_path / "does-not-exist") is None
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> str:
        command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, check=True).stdout.strip()

    git("init", "-q")
    assert git_commit(repo) is None  # a repository without a commit
    git("commit", "-q", "--allow-empty", "-m", "first")
    assert git_commit(repo) == git("rev-parse", "HEAD")


def test_numpy_is_never_imported() -> None:
    """neuron_metric takes a numpy array of samples, yet importing the plugin or making a metric never imports numpy."""
    code = (
        "import sys; from pytest_neuron_classification.core.metric import make_metric; "
        "import pytest_neuron_classification.fixtures, pytest_neuron_classification.plugin; "
        "make_metric('x', [1.0, 2.0]); assert 'numpy' not in sys.modules, 'numpy imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
