"""Reports of runs in a child process: the JSON report on stdout, merge --html, and the HTML page under xdist."""

from __future__ import annotations

import json


def test_the_json_report_can_go_to_stdout(project):
    project.module()
    result = project.pytester.runpytest_subprocess("--neuron-json=/dev/stdout", "-p", "no:randomly", "-q")
    assert result.ret == 1  # the module's performance gap
    text = result.stdout.str()
    assert json.loads(text[text.index("{") : text.rindex("}") + 1])["schema"] == "pytest-neuron-classification/2"
    assert "ERROR" not in result.stdout.str()
