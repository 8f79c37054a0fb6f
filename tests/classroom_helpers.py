"""Helpers for the classroom tests: a session on a temporary state folder, students and a teacher."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402

from negosim.classroom.session import Classroom  # noqa: E402
from negosim.classroom.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CEASEFIRE = str(ROOT / "scenarios" / "ceasefire_2025.yaml")
PD = str(ROOT / "scenarios" / "prisoners_dilemma.yaml")
POKER = str(ROOT / "tests" / "data" / "one_card_poker.efg")
_keys = itertools.count()


class Student:
    """One student's browser: its own cookie jar."""

    def __init__(self, app, nickname: str):
        self.client = TestClient(app)
        self.nickname = nickname
        r = self.client.post("/api/join", json={"nickname": nickname})
        assert r.status_code == 200, r.text

    def view(self) -> dict:
        r = self.client.get("/api/me")
        assert r.status_code == 200, r.text
        return r.json()

    def move(self, action_: str, *, key: str | None = None, **override):
        v = self.view()
        body = {"round": v["round"], "node": (v.get("turn") or {}).get("node", "?"),
                "role": v["seat"]["role"] if v["seat"] else "?", "action": action_,
                "key": key or f"key-{next(_keys):08d}", **override}
        return self.client.post("/api/move", json=body)


class Teacher:
    def __init__(self, app, token: str):
        self.client = TestClient(app)
        self.headers = {"X-Teacher-Token": token}

    def do(self, action: str, body: object = None):
        return self.client.post(f"/api/teacher/{action}", headers=self.headers, json={} if body is None else body)

    def state(self) -> dict:
        r = self.client.get("/api/teacher/state", headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()


def open_room(tmp_path, *files: str, seed: int = 7, **rates):
    """(room, app, teacher) for a fresh session on `tmp_path`."""
    room = Classroom(list(files or [CEASEFIRE]), str(tmp_path / "state"), seed=seed)
    app = create_app(room, "http://127.0.0.1:8765/", **rates)
    return room, app, Teacher(app, room.meta["teacher_token"])


def moves_in_store(room) -> list[tuple]:
    return room.store.rows("SELECT round, grp, role, node, action, seat FROM moves ORDER BY id")
