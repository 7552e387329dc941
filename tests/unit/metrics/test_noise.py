"""Baselines as distributions, judged against the noise: the pure parts (README: metric baselines)."""

from __future__ import annotations

import json
import statistics
import threading
import time
from fnmatch import fnmatch
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.metric import Metric, make_metric
from pytest_neuron_classification.core.metric_entry import Entry, HistoryRun, MetricKey, RunSummary
from pytest_neuron_classification.core.stats import MAX_SAMPLES, iqr, mann_whitney_p, median, quantile, thin
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.metrics.baselines import (
    RunMetric,
    compare,
    make_tolerances,
    record_baseline,
    widen,
)
from pytest_neuron_classification.metrics.history import history_baseline
from pytest_neuron_classification.metrics.noise import percent, ratio, young_floor
from pytest_neuron_classification.storage.history_file import append_history, read_history
from pytest_neuron_classification.storage.metric_baseline import (
    dump_metric_baseline,
    load_metric_baseline,
    update_metric_baseline,
)

KEY = MetricKey("llama", "t.py::test_lat", "latency")


def lat(value: object, **kw: object) -> Metric:
    return make_metric("latency", value, "ms", better="lower", **kw)  # type: ignore[arg-type]


def test_statistics_match_the_textbook() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0 and median([1.0, 2.0, 3.0, 4.0]) == 2.5
    assert iqr([1.0, 2.0, 3.0, 4.0, 5.0]) == 2.0
    assert quantile([1e308, 1.7e308], 0.5) == pytest.approx(1.35e308)  # no overflow on the way
    assert thin(range(1000))[0] == 0 and thin(range(1000))[-1] == 999 and len(thin(range(1000))) == MAX_SAMPLES
    # scipy.stats.mannwhitneyu([1..10], [11..20], method="asymptotic") gives p = 0.000182672
    assert mann_whitney_p(list(range(1, 11)), list(range(11, 21))) == pytest.approx(0.000182672, rel=1e-3)
    assert mann_whitney_p([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) == 1.0
    assert mann_whitney_p([1.0, 1.0, 1.0], [1.0, 1.0, 1.0]) == 1.0  # all tied: no evidence at all
    assert mann_whitney_p([1.0, 2.0], [5.0, 6.0]) == 1.0  # too few to test


ORDINARY = st.lists(st.floats(-1e9, 1e9, allow_subnormal=False), min_size=1, max_size=50)


@given(ORDINARY)
def test_median_is_the_statistics_modules_on_ordinary_samples(values: list[float]) -> None:
    assert median(values) == pytest.approx(statistics.median(values), rel=1e-12, abs=1e-300)


@given(ORDINARY.filter(lambda values: len(values) > 1))
def test_quartiles_are_the_statistics_modules_inclusive_ones(values: list[float]) -> None:
    ordered = sorted(values)
    quartiles = [quantile(ordered, q) for q in (0.25, 0.5, 0.75)]
    expected = statistics.quantiles(values, n=4, method="inclusive")
    assert quartiles == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert iqr(values) == pytest.approx(expected[2] - expected[0], rel=1e-9, abs=1e-6)


def test_what_the_statistics_module_would_get_wrong() -> None:
    assert median([1e308, 1e308]) == 1e308  # statistics.median: inf
    assert iqr([5.0]) == 0.0  # statistics.quantiles refuses one value before Python 3.13


def test_samples_are_a_distribution_whose_median_is_bounded() -> None:
    metric = lat([12.0, 11.0, 30.0, 12.5, 11.5], max=15)
    assert (metric.value, metric.rounds, metric.spread) == (12.0, 5, 1.0)
    assert metric.samples == (11.0, 11.5, 12.0, 12.5, 30.0)
    assert metric.bound_problem() == ""  # one slow sample does not break a bound on the median
    assert fnmatch(lat([16.0, 17.0, 18.0], max=15).bound_problem(), "latency median = 17 ms*max 15 ms")
    assert lat([12.0, 13.0], max=15).describe() == "latency 12.5 ms (IQR 0.5 ms, 2 samples) <= 15"
    assert Metric.from_dict(json.loads(json.dumps(metric.to_dict()))) == metric
    assert "samples" not in lat(12.0).to_dict()  # a single value's dict is as it always was


def test_a_tuple_a_generator_and_numpy_are_samples() -> None:
    assert lat((1.0, 2.0, 3.0)).value == lat(x for x in (1.0, 2.0, 3.0)).value == 2.0
    numpy = pytest.importorskip("numpy")
    metric = lat(numpy.array([1.0, 2.0, 3.0, 4.0]))
    assert (metric.value, metric.rounds) == (2.5, 4)
    assert lat(numpy.float32(2.5)).rounds == 0 and lat(numpy.array(2.5)).rounds == 0  # one number
    with pytest.raises(ClassificationError, match=r"must be one-dimensional, not of shape \(2, 2\)"):
        lat(numpy.ones((2, 2)))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "the samples of latency are empty; give at least one value"),
        ([1.0, float("nan")], "a sample of latency must be a finite number"),
        ([1.0, "2"], "a sample of latency must be a number, not '2'"),
        ([10**400], "a sample of latency must be a number a float can hold"),
    ],
)
def test_bad_samples_are_one_line(value: object, message: str) -> None:
    with pytest.raises(ClassificationError, match=message.replace("(", r"\(")):
        lat(value)


