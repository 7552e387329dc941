"""The collection side: which classified items each collected test is evidence for.

Registered in every process, because under pytest-xdist only the workers collect; a
worker then sends what it classified to the controller (:class:`WorkerSender`).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import pytest

from .evidence import Evidence, Outcome, TestRecord
from .items import Catalog, Claim, matches_a_file
from .markers import check_one_level_per_item, parse_marker
from .measuring import BENCHMARK_READER, USES_BENCHMARK, BenchmarkReader
from .metrics import Metric
from .policy import LEVEL_MARKERS, ClassificationError, Policy

#: The key of this plugin's evidence in an xdist worker's ``workeroutput``.
WORKER_KEY = "neuron_classification"
#: The JUnit property that names a test's item (with ``--junitxml``).
ITEM_PROPERTY = "neuron_item"
_INVALID = pytest.StashKey[str]()
_FAILER = "neuron_classification_invalid_markers"

#: What a test is evidence for: item ids, item names, categories, and the error of an invalid
#: marker. Tests of one module share one such tuple, so a classified test costs a dict entry.
Shape = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], Optional[str]]

#: Per parent node (module or class): the file a test lives in, the claims inventory
#: ``tests`` globs make for it, and the level markers the parents carry. Computed once
#: per parent, so that an unclassified test costs one lookup.
_ParentInfo = tuple[str, tuple[Claim, ...], list[pytest.Mark]]


class Classifier:
    """Turns collected tests into :class:`TestRecord` s, by their markers and paths."""

    def __init__(self, config: pytest.Config, catalog: Catalog, policy: Policy) -> None:
        self.config = config
        self.catalog = catalog
        self.policy = policy
        #: Classified tests by node id, in node id order.
        self.records: dict[str, Shape] = {}
        #: Each shape's one shared copy, and its JUnit properties (shared by the tests of a module).
        self._shapes: dict[Shape, tuple[Shape, list[tuple[str, str]]]] = {}
        self._category_cache: dict[tuple[Any, ...], tuple[str, ...]] = {}
        #: JUnit properties cost a list per test report (pytest keeps every report, and under
        #: xdist a copy of every string in it): add them only when JUnit XML is written.
        self._with_properties = bool(getattr(config.option, "xmlpath", None))
        self._parents: dict[Any, _ParentInfo] = {}
        self._deselected: list[pytest.Item] = []
        #: What collection noticed (an inventory glob that matches no file).
        self.notes: list[str] = []
        #: Resolved markers per (module, markers): all tests of a module share its
        #: ``pytestmark`` objects, so each module's markers are parsed once.
        self._resolved: dict[
            tuple[Any, ...], tuple[list[pytest.Mark], tuple[tuple[str, ...], tuple[str, ...]] | str]
        ] = {}

    def evidence(
        self,
        outcome_of: Mapping[str, Outcome] | None = None,
        measured: Mapping[str, tuple[tuple[Metric, ...], str]] | None = None,
    ) -> Evidence:
        """What this process classified, with the outcomes and measurements the controller saw."""
        outcome_of, measured = outcome_of or {}, measured or {}
        tests = tuple(
            TestRecord(
                nodeid,
                ids,
                names,
                categories,
                outcome_of.get(nodeid, "not-run"),
                error,
                *measured.get(nodeid, ((), "")),
            )
            for nodeid, (ids, names, categories, error) in self.records.items()
        )
        return Evidence(policy=self.policy, items=tuple(self.catalog.items()), tests=tests, notes=tuple(self.notes))

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        # -k, -m, --deselect, --lf and --sw drop tests here: they still count (as not-run).
        self._deselected.extend(items)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        # After every plugin's pytest_collection_modifyitems, so that markers a conftest adds
        # there count; in node id order, so that the test order (pytest-randomly's seed)
        # never decides which module declares an item or which test a conflict fails.
        self.classify(sorted([*session.items, *self._deselected], key=lambda i: i.nodeid))
        self.notes += [
            f"{item.origin} ({item.name}): tests glob {glob!r} matches no file; fix the glob"
            for item, glob, regex in self.catalog.unmatched_globs()
            if not matches_a_file(self.config.rootpath, glob, regex)
        ]

    def classify(self, items: list[pytest.Item]) -> None:
        invalid = benchmarked = False
        for item in items:
            shape = self._classify(item)
            if shape is not None:
                self.records[item.nodeid] = shape = self._intern(shape)
                if self._with_properties:
                    item.user_properties.extend(self._shapes[shape][1])
                if shape[3]:
                    item.stash[_INVALID] = shape[3]
                    invalid = True
                if "benchmark" in getattr(item, "fixturenames", ()):
                    item.stash[USES_BENCHMARK] = benchmarked = True
        # Only a run that needs them pays for a hook called on every test.
        self._register(invalid, _FAILER, _InvalidMarkerFailer)
        self._register(benchmarked, BENCHMARK_READER, BenchmarkReader)

    def _register(self, needed: bool, name: str, role: Callable[[], object]) -> None:
        if needed and not self.config.pluginmanager.has_plugin(name):
            self.config.pluginmanager.register(role(), name)

    def _classify(self, item: pytest.Item) -> Shape | None:
        origin, path_claims, inherited = self._parent_info(item.parent)
        own = [m for m in item.own_markers if m.name in LEVEL_MARKERS]
        claims = own + inherited if own else inherited
        if not claims and not path_claims:
            return None
        resolved = self._resolve(claims, path_claims, item, origin)
        if isinstance(resolved, str):
            return (), (), (), resolved
        try:
            categories = self._categories(item)
        except ClassificationError as exc:
            return (), (), (), str(exc)
        return (*resolved, categories, None)

    def _intern(self, shape: Shape) -> Shape:
        """The one shared copy of ``shape``, with its JUnit properties computed once."""
        known = self._shapes.get(shape)
        if known is None:
            known = self._shapes[shape] = (shape, self._properties(shape))
        return known[0]

    def _parent_info(self, parent: Any) -> _ParentInfo:
        info = self._parents.get(parent)
        if info is None:
            origin = parent.nodeid.split("::")[0]
            # Closest node first, as iter_markers yields them.
            marks = [m for node in reversed(parent.listchain()) for m in node.own_markers if m.name in LEVEL_MARKERS]
            info = self._parents[parent] = (origin, self.catalog.path_claims(origin), marks)
        return info

    def _categories(self, item: pytest.Item) -> tuple[str, ...]:
        hook = self.config.hook.pytest_neuron_test_categories
        if hook.get_hookimpls():
            return self._decided(item, hook)
        # Without a hook the categories depend only on the markers and fixtures, which the
        # instances of one parametrized test share: work them out once per function.
        key = (item.parent, getattr(item, "originalname", item.name), *map(id, item.own_markers))
        categories = self._category_cache.get(key)
        if categories is None:
            categories = self._category_cache[key] = self.policy.categorize(self._names(item))
        return categories

    @staticmethod
    def _names(item: pytest.Item) -> set[str]:
        names = {m.name for m in item.iter_markers()}
        names.update(getattr(item, "fixturenames", ()))
        return names

    def _decided(self, item: pytest.Item, hook: Any) -> tuple[str, ...]:
        categories = self.policy.categorize(self._names(item))
        decided = hook(item=item, categories=categories)
        if decided is None:
            return categories
        unknown = [c for c in decided if c not in self.policy.categories]
        if unknown or not decided:
            raise ClassificationError(
                f"pytest_neuron_test_categories returned {list(decided)!r}; use categories from "
                f"{', '.join(self.policy.categories)}"
            )
        return tuple(dict.fromkeys(decided))

    def _resolve(
        self, claims: list[pytest.Mark], path_claims: tuple[Claim, ...], item: pytest.Item, origin: str
    ) -> tuple[tuple[str, ...], tuple[str, ...]] | str:
        """The ids and names of the items the markers name, or the error message; cached per set of markers."""
        key = (item.path, *map(id, claims))
        cached = self._resolved.get(key)
        if cached is not None:
            return cached[1]
        try:
            parsed = [parse_marker(LEVEL_MARKERS[m.name], m.args, m.kwargs, item.path.stem) for m in claims]
            parsed += path_claims
            check_one_level_per_item(parsed)
            items = {i.id: i for i in (self.catalog.resolve(c, origin) for c in parsed)}
            result: tuple[tuple[str, ...], tuple[str, ...]] | str = (
                tuple(items),
                tuple(i.name for i in items.values()),
            )
        except ClassificationError as exc:
            result = str(exc)
        # Keep the marks referenced so their ids cannot be reused by other objects.
        self._resolved[key] = (claims, result)
        return result

    def _properties(self, shape: Shape) -> list[tuple[str, str]]:
        """JUnit XML properties, so that tools reading JUnit can group tests by level."""
        props = []
        for item in filter(None, map(self.catalog.get, shape[0])):
            props += [(ITEM_PROPERTY, item.id), ("neuron_level", item.level), ("neuron_kind", item.kind)]
        return [*props, ("neuron_categories", ",".join(shape[2]))] if props else []


class _InvalidMarkerFailer:
    """Makes a test whose classification is invalid error at setup, with the one-line reason."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        error = item.stash.get(_INVALID, None)
        if error is not None:
            pytest.fail(f"neuron-classification: {error}", pytrace=False)


class WorkerSender:
    """On an xdist worker: send what this worker classified to the controller."""

    def __init__(self, config: Any, classifier: Classifier) -> None:
        self.config = config
        self.classifier = classifier

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self) -> None:
        # Straight from the shared shapes: a worker never builds a record per test.
        classifier = self.classifier
        evidence = Evidence(
            policy=classifier.policy, items=tuple(classifier.catalog.items()), notes=tuple(classifier.notes)
        )
        # The worker needs its records no more: the dict (MiBs on a large suite) is freed
        # before xdist serializes the output, so that its peaks do not add up.
        records, classifier.records = classifier.records, {}
        self.config.workeroutput[WORKER_KEY] = evidence.to_payload(records)
