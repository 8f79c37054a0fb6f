"""Every public name of the package documents itself in numpydoc form, with examples that run.

Public names: the front door (``negosim.__all__``) and the names in ``__all__`` of every module of the
package. A public function needs a ``Parameters`` section when it takes parameters, a ``Returns`` (or
``Yields``) section when it returns something, and an ``Examples`` section with at least one ``>>>``
line; a public class needs ``Examples`` and, when its constructor takes parameters, ``Parameters`` (or
``Attributes`` for a dataclass whose fields are its parameters). No public example is skipped. The
examples themselves run in CI (``.ci/run``: ``pytest --doctest-modules negosim``).

Names documented before this test existed are held to it; the rest are listed in ``DEBT`` below, a list
that may only shrink: the test fails when a listed name becomes complete (remove it from the list) or
no longer exists, so the debt cannot grow back unnoticed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator

import pytest

import negosim

SKIPPED = re.compile(r"#\s*doctest:.*\+SKIP")


def _section(doc: str, *titles: str) -> bool:
    return any(re.search(rf"^{title}\n-{{{len(title)}}}\s*$", doc, re.MULTILINE) for title in titles)


def _modules() -> Iterator[str]:
    yield "negosim"
    for info in pkgutil.walk_packages(negosim.__path__, "negosim."):
        if not info.name.endswith("__main__"):  # running it is running the CLI
            yield info.name


def _import(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:  # an optional extra (classroom, sensitivity) is not installed
        if exc.name and not exc.name.startswith("negosim"):
            return None
        raise


def public_names() -> dict[str, object]:
    """Qualified name (where it is defined) -> object, for every public function and class."""
    found: dict[str, object] = {}
    for module_name in _modules():
        module = _import(module_name)
        if module is None:
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return found


def _has_parameters(obj: Callable) -> bool:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in signature.parameters.values())


def _returns_value(func: Callable) -> bool:
    annotation = inspect.signature(func).return_annotation
    return annotation not in (inspect.Signature.empty, None, "None", "NoReturn", "Never")


def missing_sections(obj: object) -> list[str]:
    """The numpydoc sections `obj`'s docstring lacks (empty: complete)."""
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj) and obj.__doc__ is None:
        doc = ""  # a class without its own docstring (getdoc would give its base class's)
    missing = []
    if inspect.isfunction(obj):
        if _has_parameters(obj) and not _section(doc, "Parameters"):
            missing.append("Parameters")
        if _returns_value(obj) and not _section(doc, "Returns", "Yields"):
            missing.append("Returns")
    elif _has_parameters(obj) and not issubclass(obj, BaseException) and not _section(doc, "Parameters",
                                                                                        "Attributes"):
        missing.append("Parameters")
    examples = doc.split("Examples\n--------", 1)
    if len(examples) < 2 or ">>>" not in examples[1]:
        missing.append("Examples")
    if SKIPPED.search(doc):
        missing.append("no skipped examples")
    return missing


PUBLIC = public_names()