def entry(
    value: float, spread: float | None = None, rounds: int = 0, samples: tuple[float, ...] = (), runs: int = 5
) -> Entry:
    """A baseline entry; a distribution's window holds ``runs`` runs of that value (5: no young floor)."""
    window = tuple(RunSummary(value, spread) for _ in range(runs)) if rounds and runs > 1 else ()
    return Entry(value, "ms", "lower", spread, rounds, samples, window)


def judge(old: Entry, now: Metric, **tolerances: object) -> tuple[str, str]:
    [result] = compare(
        {"default": {KEY: old}}, [RunMetric(*KEY[:2], now, "lower")], "default", make_tolerances(**tolerances)
    )  # type: ignore[arg-type]
    return result.state, result.text


def test_beyond_the_tolerance_but_inside_the_noise_band_is_noise() -> None:
    """The band within a run: 3 x IQR 40 / sqrt(4 rounds) = 60 ms, the uncertainty of the median."""
    state, text = judge(entry(100.0, 40.0, 4), lat(150.0))
    assert state == "noise"
    assert fnmatch(text, "latency 150 ms vs 100 ms (+50%, 5 runs, spread within a run ±60 ms): within the noise*")
    state, text = judge(entry(100.0, 40.0, 4), lat(161.0))
    assert (state, text) == (
        "regressed",
        "latency regressed 100 -> 161 ms (+61%, tolerance 10%, 5 runs, spread within a run ±60 ms)",
    )
    assert judge(entry(100.0, 40.0, 4), lat(150.0), noise=2)[0] == "regressed"  # metrics-tolerance.noise
    assert judge(entry(100.0, 40.0, 4), lat(40.0))[0] == "noise"  # an improvement inside the noise is none either


def test_single_values_are_judged_by_the_tolerance_alone() -> None:
    assert judge(entry(100.0), lat(111.0))[0] == "regressed"
    assert judge(entry(100.0, 40.0, 4), lat(161.0))[0] == "regressed"  # a single current value, a band
    assert judge(entry(100.0), lat(111.0), noise=0)[0] == "regressed"  # noise = 0: the tolerance alone


