"""Metric baselines per environment, tolerances, judgement by level, and trends: the pure core."""

from __future__ import annotations

import datetime
import json
from fnmatch import fnmatch
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.metric import Metric
from pytest_neuron_classification.core.metric_entry import Entry
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.metrics.baselines import (
    Comparison,
    RunMetric,
    assess,
    compare,
    fails,
    make_tolerances,
    record_baseline,
    run_entries,
)
from pytest_neuron_classification.metrics.history import (
    SPARKS,
    environment_key,
    environment_pairs,
    history_line,
    last_values,
    sparkline,
)
from pytest_neuron_classification.storage.history_file import append_history, read_history
from pytest_neuron_classification.storage.metric_baseline import (
    METRICS_FILE,
    dump_metric_baseline,
    load_metric_baseline,
)

TRN1 = "instance=trn1.32xlarge"
NODE = "tests/test_perf.py::test_speed"


def run(*metrics: tuple[str, float, str, str | None], item: str = "llama", nodeid: str = NODE) -> list[RunMetric]:
    """``run(("latency_p90", 12.0, "ms", "lower"))``: one test's metrics for one item."""
    return [RunMetric(item, nodeid, Metric(name, value, unit), better) for name, value, unit, better in metrics]  # type: ignore[arg-type]  # "up" on purpose


def one(results: list[Comparison]) -> Comparison:
    assert len(results) == 1, results
    return results[0]


LATENCY_12 = run(("latency_p90", 12.0, "ms", "lower"))
BASELINE = record_baseline({}, LATENCY_12, TRN1)


# --- record, then compare ------------------------------------------------------------


def test_record_then_regress() -> None:
    result = one(compare(BASELINE, run(("latency_p90", 17.2, "ms", "lower")), TRN1))
    assert result.state == "regressed"
    assert (result.baseline, result.current, result.tolerance, result.unit, result.env) == (12.0, 17.2, 0.1, "ms", TRN1)
    assert result.change == pytest.approx(5.2 / 12)
    assert result.text == "latency_p90 regressed 12 -> 17.2 ms (+43%, tolerance 10%) on instance=trn1.32xlarge"


def test_regress_within_tolerance_is_ok() -> None:
    result = one(compare(BASELINE, run(("latency_p90", 13.2, "ms", "lower")), TRN1))  # exactly +10%
    assert result.state == "ok"
    assert result.text == "latency_p90 13.2 ms vs 12 ms (+10%, 1 run): within tolerance 10%"


def test_improve_reports_and_fails_only_with_the_switch() -> None:
    baseline = record_baseline({}, run(("throughput", 1400, "samples/s", "higher")), "default")
    result = one(compare(baseline, run(("throughput", 1700, "samples/s", "higher")), "default"))
    assert result.state == "improved"
    assert fnmatch(result.text, "throughput *1400 -> 1700 samples/s (+21%)*--neuron-update-metrics")
    assert not fails("stable", "package", "performance", "improved", test_passed_in_this_run=True)
    assert fails("stable", "package", "performance", "improved", test_passed_in_this_run=True, fail_on_improvement=True)
    # only where a regression would fail: nobody enforces a Beta package's numbers
    assert not fails(
        "beta", "package", "performance", "improved", test_passed_in_this_run=True, fail_on_improvement=True
    )


def test_higher_is_better_regresses_downwards() -> None:
    state, change = assess(1400, 1200, "higher", 0.1)
    assert state == "regressed"
    assert change == pytest.approx(-200 / 1400)
    assert assess(1400, 1200, "lower", 0.1)[0] == "improved"


def test_a_zero_baseline_compares_absolutely() -> None:
    baseline = record_baseline({}, run(("errors", 0, "", "lower")), "default")
    assert one(compare(baseline, run(("errors", 0.05, "", "lower")), "default")).state == "ok"
    result = one(compare(baseline, run(("errors", 3, "", "lower")), "default"))
    assert (result.state, result.change) == ("regressed", None)
    assert result.text == "errors regressed 0 -> 3 (+3, absolute tolerance 0.1)"


def test_another_environment_is_not_comparable_and_names_those_that_are() -> None:
    baseline = record_baseline(BASELINE, LATENCY_12, "instance=inf2.xlarge")
    result = one(compare(baseline, run(("latency_p90", 30.0, "ms", "lower")), "instance=trn2.48xlarge"))
    assert result.state == "not-comparable"
    assert result.environments == ("instance=inf2.xlarge", TRN1)
    assert result.baseline is None
    # It names the run's environment and those the baseline has, and how to record this one.
    assert fnmatch(
        result.text,
        "latency_p90 30 ms *instance=trn2.48xlarge*instance=inf2.xlarge; instance=trn1.32xlarge*--neuron-update-metrics",
    )
    assert not fails("stable", "package", "performance", "not-comparable", test_passed_in_this_run=True)


