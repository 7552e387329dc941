"""The Markdown report (``--neuron-markdown``) shows user text inertly: no cell split, no raw HTML."""

from __future__ import annotations


def test_pipes_and_html_from_user_code_are_escaped_in_every_cell(pytester, project):
    pytester.makepyfile(
        test_x="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("<b>loud</b>", kind="package")
        def test_unit(): pass
        @pytest.mark.neuron_integration
        def test_integration(): pass
        @pytest.mark.neuron_performance
        def test_perf(neuron_metric):
            neuron_metric("p50|p90", 3, "ms|s", max=5)
        """
    )
    result, _ = project.run("--neuron-markdown=summary.md")
    assert result.ret == 0
    markdown = (pytester.path / "summary.md").read_text()
    assert "<b>" not in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| stable | package |"))
    assert row == (
        "| stable | package | &lt;b>loud&lt;/b> |  | standard met, performance met (p50\\|p90 3 ms\\|s <= 5) |"
    )
    assert row.replace("\\|", "").count("|") == 6  # five cells, however many pipes the names hold