def test_with_samples_on_both_sides_the_difference_must_be_significant() -> None:
    old = lat([10.0, 30.0, 11.0, 29.0, 12.0])
    now = lat([13.0, 31.0, 14.0, 32.0, 15.0])  # median 12 -> 15 (+25%), spread 18: far inside
    base = Entry.of(old, "lower")
    five = tuple(RunSummary(base.value) for _ in range(5))  # five identical runs: no band, the test decides
    state, text = judge(Entry(base.value, "ms", "lower", None, 0, base.samples, five), now)
    # U = 6 of 25: z = 1.25, p = 0.21 (scipy's asymptotic method gives the same)
    assert state == "noise"
    assert fnmatch(text, "latency 12 -> 15 ms (+25%) *(Mann-Whitney p = 0.21, 5 and 5 samples)")
    clear = lat([20.0, 21.0, 22.0, 23.0, 24.0])
    assert judge(Entry(base.value, "ms", "lower", None, 0, tuple(range(1, 6)), five), clear)[0] == "regressed"


def test_bad_noise_and_significance_are_one_line() -> None:
    with pytest.raises(
        ClassificationError,
        match=r"metrics-tolerance noise must be a number of interquartile ranges >= 0 \(3\), not -1",
    ):
        make_tolerances(noise=-1)
    with pytest.raises(ClassificationError, match="metrics-tolerance significance must be a p-value between 0 and 1"):
        make_tolerances(significance=1)


def test_schema_2_round_trips_and_schema_1_is_read_without_rounds_and_ops(tmp_path: Path) -> None:
    baseline = record_baseline({}, [RunMetric(*KEY[:2], lat([1.0, 2.0, 3.0]), "lower")], "default")
    path = tmp_path / "neuron-metrics.json"
    path.write_text(dump_metric_baseline(baseline))
    assert load_metric_baseline(path) == baseline
    assert load_metric_baseline(path)["default"][KEY].rounds == 3
    old = {"default": {"llama": {"t.py::b": {
        "mean": {"value": 0.001, "unit": "s", "better": "lower"},
        "rounds": {"value": 5, "unit": "", "better": None},
        "ops": {"value": 1000.0, "unit": "ops/s", "better": "higher"},
    }}}}  # fmt: skip
    path.write_text(json.dumps({"schema": "pytest-neuron-classification-metrics/1", "environments": old}))
    assert list(load_metric_baseline(path)["default"]) == [("llama", "t.py::b", "mean")]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"value": 10**400}, "value must be a finite number a float can hold, not 1000"),
        (
            {"value": 1.0, "rounds": 3, "samples": [1, 2], "spread": 10**400},
            "the spread of latency must be a number a float",
        ),
        (
            {"value": 1.0, "rounds": 1, "samples": [1, 2], "spread": 0},
            "the samples of latency must be a list of 1 to 1 numbers",
        ),
    ],
)
def test_bad_schema_2_entries_are_one_line(tmp_path: Path, raw: dict[str, object], message: str) -> None:
    path = tmp_path / "m.json"
    text = json.dumps(
        {
            "schema": "pytest-neuron-classification-metrics/2",
            "environments": {"default": {"llama": {"t.py::a": {"latency": raw}}}},
        }
    )
    path.write_text(text)
    with pytest.raises(ClassificationError) as info:
        load_metric_baseline(path)
    assert message.replace("latency", "it") in str(info.value) or message in str(info.value)
    assert str(info.value).endswith(" --neuron-update-metrics")  # the option that records it again


