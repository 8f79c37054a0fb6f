"""What the classroom refuses, and that a refused request changes nothing: the teacher's token, moving
out of turn or for another seat, replays, stale and unknown moves, pauses, oversize and malformed
requests, request rates; and that no page loads anything from the network."""

from __future__ import annotations

from importlib import resources

import pytest
from classroom_helpers import Student, moves_in_store, open_room

from negosim.classroom.web import MAX_BODY


@pytest.fixture
def playing(tmp_path):
    room, app, teacher = open_room(tmp_path)
    students = [Student(app, n) for n in ("Ana", "Ben", "Cy")]
    teacher.do("start")
    by = {s.view()["seat"]["role"]: s for s in students}
    return room, app, teacher, by


def refused(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.json()["error"] == code
    return response.json()["message"]


@pytest.mark.parametrize("action", ["start", "pause", "reveal", "next-round", "next-scenario", "params", "options"])
def test_only_the_teachers_token_controls_the_lesson(playing, action):
    room, app, teacher, by = playing
    before = (dict(room.meta), room.version)
    for headers in ({}, {"X-Teacher-Token": "wrong"}, {"X-Teacher-Token": room.meta["teacher_token"][:-1]}):
        r = teacher.client.post(f"/api/teacher/{action}", headers=headers, json={"mu": 0.2})
        assert "teacher" in refused(r, 403, "not_teacher")
        r = by["UA"].client.post(f"/api/teacher/{action}", headers=headers, json={"mu": 0.2})
        refused(r, 403, "not_teacher")
    assert (dict(room.meta), room.version) == before


def test_only_the_teacher_can_read_the_class_or_export(playing):
    room, app, teacher, by = playing
    for path in ("/api/teacher/state", "/api/teacher/export.csv", "/api/teacher/export.json"):
        refused(by["UA"].client.get(path), 403, "not_teacher")
        refused(by["UA"].client.get(path, headers={"X-Teacher-Token": "x" * 32}), 403, "not_teacher")
        assert teacher.client.get(path, headers=teacher.headers).status_code == 200


def test_a_student_cannot_move_out_of_turn(playing):
    room, app, teacher, by = playing
    v = by["RU"].view()
    r = by["RU"].move("accept", node="ru")
    assert refused(r, 409, "refused") == "it is not your turn: waiting for Ukraine"
    assert v["turn"] is None and moves_in_store(room) == []


def test_a_student_cannot_move_for_another_seat(playing):
    room, app, teacher, by = playing
    r = by["US"].move("accept", node="ua", role="UA")
    assert "you can move only for your own seat" in refused(r, 403, "other_seat")
    assert moves_in_store(room) == []
    assert by["UA"].move("accept").status_code == 200


def test_a_replayed_move_is_refused_and_recorded_once(playing):
    room, app, teacher, by = playing
    body = {"round": 1, "node": "ua", "role": "UA", "action": "accept", "key": "replay-key-1"}
    assert by["UA"].client.post("/api/move", json=body).status_code == 200
    for _ in range(3):
        assert "already recorded" in refused(by["UA"].client.post("/api/move", json=body), 409, "replayed")
    # The same key cannot be reused by another student either, and a fresh key for a made decision fails.
    refused(by["RU"].client.post("/api/move", json={**body, "role": "RU", "node": "ru"}), 409, "replayed")
    r = by["UA"].client.post("/api/move", json={**body, "key": "replay-key-2"})
    assert "not your turn" in refused(r, 409, "refused")
    assert moves_in_store(room) == [(1, 1, "UA", "ua", "accept", "student")]


def test_stale_unknown_and_malformed_moves_are_refused(playing):
    room, app, teacher, by = playing
    ua = by["UA"]
    assert "not an action here" in refused(ua.move("surrender"), 409, "refused")
    assert "already made" in refused(ua.move("accept", node="us_aid"), 409, "refused")
    assert "round is over" in refused(ua.move("accept", round=0), 409, "old_round")
    for bad in ({"key": "short"}, {"key": "no spaces allowed"}, {"round": "1"}, {"round": True},
                {"node": 5}, {"action": "x" * 65}):
        refused(ua.move("accept", **bad), 400, "bad_request")
    r = ua.client.post("/api/move", content=b"{not json", headers={"content-type": "application/json"})
    refused(r, 400, "bad_request")
    refused(ua.client.post("/api/move", content=b"[1, 2]", headers={"content-type": "application/json"}),
            400, "bad_request")
    refused(ua.client.post("/api/move", data={"action": "accept"}), 415, "bad_request")
    assert moves_in_store(room) == []


def test_oversize_requests_are_refused_before_they_are_read(playing):
    room, app, teacher, by = playing
    big = {"round": 1, "node": "ua", "role": "UA", "action": "accept", "key": "k" * 12, "pad": "x" * MAX_BODY}
    assert "larger than" in refused(by["UA"].client.post("/api/move", json=big), 413, "too_large")
    refused(by["UA"].client.post("/api/join", json={"nickname": "x" * (2 * MAX_BODY)}), 413, "too_large")
    refused(teacher.client.post("/api/teacher/params", headers=teacher.headers, json={"mu": "0" * MAX_BODY}),
            413, "too_large")
    assert moves_in_store(room) == [] and len(room.students) == 3


def test_moves_wait_while_the_game_is_paused(playing):
    room, app, teacher, by = playing
    teacher.do("pause")
    assert "paused" in refused(by["UA"].move("accept"), 409, "paused")
    assert by["UA"].view()["status"] == "paused"
    teacher.do("start")  # resumes
    assert by["UA"].move("accept").status_code == 200


def test_a_student_who_joins_mid_round_waits_for_the_next(playing):
    room, app, teacher, by = playing
    late = Student(app, "Late")
    assert late.view()["seat"] is None
    refused(late.move("accept", node="ua", role="UA"), 409, "no_seat")
    teacher.do("next-round")
    assert late.view()["seat"] is not None


def test_a_student_sees_nothing_of_other_groups(tmp_path):
    room, app, teacher = open_room(tmp_path)
    students = [Student(app, f"Nick-{i}") for i in range(6)]
    teacher.do("start")
    mine = students[0].view()["seat"]
    others = [s for s in students if s.view()["seat"]["group"] != mine["group"]]
    before = {k: v for k, v in students[0].view().items() if k != "version"}
    ua = next(s for s in others if s.view()["seat"]["role"] == "UA")
    assert ua.move("reject").status_code == 200
    text = students[0].client.get("/api/me").text
    assert {k: v for k, v in students[0].view().items() if k != "version"} == before
    assert all(o.nickname not in text for o in others)


def test_request_rates_are_bounded(tmp_path):
    room, app, teacher = open_room(tmp_path, student_rate=1.0, student_burst=5.0, join_rate=0.1, join_burst=3.0)
    s = Student(app, "fast")
    codes = [s.client.get("/api/me").status_code for _ in range(8)]
    assert codes.count(429) >= 3 and codes[:4] == [200] * 4
    joins = [s.client.post("/api/join", json={"nickname": f"j{i}"}).status_code for i in range(4)]
    assert joins[-1] == 429 and len(room.students) == 3


def test_pages_and_assets_come_from_the_server_itself(tmp_path):
    room, app, teacher = open_room(tmp_path)
    client = Student(app, "x").client
    for path in ("/", "/teacher", "/static/style.css", "/static/student.js", "/static/teacher.js", "/qr.svg"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "default-src 'self'" in r.headers["content-security-policy"]
    for name in ("../session.py", ".hidden.js", "missing.js", "session.py"):
        assert client.get(f"/static/{name}").status_code == 404
    static = resources.files("negosim.classroom").joinpath("static")
    for f in static.iterdir():
        text = f.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, f.name
