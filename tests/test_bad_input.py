"""Bad input gets one clear line naming the file or test and the fix, never a traceback."""

from __future__ import annotations

import pytest

CONFIG_ERRORS = [
    ('enforce = "loud"\n', "unknown value for enforce 'loud'; use one of: error, warn, off"),
    ('default-kind = "library"\n', "unknown default-kind 'library'; use one of: api, package, feature, model"),
    ('standard-suite = ["functional", "smoke"]\n', "unknown category in standard-suite 'smoke'"),
    ("standard-suite = []\n", "standard-suite must name at least one category"),
    ('[tool.neuron-classification.categories]\nspeed = ["perf"]\n', "unknown category in [categories] 'speed'"),
    ('[tool.neuron-classification.categories]\nperformance = "perf"\n', "categories.performance must be a list"),
    ('enforcee = "warn"\n', "unknown key 'enforcee'; known keys: enforce, default-kind,"),
    (
        '[[tool.neuron-classification.items]]\nkind = "package"\n',
        'items[0]: no name; add name = "..."',
    ),
    (
        '[[tool.neuron-classification.items]]\nname = "rt"\nlevel = "gamma"\n',
        "items[0] (rt): unknown level 'gamma'; use one of: stable, beta, alpha",
    ),
    (
        '[[tool.neuron-classification.items]]\nname = "rt"\nkind = "runtime"\n',
        "items[0] (rt): unknown kind 'runtime'",
    ),
    (
        '[[tool.neuron-classification.items]]\nname = "rt"\n[[tool.neuron-classification.items]]\nname = "rt"\n',
        "item 'rt' is listed twice (pyproject.toml items[0] and pyproject.toml items[1]); keep one entry",
    ),
    (
        '[[tool.neuron-classification.items]]\nname = "rt"\nsince = "two"\n',
        "items[0] (rt): since = 'two' is not a PEP 440 version",
    ),
    (
        '[[tool.neuron-classification.items]]\nname = "llama"\nkind = "model"\n',
        "items[0] (llama): model 'llama' needs workload='training' or workload='inference'",
    ),
    (
        '[[tool.neuron-classification.items]]\nname = "llama"\nkind = "model"\nlevel = "alpha"\nworkload = "training"\n',
        "items[0] (llama): a model class has no Alpha level",
    ),
    (
        '[[tool.neuron-classification.items]]\nname = "rt"\ntarget = "rt:run"\n',
        "items[0] (rt): target is only for api items",
    ),
    (
        '[[tool.neuron-classification.items]]\nname = "rt"\nowner = "me"\n',
        "items[0] (rt): unknown key 'owner'",
    ),
    (
        '[[tool.neuron-classification.notices]]\nitem = "x"\nannounced = "soon"\neffective = 2026-01-01\n',
        "notices[0]: announced must be a TOML date like 2026-09-01",
    ),
]


@pytest.mark.parametrize(("body", "message"), CONFIG_ERRORS)
def test_config_errors_are_usage_errors(pytester, project, body, message):
    project.config(body)
    pytester.makepyfile(test_a="def test_a(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: neuron-classification: pyproject.toml: [[]tool.neuron-classification] *{project.literal(message)}*"]
    )
    assert "Traceback" not in result.stderr.str()


def test_malformed_toml_names_the_file(pytester):
    pytester.makeini("[pytest]\n")
    (pytester.path / "pyproject.toml").write_text("[tool.neuron-classification\nenforce = 'x'\n")
    pytester.makepyfile(test_a="def test_a(): pass")
    result = pytester.runpytest("-c", "tox.ini")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: neuron-classification: pyproject.toml: invalid TOML (*line 1*); fix the syntax"]
    )
    # Without -c, pytest reads the file itself first and says the same in its own words.
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: */pyproject.toml: *line 1*"])


def test_bad_ini_enforce_value(pytester):
    pytester.makeini("[pytest]\nneuron_enforce = sometimes\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: neuron-classification: *tox.ini: neuron_enforce = 'sometimes' is not one of error, warn, off"]
    )


def test_bad_command_line_enforce_value(pytester):
    result = pytester.runpytest("--neuron-enforce=strict")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*argument --neuron-enforce: 'strict' is not one of error, warn, off"])


MARKER_ERRORS = [
    ("neuron_stable(42)", "neuron_stable needs the item name as a non-empty string, not 42"),
    ("neuron_stable('')", "neuron_stable needs the item name as a non-empty string, not ''"),
    ("neuron_beta('a', 'b')", "neuron_beta takes at most one positional argument (the item name), got 2"),
    ("neuron_stable('x', kindd='api')", "neuron_stable got unknown keyword 'kindd'; it takes name, kind and"),
    ("neuron_stable('x', kind='library')", "unknown kind in neuron_stable 'library'"),
    ("neuron_stable('x', kind='model')", "model 'x' needs workload='training' or workload='inference'"),
    ("neuron_stable('x', kind='model', workload='serving')", "unknown workload in neuron_stable 'serving'"),
    ("neuron_alpha('x', kind='model', workload='training')", "a model class has no Alpha level"),
    (
        "neuron_stable('x', kind='api', workload='training')",
        "unknown keyword workload='training': a api item takes only package",
    ),
    ("neuron_stable('x', kind='package', package='y')", "a package item takes no coupling keywords"),
    ("neuron_stable('x', package=3)", "neuron_stable: package must be a non-empty string, not 3"),
]