def test_new_no_direction_and_changed_unit() -> None:
    new = one(compare({}, LATENCY_12, TRN1))
    assert new.state == "new"
    assert fnmatch(new.text, "latency_p90 12 ms *instance=trn1.32xlarge*--neuron-update-metrics")
    rounds = one(compare({}, run(("rounds", 5, "", None)), TRN1))
    assert rounds.state == "no-direction" and rounds.text.startswith("rounds 5 ")
    unit = one(compare(BASELINE, run(("latency_p90", 0.012, "s", "lower")), TRN1))
    assert unit.state == "not-comparable"
    assert fnmatch(unit.text, "latency_p90 12 ms *baseline 12 ms*unit*")


def test_seconds_read_as_people_read_timings() -> None:
    baseline = record_baseline({}, run(("mean", 7.54e-7, "s", "lower")), "default")
    result = one(compare(baseline, run(("mean", 1.2e-6, "s", "lower")), "default"))
    assert result.text == "mean regressed 0.754 -> 1.2 us (+59%, tolerance 10%)"  # the unit of this run's value


def test_missing_from_the_run() -> None:
    baseline = record_baseline(
        {}, run(("latency_p90", 12.0, "ms", "lower"), ("throughput", 1400, "samples/s", "higher")), TRN1
    )
    result = one(compare(baseline, LATENCY_12, TRN1)[1:])
    assert (result.metric, result.state, result.baseline, result.current) == ("throughput", "missing", 1400, None)
    assert fnmatch(result.text, "throughput missing*1400 samples/s*instance=trn1.32xlarge*")
    assert fails("stable", "package", "performance", "missing", test_passed_in_this_run=True)
    assert not fails("stable", "package", "performance", "missing", test_passed_in_this_run=False)
    assert not fails("alpha", "feature", "performance", "missing", test_passed_in_this_run=True)
    # a -k run says nothing about tests it did not run
    assert compare(baseline, [], TRN1, ran={"tests/other.py::test_x"}) == []


# --- judgement by level ----------------------------------------------------------------


def test_beta_item_regressing_is_reported_not_failing() -> None:
    result = one(compare(BASELINE, run(("latency_p90", 17.2, "ms", "lower")), TRN1))
    assert result.state == "regressed"
    assert not fails("beta", "package", "performance", result.state, test_passed_in_this_run=True)
    assert not fails("beta", "model", "performance", result.state, test_passed_in_this_run=True)
    assert fails("stable", "package", "performance", result.state, test_passed_in_this_run=True)


def test_beta_model_accuracy_regressing_fails() -> None:
    baseline = record_baseline({}, run(("top1", 0.80, "", "higher")), "default")
    result = one(compare(baseline, run(("top1", 0.70, "", "higher")), "default"))
    assert result.state == "regressed"
    assert fails("beta", "model", "accuracy", result.state, test_passed_in_this_run=True)
    assert not fails("beta", "feature", "accuracy", result.state, test_passed_in_this_run=True)


@pytest.mark.parametrize("state", ["ok", "new", "not-comparable", "no-direction"])
def test_these_states_never_fail(state: str) -> None:
    assert not fails("stable", "model", "accuracy", state, test_passed_in_this_run=True, fail_on_improvement=True)  # type: ignore[arg-type]


# --- tolerances ------------------------------------------------------------------------


