"""The live classroom through its HTTP API (Starlette's TestClient): joining, grouping, a full ceasefire
round with three students, information sets, the computer's seats, parameters, exports, restarts."""

from __future__ import annotations

import csv
import io
import json

from classroom_helpers import CEASEFIRE, PD, POKER, Student, moves_in_store, open_room
from starlette.testclient import TestClient

from negosim.classroom.guard import COOKIE, sign


def seats_by_role(students):
    return {s.view()["seat"]["role"]: s for s in students}


def test_join_sets_a_signed_cookie_and_a_forged_one_is_refused(tmp_path):
    room, app, _ = open_room(tmp_path)
    ana = Student(app, "  Ana \n ")
    assert ana.view()["nickname"] == "Ana"
    assert ana.view()["status"] == "lobby"
    value = ana.client.cookies[COOKIE]
    sid = value.rsplit(".", 1)[0]
    assert sid in room.students and value == sign(room.meta["secret"], sid)
    forged = Student(app, "Eve")
    forged.client.cookies.clear()
    forged.client.cookies.set(COOKIE, sid + ".0" * 32)
    assert forged.client.get("/api/me").status_code == 401
    forged.client.cookies.clear()
    forged.client.cookies.set(COOKIE, sign("not the secret", sid))
    assert forged.client.get("/api/me").json()["error"] == "not_joined"


def test_nicknames_are_checked(tmp_path):
    _, app, _ = open_room(tmp_path)
    s = Student(app, "ok")
    for bad in ["", "   ", "x" * 25, 12, None]:
        r = s.client.post("/api/join", json={"nickname": bad})
        assert r.status_code == 400 and r.json()["error"] == "bad_nickname"


def test_students_are_grouped_one_role_each_and_leftovers_play_the_computer(tmp_path):
    room, app, teacher = open_room(tmp_path)
    students = [Student(app, f"s{i}") for i in range(7)]
    assert teacher.do("start").status_code == 200
    groups = teacher.state()["groups"]
    assert len(groups) == 3
    seated = [x["who"] for g in groups for x in g["seats"] if x["who"] != "computer"]
    assert sorted(seated) == sorted(s.nickname for s in students)  # everyone plays, once
    assert all([x["role"] for x in g["seats"]] == ["US", "UA", "RU"] for g in groups)
    assert sum(x["who"] == "computer" for g in groups for x in g["seats"]) == 2
    first = {s.nickname: s.view()["seat"]["role"] for s in students}
    assert teacher.do("next-round").status_code == 200
    second = {s.nickname: s.view()["seat"]["role"] for s in students}
    assert all(first[n] != second[n] for n in first)  # roles rotate
    assert teacher.do("options", {"rotate": False}).json()["rotate"] is False
    assert teacher.do("options", {"rotate": "no"}).status_code == 400
    teacher.do("next-round")
    third = {s.nickname: s.view()["seat"]["role"] for s in students}
    teacher.do("next-round")
    assert third == {s.nickname: s.view()["seat"]["role"] for s in students}  # kept when the teacher says so


def test_a_full_ceasefire_round_with_three_students(tmp_path):
    room, app, teacher = open_room(tmp_path)
    students = [Student(app, n) for n in ("Ana", "Ben", "Cy")]
    teacher.do("start")
    by = seats_by_role(students)
    ua, ru, us = by["UA"], by["RU"], by["US"]
    v = ua.view()
    assert v["turn"]["actions"] == ["accept", "reject"]
    assert v["turn"]["label"] == "Ukraine answers the US ceasefire proposal"
    assert ru.view()["turn"] is None and ru.view()["waiting"] == "Waiting for Ukraine"
    assert ua.move("accept").status_code == 200
    assert ru.view()["history"] == [{"role": "UA", "name": "Ukraine", "action": "accept"}]
    assert ru.view()["turn"]["actions"] == ["accept", "reject", "counter"]
    assert ru.move("counter").status_code == 200
    assert us.view()["turn"]["actions"] == ["grant", "refuse"]
    assert us.move("refuse").status_code == 200
    assert ru.move("reject").status_code == 200
    assert us.move("hold").status_code == 200
    for s in students:
        v = s.view()
        assert v["result"]["outcome"] == "war_no_sanctions"
        assert v["turn"] is None and "prediction" not in v  # not revealed yet
    state = teacher.state()
    assert state["finished"] == 1
    counts = {d["id"]: {a["action"]: a["count"] for a in d["actions"]} for d in state["decisions"]}
    assert counts["ua"] == {"accept": 1, "reject": 0}
    assert counts["ru"] == {"accept": 0, "reject": 0, "counter": 1}
    assert counts["us_sanction_final"] == {"impose": 0, "hold": 1}
    assert all(a["predicted"] is None for d in state["decisions"] for a in d["actions"])
    assert teacher.do("reveal").status_code == 200
    state = teacher.state()
    pred = {d["id"]: {a["action"]: a["predicted"] for a in d["actions"]} for d in state["decisions"]}
    assert pred["ua"] == {"accept": 1.0, "reject": 0.0} and pred["ru"]["accept"] == 1.0
    assert {o["id"]: o["predicted"] for o in state["outcomes"]}["truce_aid"] == 1.0
    assert {o["id"]: o["count"] for o in state["outcomes"]}["war_no_sanctions"] == 1
    assert state["rounds"][0]["outcomes"] == {"War goes on, the US does not carry out its sanctions threat": 1}
    seen = ua.view()["prediction"]
    assert seen["outcomes"] == {"truce_aid": 1.0} and seen["payoffs"]["UA"] == 0.355


