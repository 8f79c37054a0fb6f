"""The handout in a real browser: headless Chromium loads it with no network request, screenshots it
and prints it to PDF. Skipped where no Chromium is installed (`.ci/run` installs Debian's `chromium`
when it can).

Chromium is started with a proxy on a closed loopback port and a resolver that resolves nothing, so
no request can leave the machine, and with a net log, which records every request the page makes:
a self-contained page makes none.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from negosim.api import open_source
from negosim.present.report import render_report

ROOT = Path(__file__).resolve().parents[1]
BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (Debian: apt-get install chromium)")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check", "--hide-scrollbars",
    "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
]


def chromium(tmp_path, page: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on `page` with a fresh profile; return the finished process."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )


def page_requests(net_log: Path) -> list[str]:
    """URLs the page itself asked the network for (Chromium's own background requests excluded).

    A page's requests carry the page's (file://) network isolation key; the browser's own
    (update checks and the like) carry none or another.
    """
    log = json.loads(net_log.read_text())
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        e["params"]["url"]
        for e in log["events"]
        if e["type"] == start and "url" in e.get("params", {})
        and "file://" in str(e["params"].get("network_isolation_key", ""))
    ]


@pytest.fixture(scope="module")
def handout_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("handout") / "handout.html"
    path.write_text(render_report(open_source(str(ROOT / "scenarios/ceasefire_2025.yaml"))), encoding="utf-8")
    return path


def test_handout_loads_without_any_network_request(tmp_path, handout_file):
    net_log = tmp_path / "net.json"
    done = chromium(tmp_path, handout_file, f"--log-net-log={net_log}", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<h1>US-brokered 30-day ceasefire, March 2025</h1>" in done.stdout  # the DOM was built
    assert "<svg" in done.stdout
    assert page_requests(net_log) == []


def test_net_log_check_sees_a_page_request(tmp_path):
    # The check above can fail: a page with one image on a (closed) loopback port is caught.
    page = tmp_path / "fetching.html"
    page.write_text('<!DOCTYPE html><title>t</title><img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    net_log = tmp_path / "net.json"
    assert chromium(tmp_path, page, f"--log-net-log={net_log}", "--dump-dom").returncode == 0
    assert page_requests(net_log) == ["http://127.0.0.1:9/x.png"]


def test_handout_screenshots_and_prints_to_pdf(tmp_path, handout_file):
    png, pdf = tmp_path / "handout.png", tmp_path / "handout.pdf"
    shot = chromium(tmp_path, handout_file, f"--screenshot={png}", "--window-size=1200,2000")
    assert shot.returncode == 0, shot.stderr[-2000:]
    printed = chromium(tmp_path, handout_file, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert printed.returncode == 0, printed.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 50_000
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert 3 <= pages <= 12  # the whole handout, on a sensible number of pages


# --- the worksheet on paper -------------------------------------------------------------------

LESSONS = ("ceasefire_2025", "sanctions_threat", "chicken", "ceasefire_pd")
PAPER = {"A4": (595, 842), "Letter": (612, 792)}  # points


def printed_pages(tmp_path, html: str, paper: str, name: str):
    """Print `html` on `paper` with Chromium; return the PDF's pages (pypdf) after checking their size."""
    pypdf = pytest.importorskip("pypdf")
    page = tmp_path / f"{name}-{paper}.html"
    # The handout sets no paper size (it prints on the reader's); here the paper is chosen.
    page.write_text(html.replace("</style>", f"@page {{ size: {paper}; }}</style>", 1), encoding="utf-8")
    pdf = tmp_path / f"{name}-{paper}.pdf"
    done = chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert done.returncode == 0, done.stderr[-2000:]
    pages = pypdf.PdfReader(str(pdf)).pages
    width, height = (round(float(v)) for v in pages[0].mediabox[2:])
    assert (width, height) == PAPER[paper]
    return pages


def words(text: str) -> str:
    """Text with its whitespace collapsed and ligatures (the PDF's "ﬁ") spelt out."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_worksheet_prints_on_at_most_two_pages(tmp_path, lesson, paper):
    source = open_source(str(ROOT / f"scenarios/{lesson}.yaml"))
    html = render_report(source, answers=False)
    pages = printed_pages(tmp_path, html, paper, lesson)
    assert len(pages) <= 2, f"{lesson} worksheet on {paper}: {len(pages)} pages"
    texts = [words(p.extract_text()) for p in pages]
    # No page holds only the footer: the last page has more than the provenance lines.
    last = texts[-1]
    assert len(last[: last.find("Made with")]) > 200 if "Made with" in last else len(last) > 200
    # No table row is split across pages: every decision's situation is whole on one page.
    game = source.game
    if hasattr(game, "nodes"):
        for node in game.nodes:
            if node.kind == "decision":
                assert any(words(node.label) in t for t in texts), f"{node.label!r} split or missing"
    # The questions are all there, each whole on one page.
    for q in source.scenario.questions:
        head = words(q.ask.split("$")[0])[:60]
        assert any(head in t for t in texts), f"question {head!r} split or missing"


@pytest.mark.parametrize("lesson", ["ceasefire_2025", "sanctions_threat"])
def test_the_appendix_adds_pages_and_the_answer_key_is_longer(tmp_path, lesson):
    source = open_source(str(ROOT / f"scenarios/{lesson}.yaml"))
    plain = printed_pages(tmp_path, render_report(source, answers=False), "A4", lesson + "-w")
    appendix = printed_pages(tmp_path, render_report(source, answers=False, appendix=True), "A4", lesson + "-a")
    assert len(appendix) > len(plain)
    text = words(" ".join(p.extract_text() for p in appendix))
    assert "Appendix: parameters and sources" in text and "Idea from" in text
