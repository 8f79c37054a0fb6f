"""What each page is sent: a student's view of their own seat, the teacher's view of the class, and the
exports. A student's view holds only their own group's moves, filtered by what their role may know."""

from __future__ import annotations

import numpy as np

from .rules import CHANCE_ROLE, CONCEPT_NAMES, Prediction, Rules
from .session import Classroom, Group

EXPORT_COLUMNS = ("round", "group", "role", "node", "action", "time", "scenario", "seat", "nickname")


def _prediction(rules: Rules) -> dict:
    p: Prediction = rules.prediction
    return {"concept": CONCEPT_NAMES.get(p.concept, p.concept),
            "behavior": p.behavior, "outcomes": p.outcomes, "payoffs": p.payoffs, "count": p.count, "note": p.note}


def _round_info(room: Classroom) -> dict:
    scenario = room.scenarios[room.meta["scenario"]]
    return {"status": room.meta["status"], "round": room.meta["round"], "title": scenario.title,
            "version": room.version}


def student_view(room: Classroom, sid: str) -> dict:
    """Everything the student `sid` may see now.

    Parameters
    ----------
    room : Classroom
        The session.
    sid : str
        The student's id.

    Returns
    -------
    dict
        The student's nickname, the round's status, number and title, and (once seated) their seat, whose
        turn it is, the payoff table and the group's history.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> ann, bob = room.join("Ann"), room.join("Bob")
    >>> room.start()
    >>> _ = room.move(ann, {"key": "move-0001", "round": 1, "node": "Column", "role": "Column", "action": "defect"})
    >>> view = student_view(room, ann)
    >>> view["nickname"], view["status"], view["round"], view["seat"]["role"]
    ('Ann', 'playing', 1, 'Column')
    >>> room.store.close(); tmp.cleanup()
    """
    seq, nickname = room.students[sid]
    view = {"nickname": nickname, **_round_info(room), "seat": None}
    group = room.current_group(sid)
    if group is None:
        return view
    rules = group.rules
    role = next(r for r, s in group.seats.items() if s == sid)
    view["seat"] = {
        "group": group.number, "role": role, "role_name": rules.names[role],
        "players": [{"role": r, "name": rules.names[r],
                     "who": room.students[s][1] if s is not None else "the computer"}
                    for r, s in group.seats.items()],
    }
    view["history"] = rules.visible(group.moves, role)
    view["payoff_table"] = rules.payoff_rows()
    view["method"] = group.method
    waiting = rules.pending(group.moves)
    mine = [p for p in waiting if p.role == role]
    view["turn"] = None
    if group.method == "strategy":
        # The strategy method: one form with a choice at every decision of the role, asked before anything
        # is played, so each choice is made without knowing whether that decision will be reached.
        own = [d for d in rules.decisions if d.role == role]
        if role in group.plans:
            view["my_plan"] = [{"id": d.id, "label": d.label, "action": group.plans[role][d.id]} for d in own]
            if waiting:
                view["waiting"] = "Your plan is in. Waiting for the other players' plans"
        elif waiting:
            view["plan"] = {"decisions": [{"id": d.id, "label": d.label, "actions": list(d.actions)} for d in own]}
    elif mine:
        d = rules.decision(mine[0].decision)
        view["turn"] = {"node": mine[0].node, "label": d.label, "actions": list(mine[0].actions)}
    elif waiting:
        # Who moves next is itself information; say it only where the role could know it.
        view["waiting"] = (_sentence(rules.waiting_text(waiting)) if rules.perfect_information
                           else "Waiting for the other players")
    result = rules.outcome(group.moves)
    if result is not None:
        oid, payoffs = result
        view["result"] = {"outcome": oid, "label": rules.outcome_labels.get(oid, oid), "payoffs": payoffs}
    if room.meta["revealed"] == room.meta["round"] and result is not None:
        view["prediction"] = _prediction(rules)
        view["prediction"]["labels"] = rules.outcome_labels
    return view


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _group_status(room: Classroom, group: Group) -> str:
    rules = group.rules
    result = rules.outcome(group.moves)
    if result is not None:
        return "finished: " + rules.outcome_labels.get(result[0], result[0])
    return _sentence(rules.waiting_text(rules.pending(group.moves)))


