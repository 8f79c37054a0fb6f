"""The classroom handout (`negosim report`): one self-contained, deterministic HTML file."""

import re
from html import escape
from pathlib import Path

import pytest

from negosim.api import open_source
from negosim.present.report import render_report
from negosim.present.report.game import inline_svg
from negosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SEED = "scenarios/ceasefire_2025.yaml"
HANDOUTS = ROOT / "docs" / "classroom" / "handouts"

# Every attribute or CSS reference that makes a browser fetch something.
REFERENCE = re.compile(r"""\b(?:src|href|xlink:href|srcset|poster|data|action)\s*=\s*["']([^"']*)["']"""
                       r"""|url\(\s*["']?([^"')]*)""")


def fetched(html: str) -> list[str]:
    """The references in `html` a browser would load (everything but in-page #anchors)."""
    refs = [a or b for a, b in REFERENCE.findall(html)]
    return [r for r in refs if not r.startswith("#")]


def open_relative(path, overrides=None):
    """Open a scenario by its path relative to the repository (as the handouts name it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        return open_source(path, overrides)


@pytest.fixture(scope="module")
def seed_source():
    return open_relative(SEED)


@pytest.fixture(scope="module")
def handout(seed_source):
    return render_report(seed_source)


@pytest.fixture(scope="module")
def worksheet(seed_source):
    return render_report(seed_source, answers=False)


def copy_scenario(tmp_path, name, edit):
    text = (ROOT / "scenarios" / name).read_text()
    path = tmp_path / name
    path.write_text(edit(text))
    return str(path)


def test_seed_handout_names_the_title_every_parameter_and_every_question(handout):
    from negosim.present.report.mathml import prose_html, symbol_mathml

    sc = load_scenario(ROOT / SEED)
    assert f"<h1>{escape(sc.title)}</h1>" in handout
    for name, p in sc.parameters.items():
        row = re.search(rf"<tr><td class=\"name\"><math>{re.escape(symbol_mathml(name))}</math>(.*?)</tr>", handout)
        assert row, f"no parameter row for {name}"
        assert escape(p.description) in row.group(1)
    for q in sc.questions:
        assert prose_html(q.ask) in handout and prose_html(q.answer) in handout


def test_seed_handout_footer_has_version_scenario_hash_and_command(handout):
    from negosim import __version__

    footer = handout[handout.index('<footer class="provenance">'):]
    assert load_scenario(ROOT / SEED).sha256 in footer
    assert f"negosim {__version__}" in footer
    assert "negosim report scenarios/ceasefire_2025.yaml -o handout.html" in footer


def test_seed_handout_is_self_contained(handout):
    assert "<svg" in handout
    assert "<script" not in handout.lower()
    assert "<img" not in handout.lower() and "<link" not in handout.lower()
    assert fetched(handout) == []


def test_fetched_finds_external_references():
    # The self-containment check above can fail: it sees images, stylesheets, SVG links and CSS urls.
    assert fetched('<img src="x.png"><a href="#src-a">a</a>') == ["x.png"]
    assert fetched('<use xlink:href="http://h/x#a"/>') == ["http://h/x#a"]
    assert fetched("<style>a{background:url(https://h/i.png)}</style>") == ["https://h/i.png"]


def test_handout_ids_are_unique_across_inline_figures(handout):
    ids = re.findall(r'\bid="([^"]+)"', handout)
    assert len(ids) == len(set(ids))


def test_inline_svg_prefixes_ids_and_their_references():
    svg = ('<svg><metadata>x</metadata><defs><clipPath id="p1"/></defs>'
           '<g clip-path="url(#p1)"><use xlink:href="#g1"/></g></svg>')
    out = inline_svg(svg, "f-")
    assert 'id="f-p1"' in out and "url(#f-p1)" in out and 'href="#f-g1"' in out
    assert "<metadata>" not in out


def test_inline_svg_makes_repeated_and_spaced_ids_valid():
    out = inline_svg('<svg><g id="edge a"/><g id="edge a"/><use href="#edge a"/></svg>', "t-")
    assert re.findall(r'id="([^"]+)"', out) == ["t-edge-a", "t-edge-a-2"]
    assert 'href="#t-edge-a"' in out


def test_handout_shows_the_subgame_perfect_path_and_the_derivation(handout):
    eq = handout[handout.index('<section id="equilibria">'):handout.index('<section id="sensitivity">')]
    assert "UA accept &rarr; RU accept" in eq
    assert "<code>truce_aid</code>" in eq
    assert '<pre class="derivation">' in eq


def test_worksheet_leaves_out_answers_and_keeps_questions(worksheet):
    assert 'id="equilibria"' not in worksheet
    assert 'id="sensitivity"' not in worksheet
    assert '<pre class="derivation">' not in worksheet
    assert "Backward induction" not in worksheet
    assert "truce_aid</code>: 30-day" not in worksheet  # the equilibrium outcome is not named
    from negosim.present.report.mathml import prose_html

    sc = load_scenario(ROOT / SEED)
    for q in sc.questions:
        assert prose_html(q.ask) in worksheet
        assert prose_html(q.answer) not in worksheet
    assert "Answer." not in worksheet and 'id="key"' not in worksheet
    assert escape(sc.description.split(". ")[-1]) not in worksheet  # the teacher's text states the result
    assert escape(sc.brief.split("\n")[0]) in worksheet
    assert "<th>Choice and why</th>" in worksheet  # the backward-induction table to fill in


def test_report_is_deterministic(seed_source, handout, worksheet):
    assert render_report(seed_source) == handout
    assert render_report(seed_source, answers=False) == worksheet


def test_text_from_the_scenario_is_escaped(tmp_path):
    path = copy_scenario(
        tmp_path, "chicken.yaml",
        lambda t: t.replace("title: Chicken (brinkmanship)", "title: 'Chicken <b>& friends'")
        + '  - "<script>alert(1)</script> Who swerves?"\n',
    )
    assert load_scenario(path).questions[-1].ask.startswith("<script>")
    html = render_report(open_source(path))
    assert "<h1>Chicken &lt;b&gt;&amp; friends</h1>" in html
    assert "<b>&" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_sensitivity_section_draws_the_first_sweep_and_its_boundary():
    html = render_report(open_source(str(ROOT / "scenarios/sanctions_threat.yaml")))
    section = html[html.index('<section id="sensitivity">'):]
    section = section[:section.index("</section>")]
    assert "<svg" in section
    assert "Sweep \u2018audience_cost\u2019" in section
    # The threat becomes credible at a = cS - b = 0.1, and the Target then complies.
    assert "a = 0.1 (no_threat \u2192 complied)" in section


def test_without_sweeps_the_sensitivity_section_says_so(tmp_path):
    def drop_sweeps(text):
        head, _, tail = text.partition("\nsweeps:\n")
        return head + "\n" + tail[tail.index("\nquestions:"):]

    path = copy_scenario(tmp_path, "sanctions_threat.yaml", drop_sweeps)
    assert load_scenario(path).sweeps == {}
    html = render_report(open_source(path))
    section = html[html.index('<section id="sensitivity">'):]
    section = section[:section.index("</section>")]
    assert "declares no named sweep" in section
    assert "<svg" not in section


def test_two_by_two_handout_shows_mixed_payoffs_and_best_responses():
    html = render_report(open_source(str(ROOT / "scenarios/chicken.yaml")))
    assert "9/10 swerve + 1/10 straight" in html  # the mixed equilibrium at C = 10
    assert "expected, in the mixed equilibrium" in html  # the sweep draws its payoffs
    assert html.count("<figure") == 3  # matrix, best responses, sweep


def test_matrix_worksheet_shows_plain_payoffs_and_no_equilibrium():
    html = render_report(open_source(str(ROOT / "scenarios/chicken.yaml")), answers=False)
    game = html[html.index('<section id="game">'):]
    game = game[:game.index("</section>")]
    assert "<svg" not in game  # the matrix figure marks equilibria; the worksheet has a plain table
    assert '<span class="p0">-10</span>, <span class="p1">-10</span>' in game  # the crash cell
    assert "9/10" not in html and "mixed" not in game


def test_overrides_are_marked_and_in_the_command():
    html = render_report(open_relative(SEED, {"mu": 0.2}), answers=False)
    assert "= 0.2 *</dt>" in html
    assert "--no-answers --set mu=0.2" in html


def test_gambit_game_gets_a_handout_without_scenario_sections():
    html = render_report(open_source(str(ROOT / "tests/data/inspection.nfg")))
    assert "has no parameters" in html
    assert 'id="questions"' not in html
    assert "<svg" in html
    worksheet = render_report(open_source(str(ROOT / "tests/data/inspection.nfg")), answers=False)
    assert 'id="params"' not in worksheet and 'id="tasks"' in worksheet and 'id="appendix"' not in worksheet


def test_committed_handouts_are_self_contained():
    files = sorted(HANDOUTS.glob("*.html"))
    assert len(files) >= 8  # four lessons, answers and worksheet each
    for f in files:
        html = f.read_text()
        assert "<script" not in html.lower(), f.name
        assert fetched(html) == [], f.name