# Public names still without complete numpydoc docstrings: those of the first pass, and the public names of
# the modules that landed with it from other branches (session 4's merge). Only shrinks.
DEBT = frozenset("""
negosim.bargain.grim.GrimTrigger
negosim.bargain.simulate.Simulation
negosim.bargain.strategies.Automaton
negosim.bargain.strategies.check_monitoring
negosim.bargain.strategies.strategy
negosim.classroom.explore.explore_info
negosim.classroom.explore.explore_map
negosim.classroom.explore.explore_point
negosim.classroom.explore.explore_routes
negosim.classroom.explore.source_at
negosim.classroom.guard.RateLimit
negosim.classroom.guard.same_token
negosim.classroom.guard.sign
negosim.classroom.guard.unsign
negosim.classroom.missing_requirements
negosim.classroom.qr.qr_matrix
negosim.classroom.qr.qr_svg
negosim.classroom.qr.qr_terminal
negosim.classroom.rules.Decision
negosim.classroom.rules.Move
negosim.classroom.rules.MoveError
negosim.classroom.rules.Pending
negosim.classroom.rules.Prediction
negosim.classroom.rules.Rules
negosim.classroom.rules.rules_for
negosim.classroom.server.addresses
negosim.classroom.server.lan_address
negosim.classroom.server.serve
negosim.classroom.server.serve_explorer
negosim.classroom.session.Classroom
negosim.classroom.session.Group
negosim.classroom.session.Refusal
negosim.classroom.session.Scenario
negosim.classroom.store.Store
negosim.classroom.views.export_csv
negosim.classroom.views.export_json
negosim.classroom.views.export_rows
negosim.classroom.views.student_view
negosim.classroom.views.teacher_view
negosim.classroom.web.create_app
negosim.classroom.web.create_explorer_app
negosim.classroom.web.static
negosim.cli_bargain.bargaining_scenario
negosim.cli_bargain.refuse_game_options
negosim.cli_bargain.validate_line
negosim.solve.exact_batch.BatchVertices
negosim.solve.exact_batch.MatrixTable
negosim.solve.exact_batch.certainly_mixed
negosim.solve.exact_batch.integer_vertices
negosim.solve.exact_batch.proven_singular
negosim.solve.hull.Outcome
negosim.solve.hull.hull_equilibria
negosim.solve.hull.one_game
negosim.solve.hull.proposals
negosim.solve.lean.lean_solution
negosim.solve.lemke.LemkeFailure
negosim.solve.lemke.complementary_path
negosim.solve.lemke.lemke
negosim.solve.lemke_howson.lemke_howson
negosim.solve.mixed.nplayer_nash
negosim.solve.pbe.perfect_bayesian
negosim.solve.pbe.point_game
negosim.solve.pbe.prune
negosim.solve.pbe_check.action_values
negosim.solve.pbe_check.bayes_beliefs
negosim.solve.pbe_check.belief_set_text
negosim.solve.pbe_check.node_reach
negosim.solve.pbe_check.node_values
negosim.solve.pbe_check.sequential_regrets
negosim.solve.pbe_check.supporting_beliefs
negosim.solve.pbe_check.tied_actions
negosim.solve.pbe_check.verify_pbe
negosim.solve.policy.Plan
negosim.solve.policy.Skip
negosim.solve.policy.TooLargeError
negosim.solve.policy.TreeSizes
negosim.solve.policy.enumeration_fits
negosim.solve.policy.nash_method
negosim.solve.policy.normal_form_fits
negosim.solve.policy.nplayer_nash_method
negosim.solve.policy.pbe_fits
negosim.solve.policy.plan
negosim.solve.policy.pure_fits
negosim.solve.policy.refusal
negosim.solve.policy.tree_sizes
negosim.solve.qre_ce.ce_fits
negosim.solve.qre_ce.correlated_solution
negosim.solve.qre_ce.refusal
negosim.solve.qre_ce.solve_concept
negosim.solve.rational.exact_nash
negosim.solve.rational.exact_pure_nash
negosim.solve.rational_nplayer.confirm_profile
negosim.solve.seqenum.ExtremeEquilibria
negosim.solve.seqenum.all_extreme_nash
negosim.solve.seqenum.extreme_equilibria
negosim.solve.seqenum.systems_needed
negosim.solve.seqform.SequenceForm
negosim.solve.seqform.behavior_from_plan
negosim.solve.seqform.is_constant_sum
negosim.solve.seqform.lemke_plans
negosim.solve.seqform.matrices
negosim.solve.seqform.sequence_form
negosim.solve.seqform.zero_sum_plans
negosim.solve.seqnash.SequenceFormResult
negosim.solve.seqnash.sequence_form_nash
negosim.solve.seqnash.solve_sequence_form
negosim.solve.small.two_by_two
negosim.solve.subgame_large.best_plan
negosim.solve.subgame_large.sequence_form_subgame
negosim.solve.subgame_large.two_player_tree
negosim.solve.support.support_enumeration
negosim.solve.vertex.is_degenerate
negosim.solve.vertex.vertex_enumeration
negosim.sweep.bargain_sweep.describe
negosim.sweep.bargain_sweep.header
negosim.sweep.bargain_sweep.is_bargaining
negosim.sweep.bargain_sweep.output_names
negosim.sweep.bargain_sweep.quantity_table
negosim.sweep.bargain_sweep.regime_labels
negosim.sweep.bargain_sweep.solve_chunk
negosim.sweep.chunks.ChunkPlace
negosim.sweep.chunks.chunk_paths
negosim.sweep.chunks.chunk_started
negosim.sweep.chunks.drop_joined_rows
negosim.sweep.chunks.existing_chunk_files
negosim.sweep.chunks.join_chunks
negosim.sweep.chunks.joined_offsets
negosim.sweep.chunks.read_labels
negosim.sweep.chunks.remove_chunk
negosim.sweep.chunks.stray_chunk_files
negosim.sweep.chunks.verify_chunk
negosim.sweep.chunks.write_chunk
negosim.sweep.concept_columns.check_concepts
negosim.sweep.concept_columns.column_names
negosim.sweep.concept_columns.point_columns
negosim.sweep.engine.PointOutputs
negosim.sweep.engine.grid_boundaries
negosim.sweep.engine.solve_chunk
negosim.sweep.executors.sweep_executor
negosim.sweep.identity.DamagedFolderError
negosim.sweep.identity.SweepIdentity
negosim.sweep.identity.canonical_json
negosim.sweep.identity.check_same
negosim.sweep.identity.differences
negosim.sweep.identity.make_identity
negosim.sweep.identity.read_record
negosim.sweep.identity.record
negosim.sweep.kinds.game_kind_labels
negosim.sweep.kinds.is_signalling
negosim.sweep.kinds.kind_labels
negosim.sweep.kinds.locate_kind_boundaries
negosim.sweep.kinds.read_point_kinds
negosim.sweep.kinds.sweep_kinds
negosim.sweep.lock.FolderLock
negosim.sweep.output.csv_lines
negosim.sweep.output.csv_text
negosim.sweep.output.file_digest
negosim.sweep.output.finished_files
negosim.sweep.output.float_text
negosim.sweep.output.int_text
negosim.sweep.output.label_codes
negosim.sweep.output.merge_labels
negosim.sweep.output.object_strings
negosim.sweep.output.read_point_codes
negosim.sweep.output.read_points
negosim.sweep.output.require_parquet
negosim.sweep.output.verified_path
negosim.sweep.output.write_json
negosim.sweep.output.write_parquet
negosim.sweep.output.write_points
negosim.sweep.sensitivity.Flip
negosim.sweep.sensitivity.IndicesResult
negosim.sweep.sensitivity.OatResult
negosim.sweep.sensitivity.morris
negosim.sweep.sensitivity.oat
negosim.sweep.sensitivity.sobol
""".split())


