"""The catalogue of what the plugin says: each message's exact wording, asserted here once.

Users read these lines in CI logs and act on them, so their words are part of the product.
Each case is a real pytest run of a small project; its lines must appear whole, exactly as
written below. Other tests check statuses and report keys, so a change of wording is
reviewed here, in one place. This file holds the summary of a run (its verdict, gaps and
notes); what a run that saw part of the suite says is in test_messages_partial.py. What a run says when it compares with a record is in test_messages_records.py (lifecycle,
API contracts) and test_messages_metrics.py (metric baselines); its errors are in
test_messages_errors.py (configuration and options), test_messages_files.py (the files it reads
and writes) and test_messages_tests.py (one test's markers and measurements); the command line's
lines are in tests/system/messages/test_messages_cli_record.py, _merge.py and _run.py.
"""

from __future__ import annotations

import json
from functools import partial

import catalogue
import pytest
from summary_projects import INVENTORY, ITEM, PRINTED, RUNTIME, SCRIPT, WAIVER, outside, project_files

Case = partial(catalogue.Case, config=INVENTORY)


CATALOGUE = {
    "every obligation met": Case(
        files=project_files(),
        args=(),
        lines=("stable: 1 item, 2 of 2 obligations met", "neuron-classification: all 3 obligations met"),
        ret=0,
    ),
    "a failing test and a missing one": Case(
        files=project_files(cache="def test_cache(): assert False\n"),
        args=(),
        lines=(
            "  beta feature cache: basic failing -> fix the failing test tests/test_cache.py::test_cache",
            "  beta feature loader: basic missing -> add a test with pytestmark = pytest.mark.neuron_beta('loader', "
            "kind='feature')",
            "neuron-classification: FAILED under enforce=error: 2 gaps break a promise (first: beta feature cache: "
            "basic failing; +1 more)",
        ),
        ret=1,
        config=INVENTORY + ITEM + 'name = "loader"\nkind = "feature"\nlevel = "beta"\n',
    ),
    "nothing verified": Case(
        files={
            "test_cache.py": "import pytest\npytestmark = pytest.mark.neuron_beta('cache')\n"
            "def test_it(): pass\ndef test_other(): pass\n"
        },
        args=("-k", "nothing_matches"),
        lines=(
            "  beta feature cache: basic not-run -> run the deselected or unreached test test_cache.py::test_it "
            "(+1 more)",
            "neuron-classification: nothing was verified: none of the 1 obligation was met (1 not run in this "
            "selection)",
        ),
        ret=pytest.ExitCode.NO_TESTS_COLLECTED,
        config=None,
    ),
    "a run stopped early": Case(
        files=project_files(cache="def test_cache(): assert False\n"),
        args=("-x", "-p", "no:randomly"),
        lines="neuron-classification: INTERRUPTED (stopped early: stopping after 1 failures): "
        "only what ran before is judged, so nothing is passed",
        ret=1,
    ),
    "a marker with two levels": Case(
        files={
            "tests/test_two.py": (
                "import pytest\n@pytest.mark.neuron_beta('x')\n@pytest.mark.neuron_stable('x')\ndef test_two(): pass\n"
            )
        },
        args=(),
        lines="neuron-classification: FAILED: 1 test with invalid classification (see errors above)",
        ret=1,
        config=None,
    ),
    "gaps and their hints": Case(
        files={
            "tests/test_runtime.py": PRINTED,
            "tests/test_speedy.py": "import pytest\npytestmark = pytest.mark.neuron_stable('speedy')\n"
            "def test_unit(): pass\n",
            "tests/test_trace.py": "import pytest\npytestmark = pytest.mark.neuron_stable('trace', kind='api')\n"
            "def test_call(): pass\n",
            "tests/test_llama.py": "import pytest\n"
            "pytestmark = pytest.mark.neuron_beta('llama', kind='model', workload='inference')\n"
            "def test_forward(): pass\n",
            "tests/test_mistral.py": "import pytest\n"
            "pytestmark = pytest.mark.neuron_beta('mistral', kind='model', workload='inference')\n"
            "@pytest.mark.neuron_accuracy\ndef test_acc(neuron_metric):\n"
            "    for value in (0.42, 0.95):  # a retry loop that swallows the first failure\n"
            "        try:\n            neuron_metric('top1', value, min=0.9)\n            break\n"
            "        except pytest.fail.Exception:\n            continue\n",
        },
        args=(),
        lines=(
            "  stable api trace (json:dumps): no baseline recorded (run with --neuron-update-contracts)",
            "  stable api trace: compat missing -> add a passing test marked @pytest.mark.neuron_compat, or record its "
            "contract with --neuron-update-contracts",
            "  stable package runtime: performance unmeasured -> tests/test_runtime.py::test_perf passed but measured "
            "nothing: record it with neuron_metric(name, value, unit, min=..., max=...) or time it with the "
            "benchmark fixture",
            "  stable feature speedy: standard missing -> [integration] add a passing test marked "
            "@pytest.mark.neuron_integration",
            "  stable feature speedy: performance missing -> add a passing test marked @pytest.mark.neuron_performance "
            "or one that uses benchmark or perf",
            "  beta model llama (inference): accuracy missing -> add a passing test marked @pytest.mark.neuron_accuracy "
            "or @pytest.mark.neuron_convergence",
            "  beta model mistral (inference): accuracy failing -> top1 = 0.42, below min 0.9 in "
            "tests/test_mistral.py::test_acc, although the test passed; fix the value, not the test",
            "note: pyproject.toml items[1] (ghost): tests glob 'tests/test_ghost.py' matches no file; fix the glob",
            "  beta feature cache: basic missing -> add a test with pytestmark = pytest.mark.neuron_beta('cache', "
            "kind='feature') (the waiver of release-eng expired on 2020-01-02; close the gap or renew it)",
            "neuron-classification: FAILED (enforce: stable=error, beta=warn, alpha=off): 4 gaps break a promise "
            "(first: stable api trace: compat missing; +3 more)",
        ),
        ret=1,
        config='enforce = { stable = "error", beta = "warn", alpha = "off" }\n'
        '[tool.neuron-classification.categories]\nperformance = ["perf"]\n'
        + ITEM
        + 'name = "trace"\nkind = "api"\ntarget = "json:dumps"\n'
        + ITEM
        + 'name = "ghost"\nlevel = "beta"\ntests = ["tests/test_ghost.py"]\n'
        + ITEM
        + 'name = "cache"\nkind = "feature"\nlevel = "beta"\n'
        + WAIVER
        + 'item = "cache"\nobligation = "basic"\nreason = "r"\nowner = "release-eng"\nexpires = 2020-01-02\n',
    ),
    "a configuration above the rootdir": Case(
        files={
            "tests/pytest.ini": "[pytest]\n",
            "tests/test_rt.py": "import pytest\npytestmark = pytest.mark.neuron_beta('rt')\ndef test_a(): pass\n",
        },
        # From the project's root: pytest takes tests/pytest.ini, so tests/ is the rootdir.
        args=("tests",),
        lines=(
            "neuron-classification: config from ../pyproject.toml",
            "note: ../pyproject.toml items[0] (ghost): tests glob 'tests/nothing/**' matches no file; fix the glob",
        ),
        ret=1,
        config=ITEM + 'name = "ghost"\nlevel = "beta"\ntests = ["tests/nothing/**"]\n',
    ),
    "waivers and the gap baseline": Case(
        files={
            "tests/test_runtime.py": "import pytest\npytestmark = pytest.mark.neuron_stable('runtime')\n"
            "def test_unit(): pass\n@pytest.mark.neuron_integration\ndef test_integration(): pass\n",
            "neuron-baseline.json": json.dumps(
                {"schema": "pytest-neuron-classification-baseline/1", "gaps": ["cache :: basic", "runtime :: standard"]}
            ),
        },
        args=("--neuron-baseline=neuron-baseline.json",),
        lines=(
            "  stable package runtime: performance waived -> waived until 2999-01-01 by release-eng: no Trainium "
            "runner until Q1 (https://example.invalid/JIRA-1)",
            "  beta feature cache: basic missing (in the baseline) -> add a test with pytestmark = "
            "pytest.mark.neuron_beta('cache', kind='feature')",
            "note: stale waiver: runtime standard (owner qa) matches no gap; delete it",
            "baseline: 1 recorded gap now closed (runtime :: standard); shrink it with --neuron-update-baseline",
            "neuron-classification: 1 of 3 obligations met, 1 accepted by the gap baseline, 1 waived",
        ),
        ret=0,
        config=INVENTORY.replace('tests = ["tests/test_cache.py"]\n', "")
        + WAIVER
        + 'item = "runtime"\nobligation = "performance"\nreason = "no Trainium runner until Q1"\nowner = "release-eng"\n'
        'link = "https://example.invalid/JIRA-1"\nexpires = 2999-01-01\n'
        + WAIVER
        + 'item = "runtime"\nobligation = "standard"\nreason = "r"\nowner = "qa"\nexpires = 2999-01-01\n',
    ),
    "graduation": Case(
        files={
            "test_all.py": "import pytest\n"
            "@pytest.mark.neuron_beta('persistent_cache')\ndef test_cache(): pass\n"
            "@pytest.mark.neuron_alpha('prefetch')\ndef test_prefetch(): pass\n"
            "@pytest.mark.neuron_beta('llama', kind='model', workload='training')\n@pytest.mark.neuron_convergence\n"
            "def test_loss(neuron_metric): neuron_metric('final_loss', 0.01, max=0.1)\n"
            "@pytest.mark.neuron_beta('trace', kind='api')\n@pytest.mark.neuron_compat\ndef test_trace(): pass\n"
            "@pytest.mark.neuron_stable('runtime', kind='package')\ndef test_runtime(): pass\n"
        },
        args=("--neuron-graduation", "--neuron-enforce=warn"),
        lines=(
            "graduation (on this run's evidence):",
            "  api trace (beta): ready for stable",
            "  feature persistent_cache (beta): not ready for stable: standard missing, performance missing",
            "  model llama (training) (beta): not ready for stable: performance missing",
            "  feature prefetch (alpha): ready for beta",
            "neuron-classification: 2 gaps break a promise (first: stable package runtime: standard missing; +1 more); "
            "not failing the run (enforce=warn)",
        ),
        ret=0,
        config=None,
    ),
    "scope collected": Case(
        files={
            "test_rt.py": "import pytest\npytestmark = pytest.mark.neuron_stable('rt', kind='package')\n"
            "def test_unit(): pass\n",
            "test_long.py": "import pytest\n"
            "@pytest.mark.neuron_alpha('a_feature_with_a_name_much_longer_than_any_table_should_be_padded_to')\n"
            "def test_long(): pass\n",
        },
        args=("--neuron-scope=collected",),
        lines=(
            "  feature  a_feature_with_a_name_much_longer_than_any_table_should_b...  basic met",
            "out-of-scope: 8 inventory items no collected test covers: p0, p1, p2, p3, p4 (+3 more)",
            "neuron-classification: all 1 obligations met [scope=collected: 8 items and 2 obligations of judged items "
            "out of scope; merge every job's report for the full audit]",
        ),
        ret=0,
        config="".join(f'{ITEM}name = "p{i}"\nkind = "package"\nlevel = "beta"\n' for i in range(8)),
    ),
    "user text that would act on the terminal": Case(
        # A right-to-left override in a name, a metric, a waiver or a hook's reason would reverse the
        # rest of the line: every line shows it escaped, as repr() writes it.
        files={
            "conftest.py": "def pytest_neuron_audit(report, config):\n    return 'no \\u202eshipping'\n",
            "test_rtl.py": "import pytest\n@pytest.mark.neuron_beta('caf\\u202e')\ndef test_a(): pass\n"
            "@pytest.mark.neuron_stable('rt', kind='package')\n@pytest.mark.neuron_performance\n"
            "def test_perf(neuron_metric): neuron_metric('thr\\u202eput', 5.0, 'x/s')\n",
        },
        args=("--neuron-enforce=warn",),
        lines=(
            "  package  rt         standard waived, performance met (thr\\u202eput 5 x/s)",
            "  feature  caf\\u202e  basic met",
            "  stable package rt: standard waived -> waived until 2999-01-01 by qa\\u202e: no \\u202erunner",
            "failed by a pytest_neuron_audit hook: no \\u202eshipping",
            "neuron-classification: FAILED: no \\u202eshipping (from a pytest_neuron_audit hook)",
        ),
        ret=1,
        config=WAIVER + 'item = "rt"\nobligation = "standard"\nreason = "no \\u202erunner"\nowner = "qa\\u202e"\n'
        "expires = 2999-01-01\n",
    ),
    "hooks": Case(
        files={
            "conftest.py": "def pytest_neuron_categories(config):\n"
            "    return {'security': ['neuron_security', 'fuzzer']}\n"
            "def pytest_neuron_obligations(kind, level, obligations, config):\n"
            "    if kind == 'package' and level == 'stable':\n        obligations.append('security')\n"
            "def pytest_neuron_audit(report, config):\n"
            "    if any(i['level'] == 'alpha' for i in report['items']):\n"
            "        return 'release branches may not ship Alpha items'\n",
            "tests/test_runtime.py": RUNTIME.format(throughput="150").replace('"runtime"', '"runtime", kind="package"'),
            "tests/test_flag.py": "import pytest\npytestmark = pytest.mark.neuron_alpha('flag')\ndef test_a(): pass\n",
            # A second audit hook that answers with no reason string.
            "tests/conftest.py": "def pytest_neuron_audit(report, config):\n    return 42\n",
        },
        args=("--neuron-enforce=warn",),
        lines=(
            "  stable package runtime: security missing -> add a passing test marked @pytest.mark.neuron_security or "
            "one that uses fuzzer",
            "failed by a pytest_neuron_audit hook: release branches may not ship Alpha items",
            "failed by a pytest_neuron_audit hook: a pytest_neuron_audit hook returned 42; return a reason string to "
            "fail the run, or None",
            "neuron-classification: FAILED: a pytest_neuron_audit hook returned 42; return a reason string to fail the "
            "run, or None (from a pytest_neuron_audit hook)",
        ),
        ret=1,
        config=None,
    ),
    "evidence from outside pytest": Case(
        files={
            "e.json": json.dumps(
                {
                    "schema": "pytest-neuron-classification-evidence/1",
                    "results": [
                        outside("llama", "passed", {"name": "loss", "value": 1.93, "max": 2.5}),
                        outside("mistral", "failed", {"name": "loss", "value": 3, "max": 2.5}),
                        outside("gpt2", "failed"),
                        outside("bert", "passed"),
                    ],
                }
            )
        },
        args=("--neuron-evidence=e.json",),
        lines=(
            f"  model    llama (training)    accuracy met (loss 1.93 <= 2.5; outside: {SCRIPT})",
            f"  beta model mistral (training): accuracy failing -> fix the failing test {SCRIPT} (recorded outside "
            "pytest): loss = 3, above max 2.5",
            f"  beta model gpt2 (training): accuracy failing -> fix the failing test {SCRIPT} (recorded outside pytest)",
            f"  beta model bert (training): accuracy unmeasured -> {SCRIPT} (recorded outside pytest) passed but "
            "measured nothing: record it again with --metric NAME=VALUE",
        ),
        ret=1,
        config=None,
    ),
    "a report that cannot be written": Case(
        files={
            "reports/keep.txt": "",
            # The folder is there when the run starts and is a file by the time it writes the report.
            "test_plain.py": "import shutil\ndef test_a():\n    shutil.rmtree('reports')\n"
            "    open('reports', 'w').close()\n",
        },
        args=("--neuron-json=reports/neuron.json",),
        lines="ERROR: neuron-classification: cannot write --neuron-json={root}/reports/neuron.json: {any}",
        ret=1,
        config=None,
    ),
    "what a recording run wrote": Case(
        files={
            "test_llama.py": "import pytest\n"
            "pytestmark = pytest.mark.neuron_stable('llama', kind='model', workload='inference')\n"
            "@pytest.mark.neuron_accuracy\ndef test_accuracy(neuron_metric): neuron_metric('top1', 0.9)\n",
            "test_trace.py": "import pytest\npytestmark = pytest.mark.neuron_stable('trace', kind='api')\n"
            "def test_call(): pass\n",
            "neuron-metrics.json": json.dumps(
                {
                    "schema": "pytest-neuron-classification-metrics/2",
                    "environments": {
                        "NEURON_CATALOGUE_INSTANCE=unset": {
                            "llama[workload=inference]": {
                                "test_llama.py::test_latency": {"latency": {"value": 12.0, "unit": "ms"}}
                            }
                        }
                    },
                }
            ),
        },
        args=(
            "--neuron-update-contracts",
            "--neuron-update-metrics",
            "--neuron-baseline=b.json",
            "--neuron-update-baseline",
        ),
        lines=(
            "note: recorded 1 API contract and 2 items in neuron-contracts.json",
            "note: recorded 1 gap in b.json",
            "note: environment: NEURON_CATALOGUE_INSTANCE is not set; the key uses NEURON_CATALOGUE_INSTANCE=unset",
            "note: recorded 1 measurement(s) in neuron-metrics.json for env NEURON_CATALOGUE_INSTANCE=unset",
            "note: dropped the baseline entries of 1 test(s) that no longer exist: test_llama.py::test_latency",
        ),
        ret=0,
        config='environment = ["NEURON_CATALOGUE_INSTANCE"]\n'
        + ITEM
        + 'name = "trace"\nkind = "api"\ntarget = "json:dumps"\n',
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)