def test_tolerance_overrides_and_their_precedence() -> None:
    tolerances = make_tolerances(0.1, metrics={"latency_p90": 0.5}, items={"llama": 0.2, "bert[framework=jax]": 0.3})
    assert tolerances.for_metric("other", "latency_p90") == 0.5  # per metric
    assert tolerances.for_metric("other", "throughput") == 0.1  # default
    assert tolerances.for_metric("llama[framework=pytorch-neuronx]", "latency_p90") == 0.2  # item name beats metric
    assert tolerances.for_metric("bert[framework=jax]", "latency_p90") == 0.3  # item id
    result = one(compare({}, run(("latency_p90", 17.2, "ms", "lower"), item="other"), TRN1, tolerances))
    assert (result.state, result.tolerance) == ("new", 0.5)
    baseline = record_baseline({}, run(("latency_p90", 12.0, "ms", "lower"), item="other"), TRN1)
    assert (
        one(compare(baseline, run(("latency_p90", 17.2, "ms", "lower"), item="other"), TRN1, tolerances)).state == "ok"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"default": -0.1}, "metric tolerance must be a number >= 0 (0.1 means 10%), not -0.1"),
        ({"metrics": {"latency_p90": "10%"}}, "metric tolerance of metric 'latency_p90' must be a number >= 0"),
        (
            {"items": {"llama": True}},
            "metric tolerance of item 'llama' must be a number >= 0 (0.1 means 10%), not True",
        ),
        ({"default": float("nan")}, "metric tolerance must be a number >= 0"),
    ],
)
def test_bad_tolerance(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ClassificationError, match="^" + message.replace("(", r"\(").replace(")", r"\)")) as info:
        make_tolerances(**kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


# --- the baseline file -----------------------------------------------------------------


def test_baseline_file_round_trips_sorted_and_keeps_other_environments(tmp_path: Path) -> None:
    baseline = record_baseline(BASELINE, run(("throughput", 900, "samples/s", "higher")), "instance=inf2.xlarge")
    path = tmp_path / "neuron-metrics.json"
    path.write_text(dump_metric_baseline(baseline))
    assert load_metric_baseline(path) == baseline
    data = json.loads(path.read_text())
    assert data["schema"] == "pytest-neuron-classification-metrics/2"
    assert data["environments"][TRN1]["llama"][NODE]["latency_p90"] == {"better": "lower", "unit": "ms", "value": 12.0}
    assert list(data) == sorted(data)
    # re-recording one environment changes only its entries: a window of 1 is replaced
    rerecorded = record_baseline(baseline, run(("latency_p90", 11.0, "ms", "lower")), TRN1, window=1)
    assert rerecorded["instance=inf2.xlarge"] == baseline["instance=inf2.xlarge"]
    assert rerecorded[TRN1] == {("llama", NODE, "latency_p90"): Entry(11.0, "ms", "lower")}
    # with ``ran``, tests that did not run keep their entries
    kept = record_baseline(baseline, run(("x", 1, "", "lower"), nodeid="t.py::b"), TRN1, ran={"t.py::b"})
    assert set(kept[TRN1]) == {("llama", NODE, "latency_p90"), ("llama", "t.py::b", "x")}


def test_a_missing_baseline_file_is_empty(tmp_path: Path) -> None:
    assert load_metric_baseline(tmp_path / "neuron-metrics.json") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "cannot read the metric baseline (not valid JSON"),
        (
            '{"schema": "pytest-neuron-classification-baseline/1"}',
            "schema 'pytest-neuron-classification-baseline/1' is not",
        ),
        (METRICS_FILE.dump({"environments": []}), "'environments': must be a JSON object, not []"),
        (
            METRICS_FILE.dump({"environments": {"default": {"llama": {"t.py::a": {"x": {"value": "fast"}}}}}}),
            "environment 'default', item 'llama', test 't.py::a', metric 'x': value must be a finite number a float can hold, not 'fast'",
        ),
        (
            METRICS_FILE.dump(
                {"environments": {"default": {"llama": {"t.py::a": {"x": {"value": 1, "better": "up"}}}}}}
            ),
            "metric 'x': better must be 'higher', 'lower' or None, not 'up'",
        ),
    ],
)
def test_bad_baseline_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "neuron-metrics.json"
    path.write_text(text)
    with pytest.raises(ClassificationError) as info:
        load_metric_baseline(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)
    assert str(info.value).endswith(" --neuron-update-metrics")  # the option that records it again
    assert "\n" not in str(info.value)


def test_bad_direction_in_the_run() -> None:
    with pytest.raises(ClassificationError, match=r"^better of x must be 'higher', 'lower' or None, not 'up'$"):
        run_entries(run(("x", 1, "", "up")))


# --- environments ----------------------------------------------------------------------


def test_environment_key() -> None:
    assert environment_key({}) == "default"
    assert environment_key({"region": "x", "instance": "trn1.32xlarge"}) == "instance=trn1.32xlarge,region=x"
    assert environment_key({"a": "1,b=2"}) != environment_key({"a": "1", "b": "2"})


def test_environment_pairs_from_cli_and_variables() -> None:
    pairs, notes = environment_pairs(
        ["instance=trn1.32xlarge", "tag=a=b"], ["NEURON_INSTANCE_TYPE", "REGION"], {"REGION": "us-west-2"}
    )
    assert pairs == {"instance": "trn1.32xlarge", "tag": "a=b", "NEURON_INSTANCE_TYPE": "unset", "REGION": "us-west-2"}
    (note,) = notes
    assert fnmatch(note, "environment: NEURON_INSTANCE_TYPE *NEURON_INSTANCE_TYPE=unset")
    # --neuron-env stands in for a variable, and then it needs no note
    assert environment_pairs(["REGION=eu"], ["REGION"], {}) == ({"REGION": "eu"}, [])


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        (["x"], "--neuron-env 'x': give KEY=VALUE"),
        (["=x"], "--neuron-env '=x': give KEY=VALUE"),
        (["a b=1"], "--neuron-env 'a b=1': KEY may hold letters, digits, '_', '.' and '-' only"),
        (["a=1", "a=2"], "--neuron-env a: given twice ('1', '2'); give it once"),
    ],
)
def test_bad_neuron_env(cli: list[str], message: str) -> None:
    with pytest.raises(ClassificationError) as info:
        environment_pairs(cli, [], {})
    assert str(info.value) == message


