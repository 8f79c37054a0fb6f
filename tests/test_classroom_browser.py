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


class Serving:
    """An ASGI app served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, make_app):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}/"
        self.server = uvicorn.Server(uvicorn.Config(make_app(self.base), host="127.0.0.1", port=port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "the server did not start"
            time.sleep(0.05)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def server(tmp_path):
    """A classroom on a free loopback port; yields (room, base URL)."""
    room = Classroom([CEASEFIRE], str(tmp_path / "state"), seed=5)
    serving = Serving(lambda base: create_app(room, base))
    yield room, serving.base
    serving.stop()
    room.store.close()


MOVE_SLIDER = """async ([name, value]) => {
  const sentence = document.getElementById("sentence");
  const changed = new Promise((resolve) => new MutationObserver(resolve).observe(sentence, {childList: true}));
  const slider = document.getElementById("slider-" + name);
  const t0 = performance.now();
  slider.value = value;
  slider.dispatchEvent(new Event("input"));
  await changed;
  return performance.now() - t0;
}"""


REGIME_UNDER_RING = """() => {
  const ring = document.getElementById("map-point").getBoundingClientRect();
  const x = ring.left + ring.width / 2, y = ring.top + ring.height / 2;
  const cell = [...document.querySelectorAll("#map rect")].find((r) => {
    const b = r.getBoundingClientRect();
    return r.querySelector("title") && b.left <= x && x <= b.right && b.top <= y && y <= b.bottom;
  });
  return cell ? cell.querySelector("title").textContent : null;
}"""


def test_the_explorer_redraws_the_equilibrium_when_a_slider_moves(tmp_path):
    from negosim.api import open_source
    from negosim.classroom.web import create_explorer_app

    serving = Serving(lambda base: create_explorer_app([open_source(CEASEFIRE)]))
    shots = os.environ.get("NEGOSIM_SCREENSHOTS")
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for size in ({"width": 390, "height": 844}, {"width": 1920, "height": 1080}):
                    page = browser.new_context(viewport=size).new_page()
                    requests: list[str] = []
                    page.on("request", lambda r, seen=requests: seen.append(r.url))
                    page.goto(serving.base + "explore")
                    expect = sync_api.expect
                    expect(page.locator("#sentence")).to_contain_text("Ukraine chooses accept, then Russia chooses "
                                                                      "accept", timeout=WAIT)
                    took = [page.evaluate(MOVE_SLIDER, ["mu", v]) for v in (0.2, 0.05) * 10]
                    page.evaluate(MOVE_SLIDER, ["mu", 0.2])
                    expect(page.locator("#sentence")).to_contain_text("Russia chooses reject, then United States "
                                                                      "chooses impose")
                    expect(page.locator("output[for=slider-mu]")).to_have_text("0.2")
                    # The regime map (p across, mu up): the cell under the ring names the outcome the sentence
                    # gives, at the baseline and after the move.
                    expect(page.locator("#map-legend li")).to_have_count(3)
                    expect(page.locator("#map-point")).to_have_count(1)
                    assert page.evaluate(REGIME_UNDER_RING) == "War goes on, US sanctions imposed on Russia"
                    page.evaluate(MOVE_SLIDER, ["mu", 0.05])
                    expect(page.locator("#sentence")).to_contain_text("Russia chooses accept")
                    assert page.evaluate(REGIME_UNDER_RING) == "30-day truce, aid keeps flowing"
                    took.sort()
                    print(f"\nexplorer at {size['width']}x{size['height']}: slider move to redrawn sentence "
                          f"median {took[len(took) // 2]:.1f} ms, max {took[-1]:.1f} ms over {len(took)} moves")
                    if shots:
                        page.screenshot(path=str(Path(shots) / f"explore-{size['width']}x{size['height']}.png"),
                                        full_page=True)
                    assert all(url.startswith(serving.base) for url in requests)
            finally:
                browser.close()
    finally:
        serving.stop()


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
            # After the reveal, the QRE that fits the class is shown next to the equilibrium.
            expect(teacher.locator("#qre")).to_contain_text("logit QRE", timeout=WAIT)
            # Round two by the strategy method: every student states a full plan on one form.
            teacher.check("#strategy")
            expect(teacher.locator("#strategy")).to_be_checked(timeout=WAIT)
            teacher.click("#next-round")
            expect(teacher.locator("#status")).to_contain_text("strategy method, 0 plans in", timeout=WAIT)
            plans = {"United States": ["impose", "refuse", "hold", "continue"], "Ukraine": ["reject"],
                     "Russia": ["counter", "reject"]}
            for page in students.values():
                expect(page.locator("#who")).to_contain_text("Round 2: you play", timeout=WAIT)
                role = next(r for r in plans if f"you play {r}" in page.locator("#who").inner_text())
                expect(page.locator("#plan fieldset")).to_have_count(len(plans[role]), timeout=WAIT)
                for k, action in enumerate(plans[role]):
                    page.locator("#plan fieldset").nth(k).get_by_label(action, exact=True).check()
                if shots and role == "United States":
                    page.screenshot(path=str(Path(shots) / "student-plan-390x844.png"), full_page=True)
                page.click("#send-plan")
                expect(page.locator("#my-plan")).to_be_visible(timeout=WAIT)
            for page in students.values():  # Ukraine rejects and the US continues aid: the plans say so
                expect(page.locator("#outcome")).to_have_text("War goes on, aid continues despite Ukraine's refusal",
                                                              timeout=WAIT)
            expect(teacher.locator("#decisions h3").first).to_contain_text("planned choices", timeout=WAIT)
            expect(teacher.locator("#status")).to_contain_text("3 plans in")
        finally:
            browser.close()
    assert requests and all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
