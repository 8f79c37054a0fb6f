"""A live classroom session: students join, are matched into groups each round, and move; the teacher
starts, pauses, reveals and changes parameters. All state is in memory and in the SQLite store, and
every change is stored before it is acknowledged.

What a request must hold, and the `Refusal` it gets otherwise, is `negosim.classroom.refusals`'; the
groups, their matching and the moves made without waiting for a student, `negosim.classroom.groups`'.
Both are importable from here.

Every method runs on one thread at a time (the web layer holds `Classroom.lock`), so a move is
checked against the state it changes.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from .groups import AutoMove, Group, auto_moves, match_groups, move_statement
from .moves import Move, MoveError
from .refusals import METHODS, Refusal, move_request, nickname_of, options_request, parameter_values, plan_request
from .rules import Rules, rules_for
from .store import Store

MAX_STUDENTS = 2000
STATUSES = ("lobby", "playing", "paused")


@dataclass(frozen=True)
class Scenario:
    """One file the teacher named, its parameters' declared ranges, and its baseline.

    Attributes
    ----------
    path, sha256, title : str
        The file, its SHA-256 hash and its title.
    parameters : tuple
        The scenario's declared parameters (`negosim.scenario.Parameter`), in declaration order
        (empty for a game file).
    players : tuple of str
        The players' ids.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> scenario = room.scenarios[0]
    >>> scenario.title, scenario.players, [p.name for p in scenario.parameters]
    ("Prisoner's dilemma", ('Row', 'Column'), ['T', 'R', 'P', 'S'])
    >>> room.store.close(); tmp.cleanup()
    """

    path: str
    sha256: str
    title: str
    parameters: tuple  # negosim.scenario.Parameter, in declaration order
    players: tuple[str, ...]


class Classroom:
    """The session: open it on a state folder (new or existing) with the teacher's files.

    Parameters
    ----------
    files : list of str
        The scenarios and game files the class plays, in order.
    state : str
        The state folder: a new session is created there, or the one stored there is resumed (it must
        be of the same files, unchanged).
    seed : int, optional
        The seed of the matching and the computer's moves in a new session (random when None).

    Raises
    ------
    UsageError
        When the state folder holds a session of other files.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> room.meta["status"], room.meta["round"]
    ('lobby', 0)
    >>> ann, bob = room.join("Ann"), room.join("Bob")
    >>> room.start()
    >>> room.move(ann, {"key": "move-0001", "round": 1, "node": "Column", "role": "Column", "action": "defect"})
    {'ok': True, 'message': 'recorded: defect'}
    >>> room.store.close()
    >>> again = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name)  # resumed after a restart
    >>> again.meta["round"], sorted(nick for _, nick in again.students.values())
    (1, ['Ann', 'Bob'])
    >>> again.store.close(); tmp.cleanup()
    """

    def __init__(self, files: list[str], state: str, seed: int | None = None):
        from ..api import open_source

        self.lock = threading.RLock()
        self.store = Store(state)
        self.sources = [open_source(f) for f in files]
        scenario: Any
        self.scenarios = []
        for s in self.sources:
            scenario = s.scenario
            declared = tuple(scenario.parameters.values()) if scenario is not None else ()
            self.scenarios.append(Scenario(s.path, s.sha256, s.title, declared, tuple(s.game.players)))
        self._rules: dict[tuple, Rules] = {}
        meta = self.store.meta()
        files_meta = [[s.path, s.sha256] for s in self.scenarios]
        if not meta:
            meta = {"teacher_token": secrets.token_urlsafe(24), "secret": secrets.token_hex(32),
                    "seed": int(seed if seed is not None else secrets.randbits(63)), "status": "lobby",
                    "round": 0, "scenario": 0, "revealed": 0, "params": {}, "files": files_meta}
            self.store.write([Store.set_meta(k, v) for k, v in meta.items()])
        elif meta.get("files") != files_meta:
            from ..errors import UsageError

            raise UsageError(f"the state folder {state} holds a session of other files or of files that have "
                             "changed since; name the same files or another --state folder")
        self.meta = meta
        self.version = int(time.time() * 1000) % 10**9
        self._load()

    # --- loading (also after a restart) ----------------------------------------------------------------
    def _load(self) -> None:
        self.students: dict[str, tuple[int, str]] = {
            sid: (seq, nick) for sid, seq, nick in self.store.rows("SELECT id, seq, nickname FROM students")}
        self.groups: dict[tuple[int, int], Group] = {}
        self.seat_of: dict[tuple[int, str], tuple[int, str]] = {}  # (round, student) -> (group, role)
        self.keys: set[str] = set()
        current = self.meta["round"]
        methods = dict(self.store.rows("SELECT round, method FROM round_methods"))
        for rnd, scenario, params in self.store.rows("SELECT round, scenario, params FROM rounds WHERE round = ?",
                                                     (current,)):
            rules = self.rules(scenario, _json(params))
            for grp, role, student in self.store.rows("SELECT grp, role, student FROM seats WHERE round = ?",
                                                      (rnd,)):
                group = self.groups.setdefault((rnd, grp), Group(rnd, grp, {}, rules,
                                                                 method=methods.get(rnd, "play")))
                group.seats[role] = student
                if student is not None:
                    self.seat_of[(rnd, student)] = (grp, role)
        for g in self.groups.values():  # seats in the game's player order, as when the round started
            g.seats = {role: g.seats.get(role) for role in g.rules.players}
        for key, in self.store.rows("SELECT key FROM moves WHERE key IS NOT NULL UNION SELECT key FROM plans"):
            self.keys.add(key)
        for grp, role, decision, action in self.store.rows(
                "SELECT grp, role, decision, action FROM plans WHERE round = ? ORDER BY id", (current,)):
            self.groups[(current, grp)].plans.setdefault(role, {})[decision] = action
        for rnd, grp, node, role, action, seat, t in self.store.rows(
                "SELECT round, grp, node, role, action, seat, time FROM moves WHERE round = ? ORDER BY id",
                (current,)):
            g = self.groups[(rnd, grp)]
            g.moves.append(Move(node, role, action))
            g.times.append(t)
            g.seat_kinds.append(seat)

    def rules(self, scenario: int, params: dict[str, float]) -> Rules:
        """The rules of scenario number `scenario` at `params` (cached; ranges checked)."""
        key = (scenario, tuple(sorted(params.items())))
        if key not in self._rules:
            source = self.sources[scenario]
            if params:
                assert source.scenario is not None  # only scenarios have parameters (set_params checks)
                from dataclasses import replace

                sc: Any = source.scenario
                sc = sc.with_overrides(params)
                source = replace(source, game=sc.build(), parameters=sc.values(), scenario=sc)
            if len(self._rules) > 256:  # a teacher moving sliders all lesson: keep memory bounded
                self._rules.clear()
            self._rules[key] = rules_for(source)
        return self._rules[key]

    def _params(self, scenario: int) -> dict[str, float]:
        return dict(self.meta["params"].get(str(scenario), {}))

    def _commit(self, statements: list, **meta) -> None:
        self.store.write([*statements, *(Store.set_meta(k, v) for k, v in meta.items())])
        self.meta.update(meta)
        self.version += 1

    # --- students -------------------------------------------------------------------------------------
    def join(self, nickname: object) -> str:
        """Add a student; return their id (kept in their signed cookie)."""
        nickname = nickname_of(nickname)
        if len(self.students) >= MAX_STUDENTS:
            raise Refusal(409, "full", f"this classroom is full ({MAX_STUDENTS} students)")
        sid = secrets.token_urlsafe(16)
        seq = len(self.students)
        self._commit([("INSERT INTO students (id, seq, nickname, joined) VALUES (?, ?, ?, ?)",
                       (sid, seq, nickname, time.time()))])
        self.students[sid] = (seq, nickname)
        return sid

    def move(self, sid: str, body: object) -> dict:
        """Record a student's move; raise `Refusal` (and change nothing) unless it is theirs to make now."""
        key, rnd, node, role, action = move_request(body, self.keys)
        group = self._own_group(sid, rnd, role, "move")
        if group.method == "strategy":
            raise Refusal(409, "strategy_method", "this round uses the strategy method: send your whole plan")
        move = Move(node, role, action)
        try:
            group.rules.check(group.moves, move)
        except MoveError as exc:
            raise Refusal(409, "refused", str(exc)) from None
        now = time.time()
        new = [(move, "student", sid, key), *auto_moves(group, [*group.moves, move], self.meta["seed"])]
        self._commit([move_statement(group, m, kind, who, k, now) for m, kind, who, k in new])
        self.keys.add(key)
        group.record(new, now)
        return {"ok": True, "message": f"recorded: {action}"}

    def _own_group(self, sid: str, rnd: int, role: str, what: str) -> Group:
        """The group in which student `sid` plays `role` in round `rnd`, now; else `Refusal` (the game not
        running, an old round, no seat, another seat). `what` is what the student tries ("move")."""
        if self.meta["status"] == "lobby":
            raise Refusal(409, "not_started", "the game has not started yet")
        if self.meta["status"] == "paused":
            raise Refusal(409, "paused", "the teacher has paused the game; wait a moment")
        if rnd != self.meta["round"]:
            raise Refusal(409, "old_round", "that round is over; this page will show the current one")
        seat = self.seat_of.get((rnd, sid))
        if seat is None:
            raise Refusal(409, "no_seat", "you joined after this round started; you will play from the next round")
        grp, mine = seat
        if role != mine:
            raise Refusal(403, "other_seat", f"you play {mine} in this round, not {role}: you can {what} only for "
                                             "your own seat")
        return self.groups[(rnd, grp)]

    def submit_plan(self, sid: str, body: object) -> dict:
        """Record a student's full plan in a strategy-method round (a choice at every decision of their
        role); once every student of the group has sent one, the plans are played out. Raise `Refusal`
        (and change nothing) for a plan that is not theirs to send, incomplete or already sent."""
        key, rnd, role, plan = plan_request(body, self.keys)
        group = self._own_group(sid, rnd, role, "state a plan")
        grp = group.number
        if group.method != "strategy":
            raise Refusal(409, "not_strategy_method", "this round is played move by move, not by stating a plan")
        if role in group.plans:
            raise Refusal(409, "plan_in", "your plan for this round is already in; it cannot be changed")
        try:
            stated = group.rules.check_plan(role, plan)
        except MoveError as exc:
            raise Refusal(400, "bad_plan", str(exc)) from None
        now = time.time()
        statements = [("INSERT INTO plans (round, grp, role, decision, action, student, key, time) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (rnd, grp, role, d, a, sid, key, now))
                      for d, a in stated.items()]
        plans = {**group.plans, role: stated}
        played: list[AutoMove] = []
        if all(r in plans for r, s in group.seats.items() if s is not None):
            played = auto_moves(group, group.moves, self.meta["seed"], plans)
            statements += [move_statement(group, m, kind, who, None, now) for m, kind, who, _ in played]
        self._commit(statements)
        self.keys.add(key)
        group.plans = plans
        group.record(played, now)
        return {"ok": True, "message": "your plan is recorded"}

    # --- the teacher ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the first round (from the lobby) or resume a paused game."""
        if self.meta["status"] == "paused":
            self._commit([], status="playing")
        elif self.meta["status"] == "lobby":
            self.next_round()
        # already playing: nothing to do (a second click is harmless)

    def pause(self) -> None:
        if self.meta["status"] == "playing":
            self._commit([], status="paused")

    def reveal(self) -> None:
        if self.meta["round"] == 0:
            raise Refusal(409, "not_started", "start a round first")
        self._commit([], revealed=self.meta["round"])

    def next_round(self, scenario: int | None = None) -> None:
        """Match the students into groups again (roles rotate) and start a new round."""
        if not self.students:
            raise Refusal(409, "no_students", "no student has joined yet")
        scenario = self.meta["scenario"] if scenario is None else scenario
        rnd = self.meta["round"] + 1
        params = self._params(scenario)
        rules = self.rules(scenario, params)
        groups = match_groups(self.students, rules.players, rnd, self.meta["seed"], self.meta.get("rotate", True))
        method = self.meta.get("method", "play")
        statements: list[tuple[str, tuple]] = [
            ("INSERT INTO rounds (round, scenario, params, started) VALUES (?, ?, ?, ?)",
             (rnd, scenario, _dumps(params), time.time())),
            ("INSERT INTO round_methods (round, method) VALUES (?, ?)", (rnd, method))]
        now = time.time()
        made = []
        for number, seats in enumerate(groups, 1):
            g = Group(rnd, number, seats, rules, method=method)
            statements += [("INSERT INTO seats (round, grp, role, student) VALUES (?, ?, ?, ?)",
                            (rnd, number, role, sid)) for role, sid in seats.items()]
            # In a strategy-method round nothing moves until every student's plan is in.
            auto = auto_moves(g, [], self.meta["seed"]) if method == "play" else []
            statements += [move_statement(g, m, kind, None, None, now) for m, kind, _, _ in auto]
            made.append((g, auto))
        self._commit(statements, round=rnd, scenario=scenario, status="playing", revealed=0)
        self.groups = {}
        for g, auto in made:
            g.record(auto, now)
            self.groups[(rnd, g.number)] = g
            for role, sid in g.seats.items():
                if sid is not None:
                    self.seat_of[(rnd, sid)] = (g.number, role)

    def next_scenario(self) -> None:
        self.next_round((self.meta["scenario"] + 1) % len(self.sources))

    def set_options(self, options: object) -> None:
        """Set how the next rounds are formed and played: ``{"rotate": false}`` keeps each student's role
        from round to round; ``{"method": "strategy"}`` asks every student for a full plan (a choice at each
        of their decisions, off the path too) instead of move-by-move play (``"play"``)."""
        self._commit([], **options_request(options))

    def set_params(self, values: object) -> dict:
        """Set parameters of the current scenario for the rounds to come (each within its declared range)."""
        from ..errors import NegosimInputError

        scenario = self.meta["scenario"]
        declared = {p.name: p for p in self.scenarios[scenario].parameters}
        clean = parameter_values(values, declared)
        params = {**self._params(scenario), **clean}
        params = {k: v for k, v in params.items() if v != declared[k].value}
        try:
            self.rules(scenario, params)
        except NegosimInputError as exc:
            raise Refusal(400, "bad_parameter", str(exc).split("\n")[0]) from None
        self._commit([], params={**self.meta["params"], str(scenario): params})
        return {"ok": True}

    # --- views -------------------------------------------------------------------------------------------
    def current_group(self, sid: str) -> Group | None:
        seat = self.seat_of.get((self.meta["round"], sid))
        return None if seat is None else self.groups[(self.meta["round"], seat[0])]

    def round_rules(self) -> Rules:
        group = next(iter(self.groups.values()), None)
        if group is not None:
            return group.rules
        return self.rules(self.meta["scenario"], self._params(self.meta["scenario"]))


def _dumps(value: object) -> str:
    import json

    return json.dumps(value, sort_keys=True)


def _json(text: str) -> dict:
    import json

    return json.loads(text)


__all__ = ["METHODS", "Classroom", "Group", "Refusal", "Scenario"]