def test_the_computer_follows_the_subgame_perfect_equilibrium(tmp_path):
    room, app, teacher = open_room(tmp_path)
    solo = Student(app, "solo")
    teacher.do("start")
    v = solo.view()
    assert v["seat"]["role"] == "UA"
    assert [p["who"] for p in v["seat"]["players"]] == ["the computer", "solo", "the computer"]
    assert solo.move("reject").status_code == 200
    v = solo.view()
    assert v["history"][1] == {"role": "US", "name": "United States", "action": "freeze"}  # the SPE's threat
    assert v["result"]["outcome"] == "war_frozen"
    assert moves_seat_kinds(room) == ["student", "computer"]


def moves_seat_kinds(room):
    return [k for (k,) in room.store.rows("SELECT seat FROM moves ORDER BY id")]


def test_information_sets_hide_what_a_role_cannot_know(tmp_path):
    room, app, teacher = open_room(tmp_path, POKER, seed=3)
    a, b = Student(app, "a"), Student(app, "b")
    teacher.do("start")
    by = seats_by_role([a, b])
    alice, bob = by["Alice"], by["Bob"]
    card = room.store.rows("SELECT action FROM moves WHERE seat = 'chance'")[0][0]
    assert alice.view()["history"] == [{"role": "Chance", "name": "Chance", "action": card}]  # Alice sees her card
    assert bob.view()["history"] == [{"role": "Chance", "name": "Chance", "action": None}]
    assert bob.view()["waiting"] == "Waiting for the other players"  # not "for Alice": no hint either
    assert alice.move("Raise").status_code == 200
    v = bob.view()
    assert v["turn"]["actions"] == ["Meet", "Pass"]
    assert v["history"] == [{"role": "Chance", "name": "Chance", "action": None},
                            {"role": "Alice", "name": "Alice", "action": "Raise"}]
    assert card not in json.dumps(bob.client.get("/api/me").json())
    assert bob.move("Meet").status_code == 200
    assert bob.view()["history"][0]["action"] == card  # revealed once the hand is over


def test_chance_is_drawn_from_the_recorded_seed(tmp_path):
    draws = []
    for k in range(2):
        room, app, teacher = open_room(tmp_path / str(k), POKER, seed=11)
        for i in range(6):
            Student(app, f"s{i}")
        teacher.do("start")
        draws.append(room.store.rows("SELECT grp, action FROM moves WHERE seat = 'chance' ORDER BY grp"))
        assert room.meta["seed"] == 11
    assert draws[0] == draws[1] and len(draws[0]) == 3


def test_normal_form_moves_are_simultaneous_and_hidden_until_both_chose(tmp_path):
    room, app, teacher = open_room(tmp_path, PD)
    a, b = Student(app, "a"), Student(app, "b")
    teacher.do("start")
    row, col = seats_by_role([a, b])["Row"], seats_by_role([a, b])["Column"]
    assert row.view()["turn"]["actions"] == ["cooperate", "defect"] and col.view()["turn"] is not None
    assert row.move("cooperate").status_code == 200
    assert col.view()["history"] == [] and col.view()["turn"] is not None
    assert row.view()["history"] == [{"role": "Row", "name": "Row player", "action": "cooperate"}]
    assert col.move("defect").status_code == 200
    assert row.view()["result"]["payoffs"] == {"Row": 0.0, "Column": 5.0}


