"""The strategy method: each student states a full plan (a choice at every one of their decisions, off the
path too), the plans are played out, and the teacher sees every planned choice, reached or not."""

from __future__ import annotations

import csv
import io
import itertools

from classroom_helpers import CEASEFIRE, PD, Student, open_room

from negosim.classroom.session import Classroom

_keys = itertools.count()

US_PLAN = {"us_aid": "continue", "us_sanction": "impose", "us_counter": "refuse", "us_sanction_final": "hold"}
RU_PLAN = {"ru": "counter", "ru_final": "reject"}
UA_PLAN = {"ua": "accept"}


def send_plan(student: Student, plan: dict, *, key: str | None = None, **override):
    v = student.view()
    body = {"round": v["round"], "role": v["seat"]["role"], "plan": plan,
            "key": key or f"plan-{next(_keys):08d}", **override}
    return student.client.post("/api/plan", json=body)


def strategy_room(tmp_path, *files, students=("Ana", "Ben", "Cy")):
    room, app, teacher = open_room(tmp_path, *files)
    people = [Student(app, n) for n in students]
    assert teacher.do("options", {"method": "strategy"}).json()["next_method"] == "strategy"
    teacher.do("start")
    return room, app, teacher, {s.view()["seat"]["role"]: s for s in people}


def test_each_student_is_asked_for_a_choice_at_every_one_of_their_decisions(tmp_path):
    _, _, teacher, by = strategy_room(tmp_path)
    us = by["US"].view()
    assert us["method"] == "strategy" and us["turn"] is None
    assert [d["id"] for d in us["plan"]["decisions"]] == [  # in the tree's order
        "us_sanction", "us_counter", "us_sanction_final", "us_aid"]
    assert all(d["label"] and d["actions"] for d in us["plan"]["decisions"])
    assert [d["id"] for d in by["RU"].view()["plan"]["decisions"]] == ["ru", "ru_final"]
    assert by["UA"].move("accept").json()["error"] == "strategy_method"  # no move-by-move play in this round
    assert teacher.state()["method"] == "strategy" and teacher.state()["plans_in"] == 0


def test_the_plans_are_played_out_and_the_teacher_sees_the_off_path_choices(tmp_path):
    room, _, teacher, by = strategy_room(tmp_path)
    assert send_plan(by["US"], US_PLAN).status_code == 200
    assert send_plan(by["RU"], RU_PLAN).status_code == 200
    v = by["RU"].view()
    assert "plan" not in v and v["waiting"].startswith("Your plan is in")
    assert [d["action"] for d in v["my_plan"]] == ["counter", "reject"]
    assert "result" not in v and teacher.state()["finished"] == 0
    assert send_plan(by["UA"], UA_PLAN).status_code == 200
    # Walking the tree with the plans: Ukraine accepts, Russia counters, the US refuses, Russia rejects,
    # the US holds: the same path as in move-by-move play with these choices.
    group = next(iter(room.groups.values()))
    assert [(m.role, m.action) for m in group.moves] == [
        ("UA", "accept"), ("RU", "counter"), ("US", "refuse"), ("RU", "reject"), ("US", "hold")]
    for s in by.values():
        assert s.view()["result"]["outcome"] == "war_no_sanctions"
    state = teacher.state()
    counts = {d["id"]: {a["action"]: a["count"] for a in d["actions"]} for d in state["decisions"]}
    # Every stated choice is counted once, the unreached ones too (us_aid, us_sanction), and the played-out
    # moves are not counted a second time.
    assert counts["us_aid"] == {"freeze": 0, "continue": 1} and counts["us_sanction"] == {"impose": 1, "hold": 0}
    assert counts["us_sanction_final"] == {"impose": 0, "hold": 1} and counts["ru"]["counter"] == 1
    assert sum(sum(c.values()) for c in counts.values()) == 7
    assert state["finished"] == 1 and state["plans_in"] == 3


def test_bad_or_repeated_plans_are_refused_and_change_nothing(tmp_path):
    room, _, teacher, by = strategy_room(tmp_path)
    us = by["US"]
    cases = [
        ({k: v for k, v in US_PLAN.items() if k != "us_counter"}, {}, "bad_plan", "no choice for"),
        ({**US_PLAN, "ru": "accept"}, {}, "bad_plan", "not one of your decisions"),
        ({**US_PLAN, "us_aid": "surrender"}, {}, "bad_plan", "not an action"),
        (US_PLAN, {"role": "RU"}, "other_seat", "only for your own seat"),
        (US_PLAN, {"round": 7}, "old_round", "round is over"),
        ("everything", {}, "bad_request", "a plan names"),
    ]
    for plan, override, code, words in cases:
        r = send_plan(us, plan, **override)
        assert r.status_code in (400, 403, 409) and r.json()["error"] == code and words in r.json()["message"]
    assert room.store.rows("SELECT COUNT(*) FROM plans") == [(0,)]
    assert send_plan(us, US_PLAN, key="the-same-key").status_code == 200
    assert send_plan(us, US_PLAN, key="the-same-key").json()["error"] == "replayed"
    assert send_plan(us, {**US_PLAN, "us_aid": "freeze"}).json()["error"] == "plan_in"
    assert room.store.rows("SELECT COUNT(*) FROM plans") == [(4,)]
    teacher.do("pause")
    assert send_plan(by["RU"], RU_PLAN).json()["error"] == "paused"


