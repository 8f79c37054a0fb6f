"""The regression corpus of issue 14: every input that once crashed, hung or misled negosim ends cleanly.

Each case runs `negosim validate` and `negosim solve` in this process (tests/fuzz/cliharness.py)
and checks the promises every input keeps (exit 0, 2, 3 or 4; a few stderr lines naming the file;
no traceback; no control characters; bounded time), then the outcome this input must have.
tests/data/regressions/README.md describes each file and the defect it stood for.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))

from cliharness import check_file, check_run, run_cli  # noqa: E402

from negosim.game import GameTree  # noqa: E402
from negosim.game.tree import Node, Outcome  # noqa: E402
from negosim.limits import MAX_GAMBIT_BYTES, MAX_SCENARIO_BYTES  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "data" / "regressions"

# file -> (exit code of validate, exit code of solve, what stderr says); None: either 0 or 3 (see below)
CASES = {
    "players_64.nfg": (3, 3, ":1: the game has 64 players; negosim solves games of at most 32"),
    "players_64.yaml": (3, 3, ":4: players: 64 players; negosim solves games of at most 32"),
    "integer_5000_digits.nfg": (3, 3, ":3: number 77777777777777777777... has 5,000 characters"),
    "integer_5000_digits.efg": (3, 3, ":3: number 77777777777777777777... has 5,000 characters"),
    "integer_5000_digits.yaml": (3, 3, ":6: number 77777777777777777777... has 5,000 characters"),
    "strategy_count_5000_digits.nfg": (3, 3, ":1: number 99999999999999999999... has 5,000 characters"),
    "nested_1200.yaml": (3, 3, ":13: the YAML is nested more than 50 levels deep"),
    "nested_mappings_1200.yaml": (3, 3, ":13: the YAML is nested more than 50 levels deep"),
    "exponent_1e99999999.nfg": (3, 3, ":5: number 1e99999999 is out of range"),
    "exponent_1e99999999.efg": (3, 3, ":3: number 1e99999999 is out of range"),
    "fraction_exponent_outcome.nfg": (3, 3, ":5: number 1e-99999999 is out of range"),
    "declared_5000x5000_short_body.nfg": (3, 3, ":1: a game of 5,000 x 5,000 strategies has 50,000,000 payoffs"),
    "declared_3000x3000_short_body.nfg": (3, 3, ":3: unexpected end of file: expected the payoff of player 'B' "
                                                "at profile (2, 1)"),
    "declared_100000000x1.nfg": (3, 3, ":1: the number of strategies of player 'A' is 100000000"),
    "key_forges_a_line.yaml": (3, 3, ":13: x\\nok: key_forges_a_line.yaml: scenario looks fine\\x1b[31m: unknown key"),
    "control_character.yaml": (3, 3, ":3: control character '\\x07' (U+0007) at column 20"),
    "control_character_escape.yaml": (3, 3, ":3: control character '\\x1b' (U+001B) at column 10"),
    "merge_key_top_level.yaml": (3, 3, ":1: merge keys (<<) are not supported"),
    "float_tag.yaml": (3, 3, ":6: YAML tags such as !!float are not allowed"),
    "fullwidth_name.yaml": (3, 3, ":12: game.payoffs.y.y[1]: in formula 'ｐ': the name 'ｐ' would be read as 'p'"),
    "forgetful.efg": (3, 3, ":6: information set 'A:2' breaks perfect recall"),
    "vertex_27x64.nfg": (0, None, ""),
    "chance_labels_repeat.efg": (0, 0, ":4: 2 actions of chance information set 1 are labelled '1/2'"),
    "strategies_labels_repeat.nfg": (0, 0, ":2: 2 strategies of player 'Player 1' are labelled '1'"),
}


def test_every_file_of_the_corpus_has_a_case():
    assert sorted(CASES) == sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".nfg", ".efg", ".yaml"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_corpus_input_ends_cleanly(name):
    path = CORPUS / name
    validate, solve = check_file(path)
    want_validate, want_solve, says = CASES[name]
    assert validate.code == want_validate, validate
    if want_solve is None:
        # Solving may answer, or refuse a method as too large: then it names the file and the concept.
        assert solve.code in (0, 3), solve
        if solve.code == 3:
            assert solve.stderr.startswith(f"{path}: nash: "), solve
    else:
        assert solve.code == want_solve, solve
    if says:
        assert f"{path}{says}" in validate.stderr, validate
    if want_validate == 3:
        assert len(validate.stderr.splitlines()) == 1, validate


def test_a_20000_node_game_tree_is_read_and_checked(tmp_path):
    # once over 10 s and 1.8 GB: the perfect-recall check copied each node's history (quadratic)
    lines = ['EFG 2 R "a chain" { "A" "B" }', '""']
    for i in range(10_000):
        lines.append(f'p "" {i % 2 + 1} {i // 2 + 1} "" {{ "stop" "go" }} 0')
        lines.append(f't "" {i + 1} "" {{ {i}, {-i} }}')
    lines.append(f't "" {10_001} "" {{ 0, 0 }}')
    path = tmp_path / "chain.efg"
    path.write_text("\n".join(lines) + "\n")
    (run,) = check_file(path, commands=("validate",))
    assert run.code == 0 and "2 players, extensive form" in run.stdout


def test_a_node_with_40000_actions_is_checked():
    # once quadratic: each child's action was found with list.index
    n = 40_000
    nodes = (Node("root", "decision", tuple(f"a{i}" for i in range(n)), tuple(range(1, n + 1)), player=0),
             *(Node(f"leaf{i}", "terminal", outcome=i) for i in range(n)))
    tree = GameTree(("A",), nodes, 0, tuple(Outcome(f"o{i}") for i in range(n)), [[float(i)] for i in range(n)], {})
    assert len(tree.nodes) == n + 1


def test_a_scenario_with_40000_actions_is_validated():
    # once 24 s: action names were checked for repeats against a list, and cells against a tuple
    from negosim.scenario.validate import scenario_from_document
    from negosim.scenario.yamlio import YamlDocument

    n = 40_000
    data = {"negosim": 1.0, "id": "wide", "title": "Wide", "players": [{"id": "A"}, {"id": "B"}],
            "game": {"form": "normal", "actions": {"A": [f"a{i}" for i in range(n)], "B": ["b"]},
                     "payoffs": {f"a{i}": {"b": "o"} for i in range(n)},
                     "outcomes": {"o": {"payoffs": {"A": 1.0, "B": 1.0}}}}}
    scenario = scenario_from_document(YamlDocument("wide.yaml", data, "0" * 64, {}))
    assert scenario.build().shape == (n, 1)


@pytest.mark.parametrize("suffix, limit", [(".yaml", MAX_SCENARIO_BYTES), (".nfg", MAX_GAMBIT_BYTES),
                                           (".efg", MAX_GAMBIT_BYTES)])
def test_a_file_over_the_size_limit_is_refused_naming_the_file(tmp_path, suffix, limit):
    path = tmp_path / f"huge{suffix}"
    with open(path, "wb") as handle:
        handle.truncate(limit + 1)  # sparse: nothing is written, and nothing must be read
    for command in ("validate", "solve"):
        run = run_cli(command, str(path))
        check_run(run, path)
        assert run.code == 3 and run.stderr.startswith(f"{path}: the file has ") and "at most" in run.stderr, run
