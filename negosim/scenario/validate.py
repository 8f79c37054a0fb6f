"""Check a scenario document against schema version 1, collecting every problem with its line.

`scenario_from_document` walks the whole document once and either returns a `Scenario` or
raises one `ScenarioError` listing every problem found, each as `file:line: path: message`.
Checks that need the game (the `game` section) live in `gamespec`; the checks that need
parameter values (probabilities, finite payoffs, perfect recall) run afterwards, in `load`.
"""

from __future__ import annotations

import keyword
import math
import re

from ..errors import ScenarioError
from ..expr import FUNCTIONS, Formula
from ..game.ties import TieRules
from ..limits import MAX_PLAYERS
from .checker import IDENTIFIER, SCENARIO_ID, SOURCE_KEY, Checker, suggest
from .gamespec import check_game
from .model import Parameter, Player, Question, Scenario, SweepSpec
from .yamlio import YamlDocument, kind, number_text

VERSION = 1

TOP_REQUIRED = ("negosim", "id", "title", "players", "game")
TOP_OPTIONAL = ("description", "brief", "sources", "parameters", "derived", "ties", "sweeps", "questions")


def scenario_from_document(doc: YamlDocument) -> Scenario:
    """Return the `Scenario` a document describes, or raise ScenarioError listing every problem."""
    c = Checker(doc)
    data = doc.data
    c.mapping((), data, TOP_REQUIRED, TOP_OPTIONAL, what="a scenario mapping")
    if "negosim" in data:
        _check_version(c, data["negosim"])
    sid = c.identifier(("id",), data["id"], "scenario id", SCENARIO_ID) if "id" in data else None
    title = c.text(("title",), data["title"], one_line=True) if "title" in data else None
    description = c.text(("description",), data["description"], empty=True) if "description" in data else ""
    if description and not _formula_spans(c, ("description",), description):
        description = None
    brief = _prose(c, ("brief",), data["brief"]) if "brief" in data else None
    sources = _sources(c, data.get("sources", []))
    players = _players(c, data["players"]) if "players" in data else None
    params = _parameters(c, data.get("parameters", {}), {s["key"] for s in sources})
    derived = _derived(c, data.get("derived", {}), params)
    known: frozenset[str] | None = frozenset(params) | frozenset(derived)
    if not isinstance(data.get("parameters", {}), dict) or not isinstance(data.get("derived", {}), dict):
        known = None  # names cannot be checked; avoid an error for every name in every formula
    player_ids = None if players is None else tuple(p.id for p in players)
    game = check_game(c, data["game"], ("game",), player_ids, known) if "game" in data else None
    ties = _ties(c, data["ties"], game) if "ties" in data else TieRules(per_node=game.prefer if game else {})
    sweeps = _sweeps(c, data.get("sweeps", {}), params, derived)
    questions = _questions(c, data.get("questions", []))
    if questions and "brief" not in data:
        # The worksheet prints the brief; the description may state the results it asks for.
        c.report(("questions",), "a scenario with questions needs a `brief:`, the students' text for the worksheet "
                 "(the situation and the rules, no results); `description` stays the teacher's text")
    if c.problems:
        raise ScenarioError(sorted(c.problems, key=lambda p: p.line or 0))
    # Without problems every required part was read: a missing or broken one is a reported problem.
    if sid is None or title is None or players is None or game is None or game.spec is None:
        raise AssertionError(f"{doc.file}: a scenario without problems lacks a required part")
    return Scenario(
        path=doc.file,
        sha256=doc.sha256,
        id=sid,
        title=title,
        description=(description or "").strip(),
        sources=tuple(sources),
        players=players,
        parameters={name: p for name, p in params.items() if p is not None},
        derived={name: f for name, f in derived.items() if f is not None},
        ties=ties,
        sweeps=sweeps,
        questions=questions,
        form=game.form,
        game=game.spec,
        game_line=doc.line(("game",)),
        brief=(brief or "").strip(),
    )