def test_a_move_by_move_round_refuses_plans_and_the_option_is_checked(tmp_path):
    _, app, teacher = open_room(tmp_path)
    ana = Student(app, "Ana")
    teacher.do("start")
    assert send_plan(ana, UA_PLAN).json()["error"] == "not_strategy_method"
    for bad in ({"method": "vote"}, {"method": True}, {}, {"colour": "red"}):
        assert teacher.do("options", bad).status_code == 400


def test_the_computer_seat_follows_the_equilibrium_once_the_students_plans_are_in(tmp_path):
    room, _, teacher, by = strategy_room(tmp_path, students=("Ana", "Ben"))
    assert len(by) == 2
    computer = next(r for r in ("US", "UA", "RU") if r not in by)
    for role, s in by.items():
        assert send_plan(s, {"US": US_PLAN, "RU": RU_PLAN, "UA": UA_PLAN}[role]).status_code == 200
    group = next(iter(room.groups.values()))
    assert group.rules.outcome(group.moves) is not None
    prediction = group.rules.prediction.behavior
    for m, kind in zip(group.moves, group.seat_kinds):
        if m.role == computer:
            decision = group.rules.game.nodes[group.rules.index[m.node]].infoset
            assert kind == "computer" and prediction[decision][m.action] == 1.0


def test_a_restart_keeps_the_plans_and_the_export_has_a_row_per_stated_choice(tmp_path):
    room, app, teacher, by = strategy_room(tmp_path)
    assert send_plan(by["US"], US_PLAN).status_code == 200
    room.store.close()
    again = Classroom([CEASEFIRE], str(tmp_path / "state"), seed=7)
    group = next(iter(again.groups.values()))
    assert group.method == "strategy" and group.plans == {"US": US_PLAN}
    assert not group.moves
    from classroom_helpers import Teacher

    from negosim.classroom.web import create_app

    app = create_app(again, "http://127.0.0.1:8765/")
    for s in by.values():  # the same browsers (their signed cookies) against the restarted server
        s.client = type(s.client)(app, cookies=s.client.cookies)
    assert send_plan(by["US"], US_PLAN).json()["error"] == "plan_in"
    assert send_plan(by["RU"], RU_PLAN).status_code == 200 and send_plan(by["UA"], UA_PLAN).status_code == 200
    assert by["UA"].view()["result"]["outcome"] == "war_no_sanctions"
    teacher = Teacher(app, again.meta["teacher_token"])
    rows = list(csv.DictReader(io.StringIO(teacher.client.get("/api/teacher/export.csv",
                                                              headers=teacher.headers).text)))
    plans = [r for r in rows if r["seat"] == "plan"]
    assert len(plans) == 7 and {r["node"] for r in plans} == set(US_PLAN) | set(RU_PLAN) | set(UA_PLAN)
    assert all(r["nickname"] for r in plans)
    played = [r for r in rows if r["seat"] == "student"]
    assert [r["action"] for r in played] == ["accept", "counter", "refuse", "reject", "hold"]
    assert rows.index(plans[-1]) < rows.index(played[0])  # stated first, played out after
    doc = teacher.client.get("/api/teacher/export.json", headers=teacher.headers).json()
    assert doc["rounds"][0]["method"] == "strategy"


def test_a_normal_form_game_under_the_strategy_method(tmp_path):
    room, _, teacher, by = strategy_room(tmp_path, PD, students=("Ana", "Ben"))
    assert [d["actions"] for d in by["Row"].view()["plan"]["decisions"]] == [["cooperate", "defect"]]
    assert send_plan(by["Row"], {"Row": "cooperate"}).status_code == 200
    assert "result" not in by["Row"].view() and "result" not in by["Column"].view()
    assert send_plan(by["Column"], {"Column": "defect"}).status_code == 200
    for s in by.values():
        result = s.view()["result"]
        assert result["outcome"] == "row_exploited" and result["payoffs"] == {"Row": 0.0, "Column": 5.0}
