"""The command line: output, the JSON contract, exit codes, and one-line errors with file:line."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from negosim.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "scenarios" / "ceasefire_2025.yaml")

GOOD_2X2 = """\
negosim: 1
id: pd
title: Prisoner's dilemma
players: [{id: A}, {id: B}]
parameters:
  T: {value: 5, range: [0, 10], description: temptation}
  R: {value: 3, range: [0, 10], description: reward}
game:
  form: normal
  actions:
    A: [cooperate, defect]
    B: [cooperate, defect]
  payoffs:
    cooperate: {cooperate: [R, R], defect: [0, T]}
    defect: {cooperate: [T, 0], defect: [1, 1]}
"""

GOOD_TREE = """\
negosim: 1
id: entry
title: Entry with a chance move
players: [{id: E}, {id: I}]
parameters:
  q: {value: 0.5, range: [0, 1], description: chance the market is big}
game:
  form: extensive
  root: entrant
  nodes:
    entrant:
      player: E
      actions: {stay_out: out, enter: market}
    market:
      chance:
        big: {prob: q, next: incumbent}
        small: {prob: 1 - q, next: fought}
    incumbent:
      player: I
      actions: {fight: fought, accommodate: shared}
  outcomes:
    out: {payoffs: {E: 0, I: 2}}
    fought: {payoffs: {E: -1, I: -1}}
    shared: {payoffs: {E: 1, I: 1}}