def test_parameters_change_between_rounds_within_their_ranges_and_the_prediction_follows(tmp_path):
    room, app, teacher = open_room(tmp_path)
    Student(app, "x")
    teacher.do("start")
    assert teacher.state()["next_prediction"]["outcomes"] == {"truce_aid": 1.0}
    r = teacher.do("params", {"mu": 0.9})
    assert r.status_code == 400 and "outside the declared range [0, 0.5]" in r.json()["message"]
    assert teacher.do("params", {"nope": 1}).json()["error"] == "bad_parameter"
    assert teacher.do("params", {"mu": "0.2"}).status_code == 400
    r = teacher.do("params", {"mu": 0.2})
    assert r.status_code == 200
    # Past beta*(cR + cU) + s - Delta = 0.105 Russia rejects and the US imposes its sanctions.
    assert r.json()["next_prediction"]["outcomes"] == {"war_sanctions": 1.0}
    assert {p["name"]: p["value"] for p in r.json()["parameters"]}["mu"] == 0.2
    assert teacher.do("next-round").status_code == 200
    assert teacher.state()["rounds"][1]["predicted"] is None  # hidden until revealed
    teacher.do("reveal")
    assert teacher.state()["prediction"]["outcomes"] == {"war_sanctions": 1.0}
    rounds = teacher.state()["rounds"]
    assert [(r["round"], r["parameters"], r["groups"]) for r in rounds] == [(1, {}, 1), (2, {"mu": 0.2}, 1)]
    assert rounds[0]["predicted"] == {"30-day truce, aid keeps flowing": 1.0}
    assert rounds[1]["predicted"] == {"War goes on, US sanctions imposed on Russia": 1.0}
    rounds = room.store.rows("SELECT round, params FROM rounds ORDER BY round")
    assert [json.loads(p) for _, p in rounds] == [{}, {"mu": 0.2}]


def test_next_scenario_switches_the_game(tmp_path):
    room, app, teacher = open_room(tmp_path, CEASEFIRE, PD)
    students = [Student(app, f"s{i}") for i in range(4)]
    teacher.do("start")
    assert len(teacher.state()["groups"]) == 2
    r = teacher.do("next-scenario")
    assert r.json()["title"] == "Prisoner's dilemma" and len(r.json()["groups"]) == 2
    assert {s.view()["seat"]["role"] for s in students} == {"Row", "Column"}


def test_exports_have_one_row_per_decision(tmp_path):
    room, app, teacher = open_room(tmp_path)
    students = [Student(app, n) for n in ("Ana", "Ben", "Cy")]
    teacher.do("start")
    by = seats_by_role(students)
    by["UA"].move("accept")
    by["RU"].move("accept")
    r = teacher.client.get("/api/teacher/export.csv", headers=teacher.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["round"], x["group"], x["role"], x["node"], x["action"], x["nickname"]) for x in rows] == [
        ("1", "1", "UA", "ua", "accept", by["UA"].nickname), ("1", "1", "RU", "ru", "accept", by["RU"].nickname)]
    assert list(rows[0])[:6] == ["round", "group", "role", "node", "action", "time"]
    data = teacher.client.get("/api/teacher/export.json", headers=teacher.headers).json()
    assert len(data["moves"]) == 2 and data["seed"] == 7 and data["rounds"][0]["groups"][0]["seats"]["UA"]


def test_a_restart_resumes_the_session_without_losing_a_choice(tmp_path):
    room, app, teacher = open_room(tmp_path)
    students = [Student(app, n) for n in ("Ana", "Ben", "Cy", "Dee")]
    teacher.do("start")
    ua = next(s for s in students if s.view()["seat"]["role"] == "UA" and s.view()["turn"])
    assert ua.move("accept").status_code == 200
    before = moves_in_store(room)
    token, cookies = room.meta["teacher_token"], {s.nickname: s.client.cookies[COOKIE] for s in students}
    views = {s.nickname: s.view() for s in students}
    room.store.close()

    room2, app2, teacher2 = open_room(tmp_path)  # the same state folder
    assert room2.meta["teacher_token"] == token and moves_in_store(room2) == before
    again = []
    for s in students:
        s.client = TestClient(app2)  # the same browser (its cookie), the new server
        s.client.cookies.set(COOKIE, cookies[s.nickname])
        again.append(s)
        fresh, old = s.view(), views[s.nickname]
        assert {k: v for k, v in fresh.items() if k != "version"} == {k: v for k, v in old.items() if k != "version"}
    ru = next(s for s in again if s.view()["turn"] and s.view()["seat"]["role"] == "RU")
    assert ru.move("accept").status_code == 200
    assert teacher2.state()["finished"] >= 1


def test_a_state_folder_of_other_files_is_refused(tmp_path):
    import pytest

    from negosim.errors import UsageError

    open_room(tmp_path)
    with pytest.raises(UsageError, match="holds a session of other files"):
        open_room(tmp_path, PD)


def test_every_seat_sees_the_payoff_of_every_outcome(tmp_path):
    room, app, teacher = open_room(tmp_path, PD)
    a, b = Student(app, "a"), Student(app, "b")
    teacher.do("start")
    table = a.view()["payoff_table"]
    assert table == b.view()["payoff_table"] and len(table) == 4
    row = next(r for r in table if r["outcome"] == "Row player cooperate, Column player defect")
    assert row["payoffs"] == {"Row": 0.0, "Column": 5.0}  # S and T at the baseline
    ceasefire_room, app2, teacher2 = open_room(tmp_path / "c")
    s = Student(app2, "s")
    teacher2.do("start")
    outcomes = {r["outcome"]: r["payoffs"] for r in s.view()["payoff_table"]}
    assert outcomes["30-day truce, aid keeps flowing"] == {"US": 0.3275, "UA": 0.355, "RU": 0.545}
    assert len(outcomes) == 6
