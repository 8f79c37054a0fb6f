"""Continuous bargaining models of war and peace, as pure batched functions.

Every argument may be a scalar or a numpy array; results broadcast like numpy arithmetic. The
stake is 1 and ``x`` is the challenger's (Russia's) share, as in ``DOMAIN.md``. Each function
documents its source, its closed form and where the closed form holds; the models without a
closed form (a general cost distribution, a curved frontier) are solved numerically with stated
tolerances and bounded work.

>>> from negosim.bargain import rubinstein, bargaining_range
>>> round(rubinstein(0.9, 0.9), 12)             # 1 / (1 + delta)
0.526315789474
>>> [float(v) for v in bargaining_range(0.6, 0.1, 0.15)]
[0.5, 0.75]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .alternating import attrition_hazard, delay_rounds, outside_options, rubinstein
    from .axiomatic import kalai_smorodinsky, nash_solution
    from .ceasefire import CeasefireOffer, ceasefire_private_cost
    from .fearon import RiskReturn, bargaining_range, risk_return, take_it_or_leave_it
    from .power import audience_cost_fight_probability, contest_success, powell_war
    from .repeated import grim_trigger_threshold

#: Where each public name lives. Modules are imported on first use (PEP 562): every scenario loader
#: imports this package (the bargaining models' table names its functions), and a game's sweep uses
#: none of them.
_HOME = {"attrition_hazard": ".alternating", "delay_rounds": ".alternating", "outside_options": ".alternating",
         "rubinstein": ".alternating", "kalai_smorodinsky": ".axiomatic", "nash_solution": ".axiomatic",
         "CeasefireOffer": ".ceasefire", "ceasefire_private_cost": ".ceasefire", "RiskReturn": ".fearon",
         "bargaining_range": ".fearon", "risk_return": ".fearon", "take_it_or_leave_it": ".fearon",
         "audience_cost_fight_probability": ".power", "contest_success": ".power", "powell_war": ".power",
         "grim_trigger_threshold": ".repeated"}

__all__ = [
    "CeasefireOffer",
    "RiskReturn",
    "attrition_hazard",
    "audience_cost_fight_probability",
    "bargaining_range",
    "ceasefire_private_cost",
    "contest_success",
    "delay_rounds",
    "grim_trigger_threshold",
    "kalai_smorodinsky",
    "nash_solution",
    "outside_options",
    "powell_war",
    "risk_return",
    "rubinstein",
    "take_it_or_leave_it",
]


__getattr__, __dir__ = lazy_exports(__name__, _HOME)
