"""Regenerate the classroom handouts in docs/classroom/handouts/ from the shipped scenarios.

    python experiments/make_handouts.py            # write every handout (answers and worksheet)
    python experiments/make_handouts.py --check    # exit 1 if a committed handout is out of date

Each lesson gets `<scenario>.html` (with answers) and `<scenario>_worksheet.html` (no answers).
The output is deterministic, so an unchanged scenario gives an unchanged file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path("docs/classroom/handouts")

#: The scenarios the classroom pack's lessons use, in lesson order; then the repeated truce and the
#: bargaining-and-war models (docs/repeated-truce.md, docs/bargaining.md, docs/war-and-commitment.md).
SCENARIOS = (
    "scenarios/ceasefire_2025.yaml",
    "scenarios/sanctions_threat.yaml",
    "scenarios/chicken.yaml",
    "scenarios/ceasefire_pd.yaml",
    "scenarios/three_player.yaml",
    "scenarios/ceasefire_vote.yaml",
    "scenarios/aumann_chicken.yaml",
    "scenarios/sanctions_uncertain.yaml",
    "scenarios/beer_quiche.yaml",
    "scenarios/ceasefire_truce_repeated.yaml",
    "scenarios/fearon_risk_return.yaml",
    "scenarios/rubinstein_war.yaml",
    "scenarios/nash_bargaining_war.yaml",
    "scenarios/powell_commitment.yaml",
    "scenarios/ceasefire_bargaining.yaml",
)


def render(scenario: str, *, answers: bool, command: str) -> str:
    """The handout (or worksheet) of `scenario` as `negosim report` writes it: a bargaining scenario names a
    model instead of a game, so it has its own page (`negosim.present.report.bargain`)."""
    from negosim.cli_bargain import bargaining_scenario

    bargaining = bargaining_scenario(scenario)
    if bargaining is not None:
        from negosim.present.report.bargain import render_bargaining_report

        return render_bargaining_report(bargaining, answers=answers, command=command)
    from negosim.api import open_source
    from negosim.present.report import render_report

    return render_report(open_source(scenario), answers=answers, command=command)


def handouts() -> dict[Path, str]:
    """Return {output path (relative to the repository): HTML} for every lesson's two handouts."""
    out = {}
    for scenario in SCENARIOS:
        stem = Path(scenario).stem
        for answers, name in ((True, f"{stem}.html"), (False, f"{stem}_worksheet.html")):
            target = OUT / name
            command = f"negosim report {scenario} -o {target}" + ("" if answers else " --no-answers")
            out[target] = render(scenario, answers=answers, command=command)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale handouts instead of writing them")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # scenario paths in the handouts' footers are relative to the repository
    stale = []
    for path, html in handouts().items():
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != html:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        print(f"wrote {path} ({len(html) // 1024} KiB)")
    for path in stale:
        print(f"out of date: {path} (run python experiments/make_handouts.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
