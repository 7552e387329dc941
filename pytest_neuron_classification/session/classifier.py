"""The collection side: which classified items each collected test is evidence for.

Registered in every process, because under pytest-xdist only the workers collect; a
worker then sends what it classified to the controller (:class:`~.worker_sender.WorkerSender`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import pytest

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.globs import TestPatterns, file_part
from pytest_neuron_classification.core.items import Catalog, Claim, NodeGlobs
from pytest_neuron_classification.core.markers import check_one_level_per_item, parse_alias, parse_marker
from pytest_neuron_classification.core.metric import NOTHING, Measured
from pytest_neuron_classification.core.outcomes import Outcome
from pytest_neuron_classification.core.test_record import Shape, ShapeRow, TestRecord
from pytest_neuron_classification.core.text import one_spelling
from pytest_neuron_classification.core.vocabulary import LEVEL_MARKERS, ClassificationError, Level, Policy
from pytest_neuron_classification.session.benchmark import BENCHMARK_READER, USES_BENCHMARK, BenchmarkReader
from pytest_neuron_classification.session.collector import collector_paused
from pytest_neuron_classification.session.invalid_markers import FAILER, INVALID, InvalidMarkerFailer
from pytest_neuron_classification.session.parent_info import ParentInfo, function_key, glob_prefix
from pytest_neuron_classification.session.test_categories import TestCategories
from pytest_neuron_classification.storage.test_files import matches_a_file

#: The JUnit property that names a test's item (with ``--junitxml``).
ITEM_PROPERTY = "neuron_item"
#: The JUnit properties of every shape when no JUnit XML is written: one shared empty tuple, no list per shape.
_NO_PROPERTIES: tuple[tuple[str, str], ...] = ()


class Classifier:
    """Turns collected tests into :class:`TestRecord` s, by their markers and paths."""

    def __init__(
        self,
        config: pytest.Config,
        catalog: Catalog,
        policy: Policy,
        level_markers: Mapping[str, Level] | None = None,
        glob_root: Path | None = None,
        category_tests: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.config = config
        self.catalog = catalog
        self.policy = policy
        #: The project's own markers that classify like a bare level marker (``level-markers``).
        self._aliases = dict(level_markers or {})
        #: Every marker name that classifies, with its level.
        self._levels: dict[str, Level] = {**LEVEL_MARKERS, **self._aliases}
        #: Inventory ``tests`` globs are relative to the pyproject.toml's folder: node ids, to the
        #: rootdir. ``_prefix`` is the rootdir seen from that folder ("" when they are one).
        self._glob_root = glob_root or config.rootpath
        self._prefix = glob_prefix(config.rootpath, self._glob_root)
        #: ``category-tests``: the categories test patterns give the tests they name.
        self._category_tests = TestPatterns(
            (pattern, category) for category, patterns in (category_tests or {}).items() for pattern in patterns
        )
        #: The level marker each node id pattern's claim adds to the tests it names (one per claim,
        #: so that the tests of one function still share their marker objects).
        self._node_marks: dict[Claim, pytest.MarkDecorator] = {}
        self._node_globs: dict[Any, NodeGlobs] = {}
        #: The level markers this plugin put on files that ``tests`` globs classify and beside
        #: alias markers (by id), so that ``-m neuron_beta`` selects them; the classifier counts
        #: the glob's or the alias's claim instead.
        self._added: dict[int, pytest.Mark] = {}
        #: The mirrored marker of each alias mark (kept with it, so that its id stays its own).
        self._mirrors: dict[tuple[int, str], tuple[pytest.Mark, pytest.MarkDecorator]] = {}
        #: Classified tests by node id, in node id order.
        self.records: dict[str, ShapeRow] = {}
        #: Each shape's one shared copy, and its JUnit properties (shared by the tests of a module).
        self._shapes: dict[ShapeRow, tuple[ShapeRow, Sequence[tuple[str, str]]]] = {}
        #: JUnit properties cost a list per test report (pytest keeps every report, and under
        #: xdist a copy of every string in it): add them only when JUnit XML is written.
        self._with_properties = bool(getattr(config.option, "xmlpath", None))
        self._parents: dict[Any, ParentInfo] = {}
        #: Each classified test's categories (most tests of a module share them).
        self._test_categories = TestCategories(config.hook.pytest_neuron_test_categories, policy, config.rootpath)
        #: Under --collect-only, the node ids of the classified tests left after deselection.
        self.selected: list[str] = []
        #: The tests -k, -m, --deselect, --lf and --sw left out: classified, they count as not-run.
        self.deselected: list[pytest.Item] = []
        #: The node ids of the classified ones among them (the JSON report leaves them out).
        self.left_out: list[str] = []
        #: Those a pytest_collection_modifyitems hook dropped (see :mod:`.removal`): node id -> who implements it.
        self.removed_by: dict[str, str] = {}
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
        measured: Mapping[str, Measured] | None = None,
    ) -> Evidence:
        """What this process classified, with the outcomes and measurements the controller saw."""
        outcome_of, measured = outcome_of or {}, measured or {}
        shapes: dict[int, Shape] = {}  # the tests that share a row share its shape
        tests = tuple(
            TestRecord(
                nodeid,
                shapes.get(id(row)) or shapes.setdefault(id(row), Shape._make(row)),
                outcome_of.get(nodeid, "not-run"),
                measured.get(nodeid, NOTHING),
            )
            for nodeid, row in self.records.items()
        )
        return Evidence(
            policy=self.policy,
            items=tuple(self.catalog.items()),
            tests=tests,
            notes=tuple(self.notes),
            deselected=frozenset(self.left_out),
        )

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # Before pytest's own -m filter (a plain modifyitems hook): a file that a ``tests`` glob
        # classifies, and a node that carries a ``level-markers`` alias, get the level marker, so
        # that ``-m neuron_beta`` selects them. Each parent node is visited once.
        globs, aliases, nodes = self.catalog.has_globs, bool(self._aliases), self.catalog.has_node_globs
        if not globs and not aliases:
            return
        seen: set[Any] = set()
        for item in items:
            if aliases:
                self._mirror(item)
            if nodes:
                self._mark_test(item)
            if item.parent in seen:
                continue
            for node in item.listchain()[:-1]:
                if node not in seen:
                    seen.add(node)
                    if globs and isinstance(node, pytest.File):
                        self._mark_file(node)
                    if aliases:
                        self._mirror(node)

    def _mark_file(self, node: pytest.File) -> None:
        for claim in self.catalog.path_claims(self._glob_path(node.nodeid)):
            marker = getattr(pytest.mark, f"neuron_{claim.level}")
            self._add_marker(node, marker(claim.name, kind=claim.kind, **dict(claim.coupling)))

    def _mark_test(self, item: pytest.Item) -> None:
        """The level marker of each node id pattern (``file::test*``) that names ``item``."""
        globs = self._node_globs.get(item.parent)
        if globs is None:
            path = self._glob_path(item.parent.nodeid)  # type: ignore[union-attr]
            globs = self._node_globs[item.parent] = self.catalog.node_globs(path)
        if not globs:
            return
        for claim in self.catalog.node_claims(globs, item.nodeid.split("::", 1)[1]):
            decorator = self._node_marks.get(claim)
            if decorator is None:
                marker = getattr(pytest.mark, f"neuron_{claim.level}")
                decorator = self._node_marks[claim] = marker(claim.name, kind=claim.kind, **dict(claim.coupling))
            self._add_marker(item, decorator)

    def _mirror(self, node: Any) -> None:
        """``neuron_alpha("name")`` beside each alias marker the node itself carries."""
        for mark in [m for m in node.own_markers if m.name in self._aliases]:
            # The tests of one parametrized function share its marks: give them one mirrored mark
            # too, so that the per-function category cache (keyed by mark ids) still hits.
            key = (id(mark), Path(node.path).stem)
            mirrored = self._mirrors.get(key)
            if mirrored is None:
                level = self._aliases[mark.name]
                try:
                    claim = parse_alias(level, mark.args, mark.kwargs, key[1], mark.name)
                except ClassificationError:
                    continue  # classifying the test reports it, as a per-test error
                keywords = {**dict(claim.coupling), **({"kind": claim.kind} if claim.kind else {})}
                decorator = getattr(pytest.mark, f"neuron_{level}")(claim.name, **keywords)
                mirrored = self._mirrors[key] = (mark, decorator)
            self._add_marker(node, mirrored[1])

    def _add_marker(self, node: Any, decorator: pytest.MarkDecorator) -> None:
        node.add_marker(decorator)
        self._added[id(decorator.mark)] = decorator.mark

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        # -k, -m, --deselect, --lf and --sw drop tests here: they still count (as not-run).
        self.deselected.extend(items)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        # After every plugin's pytest_collection_modifyitems, so that markers a conftest adds
        # there count; in node id order, so that the test order (pytest-randomly's seed)
        # never decides which module declares an item or which test a conflict fails.
        with collector_paused():  # a shape and a cache entry per module or test (see collector)
            self.classify([*session.items, *self.deselected], selected=len(session.items))
        self.notes += [
            f"{item.origin} ({item.name}): tests glob {glob!r} matches no file; fix the glob"
            for item, glob, regex in self.catalog.unmatched_globs()
            if not matches_a_file(self._glob_root, file_part(glob), regex)
        ]

    def classify(self, tests: list[pytest.Item], selected: int | None = None) -> None:
        """Record each test's shape, in node id order.

        ``selected``: how many of ``tests``, first, are left after deselection (all by default).
        """
        invalid = benchmarked = False
        collect_only = bool(getattr(self.config.option, "collectonly", False))
        selected = len(tests) if selected is None else selected
        # Tests with one parent, one set of fixtures and no markers of their own (or the instances
        # of one parametrized function) share a shape: work it out once (unless a hook decides per test).
        per_test = self._test_categories.start()
        functions: dict[tuple[Any, ...], tuple[ShapeRow | None, bool]] = {}
        # Unclassified tests (most, in most suites) are dropped first, by their parents' markers
        # and their own: they never cost a node id or a place in the sort. Which tests are
        # classified does not depend on the order; what they declare does (below).
        candidates = [i for i, test in enumerate(tests) if self._may_classify(test)]
        # pytest builds ``nodeid`` on each access: read it once per test. (Sorted by index, not
        # as (nodeid, test) pairs: 60,000 live tuples would bring the next full garbage
        # collection forward, which costs more than the sort.)
        nodeids = [tests[i].nodeid for i in candidates]
        for place in sorted(range(len(candidates)), key=nodeids.__getitem__):
            nodeid, index = nodeids[place], candidates[place]
            test = tests[index]
            info = self._parents[test.parent]  # by _may_classify
            # Only a file that a node id pattern covers makes its tests' shapes depend on their ids.
            named = self._named(info, nodeid) if info[5] or info[6] else None
            key = None if per_test else function_key(test) if named is None else (*function_key(test), named)
            known = functions.get(key) if key is not None else None
            if known is None:
                known = (self._shape(test, nodeid, info, named), "benchmark" in getattr(test, "fixturenames", ()))
                if key is not None:
                    functions[key] = known
            shape, uses_benchmark = known
            if shape is None:
                continue
            self.records[nodeid] = shape
            if index >= selected:
                self.left_out.append(nodeid)
            elif collect_only:
                self.selected.append(nodeid)
            if self._with_properties:
                test.user_properties.extend(self._shapes[shape][1])
            if shape[3]:  # its error
                test.stash[INVALID] = shape[3]
                invalid = True
            if uses_benchmark:
                test.stash[USES_BENCHMARK] = benchmarked = True
        # Only a run that needs them pays for a hook called on every test.
        self._register(invalid, FAILER, InvalidMarkerFailer)
        self._register(benchmarked, BENCHMARK_READER, BenchmarkReader)
        self._forget()

    def _forget(self) -> None:
        """Drop what only classifying needed: every full collection of the cyclic collector during
        the run would walk it again (on a 20,000-item inventory, 92,000 of the plugin's 145,000 extra
        tracked objects). The records keep the interned shapes they use."""
        for cache in (self._resolved, self._parents, self._test_categories.cached, self._shapes, self._node_globs):
            cache.clear()

    def _register(self, needed: bool, name: str, role: Callable[[], object]) -> None:
        if needed and not self.config.pluginmanager.has_plugin(name):
            self.config.pluginmanager.register(role(), name)

    def _may_classify(self, test: pytest.Item) -> bool:
        """Whether :meth:`_shape` can classify ``test``: a level marker or a ``tests`` glob claims it."""
        info = self._parents.get(test.parent) or self._parent_info(test.parent)
        if info[1] or info[2] or info[5]:
            return True
        return any(m.name in self._levels and id(m) not in self._added for m in test.own_markers)

    def _named(self, info: ParentInfo, nodeid: str) -> tuple[tuple[Claim, ...], tuple[str, ...]]:
        """The claims and categories node id patterns give the test ``nodeid`` of a file they cover."""
        rest = nodeid.split("::", 1)[1] if "::" in nodeid else ""
        claims = self.catalog.node_claims(info[5], rest) if info[5] else ()
        return claims, TestPatterns.of_test(info[6], rest)

    def _shape(
        self,
        test: pytest.Item,
        nodeid: str,
        info: ParentInfo,
        named: tuple[tuple[Claim, ...], tuple[str, ...]] | None = None,
    ) -> ShapeRow | None:
        """What the pytest ``test`` (of node id ``nodeid``) is evidence for (its module's one shared row),
        or None when unclassified. ``info``: its parent's (:meth:`_parent_info`); ``named``: what node
        id patterns give it (:meth:`_named`).
        """
        node_claims, node_categories = named or ((), ())
        path_claims = info[1] + node_claims if node_claims else info[1]
        own = [m for m in test.own_markers if m.name in self._levels and id(m) not in self._added]
        claims = own + info[2] if own else info[2]
        if not claims and not path_claims:
            return None
        resolved = self._resolve(claims, path_claims, nodeid, info, node_claims)
        if isinstance(resolved, str):
            return self._intern(Shape((), (), (), resolved))
        try:
            categories = self._test_categories.of(test, info, info[4] + node_categories)
        except ClassificationError as exc:
            return self._intern(Shape((), (), (), str(exc)))
        return self._intern(Shape(*resolved, categories, None))

    def _intern(self, shape: Shape) -> ShapeRow:
        """The one shared row of ``shape``, with its JUnit properties computed once (only when JUnit XML is written)."""
        row = (shape.item_ids, shape.item_names, shape.categories, shape.error)
        known = self._shapes.get(row)
        if known is None:
            properties = self._properties(shape) if self._with_properties else _NO_PROPERTIES
            known = self._shapes[row] = (row, properties)
        return known[0]

    def _glob_path(self, nodeid: str) -> str:
        """The file of ``nodeid`` as ``tests`` globs see it: relative to the pyproject.toml's folder, and in
        its one spelling (NFC; a file system may store ``test_café.py`` decomposed, as macOS's HFS+ does)."""
        return one_spelling(self._prefix + nodeid.split("::")[0])

    def _parent_info(self, parent: Any) -> ParentInfo:
        info = self._parents.get(parent)
        if info is None:
            origin = parent.nodeid.split("::")[0]
            # Closest node first, as iter_markers yields them.
            chain = [m for node in reversed(parent.listchain()) for m in node.own_markers]
            marks = [m for m in chain if m.name in self._levels and id(m) not in self._added]
            path = self._glob_path(origin)
            path_claims = self.catalog.path_claims(path)
            node_claims = self.catalog.node_globs(path) if self.catalog.has_node_globs else ()
            categories, node_categories = self._category_tests.of_file(path) if self._category_tests else ((), ())
            names = frozenset(m.name for m in chain)
            stem = parent.path.stem
            info = (origin, path_claims, marks, names, categories, node_claims, node_categories, stem)
            self._parents[parent] = info
        return info

    def _resolve(
        self,
        claims: list[pytest.Mark],
        path_claims: tuple[Claim, ...],
        nodeid: str,
        info: ParentInfo,
        node_claims: tuple[Claim, ...] = (),
    ) -> tuple[tuple[str, ...], tuple[str, ...]] | str:
        """The ids and names of the items the markers of test ``nodeid`` name, or the error message;
        cached per file and set of markers (and of node id patterns' claims: the file's own go with it)."""
        origin = info[0]
        key = (origin, node_claims, *map(id, claims))
        cached = self._resolved.get(key)
        if cached is not None:
            return cached[1]
        try:
            parsed = [self._claim_of(m, info[7]) for m in claims]
            parsed += path_claims
            result: tuple[tuple[str, ...], tuple[str, ...]] | str
            if len(parsed) == 1:  # most tests: one marker, or one glob (which cannot disagree with itself)
                item = self.catalog.resolve(parsed[0], origin, nodeid)
                result = ((item.id,), (item.name,))
            else:
                check_one_level_per_item(parsed)
                items = {i.id: i for i in (self.catalog.resolve(c, origin, nodeid) for c in parsed)}
                result = (tuple(items), tuple(i.name for i in items.values()))
        except ClassificationError as exc:
            result = str(exc)
        # Keep the marks referenced so their ids cannot be reused by other objects.
        self._resolved[key] = (claims, result)
        return result

    def _claim_of(self, mark: pytest.Mark, module_stem: str) -> Claim:
        alias = self._aliases.get(mark.name)
        if alias is not None:
            return parse_alias(alias, mark.args, mark.kwargs, module_stem, mark.name)
        return parse_marker(LEVEL_MARKERS[mark.name], mark.args, mark.kwargs, module_stem)

    def _properties(self, shape: Shape) -> list[tuple[str, str]]:
        """JUnit XML properties, so that tools reading JUnit can group tests by level."""
        props = []
        for item in filter(None, map(self.catalog.get, shape.item_ids)):
            props += [(ITEM_PROPERTY, item.id), ("neuron_level", item.level), ("neuron_kind", item.kind)]
        return [*props, ("neuron_categories", ",".join(shape.categories))] if props else []