def _check_version(c: Checker, value) -> None:
    if isinstance(value, bool) or value != VERSION:
        shown = number_text(value) if isinstance(value, float) else repr(value)
        c.report(("negosim",), f"unsupported schema version {shown}; this negosim reads version {VERSION}")


def _sources(c: Checker, value) -> list[dict]:
    out: list[dict] = []
    items = c.seq(("sources",), value, "a list of {key, cite, url?}")
    seen: dict[str, int | None] = {}
    for i, item in enumerate(items or []):
        path = ("sources", i)
        if c.mapping(path, item, ("key", "cite"), ("url",), "a mapping {key, cite, url?}") is None:
            continue
        key = c.identifier(path + ("key",), item["key"], "source key", SOURCE_KEY) if "key" in item else None
        cite = c.text(path + ("cite",), item["cite"]) if "cite" in item else None
        url = c.text(path + ("url",), item["url"]) if "url" in item else None
        if key is not None and key in seen:
            c.report(path + ("key",), f"source key {key!r} is already used (line {seen[key]})")
        elif key is not None:
            seen[key] = c.line(path + ("key",))
            if cite is not None:
                out.append({"key": key, "cite": cite, **({"url": url} if url is not None else {})})
    return out


def _players(c: Checker, value) -> tuple[Player, ...] | None:
    items = c.seq(("players",), value, "a list of {id, name?, description?}")
    if items is None:
        return None
    if not items:
        c.report(("players",), "a game needs at least one player")
        return None
    if len(items) > MAX_PLAYERS:
        c.report(("players",), f"{len(items)} players; negosim solves games of at most {MAX_PLAYERS}")
        return None
    players: list[Player] = []
    seen: dict[str, int | None] = {}
    ok = True
    for i, item in enumerate(items):
        path = ("players", i)
        if c.mapping(path, item, ("id",), ("name", "description"), "a mapping {id, name?, description?}") is None:
            ok = False
            continue
        pid = c.identifier(path + ("id",), item["id"], "player id") if "id" in item else None
        name = c.text(path + ("name",), item["name"], one_line=True) if "name" in item else pid
        desc = c.text(path + ("description",), item["description"], empty=True) if "description" in item else ""
        if pid is None or name is None or desc is None:
            ok = False
        elif pid in seen:
            c.report(path + ("id",), f"player id {pid!r} is already used (line {seen[pid]})")
            ok = False
        else:
            seen[pid] = c.line(path + ("id",))
            players.append(Player(pid, name, desc.strip()))
    return tuple(players) if ok else None


def _formula_name(c: Checker, path, name: str, what: str) -> bool:
    """Report why `name` cannot name a parameter or derived value; return whether it can."""
    if c.identifier(path, name, f"{what} name") is None:
        return False
    if keyword.iskeyword(name):
        c.report(path, f"{name!r} is a Python keyword, which formulas cannot use as a name")
        return False
    if name in FUNCTIONS:
        c.report(path, f"{name!r} is the name of a formula function; choose another {what} name")
        return False
    return True