def teacher_view(room: Classroom) -> dict:
    """The class as the teacher projects it: groups, choices against the prediction, outcomes, parameters.

    Parameters
    ----------
    room : Classroom
        The session.

    Returns
    -------
    dict
        The round's status, the students, each group's state, the class's choices at each decision, the
        outcomes, the parameters and (once revealed) the prediction.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> ann, bob = room.join("Ann"), room.join("Bob")
    >>> room.start()
    >>> _ = room.move(ann, {"key": "move-0001", "round": 1, "node": "Column", "role": "Column", "action": "defect"})
    >>> view = teacher_view(room)
    >>> view["status"], view["round"], view["students"], view["joined"]
    ('playing', 1, ['Ann', 'Bob'], 2)
    >>> room.store.close(); tmp.cleanup()
    """
    rules = room.round_rules()
    revealed = room.meta["round"] > 0 and room.meta["revealed"] == room.meta["round"]
    counts: dict[str, dict[str, int]] = {d.id: dict.fromkeys(d.actions, 0) for d in rules.decisions}
    outcomes = dict.fromkeys(rules.outcome_ids(), 0)
    groups, finished = [], 0
    for g in sorted(room.groups.values(), key=lambda g: g.number):
        if g.method == "strategy":  # the stated plans: every decision, reached or not
            for plan in g.plans.values():
                for decision, action in plan.items():
                    counts[decision][action] += 1
        for m, kind in zip(g.moves, g.seat_kinds):
            if kind == "student" and g.method == "play":
                decision = m.node if not g.rules.tree else g.rules.game.nodes[g.rules.index[m.node]].infoset
                counts[str(decision)][m.action] += 1
        result = g.rules.outcome(g.moves)
        if result is not None:
            finished += 1
            outcomes[result[0]] = outcomes.get(result[0], 0) + 1
        groups.append({"group": g.number, "status": _group_status(room, g),
                       "seats": [{"role": r, "who": room.students[s][1] if s is not None else "computer"}
                                 for r, s in g.seats.items()]})
    pred = rules.prediction
    fit = _qre_fit(rules, counts) if revealed else None
    decisions = [{"id": d.id, "role": d.role, "name": rules.names[d.role], "label": d.label,
                  "actions": [{"action": a, "count": counts[d.id][a],
                               "predicted": pred.behavior.get(d.id, {}).get(a) if revealed else None,
                               "qre": fit.behavior.get(d.id, {}).get(a) if fit is not None else None}
                              for a in d.actions]}
                 for d in rules.decisions]
    scenario_index = room.meta["scenario"]
    pending = room._params(scenario_index)
    declared = room.scenarios[scenario_index].parameters
    next_rules = room.rules(scenario_index, pending)
    return {
        **_round_info(room), "joined": len(room.students), "scenario": scenario_index + 1,
        "scenarios": [s.title for s in room.scenarios], "groups": groups, "finished": finished,
        "students": [n for _, n in sorted(room.students.values())],
        "decisions": decisions,
        "outcomes": [{"id": o, "label": rules.outcome_labels.get(o, o), "count": c,
                      "predicted": pred.outcomes.get(o, 0.0) if revealed else None} for o, c in outcomes.items()],
        "rotate": bool(room.meta.get("rotate", True)),
        "method": next((g.method for g in room.groups.values()), room.meta.get("method", "play")),
        "next_method": room.meta.get("method", "play"),
        "plans_in": sum(len(g.plans) for g in room.groups.values()),
        "revealed": revealed, "prediction": _prediction(rules) if revealed else None,
        "qre": None if fit is None else {"lambda": fit.lam, "log_likelihood": fit.log_likelihood,
                                         "random_log_likelihood": fit.random_log_likelihood,
                                         "choices": fit.choices, "at_edge": fit.at_edge,
                                         "sentence": fit.sentence()},
        "parameters": [{"name": p.name, "value": pending.get(p.name, p.value), "low": p.low, "high": p.high,
                        "unit": p.unit, "description": p.description} for p in declared],
        "next_prediction": _prediction(next_rules),
        "rounds": round_summaries(room),
    }


def _qre_fit(rules: Rules, counts: dict[str, dict[str, int]]):
    """The logit QRE fitted to the class's choices, or None before any choice (or where the trace fails:
    the fit is a reading aid, and the page must still show the class and the equilibrium)."""
    from .qre_fit import fit_qre

    try:
        return fit_qre(rules, counts)
    except (ArithmeticError, np.linalg.LinAlgError):
        return None


def round_summaries(room: Classroom) -> list[dict]:
    """Every round so far: its scenario, the parameters changed from the baseline, how many groups
    finished in which outcome, and the predicted outcome (for the current round only once revealed)."""
    import json

    from .rules import Move

    moves: dict[tuple[int, int], list[Move]] = {}
    for rnd, grp, node, role, action in room.store.rows(
            "SELECT round, grp, node, role, action FROM moves ORDER BY id"):
        moves.setdefault((rnd, grp), []).append(Move(node, role, action))
    groups: dict[int, list[int]] = {}
    for rnd, grp in room.store.rows("SELECT DISTINCT round, grp FROM seats ORDER BY round, grp"):
        groups.setdefault(rnd, []).append(grp)
    out = []
    for rnd, scenario, params in room.store.rows("SELECT round, scenario, params FROM rounds ORDER BY round"):
        values = json.loads(params)
        rules = room.rules(scenario, values)
        counts: dict[str, int] = {}
        for grp in groups.get(rnd, []):
            result = rules.outcome(moves.get((rnd, grp), []))
            if result is not None:
                label = rules.outcome_labels.get(result[0], result[0])
                counts[label] = counts.get(label, 0) + 1
        shown = rnd < room.meta["round"] or room.meta["revealed"] == rnd
        out.append({"round": rnd, "title": room.scenarios[scenario].title, "parameters": values,
                    "groups": len(groups.get(rnd, [])), "outcomes": counts,
                    "predicted": {rules.outcome_labels.get(o, o): q for o, q in rules.prediction.outcomes.items()}
                    if shown else None})
    return out


