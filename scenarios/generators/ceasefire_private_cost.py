"""Write scenarios/ceasefire_private_cost.yaml: the seed case with Russia's war cost private, as a tree.

DOMAIN.md section 7, extension 1: Russia's war cost cR is uniform on [0, cbar] and known to Russia
only; the US proposes terms x0 at once; Russia accepts or rejects; after a rejection the US imposes
sanctions or holds back. The continuum of types is discretised into `TYPES` equally likely costs
(the midpoints of equal slices of [0, cbar]), and the US chooses from a menu of offers, one a hair
(EPS) above each type's reservation value p + mu - sigma*s - c_i, so that type i and every costlier
type accept it. Run ``python scenarios/generators/ceasefire_private_cost.py`` after changing it;
tests/test_pbe.py checks that the shipped file is what this script writes.

The shipped file has 2 types, so that every command answers it today; ``--types 6 --out FILE``
writes a finer tree, which ``negosim solve FILE --concept pbe`` solves in about a second, while the
default concepts, which go through the reduced normal form (2^36 strategies for Russia), do not.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

TYPES = 2
EPS = 0.001
QUESTIONS = (
    ("Which offer does the US make, and which of Russia's types reject it? How does the answer change with cbar?",
     "With two types, at the values given (and anywhere in cbar's range) the US makes offer 1, a hair above "
     "the low-cost type's value of fighting on, and both types accept: no war. The cheaper offer 2 would be "
     "rejected by the low-cost type half the time, and the war that follows costs the US more than the "
     "concession it saves; the saving grows with cbar (the types lie further apart), and offer 2 would pay "
     "only for cbar above about 1.76, outside the range."),
    ("After a rejection, what does the US believe about Russia's war cost, and why does that not change its "
     "sanctions decision here?",
     "That Russia is one of the types that reject that offer, each as likely as before (off the path, after "
     "an offer both accept, any belief sustains the equilibrium). The sanctions decision compares what "
     "imposing costs the US (k) with what holding back costs it (aS): neither depends on Russia's war cost, "
     "so the belief does not matter for it; the US imposes when k is at most aS."),
    ("Credible sanctions buy the US half their value as a lower risk of war and half as better terms. "
     "Check it by setting aS below k.",
     "With aS below k the threat is not credible and Russia's share of the accepted offer rises from 0.441 "
     "to 0.501: with two types both accept either way, so here the whole value s = 0.06 goes to the terms and "
     "none to the risk of war. The half-and-half split holds for a continuum of types (negosim.bargain."
     "ceasefire_private_cost shows 0.03 and 0.03); a coarse grid of types can put it all on one side."),
)
TARGET = Path(__file__).resolve().parents[1] / "ceasefire_private_cost.yaml"

HEAD = """\
# Written by scenarios/generators/ceasefire_private_cost.py; edit that script, not this file.
negosim: 1
id: ceasefire-private-cost
title: Ceasefire terms when Russia's war cost is private (the seed case, extension 1)
description: >-
  The US proposes the terms x0 of a settlement at once; Russia, which alone knows its cost of
  continuing the war (cR, here one of {n} equally likely values spread over [0, cbar]), accepts
  or rejects; after a rejection the US imposes sanctions (damage s to Russia, cost k to the US) or
  holds back (and pays aS for a threat not carried out). Russia accepts when the terms are at least
  what fighting on is worth to it: its leverage $p + mu$ less its cost cR and, when the sanctions
  threat is credible ($k <= aS$), less s. The US offers from a menu, each offer a hair above one
  type's value of fighting on. Its best offer trades the chance of war against the terms; with a
  continuum of types the probability of war is
  $1/2 - (B + g + k) / (2 * omega * cbar) - s / (2 * cbar)$ with credible sanctions (kept between 0
  and 1), which a finer grid of types approaches. After a rejection the US believes Russia is one
  of the types that reject, each as likely as before.
brief: >-
  The US proposes the terms of a settlement to Russia at once, as a share of the stake (everything
  the two sides fight over, counted as 1). Only Russia knows how costly it finds continuing the war:
  its cost is one of {n} equally likely values between 0 and cbar, and the US knows only that. Russia
  accepts the terms or fights on; if it fights on, the US imposes the sanctions it threatened (which
  hurt Russia by s and cost the US k) or holds back (and loses face, aS). The numbers are
  illustrative, chosen for teaching.