@pytest.mark.parametrize(("marker", "message"), MARKER_ERRORS)
def test_marker_errors_fail_the_test_with_one_line(pytester, project, marker, message):
    pytester.makepyfile(test_a=f"import pytest\n@pytest.mark.{marker}\ndef test_it(): pass\ndef test_other(): pass")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at setup of test_it _*",
            f"neuron-classification: *{project.literal(message)}*",
            "errors: 1",
            f"  test_a.py::test_it: *{project.literal(message)}*",
            "neuron-classification: FAILED: 1 test with invalid classification (see errors above)",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_marker_errors_fail_a_static_audit(pytester):
    pytester.makepyfile(test_a="import pytest\n@pytest.mark.neuron_stable(3)\ndef test_it(): pass")
    result = pytester.runpytest("--collect-only")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["  test_a.py::test_it: neuron_stable needs the item name as a non-empty string, not 3"]
    )


def test_two_levels_for_one_item_on_one_test(pytester):
    pytester.makepyfile(
        test_a="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("cache")
        @pytest.mark.neuron_beta("cache")
        def test_it(): pass
        @pytest.mark.neuron_beta("other")
        def test_two_items(): pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["  test_a.py::test_it: *'cache'*stable*beta*"])


def test_marker_contradicting_the_inventory_level(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\nlevel = "beta"\n')
    pytester.makepyfile(test_a="import pytest\n@pytest.mark.neuron_stable('rt')\ndef test_it(): pass")
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["  test_a.py::test_it: *'rt'*beta*pyproject.toml items[[]0]*stable*"])
    assert result.ret == 1


def test_marker_contradicting_the_inventory_kind(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\n')
    pytester.makepyfile(test_a="import pytest\n@pytest.mark.neuron_stable('rt', kind='api')\ndef test_it(): pass")
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        [
            "  test_a.py::test_it: 'rt' is marked kind='api' but pyproject.toml items[0] classifies it as a "
            "package; use kind='package' or drop kind="
        ]
    )


def test_two_modules_disagreeing_on_a_level(pytester):
    pytester.makepyfile(
        test_a="import pytest\npytestmark = pytest.mark.neuron_stable('rt')\ndef test_a(): pass",
        test_b="import pytest\npytestmark = pytest.mark.neuron_beta('rt')\ndef test_b(): pass",
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["  test_b.py::test_b: *'rt'*stable*test_a.py*beta*"])
    assert result.ret == 1


def test_report_path_that_is_a_directory(pytester):
    pytester.mkdir("reports")
    result = pytester.runpytest("--neuron-json=reports")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: neuron-classification: --neuron-json=reports is a directory; give a file path such as reports/neuron.json"
        ]
    )


def test_report_path_under_a_file(pytester):
    pytester.makefile(".txt", notes="x")
    result = pytester.runpytest("--neuron-json=notes.txt/report.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: neuron-classification: --neuron-json=notes.txt/report.json: cannot create a file under */notes.txt; choose a writable path"
        ]
    )


def test_a_target_module_that_exits_at_import_is_one_line(project):
    project.pytester.makepyfile(
        exiting="import sys\nsys.exit(3)\n",
        getattrs="def __getattr__(name):\n    raise RuntimeError('boom %r' % object())\n",
    )
    project.config(
        project.API.format(name="ex", target="exiting:f") + project.API.format(name="ga", target="getattrs:g")
    )
    project.pytester.makepyfile(test_ex=project.COMPAT.format(name="ex"), test_ga=project.COMPAT.format(name="ga"))
    result, _report = project.run("-p", "no:cacheprovider")
    assert result.ret == 1  # not 3: the target's sys.exit does not end the run
    result.stdout.fnmatch_lines(
        [
            "  stable api ex: compat failing -> fix the target: cannot import exiting: SystemExit: 3",
            "  stable api ga: compat failing -> fix the target: looking up getattrs:g raised RuntimeError: boom <object object>",
        ]
    )
    assert "0x" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("import sys\nsys.exit(3)\n", "api-modules: cannot import apimod: SystemExit: 3"),
        ('__all__ = ["f", 3]\ndef f(): pass\n', "api-modules: apimod.__all__ has a non-string entry 3; fix __all__"),
        (
            "def __getattr__(name):\n    raise KeyError(name)\n__all__ = ['f']\n",
            "api-modules: listing the public names of apimod raised KeyError",
        ),
    ],
)
def test_api_modules_that_misbehave_are_one_usage_error(project, source, message):
    project.pytester.makepyfile(apimod=source)
    project.pytester.syspathinsert()
    project.config('api-modules = ["apimod"]\n')
    result = project.pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: pyproject.toml: {message}*"])
    assert "INTERNALERROR" not in result.stderr.str()


def test_a_name_that_looks_like_a_model_id_is_refused(project):
    project.pytester.makepyfile(
        test_a="import pytest\n@pytest.mark.neuron_beta('llama[framework=pt,workload=inference]')\ndef test_a(): pass\n"
    )
    result = project.pytester.runpytest()
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*the item name 'llama[[]framework=pt,workload=inference]' contains*rename it"])


def test_a_float_since_says_to_quote_it(project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nsince = 2.10\n')
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ['*items[[]0] (rt): since = 2.1 is not a string; quote the version, like since = "2.10.0"']
    )


def test_enforce_on_the_command_line_is_case_insensitive(project):
    project.module(categories=("functional",))
    result, report = project.run("--neuron-enforce=WARN")
    assert result.ret == 0
    assert report["enforce"] == "warn"


def test_enforce_levels_differing_only_in_case_are_an_error(project):
    project.config('enforce = { Stable = "error", stable = "off" }\n')
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*enforce names stable twice (levels are case-insensitive); keep one"])