"""


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def line_of(text, fragment):
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_solve_seed_prints_the_truce_and_its_terms(capsys):
    code, out, err = run(["solve", SEED], capsys)
    assert code == 0, err
    assert "truce_aid" in out
    assert "UA accept -> RU accept" in out
    assert "0.3275" in out and "0.545" in out
    assert "RU at ru: accept = counter" in out  # the tie is shown, not hidden


def test_solve_json_has_exactly_the_contract_shape(capsys):
    code, out, _ = run(["solve", SEED, "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == ["negosim_version", "source", "players", "parameters", "solutions", "warnings"]
    assert doc["source"]["sha256"] == hashlib.sha256(Path(SEED).read_bytes()).hexdigest()
    assert doc["players"] == ["US", "UA", "RU"]
    assert doc["parameters"]["p"] == 0.6 and len(doc["parameters"]) == 16
    assert [s["concept"] for s in doc["solutions"]] == ["spe", "nash"]
    spe = doc["solutions"][0]
    assert set(spe) == {"concept", "complete", "degenerate", "equilibria"}
    (eq,) = spe["equilibria"]
    assert eq["path"] == ["UA:accept", "RU:accept"]
    assert eq["outcome"] == "truce_aid"
    assert eq["payoffs"] == {"US": 0.3275, "UA": 0.355, "RU": 0.545}
    assert eq["behavior"]["RU"]["ru"] == {"accept": 1.0, "reject": 0.0, "counter": 0.0}
    # Russia's indifference between accepting and a counter the US would refuse is a tie.
    assert spe["degenerate"] is True and spe["complete"] is False
    assert any("tie" in w and "counter" in w for w in doc["warnings"])
    nash = doc["solutions"][1]
    assert nash["complete"] is False  # a 12 x 2 x 4 form, too large to enumerate: pure ones and one traced
    assert any("one more traced from the logit QRE branch" in w for w in doc["warnings"])
    for e in nash["equilibria"]:
        assert set(e) == {"strategies", "payoffs"}
        for probs in e["strategies"].values():
            assert sum(probs.values()) == pytest.approx(1.0)


def test_set_changes_the_outcome_and_is_reported(capsys):
    code, out, _ = run(["solve", SEED, "--set", "mu=0.15", "--json", "--concept", "spe"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["parameters"]["mu"] == 0.15
    (eq,) = doc["solutions"][0]["equilibria"]
    # Momentum outweighs the credible sanction (mu + Delta > beta*(cR + cU) + s), yet war is worth
    # less to Russia than a truce on today's terms: it counters, and the US grants the aid freeze.
    assert eq["outcome"] == "truce_frozen"
    assert eq["path"] == ["UA:accept", "RU:counter", "US:grant"]


@pytest.mark.parametrize(
    "argv, code, fragment",
    [
        (["solve", SEED, "--set", "mu=2"], 3, "range"),
        (["solve", SEED, "--set", "muu=0.1"], 3, "did you mean 'mu'"),
        (["solve", SEED, "--set", "mu"], 2, "NAME=VALUE"),
        (["solve", SEED, "--concept", "bogus"], 2, "unknown concept"),
        (["solve", SEED, "--rtol", "0"], 2, "--rtol must lie between 0 and 1"),
        (["solve", str(ROOT / "no_such_file.yaml")], 3, "no such file"),
        (["convert", SEED, "-o", "out.txt"], 2, "cannot tell the format"),
        (["frobnicate"], 2, "invalid choice"),
    ],
)
def test_user_errors_are_one_line_with_the_right_exit_code(argv, code, fragment, capsys):
    got, out, err = run(argv, capsys)
    assert got == code
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert fragment in lines[0]


def test_out_of_range_override_names_the_parameter_line(capsys):
    _, _, err = run(["solve", SEED, "--set", "mu=2"], capsys)
    line = line_of(Path(SEED).read_text(), "  mu:")
    assert err.startswith(f"{SEED}:{line}:") or err.startswith(f"{SEED}:{line + 1}:")


BAD = [
    ("malformed YAML", GOOD_2X2.replace("[R, R]", "[R, R"), "[R, R", "yaml"),
    ("duplicate key", GOOD_2X2.replace("  R: {value: 3", "  T: {value: 3"), "  T: {value: 3", "duplicate"),
    ("unknown parameter", GOOD_2X2.replace("[0, T]", "[0, Tx]"), "[0, Tx]", "Tx"),
    ("attribute access", GOOD_2X2.replace("[0, T]", "[0, T.real]"), "T.real", "attribute"),
    ("function call", GOOD_2X2.replace("[0, T]", "['0', open(T)]"), "open(T)", "open"),
    ("power tower", GOOD_2X2.replace("[0, T]", "[0, 9**9**9]"), "9**9**9", "exponent"),
    ("value out of range", GOOD_2X2.replace("value: 5", "value: 50"), "value: 50", "range"),
    ("chance not summing to 1", GOOD_TREE.replace("1 - q", "0.9 - q"), "chance:", "sum"),
    ("dangling node", GOOD_TREE.replace("fight: fought", "fight: nowhere"), "fight: nowhere", "nowhere"),
    ("cycle", GOOD_TREE.replace("fight: fought", "fight: entrant"), "fight: entrant", "cycle"),
]


@pytest.mark.parametrize("what, text, marker, fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_scenarios_exit_3_with_file_line_and_no_traceback(what, text, marker, fragment, tmp_path, capsys):
    path = write(tmp_path, text)
    code, out, err = run(["solve", path], capsys)
    assert code == 3, err
    assert "Traceback" not in err
    first = err.strip().splitlines()[0]
    assert first.startswith(f"{path}:"), first
    lines = {int(line.split(":")[1]) for line in err.strip().splitlines() if line.split(":")[1].isdigit()}
    marker_line = line_of(text, marker)
    assert lines & {marker_line - 1, marker_line, marker_line + 1}, (err, marker_line)
    assert fragment.lower() in err.lower()
    assert main(["validate", path]) == 3


def test_validate_reports_ok_for_every_shipped_scenario(capsys):
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    code, out, err = run(["validate", *files], capsys)
    assert code == 0, err
    assert out.count("ok: ") == len(files) >= 10


def test_solve_a_gambit_nfg_keeps_the_file_labels(tmp_path, capsys):
    nfg = tmp_path / "inspect.nfg"
    nfg.write_text(
        'NFG 1 R "Inspection" { "Inspector" "State" }\n'
        '{ { "Here" "There" } { "Cheat here" "Cheat there" "Comply" } }\n""\n\n'
        "2 0  0 2  0 2  2 0  1 1  1 1\n"
    )
    code, out, err = run(["solve", str(nfg), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["players"] == ["Inspector", "State"]
    nash = next(s for s in doc["solutions"] if s["concept"] == "nash")
    for eq in nash["equilibria"]:
        assert set(eq["strategies"]["State"]) == {"Cheat here", "Cheat there", "Comply"}
    assert main(["solve", str(nfg), "--set", "x=1"]) == 2


def test_garbled_gambit_file_exits_3_with_its_line(tmp_path, capsys):
    nfg = tmp_path / "bad.nfg"
    nfg.write_text('NFG 1 R "t" { "A" "B" } { 2 2 }\n\n1 1 0 0\n0 0 1\n')
    code, _, err = run(["solve", str(nfg)], capsys)
    assert code == 3
    assert err.startswith(f"{nfg}:")
    assert len(err.strip().splitlines()) == 1


def test_convert_writes_files_gambit_reads_with_the_same_equilibria(tmp_path, capsys):
    pygambit = pytest.importorskip("pygambit")
    efg, nfg = tmp_path / "c.efg", tmp_path / "c.nfg"
    assert run(["convert", SEED, "-o", str(efg)], capsys)[0] == 0
    assert run(["convert", SEED, "-o", str(nfg)], capsys)[0] == 0
    g = pygambit.read_efg(str(efg))
    assert len(g.players) == 3
    assert len([n for n in g.nodes if n.is_terminal]) == 9
    # Pure Nash equilibria of Gambit's strategic form of our tree, and of our .nfg, agree with ours.
    ours = json.loads(run(["solve", SEED, "--json", "--concept", "nash"], capsys)[1])
    pure = [e for e in ours["solutions"][0]["equilibria"]  # next to them a mixed one traced from the logit QRE
            if all(max(probs.values()) == 1.0 for probs in e["strategies"].values())]
    assert len(pure) < len(ours["solutions"][0]["equilibria"])
    our_payoffs = sorted(tuple(round(e["payoffs"][p], 9) for p in ("US", "UA", "RU")) for e in pure)
    for game in (g, pygambit.read_nfg(str(nfg))):
        result = pygambit.nash.enumpure_solve(game)
        theirs = sorted(tuple(round(float(eq.payoff(pl)), 9) for pl in game.players) for eq in result.equilibria)
        assert theirs == our_payoffs


def test_convert_a_normal_form_scenario_to_efg_round_trips(tmp_path, capsys):
    src = write(tmp_path, GOOD_2X2)
    efg = tmp_path / "pd.efg"
    assert run(["convert", src, "-o", str(efg)], capsys)[0] == 0
    code, out, err = run(["solve", str(efg), "--json", "--concept", "nash"], capsys)
    assert code == 0, err
    (eq,) = json.loads(out)["solutions"][0]["equilibria"]
    assert eq["payoffs"] == {"A": 1.0, "B": 1.0}


def test_schema_is_json_that_accepts_the_shipped_scenarios(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    code, out, _ = run(["schema"], capsys)
    assert code == 0
    schema = json.loads(out)
    for path in (ROOT / "scenarios").glob("*.yaml"):
        doc = json.loads(json.dumps(YAML(typ="safe").load(path.read_text())))
        jsonschema.validate(doc, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"negosim": 1, "id": "x"}, schema)


def test_strict_turns_a_tie_into_exit_4(capsys):
    assert run(["solve", SEED, "--strict", "--concept", "spe"], capsys)[0] == 4
    assert run(["solve", SEED, "--strict", "--concept", "spe", "--set", "mu=0.15"], capsys)[0] == 0


def test_entry_point_runs_as_a_module_without_traceback(tmp_path):
    good = subprocess.run([sys.executable, "-m", "negosim", "solve", SEED, "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert good.returncode == 0
    assert json.loads(good.stdout)["solutions"][0]["equilibria"][0]["outcome"] == "truce_aid"
    bad = subprocess.run([sys.executable, "-m", "negosim", "solve", write(tmp_path, "negosim: [1\n")],
                         capture_output=True, text=True)
    assert bad.returncode == 3
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_cli_import_stays_light():
    code = "import sys, negosim.cli; print(' '.join(m for m in ('matplotlib', 'scipy', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split()
    assert "matplotlib" not in out and "scipy" not in out and "numpy" not in out


def test_batched_solve_equals_point_by_point():
    """100 points solved as one batch give the same SPE as each point solved alone."""
    from negosim.scenario import load_scenario
    from negosim.solve.spe import subgame_perfect

    sc = load_scenario(SEED)
    mu = np.linspace(0, 0.3, 100)
    batch = subgame_perfect(sc.build({"mu": mu}))
    for i in range(0, 100, 9):
        one = subgame_perfect(sc.build({"mu": mu[i]}))
        assert np.array_equal(one.outcome_probs[0], batch.outcome_probs[i])
        assert np.allclose(one.payoffs[0], batch.payoffs[i])


def test_sweep_finds_the_momentum_boundaries_at_their_closed_forms(tmp_path, capsys):
    out = tmp_path / "sweep"
    code, stdout, err = run(["sweep", SEED, "--sweep", "momentum", "-o", str(out), "--quiet"], capsys)
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["points"] == 121
    # beta*(cR + cU) + s - Delta and beta*(cR + cU) + s at the baseline
    values = [b["value"] for b in summary["boundaries"]]
    assert values == pytest.approx([0.5 * 0.25 + 0.06 - 0.08, 0.5 * 0.25 + 0.06], abs=2e-9)
    assert [(b["below"], b["above"]) for b in summary["boundaries"]] == [
        ("truce_aid", "truce_frozen"), ("truce_frozen", "war_sanctions")]
    assert "boundary: mu = 0.105" in stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["sha256"] == hashlib.sha256(Path(SEED).read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--sweep", "nope"], "no sweep named 'nope'"),
        (["--vary", "muu=0:0.1:5"], "did you mean 'mu'"),
        (["--vary", "mu=0:2:5"], "range"),
        ([], "either --sweep NAME or"),
    ],
)
def test_sweep_usage_errors_are_one_line(extra, fragment, tmp_path, capsys):
    code, _, err = run(["sweep", SEED, "-o", str(tmp_path / "o"), *extra], capsys)
    assert code in (2, 3)
    assert len(err.strip().splitlines()) == 1 and fragment in err
