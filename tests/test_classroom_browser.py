"""The classroom in a real browser: headless Chromium (Debian's, driven by Playwright) plays one
ceasefire round with a teacher and three students over HTTP on loopback, and checks what each page
shows and that no page asks anything of another host. Skipped where Playwright or Chromium is missing
(`.ci/run` installs Debian's chromium when it can).

Set NEGOSIM_SCREENSHOTS=DIR to keep phone-sized and projector-sized screenshots of the pages.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium)")

from classroom_helpers import CEASEFIRE  # noqa: E402

from negosim.classroom.session import Classroom  # noqa: E402
from negosim.classroom.web import create_app  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WAIT = 30_000  # ms: the pages poll every second or so


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """A classroom served by uvicorn on a free loopback port, in a thread; yields (room, base URL)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    room = Classroom([CEASEFIRE], str(tmp_path / "state"), seed=5)
    srv = uvicorn.Server(uvicorn.Config(create_app(room, base), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield room, base
    srv.should_exit = True
    thread.join(10)
    room.store.close()


def test_a_teacher_and_three_students_play_a_ceasefire_round_in_chromium(server, tmp_path):
    room, base = server
    shots = os.environ.get("NEGOSIM_SCREENSHOTS")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        requests: list[str] = []
        try:
            teacher_ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
            teacher = teacher_ctx.new_page()
            teacher.on("request", lambda r: requests.append(r.url))
            teacher.goto(f"{base}teacher#token={room.meta['teacher_token']}")
            expect = sync_api.expect
            expect(teacher.locator("#join-url")).to_have_text(base, timeout=WAIT)
            expect(teacher.locator("#start")).to_be_disabled()  # nobody has joined yet
            students = {}
            for name in ("Ana", "Ben", "Cy"):
                page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
                page.on("request", lambda r: requests.append(r.url))
                page.goto(base)
                page.fill("#nickname", name)
                page.click("button[type=submit]")
                expect(page.locator("#status")).to_have_text("Waiting for the teacher to start the game.",
                                                             timeout=WAIT)
                students[name] = page
            expect(teacher.locator("#joined")).to_have_text("3", timeout=WAIT)
            teacher.click("#start")
            expect(teacher.locator("#status")).to_contain_text("round 1", timeout=WAIT)
            by_role = {}
            for page in students.values():
                expect(page.locator("#who")).to_contain_text("Round 1: you play", timeout=WAIT)
                text = page.locator("#who").inner_text()
                role = next(r for r in ("United States", "Ukraine", "Russia") if f"you play {r}" in text)
                by_role[role] = page
            ua, ru, us = by_role["Ukraine"], by_role["Russia"], by_role["United States"]
            expect(ua.locator("#status")).to_have_text("Your move, as Ukraine.", timeout=WAIT)
            expect(ua.locator("#turn-label")).to_have_text("Ukraine answers the US ceasefire proposal")
            expect(ru.locator("#status")).to_have_text("Waiting for Ukraine…", timeout=WAIT)
            expect(ru.locator("#actions button")).to_have_count(0)
            if shots:
                ua.screenshot(path=str(Path(shots) / "student-turn-390x844.png"), full_page=True)
            ua.get_by_role("button", name="accept").click()
            expect(ru.locator("#status")).to_have_text("Your move, as Russia.", timeout=WAIT)
            expect(ru.locator("#history")).to_have_text("Ukraine chose accept.")
            expect(us.locator("#status")).to_have_text("Waiting for Russia…", timeout=WAIT)
            ru.get_by_role("button", name="accept").click()
            for page in students.values():
                expect(page.locator("#outcome")).to_have_text("30-day truce, aid keeps flowing", timeout=WAIT)
                expect(page.locator("#prediction")).to_be_hidden()
            expect(teacher.locator("#status")).to_contain_text("1 of 1 groups finished", timeout=WAIT)
            row = teacher.locator("#outcomes tr", has_text="30-day truce, aid keeps flowing")
            expect(row.locator("td").nth(1)).to_have_text("1")
            expect(row.locator("td").nth(3)).to_have_text("–")  # the prediction is still hidden
            teacher.click("#reveal")
            expect(row.locator("td").nth(3)).to_have_text("1", timeout=WAIT)
            expect(teacher.locator("#prediction")).to_contain_text("subgame-perfect equilibrium: truce_aid")
            expect(us.locator("#prediction-text")).to_contain_text("subgame-perfect equilibrium predicts: "
                                                                   "30-day truce, aid keeps flowing", timeout=WAIT)
            if shots:
                teacher.screenshot(path=str(Path(shots) / "teacher-1920x1080.png"), full_page=True)
                us.screenshot(path=str(Path(shots) / "student-result-390x844.png"), full_page=True)
            with teacher.expect_download() as download:
                teacher.click("#csv")
            lines = Path(download.value.path()).read_text().splitlines()
            assert lines[0].startswith("round,group,role,node,action,time")
            assert [line.split(",")[2:5] for line in lines[1:]] == [["UA", "ua", "accept"], ["RU", "ru", "accept"]]
        finally:
            browser.close()
    assert requests and all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
