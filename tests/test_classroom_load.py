"""A class of 200 simulated students through 10 rounds of the ceasefire, in process (httpx's ASGI
transport: the real application and SQLite store, no sockets), with polling, random choices and
deliberately repeated requests. Checks that every acknowledged choice is stored exactly once and
nothing else is; prints request latency percentiles (not asserted: the machine's load varies).

The class size and the number of rounds are fixed, and a generous deadline turns a hang into a
failure rather than a stuck test run.
"""

from __future__ import annotations

import asyncio
import random
import time

import pytest
from classroom_helpers import open_room

httpx = pytest.importorskip("httpx")

STUDENTS, ROUNDS, DEADLINE = 200, 10, 900.0
POLL = 0.15  # seconds between a student's polls: about 7 requests a second, as the page does at most


async def student(app, n: int, rng: random.Random, acked: list, latencies: list, done: asyncio.Event):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://classroom") as client:
        async def call(method: str, path: str, **kw):
            t = time.perf_counter()
            r = await client.request(method, path, **kw)
            latencies.append(time.perf_counter() - t)
            assert r.status_code != 429, "the simulated students poll slower than the rate limit"
            return r

        r = await call("POST", "/api/join", json={"nickname": f"student-{n:03d}"})
        assert r.status_code == 200
        while not done.is_set():
            v = (await call("GET", "/api/me")).json()
            turn = v.get("turn")
            if turn and v["status"] == "playing":
                body = {"round": v["round"], "node": turn["node"], "role": v["seat"]["role"],
                        "action": rng.choice(turn["actions"]), "key": f"s{n:03d}-r{v['round']}-{turn['node']}"}
                r = await call("POST", "/api/move", json=body)
                if r.status_code == 200:
                    acked.append((v["round"], v["seat"]["group"], body["role"], body["node"], body["action"]))
                    if rng.random() < 0.1:  # a retry after a lost answer: must be refused, not counted
                        again = await call("POST", "/api/move", json=body)
                        assert again.status_code == 409 and again.json()["error"] == "replayed"
                else:
                    assert r.status_code == 409, r.text  # e.g. the teacher moved on to the next round
            await asyncio.sleep(POLL * (0.5 + rng.random()))


async def lesson(tmp_path):
    room, app, _ = open_room(tmp_path, seed=2025)
    token = {"X-Teacher-Token": room.meta["teacher_token"]}
    acked: list = []
    latencies: list = []
    done = asyncio.Event()
    tasks = [asyncio.create_task(student(app, n, random.Random(n), acked, latencies, done)) for n in range(STUDENTS)]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://classroom") as teacher:
        while len(room.students) < STUDENTS:
            await asyncio.sleep(0.05)
        for rnd in range(1, ROUNDS + 1):
            r = await teacher.post("/api/teacher/start" if rnd == 1 else "/api/teacher/next-round", headers=token,
                                   json={})
            assert r.status_code == 200, r.text
            while True:
                state = (await teacher.get("/api/teacher/state", headers=token)).json()
                if state["finished"] == len(state["groups"]):
                    break
                await asyncio.sleep(0.2)
        done.set()
    await asyncio.gather(*tasks)
    return room, acked, latencies


def test_two_hundred_students_ten_rounds_no_choice_lost_or_duplicated(tmp_path):
    started = time.perf_counter()
    room, acked, latencies = asyncio.run(asyncio.wait_for(lesson(tmp_path), DEADLINE))
    wall = time.perf_counter() - started
    stored = [tuple(r) for r in room.store.rows(
        "SELECT round, grp, role, node, action FROM moves WHERE seat = 'student' ORDER BY id")]
    assert sorted(stored) == sorted(acked)  # nothing lost, nothing duplicated, nothing unacknowledged
    assert len(set(stored)) == len(stored)
    assert {r for r, *_ in stored} == set(range(1, ROUNDS + 1))
    # Every group of every round finished: 67 groups a round (one with a computer seat).
    finished = room.store.rows("SELECT COUNT(DISTINCT round || '/' || grp) FROM seats")[0][0]
    assert finished == ROUNDS * 67
    lat = sorted(latencies)
    pct = {p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000 for p in (50, 90, 99)}
    print(f"\n{STUDENTS} students, {ROUNDS} rounds: {len(stored)} choices, {len(lat)} requests in {wall:.1f} s; "
          f"latency p50 {pct[50]:.1f} ms, p90 {pct[90]:.1f} ms, p99 {pct[99]:.1f} ms, max {lat[-1] * 1000:.1f} ms")