def test_the_public_api_is_found():
    assert "negosim.frontdoor.load" in PUBLIC
    assert "negosim.solve.result.Solution" in PUBLIC
    assert len(PUBLIC) > 150


@pytest.mark.parametrize("name", sorted(set(PUBLIC) - DEBT))
def test_public_name_has_numpydoc_sections(name):
    assert missing_sections(PUBLIC[name]) == [], f"{name}: its docstring lacks these sections"


def test_front_door_names_are_documented():
    for name in negosim.__all__:
        obj = getattr(negosim, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert f"{obj.__module__}.{obj.__qualname__}" not in DEBT, f"negosim.{name} is on the debt list"


@pytest.mark.parametrize("name", sorted(DEBT))
def test_debt_only_shrinks(name):
    assert name in PUBLIC, f"{name} is no longer public: remove it from DEBT"
    assert missing_sections(PUBLIC[name]) != [], f"{name} is now documented: remove it from DEBT"


def test_the_check_rejects_an_undocumented_function():
    def undocumented(x: int) -> int:
        """Twice `x`."""
        return 2 * x

    def documented(x: int) -> int:
        """Twice `x`.

        Parameters
        ----------
        x : int
            A number.

        Returns
        -------
        int
            ``2 * x``.

        Examples
        --------
        >>> documented(2)
        4
        """
        return 2 * x

    assert missing_sections(undocumented) == ["Parameters", "Returns", "Examples"]
    assert missing_sections(documented) == []