def test_a_history_line_with_a_huge_int_is_one_line_not_an_overflow(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text(
        json.dumps({"commit": None, "env": "default", "time": "t", "metrics": {"a": {"b": {"c": 10**400}}}}) + "\n"
    )
    with pytest.raises(ClassificationError, match=r"h\.jsonl:1: 'metrics' must map"):
        read_history(path)


def test_the_history_as_a_baseline_learns_the_noise_between_runs() -> None:
    runs = [
        HistoryRun("t", "default", None, {"llama": {"t.py::test_lat": {"latency": v}}}) for v in (10, 14, 11, 13, 12)
    ]
    like = {KEY: entry(0.0)}
    baseline = history_baseline(runs, "default", like, n=4)
    window = tuple(RunSummary(v) for v in (14.0, 11.0, 13.0, 12.0))  # the last 4, as a window
    assert baseline["default"][KEY] == Entry(12.5, "ms", "lower", window=window)
    assert history_baseline(runs[:2], "default", like) == {}  # two runs have no spread yet
    assert history_baseline(runs, "other", like) == {}


def test_concurrent_writers_of_the_baseline_lose_nothing(tmp_path: Path) -> None:
    """Each writer reads, waits, then writes: without the lock most of them would be lost."""
    path = tmp_path / "neuron-metrics.json"

    def record(env: str) -> None:
        def change(old: dict) -> dict:  # type: ignore[type-arg]
            time.sleep(0.02)
            return record_baseline(old, [RunMetric(*KEY[:2], lat(1.0), "lower")], env)

        update_metric_baseline(path, change)

    threads = [threading.Thread(target=record, args=(f"env{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(load_metric_baseline(path)) == [f"env{i}" for i in range(8)]


def test_concurrent_history_appends_keep_every_line(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    run = HistoryRun("t", "default", None, {"a": {"b": {"c": 1.0}}})
    threads = [threading.Thread(target=lambda: [append_history(path, run) for _ in range(20)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(read_history(path)) == 80


@given(st.lists(st.floats(min_value=-1e300, max_value=1e300), min_size=1, max_size=300))
def test_a_distribution_survives_its_dict(values: list[float]) -> None:
    metric = make_metric("x", values)
    assert len(metric.samples) == min(len(values), MAX_SAMPLES) and metric.rounds == len(values)
    assert Metric.from_dict(json.loads(json.dumps(metric.to_dict()))) == metric


def test_a_window_round_trips_and_a_window_of_one_is_the_entry_itself(tmp_path: Path) -> None:
    first = Entry.of(lat([10.0, 11.0, 12.0]), "lower")
    assert widen(None, first, 10) == first and first.runs == (RunSummary(11.0, 1.0),)
    second = widen(first, Entry.of(lat([13.0, 14.0, 15.0]), "lower"), 10)
    assert second.value == 12.5 and second.window == (RunSummary(11.0, 1.0), RunSummary(14.0, 1.0))
    assert widen(second, first, 2).window == (RunSummary(14.0, 1.0), RunSummary(11.0, 1.0))  # the last two
    assert widen(second, Entry.of(make_metric("latency", 1.0, "s", better="lower"), "lower"), 10).window == ()
    path = tmp_path / "neuron-metrics.json"
    path.write_text(dump_metric_baseline({"default": {KEY: second, ("a", "b", "c"): first}}))
    assert load_metric_baseline(path) == {"default": {KEY: second, ("a", "b", "c"): first}}
    assert "window" not in json.loads(path.read_text())["environments"]["default"]["a"]["b"]["c"]


def test_the_young_floor_shrinks_with_the_window_and_percentages_stay_finite() -> None:
    assert [round(young_floor(n), 2) for n in range(1, 7)] == [1.2, 0.8, 0.6, 0.48, 0.0, 0.0]
    assert percent(1e300) == "more than +1e6%" and percent(-float("inf")) == "more than -1e6%"
    assert percent(0.433) == "+43%" and percent(-0.0123) == "-1.2%"
    assert ratio(1e10, 1e-300) == 1.7976931348623157e308 and ratio(1.0, 0.0) is None


def test_a_window_value_near_the_float_limit_gives_a_finite_band_never_inf() -> None:
    # An edited baseline file: one run of 1e308 among runs of 13 ms. The band is as wide as a float
    # goes, and said so, never "±inf"; the gate is blind there, which the report says too.
    window = (*(RunSummary(13.0, 1.0) for _ in range(4)), RunSummary(1e308, 1.0))
    state, text = judge(Entry(13.0, "ms", "lower", 1.0, 10, (), window), lat([1000.0] * 10))
    assert state == "noise" and "inf" not in text and "spread between runs ±1.79769e+308 ms" in text