def export_rows(room: Classroom) -> list[dict]:
    """One row per decision of the whole session (every round), in the order they were made.

    A strategy-method round has a row per stated choice (seat ``"plan"``, node the decision's id, off
    the path too), written when the plan was sent, then the moves played out from the plans (seat
    ``"student"`` for a student's, as in move-by-move play).

    Parameters
    ----------
    room : Classroom
        The session.

    Returns
    -------
    list of dict
        One dict per decision, with the keys of ``EXPORT_COLUMNS``.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> ann, bob = room.join("Ann"), room.join("Bob")
    >>> room.start()
    >>> _ = room.move(ann, {"key": "move-0001", "round": 1, "node": "Column", "role": "Column", "action": "defect"})
    >>> [(r["round"], r["role"], r["action"], r["seat"], r["nickname"]) for r in export_rows(room)]
    [(1, 'Column', 'defect', 'student', 'Ann')]
    >>> room.store.close(); tmp.cleanup()
    """
    nick = {sid: n for sid, (_, n) in room.students.items()}
    titles = [s.title for s in room.scenarios]
    scen = dict(room.store.rows("SELECT round, scenario FROM rounds"))
    made = [(rnd, t, 1, i, (rnd, grp, role, node, action, t, seat, student)) for i, (
        rnd, grp, role, node, action, t, seat, student) in enumerate(room.store.rows(
            "SELECT round, grp, role, node, action, time, seat, student FROM moves ORDER BY id"))]
    stated = [(rnd, t, 0, i, (rnd, grp, role, decision, action, t, "plan", student)) for i, (
        rnd, grp, role, decision, action, t, student) in enumerate(room.store.rows(
            "SELECT round, grp, role, decision, action, time, student FROM plans ORDER BY id"))]
    rows = []
    for *_, (rnd, grp, role, node, action, t, seat, student) in sorted(made + stated, key=lambda r: r[:4]):
        rows.append({"round": rnd, "group": grp, "role": role, "node": node, "action": action,
                     "time": round(t, 3), "scenario": titles[scen[rnd]], "seat": seat,
                     "nickname": nick.get(student, "") if seat in ("student", "plan") else ""})
    return rows


def export_json(room: Classroom) -> dict:
    """The session as one JSON document: scenarios, rounds with their parameters and groups, every move.

    Parameters
    ----------
    room : Classroom
        The session.

    Returns
    -------
    dict
        ``scenarios`` (path, hash, title), ``seed``, ``rounds`` and ``moves`` (as `export_rows`).

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> ann, bob = room.join("Ann"), room.join("Bob")
    >>> room.start()
    >>> _ = room.move(ann, {"key": "move-0001", "round": 1, "node": "Column", "role": "Column", "action": "defect"})
    >>> doc = export_json(room)
    >>> doc["seed"], doc["rounds"][0]["groups"][0]["seats"] == {"Row": "Bob", "Column": "Ann"}, len(doc["moves"])
    (1, True, 1)
    >>> room.store.close(); tmp.cleanup()
    """
    import json

    rounds = []
    methods = dict(room.store.rows("SELECT round, method FROM round_methods"))
    for rnd, scenario, params, started in room.store.rows("SELECT round, scenario, params, started FROM rounds"):
        seats = room.store.rows("SELECT grp, role, student FROM seats WHERE round = ? ORDER BY grp", (rnd,))
        groups: dict[int, dict] = {}
        for grp, role, sid in seats:
            groups.setdefault(grp, {})[role] = room.students[sid][1] if sid else None
        rounds.append({"round": rnd, "scenario": room.scenarios[scenario].title, "parameters": json.loads(params),
                       "method": methods.get(rnd, "play"), "started": started,
                       "groups": [{"group": k, "seats": v} for k, v in groups.items()]})
    return {"scenarios": [{"path": s.path, "sha256": s.sha256, "title": s.title} for s in room.scenarios],
            "seed": room.meta["seed"], "rounds": rounds, "moves": export_rows(room)}


def export_csv(room: Classroom) -> str:
    """The rows of `export_rows` as CSV, with a header line.

    Parameters
    ----------
    room : Classroom
        The session.

    Returns
    -------
    str
        The CSV text (columns ``EXPORT_COLUMNS``, newline-terminated lines).

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> ann, bob = room.join("Ann"), room.join("Bob")
    >>> room.start()
    >>> _ = room.move(ann, {"key": "move-0001", "round": 1, "node": "Column", "role": "Column", "action": "defect"})
    >>> print(export_csv(room).splitlines()[0])
    round,group,role,node,action,time,scenario,seat,nickname
    >>> export_csv(room).splitlines()[1].startswith("1,1,Column,Column,defect,")
    True
    >>> room.store.close(); tmp.cleanup()
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(room))
    return out.getvalue()


__all__ = ["student_view", "teacher_view", "export_rows", "export_json", "export_csv", "CHANCE_ROLE"]