sources:
  - key: fearon1995
    cite: "Fearon, J. D. (1995). Rationalist Explanations for War. International Organization 49(3), 379-414."
  - key: model
    cite: >-
      negosim's three-party ceasefire model with Russia's war cost private; values are illustrative,
      chosen for teaching, not estimates.

players:
  - id: US
    name: United States
    description: Proposes the terms, without knowing Russia's war cost; then imposes sanctions or holds back.
  - id: RU
    name: Russia
    description: Knows its war cost; accepts the terms or fights on.

parameters:
  p:
    value: 0.6
    range: [0, 1]
    unit: probability
    description: Russia's leverage with US aid flowing.
    source: model
  mu:
    value: 0.05
    range: [0, 0.3]
    unit: leverage
    description: Leverage Russia gains if fighting continues.
    source: model
  cbar:
    value: 0.6
    range: [0.01, 1]
    unit: payoff
    description: Largest possible war cost of Russia (cR is spread over [0, cbar]).
    source: model
  s:
    value: 0.06
    range: [0, 0.3]
    unit: payoff
    description: Sanctions' damage to Russia.
    source: model
  k:
    value: 0.03
    range: [0, 0.3]
    unit: payoff
    description: Sanctions' cost to the US.
    source: model
  aS:
    value: 0.05
    range: [0, 0.3]
    unit: payoff
    description: US cost of not carrying out the sanctions threat.
    source: model
  g:
    value: 0.06
    range: [0, 0.3]
    unit: payoff
    description: US cost of continuing aid in a war.
    source: model
  omega:
    value: 0.5
    range: [0.01, 1]
    unit: weight
    description: US weight on Ukraine's share.
    source: model
  B:
    value: 0.1
    range: [0, 0.5]
    unit: payoff
    description: US value of a ceasefire.
    source: model

derived:
  sigma: 1 if k <= aS else 0
"""


def scenario_text(types: int = TYPES, eps: float = EPS) -> str:
    """The YAML text of the scenario with `types` cost types."""
    lines = [HEAD.format(n=types)]
    for i in range(1, types + 1):
        lines.append(f"  c{i}: cbar * {2 * i - 1} / {2 * types}")
    for j in range(1, types + 1):
        lines.append(f"  x{j}: p + mu - sigma * s - c{j} + {eps}")
    lines += ["", "game:", "  form: extensive", "  root: nature", "  nodes:", "    nature:",
              "      label: Nature draws Russia's war cost", "      chance:"]
    for i in range(1, types + 1):
        lines.append(f"        cost{i}: {{prob: 1 / {types}, next: us_cost{i}}}")
    offers = ", ".join(f"offer{j}: ru_cost{{i}}_offer{j}" for j in range(1, types + 1))
    for i in range(1, types + 1):
        lines += [f"    us_cost{i}:", "      player: US", "      infoset: us_offer",
                  *(["      label: The US proposes terms"] if i == 1 else []),
                  f"      actions: {{{offers.format(i=i)}}}"]
    for i in range(1, types + 1):
        for j in range(1, types + 1):
            lines += [f"    ru_cost{i}_offer{j}:", "      player: RU",
                      f"      actions: {{accept: deal{j}, reject: us_cost{i}_offer{j}_rejected}}",
                      f"    us_cost{i}_offer{j}_rejected:", "      player: US", f"      infoset: us_rejected{j}",
                      f"      actions: {{impose: war_sanctions{i}, hold: war_held{i}}}"]
    lines.append("  outcomes:")
    for j in range(1, types + 1):
        lines.append(f"    deal{j}: {{label: Russia accepts offer {j}, "
                     f"payoffs: {{US: B + omega * (1 - x{j}), RU: x{j}}}}}")
    for i in range(1, types + 1):
        lines.append(f"    war_sanctions{i}: {{label: War with sanctions (cost type {i}), "
                     f"payoffs: {{US: omega * (1 - p - mu) - g - k, RU: p + mu - c{i} - s}}}}")
        lines.append(f"    war_held{i}: {{label: War without sanctions (cost type {i}), "
                     f"payoffs: {{US: omega * (1 - p - mu) - g - aS, RU: p + mu - c{i}}}}}")
    lines += ["", "questions:"]
    for ask, answer in QUESTIONS:
        lines += [f"  - ask: {ask}", "    answer: >-", *("      " + line for line in textwrap.wrap(answer, 100))]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--types", type=int, default=TYPES, help=f"number of cost types (default {TYPES})")
    parser.add_argument("--out", type=Path, default=TARGET, help="where to write (default: the shipped scenario)")
    args = parser.parse_args(argv)
    args.out.write_text(scenario_text(args.types))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