def _parameters(c: Checker, value, source_keys: set[str]) -> dict[str, Parameter | None]:
    """Return the declared parameters; a name is declared even if its body has problems (then None)."""
    out: dict[str, Parameter | None] = {}
    if c.mapping(("parameters",), value, what="a mapping of parameter name -> {value, range, description}") is None:
        return out
    for name, body in value.items():
        path = ("parameters", name)
        if not _formula_name(c, path, name, "parameter"):
            continue
        out[name] = None  # declared: formulas may use it even if its body is wrong
        spec = c.mapping(
            path,
            body,
            ("value", "range", "description"),
            ("unit", "source"),
            "a mapping {value, range, description, unit?, source?}",
        )
        if spec is None:
            continue
        val = c.number(path + ("value",), spec["value"]) if "value" in spec else None
        low = high = None
        if "range" in spec:
            rng = spec["range"]
            if not isinstance(rng, list) or len(rng) != 2:
                c.report(path + ("range",), f"expected a range [low, high], got {kind(rng)}")
            else:
                low = c.number(path + ("range", 0), rng[0])
                high = c.number(path + ("range", 1), rng[1])
                if low is not None and high is not None and low > high:
                    c.report(path + ("range",), f"low end {number_text(low)} is above high end {number_text(high)}")
                    low = high = None
        if val is not None and low is not None and high is not None and not low <= val <= high:
            c.report(
                path + ("value",),
                f"value {number_text(val)} is outside the declared range [{number_text(low)}, {number_text(high)}]",
            )
            val = None
        desc = c.text(path + ("description",), spec["description"]) if "description" in spec else None
        unit = c.text(path + ("unit",), spec["unit"]) if "unit" in spec else None
        source = c.text(path + ("source",), spec["source"]) if "source" in spec else None
        if source is not None and source not in source_keys:
            c.report(path + ("source",), f"no source has key {source!r}{suggest(source, source_keys)}")
        if val is not None and low is not None and high is not None and desc is not None:
            out[name] = Parameter(name, val, low, high, desc.strip(), unit, source, c.line(path))
    return out


def _derived(c: Checker, value, params: dict[str, Parameter | None]) -> dict[str, Formula | None]:
    """Return derived formulas (None for one with problems); each may use parameters and derived values
    written above it."""
    out: dict[str, Formula | None] = {}
    if c.mapping(("derived",), value, what="a mapping of name -> formula") is None:
        return out
    names = [n for n in value if isinstance(n, str) and IDENTIFIER.match(n)]
    lines = {n: c.line(("derived", n)) for n in names}
    known: frozenset[str] | None = frozenset(params) | frozenset(names)
    if not isinstance(c.doc.data.get("parameters", {}), dict):
        known = None  # the parameters' names are unknown: do not report every use as an error
    defined = set(params)
    for name, source in value.items():
        path = ("derived", name)
        ok = _formula_name(c, path, name, "derived")
        if ok and name in params:
            c.report(path, f"{name!r} is already a parameter (line {c.line(('parameters', name))})")
            ok = False
        formula = c.formula(path, source, known)
        if formula is not None:
            if name in formula.names:
                c.report(path, f"derived value {name!r} uses itself")
                formula = None
            else:
                later = [n for n in formula.names if n in lines and n not in defined]
                for n in later:
                    c.report(
                        path,
                        f"uses {n!r}, which is defined later (line {lines[n]}); "
                        "a derived value may use only parameters and derived values above it",
                    )
                    formula = None
        defined.add(name)  # declared, even if its own line has a problem: no knock-on errors
        if ok:
            out[name] = formula
    return out


def _ties(c: Checker, value, game) -> TieRules:
    per_node = game.prefer if game is not None else {}
    spec = c.mapping(("ties",), value, (), ("prefer",), "a mapping {prefer: [action, ...]}")
    if spec is None or "prefer" not in spec:
        return TieRules(per_node=per_node)
    items = c.seq(("ties", "prefer"), spec["prefer"], "a list of action names")
    prefer = []
    for i, label in enumerate(items or []):
        path = ("ties", "prefer", i)
        if c.text(path, label) is None:
            continue
        if game is not None and game.actions is not None and label not in game.actions:
            c.report(path, f"{label!r} is not an action of this game{suggest(label, game.actions)}")
        prefer.append(label)
    return TieRules(tuple(prefer), per_node)


