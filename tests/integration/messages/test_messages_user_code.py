"""The catalogue of the plugin's errors about the user's code it imports: each one's exact wording.

An ``api-modules`` module, a parser factory, an ``env-modules`` module or a hook of the project may
fail to import, exit, be interrupted or return what the plugin cannot use: the run stops before any
test in one line that names the module and the fix, never a traceback. Each case is a real pytest
run of a small project; its line must appear whole. The configuration's and options' errors are in
test_messages_errors.py.
"""

from __future__ import annotations

from functools import partial

import catalogue
import pytest
from record_projects import LAZY

#: Lets a run import the modules the project holds (an ``api-modules`` module, a parser factory).
IMPORTABLE = '[tool.pytest.ini_options]\npythonpath = ["."]\n'


Case = partial(
    catalogue.Case, stream="stderr", ret=pytest.ExitCode.USAGE_ERROR, base={"test_a.py": "def test_a(): pass\n"}
)


CATALOGUE = {
    "an api module that does not import": Case(
        lines="ERROR: neuron-classification: pyproject.toml: api-modules: cannot import nosuchsdk: ModuleNotFoundError: "
        "No module named 'nosuchsdk'; fix the import or remove 'nosuchsdk' from api-modules",
        config='api-modules = ["nosuchsdk"]\n',
    ),
    "an api module that exits at import": Case(
        lines="ERROR: neuron-classification: pyproject.toml: api-modules: cannot import apimod: SystemExit: 3; fix the "
        "import or remove 'apimod' from api-modules",
        config='api-modules = ["apimod"]\n' + IMPORTABLE,
        # __all__ built at run time: only an import lists the names (a literal one is read from the source)
        files={"apimod.py": "import sys\n__all__ = sorted(['f'])\nsys.exit(3)\n"},
    ),
    "an api module interrupted at import": Case(
        lines="ERROR: neuron-classification: pyproject.toml: api-modules: cannot import apimod: KeyboardInterrupt; fix the "
        "import or remove 'apimod' from api-modules",
        config='api-modules = ["apimod"]\n' + IMPORTABLE,
        files={"apimod.py": "__all__ = sorted(['f'])\nraise KeyboardInterrupt\n"},
    ),
    "an api module whose __all__ holds no string": Case(
        lines="ERROR: neuron-classification: pyproject.toml: api-modules: apimod.__all__ has a non-string entry 3; fix "
        "__all__; fix the import or remove 'apimod' from api-modules",
        config='api-modules = ["apimod"]\n' + IMPORTABLE,
        files={"apimod.py": '__all__ = ["f", 3]\ndef f(): pass\n'},
    ),
    "an api module whose __all__ names nothing": Case(
        lines="ERROR: neuron-classification: pyproject.toml: api-modules: apimod.__all__ lists 'compile', which the module "
        "does not define; fix __all__; fix the import or remove 'apimod' from api-modules",
        config='api-modules = ["apimod"]\n' + IMPORTABLE,
        files={"apimod.py": "__all__ = ['trace', 'compile']\ndef trace(): pass\n"},
    ),
    "an api module whose public names cannot be listed": Case(
        lines="ERROR: neuron-classification: pyproject.toml: api-modules: listing the public names of apimod raised "
        "KeyError: 'f'; fix the import or remove 'apimod' from api-modules",
        config='api-modules = ["apimod"]\n' + IMPORTABLE,
        files={"apimod.py": "def __getattr__(name):\n    raise KeyError(name)\n__all__ = ['f']\n"},
    ),
    "a parser module that does not import": Case(
        lines="ERROR: neuron-classification: pyproject.toml: cli-parsers: cannot import nowhere: ModuleNotFoundError: No "
        "module named 'nowhere'",
        config='cli-parsers = ["nowhere:build"]\n',
    ),
    "a click group whose command cannot load": Case(
        lines="ERROR: neuron-classification: pyproject.toml: cli-parsers: cc:cli: reading its flags raised ImportError: "
        "cannot load the build plugin",
        config='cli-parsers = ["cc:cli"]\n' + IMPORTABLE,
        files={"cc.py": LAZY},
        needs="click",
    ),
    "an env module that is not found": Case(
        lines="ERROR: neuron-classification: pyproject.toml: env-modules: 'no_such_pkg' is not found as a package or module "
        "on sys.path; fix the name or install it",
        config='env-modules = ["no_such_pkg"]\n',
    ),
    "a categories hook that returns no mapping": Case(
        lines="ERROR: neuron-classification: pytest_neuron_categories returned ['functional']; return {category: [names]} "
        "or None",
        files={"conftest.py": "def pytest_neuron_categories(config):\n    return ['functional']\n"},
    ),
    "an obligations hook naming an unknown obligation": Case(
        lines="ERROR: neuron-classification: unknown obligation 'securty' for alpha api; use one of accuracy, basic, compat, "
        "functional, integration, performance, standard (a new category must be declared with "
        "pytest_neuron_categories first)",
        files={
            "conftest.py": "def pytest_neuron_obligations(kind, level, obligations):\n"
            "    obligations.append('securty')\n"
        },
    ),
    "a categories hook that raises": Case(
        lines="ERROR: neuron-classification: pytest_neuron_categories raised ValueError: no table (in conftest.py:2); "
        "fix the hook",
        files={"conftest.py": "def pytest_neuron_categories(config):\n    raise ValueError('no table')\n"},
    ),
    "an obligations hook that raises": Case(
        lines="ERROR: neuron-classification: pytest_neuron_obligations raised KeyError: 'security' (in conftest.py:3); "
        "fix the hook",
        files={
            "conftest.py": "def pytest_neuron_obligations(kind, level, obligations):\n"
            "    table = {}\n    obligations.append(table['security'])\n"
        },
    ),
    # Raised during the run: the run fails in one line, its tests' classification and reports intact.
    "an audit hook that raises": catalogue.Case(
        lines="ERROR: neuron-classification: pytest_neuron_audit raised ValueError: audit boom (in conftest.py:2); "
        "fix the hook",
        files={
            "conftest.py": "def pytest_neuron_audit(report, config):\n    raise ValueError('audit boom')\n",
            "test_a.py": "import pytest\npytestmark = pytest.mark.neuron_beta('ok', kind='package')\n"
            "def test_a(): pass\n",
        },
        ret=pytest.ExitCode.TESTS_FAILED,
    ),
    "a test categories hook that raises": catalogue.Case(
        lines="  test_a.py::test_a: pytest_neuron_test_categories raised RuntimeError: no device (in conftest.py:2); "
        "fix the hook",
        files={
            "conftest.py": "def pytest_neuron_test_categories(item, categories):\n    raise RuntimeError('no device')\n",
            "test_a.py": "import pytest\npytestmark = pytest.mark.neuron_beta('ok', kind='package')\n"
            "def test_a(): pass\n",
        },
        ret=pytest.ExitCode.TESTS_FAILED,
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)