# --- trends ----------------------------------------------------------------------------


def test_history_and_sparkline_after_three_runs(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    start = datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc)
    for day, value in enumerate([12.0, 14.0, 17.2]):
        line = history_line(
            run(("latency_p90", value, "ms", "lower")), TRN1, commit=None, now=start.replace(day=day + 1)
        )
        append_history(path, line)
    append_history(path, history_line(run(("latency_p90", 99.0, "ms", "lower")), "default", commit="a" * 40))
    history = read_history(path)
    assert [h.time for h in history[:2]] == ["2024-05-01T00:00:00+00:00", "2024-05-02T00:00:00+00:00"]
    assert history[-1].commit == "a" * 40
    values = last_values(history, TRN1, "llama", NODE, "latency_p90")
    assert values == [12.0, 14.0, 17.2]
    assert sparkline(values) == "▁▄█"
    assert last_values(history, TRN1, "llama", NODE, "latency_p90", n=2) == [14.0, 17.2]
    assert last_values(history, TRN1, "llama", NODE, "throughput") == []
    assert sparkline([]) == ""
    assert sparkline([5, 5, 5]) == "▄▄▄"


def test_a_torn_last_line_does_not_swallow_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text('{"torn')
    append_history(path, history_line(LATENCY_12, TRN1))
    assert json.loads(path.read_text().splitlines()[1])["env"] == TRN1
    with pytest.raises(ClassificationError, match=r"history.jsonl:1: not a JSON line \("):
        read_history(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("nope", ":3: not a JSON line (Expecting value); fix or delete that line"),
        ("[1]", ":3: not a JSON line holding an object, but list; fix or delete that line"),
        ('{"env": "default"}', ":3: a history line has the keys commit, env, metrics, time, not env"),
        (
            '{"commit": null, "env": "default", "metrics": {"a": {"t": {"x": "1"}}}, "time": "t"}',
            ":3: 'metrics' must map item id -> test id -> metric name -> finite number",
        ),
    ],
)
def test_history_that_is_not_json_lines(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "history.jsonl"
    append_history(path, history_line(LATENCY_12, TRN1))
    path.write_text(path.read_text() + "\n" + line + "\n")  # a blank line 2 is skipped
    with pytest.raises(ClassificationError) as info:
        read_history(path)
    assert str(info.value).startswith(f"{path}{message}")
    assert "\n" not in str(info.value)


def test_a_missing_history_is_empty(tmp_path: Path) -> None:
    assert read_history(tmp_path / "history.jsonl") == []


# --- properties ------------------------------------------------------------------------

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
names = st.text(alphabet="abcdefgh_", min_size=1, max_size=6)


@given(
    metrics=st.dictionaries(
        st.tuples(st.sampled_from(["llama", "bert[framework=jax]"]), st.sampled_from(["t.py::a", "t.py::b"]), names),
        st.tuples(finite, st.sampled_from(["", "ms", "s"]), st.sampled_from(["higher", "lower", None])),
        max_size=8,
    ),
    env=st.dictionaries(names, st.text(max_size=5), max_size=3),
)
def test_record_then_compare_the_same_values_is_all_ok(metrics: dict, env: dict[str, str]) -> None:  # type: ignore[type-arg]
    key = environment_key(env)
    this_run = [RunMetric(i, n, Metric(m, v, u), b) for (i, n, m), (v, u, b) in metrics.items()]
    results = compare(record_baseline({}, this_run, key), this_run, key)
    assert len(results) == len(metrics)
    assert {r.state for r in results} <= {"ok", "no-direction"}
    assert all(r.state == "ok" for r in results if r.better is not None)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=30))
def test_the_sparkline_has_one_char_per_value(values: list[float]) -> None:
    line = sparkline(values)
    assert len(line) == len(values)
    assert set(line) <= set(SPARKS)
    if len(set(values)) > 1:
        assert line[values.index(min(values))] == SPARKS[0]
        assert line[values.index(max(values))] == SPARKS[-1]
