"""Markdown and JUnit output of a serial run."""

from __future__ import annotations

import xml.etree.ElementTree as ET

#: A Stable package with a performance test but no integration test: one gap, in its standard suite.
UNIT_AND_PERFORMANCE = ("functional", "performance")


def test_markdown_report(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "a|b"\nlevel = "beta"\nsince = "2.19"\n')
    project.module(categories=UNIT_AND_PERFORMANCE)
    result = pytester.runpytest("--neuron-markdown=summary/neuron.md")
    text = (pytester.path / "summary" / "neuron.md").read_text()
    assert result.ret == 1
    assert text.startswith("## Neuron software classification\n")
    assert ":x: FAILED under enforce=error: 2 gaps break a promise" in text
    assert "| stable | 1 | 1 of 2 | 1 |" in text
    assert "| beta | 1 | 0 of 1 | 1 |" in text
    assert "| stable | package | runtime |  | standard **missing**, performance met (performance_score 1) |" in text
    assert "| test_runtime.py::test_performance | performance_score | 1 |  | neuron_metric |" in text
    assert "| beta | feature | a\\|b | 2.19 | basic **missing** |" in text
    assert "### Gaps (2)" in text
    assert (
        "| stable | package | runtime | standard | missing | "
        "[integration] add a passing test marked @pytest.mark.neuron_integration |"
    ) in text


def test_markdown_of_a_clean_run(pytester):
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass")
    result = pytester.runpytest("--neuron-markdown=out.md", "--neuron-json=out.json")
    text = (pytester.path / "out.md").read_text()
    assert result.ret == 0
    assert ":white_check_mark: all 1 obligations met" in text
    assert "### Gaps" not in text
    assert (pytester.path / "out.json").exists()


def test_markdown_warn_mode(pytester, project):
    project.module(categories=UNIT_AND_PERFORMANCE)
    result = pytester.runpytest("--neuron-markdown=out.md", "--neuron-enforce=warn")
    assert result.ret == 0
    assert ":warning: 1 gap breaks a promise" in (pytester.path / "out.md").read_text()


def test_junit_properties(pytester):
    pytester.makepyfile(
        test_two="""
        import pytest
        pytestmark = [pytest.mark.neuron_beta("cache"), pytest.mark.neuron_alpha("loader", kind="api")]
        @pytest.mark.neuron_integration
        @pytest.mark.neuron_performance
        def test_it(request):
            request.node.user_properties.append(("mine", "kept"))
        """
    )
    pytester.runpytest("--junitxml=junit.xml")
    case = ET.parse(pytester.path / "junit.xml").find(".//testcase")
    props = [(p.get("name"), p.get("value")) for p in case.iter("property")]
    assert props == [
        ("neuron_item", "cache"),
        ("neuron_level", "beta"),
        ("neuron_kind", "feature"),
        ("neuron_item", "loader"),
        ("neuron_level", "alpha"),
        ("neuron_kind", "api"),
        ("neuron_categories", "integration,performance"),
        ("mine", "kept"),
    ]


def test_a_long_item_name_is_cut_in_the_summary_only(project):
    name = "a_feature_with_a_name_much_longer_than_any_table_should_be_padded_to"
    project.pytester.makepyfile(test_a=f"import pytest\n@pytest.mark.neuron_beta({name!r})\ndef test_a(): pass\n")
    result, report = project.run()
    result.stdout.fnmatch_lines([f"  feature  {name[:57]}...  basic met"])
    assert report["items"][0]["name"] == name


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


def test_format_characters_from_user_code_are_escaped_in_the_markdown(project):
    # A right-to-left override reverses the rest of a rendered line: every report that people read
    # shows it escaped; the JSON report keeps the name as it is (it is data, not a line).
    project.pytester.makepyfile(
        test_x="import pytest\n"
        "pytestmark = pytest.mark.neuron_beta('caf\\u202e')\n"
        "def test_perf(neuron_metric): neuron_metric('thr\\u202eput', 3, 'ms')\n",
        conftest="def pytest_neuron_audit(report, config):\n    return 'no \\u202eshipping'\n",
    )
    result, report = project.run("--neuron-markdown=summary.md")
    assert result.ret == 1
    markdown = (project.path / "summary.md").read_text()
    assert "\u202e" not in markdown
    assert "| beta | feature | caf\\u202e |  | basic met (thr\\u202eput 3 ms) |" in markdown.splitlines()
    assert "| test_x.py::test_perf | thr\\u202eput | 3 ms |  | neuron_metric |" in markdown.splitlines()
    assert "- no \\u202eshipping" in markdown.splitlines()
    assert report["items"][0]["name"] == "caf\u202e"