def _sweeps(c: Checker, value, params: dict, derived: dict) -> dict[str, SweepSpec]:
    out: dict[str, SweepSpec] = {}
    if c.mapping(("sweeps",), value, what="a mapping of sweep name -> {description?, vary}") is None:
        return out
    for name, body in value.items():
        path = ("sweeps", name)
        if c.identifier(path, name, "sweep name") is None:
            continue
        spec = c.mapping(path, body, ("vary",), ("description",), "a mapping {description?, vary}")
        if spec is None:
            continue
        desc = c.text(path + ("description",), spec["description"]) if "description" in spec else ""
        vary_map = (
            c.mapping(path + ("vary",), spec["vary"], what="a mapping of parameter -> {from, to, num}")
            if "vary" in spec
            else None
        )
        if vary_map is not None and not vary_map:
            c.report(path + ("vary",), "a sweep must vary at least one parameter")
        vary: dict[str, tuple[float, float, int]] = {}
        for pname, axis in (vary_map or {}).items():
            result = _sweep_axis(c, path + ("vary", pname), pname, axis, params, derived)
            if result is not None:
                vary[pname] = result
        if desc is not None and vary_map and len(vary) == len(vary_map):
            out[name] = SweepSpec(name, desc.strip(), vary)
    return out


def _sweep_axis(c: Checker, path, pname: str, axis, params: dict, derived: dict):
    if pname not in params:
        if pname in derived:
            c.report(path, f"{pname!r} is a derived value; only parameters can be varied")
        else:
            c.report(path, f"unknown parameter {pname!r}{suggest(pname, params)}")
        return None
    spec = c.mapping(path, axis, ("from", "to", "num"), (), "a mapping {from, to, num}")
    if spec is None or not {"from", "to", "num"} <= spec.keys():
        return None
    p = params[pname]
    ends = []
    for key in ("from", "to"):
        x = c.number(path + (key,), spec[key])
        if x is not None and p is not None and not p.low <= x <= p.high:
            c.report(
                path + (key,),
                f"{key} {number_text(x)} is outside the declared range "
                f"[{number_text(p.low)}, {number_text(p.high)}] of {pname!r} (line {p.line})",
            )
            x = None
        ends.append(x)
    num = spec["num"]
    if (
        isinstance(num, bool)
        or not isinstance(num, (int, float))
        or not math.isfinite(num)
        or num != int(num)
        or num < 2
    ):
        c.report(
            path + ("num",),
            "num must be a whole number of points, at least 2; "
            f"got {number_text(num) if isinstance(num, float) else kind(num)}",
        )
        return None
    if None in ends or p is None:
        return None
    return (ends[0], ends[1], int(num))


def _questions(c: Checker, value) -> tuple[Question, ...]:
    items = c.seq(("questions",), value, "a list of questions (text, or {ask, answer})")
    out = []
    for i, item in enumerate(items or []):
        path = ("questions", i)
        if isinstance(item, dict):
            if c.mapping(path, item, ("ask",), ("answer",), "a question {ask, answer?} or its text") is None:
                continue
            ask = _prose(c, path + ("ask",), item["ask"]) if "ask" in item else None
            answer = _prose(c, path + ("answer",), item["answer"]) if "answer" in item else ""
            if ask is not None and answer is not None:
                out.append(Question(" ".join(ask.split()), " ".join(answer.split())))
        else:
            ask = _prose(c, path, item)
            if ask is not None:
                out.append(Question(" ".join(ask.split())))
    return tuple(out)


_FORMULA_SPAN = re.compile(r"\$([^$]*)\$")
_EQUALS = re.compile(r"(?<![<>=!])=(?!=)")


def _prose(c: Checker, path, value) -> str | None:
    """Text for students, whose `$...$` spans are formulas (rendered as mathematics in the handout)."""
    text = c.text(path, value)
    if text is None:
        return None
    return text if _formula_spans(c, path, text) else None


def _formula_spans(c: Checker, path, text: str) -> bool:
    """Check the `$...$` formula spans of a text; report and return False if one is not a formula."""
    if text.count("$") % 2:
        c.report(path, "an unpaired '$': formulas in text are written between two dollar signs, $like * this$")
        return False
    ok = True
    for span in _FORMULA_SPAN.findall(text):
        for side in _EQUALS.split(span):  # "x = a / b" is an equation: each side is a formula
            ok = c.formula(path, side, None) is not None and ok
    return ok
