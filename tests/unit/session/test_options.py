"""Other plugins' outputs (session/options.foreign_outputs), read from pytest's option namespace so
that the one output check (storage/outputs.py) refuses two writers of one file."""

from __future__ import annotations

from types import SimpleNamespace

from pytest_neuron_classification.session.options import foreign_outputs


def config(**option: object) -> SimpleNamespace:
    return SimpleNamespace(option=SimpleNamespace(**option))


def test_junit_xml_report_log_and_coverage_files_are_gathered():
    found = foreign_outputs(
        config(
            xmlpath="j.xml",
            reportlog="log.jsonl",
            cov_source=[],
            cov_report={"xml": "cov.xml", "html": "htmlcov", "lcov": None, "term-missing": None},
        )
    )
    assert found == {
        "--junitxml": ("j.xml", "JUnit XML report"),
        "--report-log": ("log.jsonl", "report log"),
        "--cov-report=xml": ("cov.xml", "coverage report"),
    }


def test_nothing_without_those_plugins_or_their_options():
    assert foreign_outputs(config(xmlpath=None)) == {}
    assert foreign_outputs(config()) == {}
    # pytest-cov's report options without --cov: no coverage is written.
    assert foreign_outputs(config(cov_source=None, cov_report={"xml": "cov.xml"})) == {}
