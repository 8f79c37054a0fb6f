"""Figures of sweeps and sensitivity analyses: the regime map puts each outcome where the grid has
it, the share panels show each bin's outcome mix, the tornado sorts by swing and marks exactly the
outcome flips, the index bars are as long as the indices; every figure is deterministic and
pyplot-free, and malformed input is refused with a clear message."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from negosim.present.figures import style
from negosim.present.figures.indices import BARS, indices_figure
from negosim.present.figures.regime_map import FILL_ALPHA, factorize, regime_map_figure, side_fields, wrap_label
from negosim.present.figures.save import figure_bytes
from negosim.present.figures.shares import outcome_share_figure
from negosim.present.figures.sweep_plots import sweep_figures
from negosim.present.figures.tornado import END_STYLE, tornado_figure
from negosim.scenario import load_scenario
from negosim.sweep.engine import evaluate_points

ROOT = Path(__file__).resolve().parent.parent
CEASEFIRE = ROOT / "scenarios/ceasefire_2025.yaml"


def texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


def by_gid(fig, prefix: str) -> list:
    return [a for a in fig.findobj() if (a.get_gid() or "").startswith(prefix)]


def fills(fig) -> list:
    """The filled regions of a regime map (not the markers of thin ones)."""
    return [a for a in by_gid(fig, "regime-") if not a.get_gid().startswith("regime-marks-")]


def marks(fig) -> dict:
    """Outcome label (as in its gid) -> sorted grid points marked for it on a regime map."""
    return {ln.get_gid().split("-", 3)[3]: sorted(zip(ln.get_xdata(), ln.get_ydata()))
            for ln in by_gid(fig, "regime-marks-")}


def gid_of(fig, gid: str):
    (artist,) = [a for a in fig.findobj() if a.get_gid() == gid]
    return artist


@pytest.fixture(scope="module")
def ceasefire():
    return load_scenario(CEASEFIRE)


@pytest.fixture(scope="module")
def momentum_map(ceasefire):
    """Outcome labels of the seed scenario on a 31 x 31 grid of mu and s (both 0 to 0.3)."""
    x = np.linspace(0, 0.3, 31)
    y = np.linspace(0, 0.3, 31)
    mx, my = np.meshgrid(x, y, indexing="ij")
    labels = evaluate_points(ceasefire, {"mu": mx.ravel(), "s": my.ravel()}).labels.reshape(31, 31)
    return x, y, labels


def closed_form_outcome(mu: float, s: float, v: dict) -> str:
    """DOMAIN section 7 at baseline otherwise (sanctions credible, k <= aS): a plain truce iff
    mu + Delta <= beta (cR + cU) + s; else Russia's counter-demand (granted) iff mu <= beta (cR + cU) + s."""
    c = v["beta"] * (v["cR"] + v["cU"])
    if mu + v["Delta"] <= c + s:
        return "truce_aid"
    return "truce_frozen" if mu <= c + s else "war_sanctions"


# --- regime map ----------------------------------------------------------------------------
def test_the_seed_grid_follows_the_closed_forms_away_from_the_boundaries(momentum_map, ceasefire):
    x, y, labels = momentum_map
    v = ceasefire.values()
    c = v["beta"] * (v["cR"] + v["cU"])
    for i, mu in enumerate(x):
        for j, s in enumerate(y):
            if min(abs(s - (mu + v["Delta"] - c)), abs(s - (mu - c))) > 1e-9:
                assert labels[i, j] == closed_form_outcome(mu, s, v)


def test_regime_map_fills_each_outcome_where_the_grid_has_it(momentum_map):
    x, y, labels = momentum_map
    fig = regime_map_figure("mu", x, "s", y, labels)
    regions = {p.get_gid(): p for p in fills(fig)}
    assert not marks(fig)
    # colours in order of first appearance on the grid, scanning x-major from (0, 0)
    assert sorted(regions) == ["regime-0-truce_aid", "regime-1-truce_frozen", "regime-2-war_sanctions"]
    names = {k: g.split("-", 2)[2] for k, g in enumerate(sorted(regions))}
    checked = 0
    for i in range(1, len(x) - 1):
        for j in range(1, len(y) - 1):
            block = labels[i - 1:i + 2, j - 1:j + 2]
            if (block != labels[i, j]).any():
                continue  # next to a boundary: the drawn line may fall either side of this point
            inside = {names[k]: regions[f"regime-{k}-{names[k]}"].get_path().contains_point((x[i], y[j]))
                      for k in names}
            assert inside == {o: o == labels[i, j] for o in inside}
            checked += 1
    assert checked > 500


def _rendered(fig):
    """The figure drawn at its own size: (RGB image in [0, 1], its height in pixels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    with style.context():
        canvas.draw()
    img = np.asarray(canvas.buffer_rgba())[:, :, :3].astype(float) / 255
    return img, img.shape[0]


def test_rendered_regime_map_shows_each_regime_colour_at_its_points(momentum_map, ceasefire):
    from matplotlib.colors import to_rgb

    x, y, labels = momentum_map
    fig = regime_map_figure("mu", x, "s", y, labels)
    img, rows = _rendered(fig)
    palette = {o: (1 - FILL_ALPHA) + FILL_ALPHA * np.array(to_rgb(style.regime_style(k)[0]))
               for k, o in enumerate(["truce_aid", "truce_frozen", "war_sanctions"])}
    v = ceasefire.values()
    for mu, s in [(0.05, 0.25), (0.2, 0.12), (0.27, 0.05), (0.02, 0.01), (0.15, 0.07)]:
        px, py = fig.axes[0].transData.transform((mu, s))
        row, col = int(round(rows - py)), int(round(px))
        seen = np.median(img[row - 3:row + 4, col - 3:col + 4].reshape(-1, 3), axis=0)  # past the hatching
        nearest = min(palette, key=lambda o: np.abs(palette[o] - seen).sum())
        assert nearest == closed_form_outcome(mu, s, v)
        assert np.abs(palette[nearest] - seen).max() < 0.08


def test_regime_map_hatches_every_region_differently_and_draws_boundaries(momentum_map):
    x, y, labels = momentum_map
    fig = regime_map_figure("mu", x, "s", y, labels)
    hatches = [p.get_hatch() or "" for p in fills(fig)]
    assert len(set(hatches)) == 3
    (boundary,) = by_gid(fig, "boundaries")
    assert len(boundary.get_path().vertices) > 10


@pytest.mark.parametrize("n, slope, icpt", [(41, 0.37, 0.3), (61, 0.8, 0.1), (61, -0.5, 0.7), (41, 2.2, -0.4)])
def test_a_straight_boundary_is_drawn_straight_up_to_the_frame(n, slope, icpt):
    x = y = np.linspace(0, 1, n)
    mx, my = np.meshgrid(x, y, indexing="ij")
    labels = np.where(my > slope * mx + icpt, "above", "below").astype(object)
    fig = regime_map_figure("x", x, "y", y, labels)
    pts = gid_of(fig, "boundaries").get_path().vertices
    # distance in grid cells from the true line: within the cell the grid cannot resolve, and
    # without the zigzag (about 0.45 cells) of contouring the raw indicator
    off = np.abs(pts[:, 1] - (slope * pts[:, 0] + icpt)) / np.hypot(1, slope) * (n - 1)
    assert off.max() < 0.4
    inner = pts[(np.abs(pts - 0.5) < 0.4).all(axis=1)]
    fit = np.polyfit(inner[:, 0], inner[:, 1], 1) if abs(slope) < 1 else np.polyfit(inner[:, 1], inner[:, 0], 1)
    along, across = (inner[:, 0], inner[:, 1]) if abs(slope) < 1 else (inner[:, 1], inner[:, 0])
    wiggle = np.abs(across - np.polyval(fit, along)) / np.hypot(1, fit[0]) * (n - 1)
    assert wiggle.max() < 0.3


@pytest.mark.parametrize("sigma, refine", [(None, (1, 1)), ((2.0, 1.5), (1, 1)), ((2.0, 0.5), (3, 2))])
def test_side_fields_keep_every_grid_point_on_its_own_side(sigma, refine):
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 4, size=(25, 30))
    codes[5:15, 5:20] = 1
    g = side_fields(codes, 4, sigma, refine)
    assert g.shape == (4, 24 * refine[0] + 1, 29 * refine[1] + 1)
    for k in range(4):
        assert np.all((g[k, ::refine[0], ::refine[1]] > 0) == (codes == k))
    # the regions tile the plane: at every point of the finer grid one field is the largest and the
    # only positive one, except on boundaries (ties)
    between = np.sort(g, axis=0)
    assert np.all((between[-1] >= 0) | np.isclose(between[-1], between[-2]))


def test_tiny_and_thin_regions_are_marked_on_the_map_and_listed():
    n = 61
    x = y = np.linspace(0, 1, n)
    labels = np.full((n, n), "a", dtype=object)
    labels[:, 40:] = "b"
    labels[20, 10] = "dot"  # one grid point
    labels[:, 30] = "a + b"  # a one-point-wide line (a tie)
    fig = regime_map_figure("x", x, "y", y, labels)
    marked = marks(fig)
    assert set(marked) == {"dot", "a_+_b"}  # gids have no spaces
    assert marked["dot"] == [(x[20], y[10])]
    assert {p[1] for p in marked["a_+_b"]} == {y[30]} and len(marked["a_+_b"]) >= 5
    legend = texts(fig)
    assert "dot" in legend and "a + b" in legend  # listed although too small to see as areas


def test_regime_map_legend_names_each_outcome_without_grid_shares(momentum_map):
    x, y, labels = momentum_map
    fig = regime_map_figure("mu", x, "s", y, labels, names={"truce_aid": "Truce, aid flows"})
    drawn = texts(fig)
    assert {"Truce, aid flows (truce_aid)", "war_sanctions", "equilibrium outcome"} <= set(drawn)
    # a share of the grid reads as a probability to a class: none is printed
    assert not [t for t in drawn if "%" in t or "grid" in t or "share" in t]


def test_regime_map_axes_are_labelled_in_words_with_the_symbol(momentum_map, ceasefire):
    x, y, labels = momentum_map
    mu, s = ceasefire.parameters["mu"], ceasefire.parameters["s"]
    fig = regime_map_figure("mu", x, "s", y, labels, x_unit=mu.unit, y_unit=s.unit,
                            x_description=mu.description, y_description=s.description)
    ax = fig.axes[0]
    x_label, y_label = (" ".join(t.split()) for t in (ax.get_xlabel(), ax.get_ylabel()))
    assert x_label.startswith(mu.description.rstrip(".").split(" (")[0]) and "mu" in x_label
    assert s.unit and y_label == f"{s.description.rstrip('.')} (s, {s.unit})"
    # wrapped so the label fits along its axis: no line wider than the plot
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    plot = ax.get_window_extent(canvas.get_renderer())
    assert ax.xaxis.label.get_window_extent(canvas.get_renderer()).width <= plot.width
    assert ax.yaxis.label.get_window_extent(canvas.get_renderer()).height <= plot.height
    # without a description the symbol alone, as before
    bare = regime_map_figure("mu", x, "s", y, labels).axes[0]
    assert (bare.get_xlabel(), bare.get_ylabel()) == ("mu", "s")


def test_plot_redraws_a_regime_map_identically_with_worded_axes(tmp_path):
    from negosim.cli import main

    out = tmp_path / "sweep"
    argv = ["sweep", str(ROOT / "scenarios/ceasefire_2025.yaml"), "--vary", "mu=0:0.3:21", "--vary", "s=0:0.3:21",
            "-o", str(out)]
    assert main(argv) == 0
    first = (out / "regime-map-mu-s.png").read_bytes()
    assert main(["plot", str(out)]) == 0
    assert (out / "regime-map-mu-s.png").read_bytes() == first
    figures = dict(sweep_figures(out))
    assert "Damage new US sanctions do to Russia" in figures["regime-map-mu-s"].axes[0].get_ylabel().replace("\n", " ")


def test_overlays_are_drawn_on_top_and_listed(momentum_map, ceasefire):
    x, y, labels = momentum_map
    v = ceasefire.values()
    c = v["beta"] * (v["cR"] + v["cU"])
    mu = np.array([0.0, 0.3])
    fig = regime_map_figure("mu", x, "s", y, labels, overlays=[
        {"x": mu, "y": mu + v["Delta"] - c, "label": "s = mu + Delta - beta(cR + cU)"},
        {"x": [0.5, 0.6], "y": [0.5, 0.6], "label": "far away"}])
    line = gid_of(fig, "overlay-0-s_=_mu_+_Delta_-_beta(cR_+_cU)")
    assert np.allclose(line.get_ydata(), mu + 0.08 - 0.125)
    regions = {p.get_gid(): p for p in fills(fig)}
    assert line.get_zorder() > max(p.get_zorder() for p in regions.values())
    drawn = texts(fig)
    assert "s = mu + Delta - beta(cR + cU)" in drawn and "far away (outside this range)" in drawn


def test_one_region_fills_the_whole_map():
    fig = regime_map_figure("a", [0, 1], "b", [0, 2], [["x", "x"], ["x", "x"]])
    (region,) = fills(fig)
    assert region.get_gid() == "regime-0-x" and not marks(fig)
    assert (region.get_x(), region.get_y(), region.get_width(), region.get_height()) == (0, 0, 1, 2)
    assert "x" in texts(fig)
    assert not by_gid(fig, "boundaries")


def test_a_two_by_two_grid_with_several_equilibria_per_point():
    labels = np.array([["(a, a)", "(a, a) + (b, b)"], ["(a, a) + (b, b)", "(b, b)"]], dtype=object)
    fig = regime_map_figure("u", [0, 1], "v", [0, 1], labels)
    # each grid point's region holds the points nearer to it than to points of other outcomes
    regions = {p.get_gid().split("-", 2)[2]: p.get_path() for p in fills(fig)}
    for label, points in {"(a,_a)": [(0.1, 0.1)], "(a,_a)_+_(b,_b)": [(0.1, 0.9), (0.9, 0.1), (0.5, 0.5)],
                          "(b,_b)": [(0.9, 0.9)]}.items():
        for point in points:
            assert [k for k, path in regions.items() if path.contains_point(point)] == [label]
    assert not marks(fig)
    legend = " ".join(t.replace("\n", " ") for t in texts(fig))
    assert "(a, a) + (b, b)" in legend and "%" not in legend


def test_long_labels_wrap_after_a_plus():
    label = " + ".join(f"(action{k}, response{k})" for k in range(5))
    lines = wrap_label(label, 40).split("\n")
    assert len(lines) > 1 and all(len(ln) <= 42 for ln in lines)
    assert all(ln.endswith("+") for ln in lines[:-1])
    assert " ".join(lines) == label


def test_a_long_stretch_between_pluses_is_broken_at_its_spaces():
    label = "(a, b) + " + " ".join(f"word{k}" for k in range(12)) + " + (c, d)"
    assert wrap_label(label, 30).split("\n") == [
        "(a, b) + word0 word1 word2", "word3 word4 word5 word6 word7", "word8 word9 word10 word11 +", "(c, d)"]
    assert wrap_label("a_single_word_longer_than_the_width", 10) == "a_single_word_longer_than_the_width"


def _png_width(fig) -> int:
    data = figure_bytes(fig, "png")
    return int.from_bytes(data[16:20], "big")  # the IHDR chunk's width


def test_a_long_overlay_label_wraps_instead_of_widening_the_figure():
    x = y = np.linspace(0, 1, 11)
    labels = np.where(np.add.outer(x, y) > 1, "high", "low").astype(object)
    long = ("the closed-form boundary x + y = 1, above which both players prefer the high outcome to the "
            "low one by a wide margin now")
    assert len(long) == 120

    def drawn(label):
        return regime_map_figure("x", x, "y", y, labels, overlays=[{"x": [0, 1], "y": [1, 0], "label": label}])

    fig = drawn(long)
    (text,) = [t for t in texts(fig) if t.startswith("the closed-form")]
    assert text.count("\n") >= 1 and text.replace("\n", " ") == long
    assert abs(_png_width(fig) - _png_width(drawn("x + y = 1"))) <= 3


def test_factorize_gives_codes_in_order_of_first_appearance():
    rng = np.random.default_rng(0)
    flat = rng.choice(np.array(["war", "truce", "x + y"], dtype=object), size=500)
    codes, found = factorize(flat)
    assert found == list(dict.fromkeys(flat))
    assert [found[c] for c in codes] == list(flat)


def test_order_fixes_the_colours():
    labels = np.array([["a", "a"], ["b", "b"]], dtype=object)
    fig = regime_map_figure("u", [0, 1], "v", [0, 1], labels, order=["b"])
    assert sorted(p.get_gid() for p in fills(fig)) == ["regime-0-b", "regime-1-a"]
    assert not marks(fig)  # two halves of a 2 x 2 grid are areas, not slivers


@pytest.mark.parametrize("x, y, labels, message", [
    ([0.0], [0, 1], [["a", "a"]], "x_values must be a 1-D array of at least 2 grid values"),
    ([0, 1], [1, 0], [["a", "a"], ["a", "a"]], "y_values must be finite and strictly ascending"),
    ([0, 1], [0, 1, 2], [["a", "a"], ["a", "a"]], r"labels have shape \(2, 2\); expected \(2, 3\)"),
])
def test_regime_map_rejects_malformed_grids(x, y, labels, message):
    with pytest.raises(ValueError, match=message):
        regime_map_figure("u", x, "v", y, labels)


def test_regime_map_rejects_a_malformed_overlay():
    with pytest.raises(ValueError, match="overlay 0 must be a mapping with keys 'x', 'y' and 'label'"):
        regime_map_figure("u", [0, 1], "v", [0, 1], [["a", "a"], ["a", "a"]], overlays=[{"x": [0, 1]}])
    with pytest.raises(ValueError, match="same length"):
        regime_map_figure("u", [0, 1], "v", [0, 1], [["a", "a"], ["a", "a"]],
                          overlays=[{"x": [0, 1], "y": [0], "label": "c"}])


# --- outcome shares ------------------------------------------------------------------------
def _design():
    """400 samples: the outcome is "high" exactly when x > 0.5; y is a shuffled copy of x (no effect)."""
    x = (np.arange(400) + 0.5) / 400
    y = np.random.default_rng(7).permutation(x)
    return {"y": y, "x": x}, np.where(x > 0.5, "high", "low")


def test_share_bars_are_each_bins_outcome_mix():
    values, labels = _design()
    fig = outcome_share_figure(values, labels, ranges={"x": (0, 1), "y": (0, 1)}, bins=4)
    for b, expect_high in enumerate([0, 0, 100, 100]):
        assert gid_of(fig, f"share-x-high-{b}").get_height() == pytest.approx(expect_high)
        assert gid_of(fig, f"share-x-low-{b}").get_height() == pytest.approx(100 - expect_high)
    for b in range(4):  # y: count by hand
        inside = (values["y"] >= b / 4) & (values["y"] < (b + 1) / 4)
        share = 100 * np.mean(labels[inside] == "high")
        assert gid_of(fig, f"share-y-high-{b}").get_height() == pytest.approx(share)
        low = gid_of(fig, f"share-y-low-{b}")
        assert low.get_height() + gid_of(fig, f"share-y-high-{b}").get_height() == pytest.approx(100)


def test_share_panels_put_the_influential_parameter_first_and_flag_noise():
    values, labels = _design()
    fig = outcome_share_figure(values, labels, bins=5)
    assert [ax.get_xlabel() for ax in fig.axes] == ["x", "y"]
    titles = [ax.get_title(loc="right") for ax in fig.axes]
    assert titles[0] == "swing 100 pts" and titles[1].endswith("(noise)")
    unsorted = outcome_share_figure(values, labels, bins=5, sort=False)
    assert [ax.get_xlabel() for ax in unsorted.axes] == ["y", "x"]


def test_share_legend_gives_overall_shares_and_empty_bins_say_so():
    x = np.array([0.05, 0.1, 0.9, 0.95, 0.97])
    fig = outcome_share_figure({"x": x}, ["a", "a", "b", "b", "b"], ranges={"x": (0, 1)}, bins=4,
                               names={"b": "Bee"})
    drawn = texts(fig)
    assert "Bee (b): 60%" in drawn and "a: 40%" in drawn
    assert drawn.count("no\nsamples") == 2


@pytest.mark.parametrize("kwargs, message", [
    (dict(values={"x": [0.1, 0.2]}, labels=["a"]), r"shape \(2,\); expected \(1,\)"),
    (dict(values={"x": [0.1, 2.0]}, labels=["a", "b"], ranges={"x": (0, 1)}), "outside its range"),
    (dict(values={"x": [0.5, 0.5]}, labels=["a", "b"]), "low < high"),
    (dict(values={"x": [0.1, 0.2]}, labels=["a", "b"], bins=0), "positive integer"),
    (dict(values={}, labels=["a"]), "at least one parameter"),
])
def test_outcome_share_figure_rejects_malformed_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        outcome_share_figure(**kwargs)


# --- tornado -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def oat_data(ceasefire):
    """Each parameter of the seed alone at its declared low and high end: payoffs and outcomes."""
    names = list(ceasefire.parameters)
    base = ceasefire.values()
    P = len(names)
    points = {n: np.full(2 * P + 1, float(base[n])) for n in names}
    for j, n in enumerate(names):
        points[n][1 + j] = ceasefire.parameters[n].low
        points[n][1 + P + j] = ceasefire.parameters[n].high
    out = evaluate_points(ceasefire, points)
    pay = out.payoffs.T
    return dict(parameters=names, low=[ceasefire.parameters[n].low for n in names],
                high=[ceasefire.parameters[n].high for n in names], metric_low=pay[:, 1:P + 1],
                metric_high=pay[:, P + 1:], baseline=pay[:, 0],
                metric_names=[f"payoff of {p}" for p in ceasefire.player_ids],
                outcome_low=list(out.labels[1:P + 1]), outcome_high=list(out.labels[P + 1:]),
                baseline_outcome=out.labels[0])


def test_tornado_panels_share_one_row_order_by_relative_swing(oat_data):
    d = oat_data
    fig = tornado_figure(**d, max_rows=None)
    orders = [[t.get_text().split()[0] for t in ax.get_yticklabels()] for ax in fig.axes]
    assert orders[0] == orders[1] == orders[2]
    spread = np.zeros((3, len(d["parameters"])))
    for m in range(3):
        for j in range(len(d["parameters"])):
            vals = [d["metric_low"][m, j], d["baseline"][m], d["metric_high"][m, j]]
            spread[m, j] = np.nanmax(vals) - np.nanmin(vals)
    relative = (spread / spread.max(axis=1, keepdims=True)).max(axis=0)
    weight = [relative[d["parameters"].index(p)] for p in orders[0]]
    assert weight == sorted(weight, reverse=True) and weight[0] == 1.0


def test_tornado_draws_the_eight_that_matter_and_names_the_rest(oat_data):
    d = oat_data
    full = [t.get_text().split()[0] for t in tornado_figure(**d, max_rows=None).axes[0].get_yticklabels()]
    fig = tornado_figure(**d)
    shown = [t.get_text().split()[0] for t in fig.axes[0].get_yticklabels()]
    assert len(full) > 8 and shown == full[:8]
    (note,) = [t for t in texts(fig) if t.startswith("Smaller effects")]
    for p in full[8:]:
        assert f"{p}\u00a0" in note
    assert "changes\u00a0the\u00a0outcome" in note  # s, k, aS, beta change it but swing payoffs least
    assert len(tornado_figure(**d, max_rows=3).axes[0].get_yticklabels()) == 3
    with pytest.raises(ValueError, match="max_rows"):
        tornado_figure(**d, max_rows=0)


def _mark_box(line, fig):
    """The pixel box of a one-point Line2D's marker as drawn (its path's extent, not ms/2 each way, which
    cuts the corners off a diamond)."""
    from matplotlib.markers import MarkerStyle
    from matplotlib.transforms import Bbox

    marker = MarkerStyle(line.get_marker())
    ext = marker.get_path().transformed(marker.get_transform()).get_extents()
    scale = line.get_markersize() * fig.dpi / 72
    cx, cy = line.axes.transData.transform((line.get_xdata()[0], line.get_ydata()[0]))
    return Bbox([[cx + ext.x0 * scale, cy + ext.y0 * scale], [cx + ext.x1 * scale, cy + ext.y1 * scale]])


def test_tornado_value_labels_clear_the_marks_and_each_other(oat_data):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = tornado_figure(**oat_data)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    for m in range(3):
        labels = [(a.get_gid(), a.get_window_extent(renderer)) for a in by_gid(fig, f"value-{m}-")]
        marks = [(a.get_gid(), _mark_box(a, fig)) for a in by_gid(fig, f"outcome-change-{m}-")]
        assert labels and marks
        for gid, box in labels:
            for other, mark in marks:
                assert not box.overlaps(mark), f"{gid} overlaps {other}"
        ticks = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.axes[m].get_yticklabels()]
        everything = labels + marks + ticks
        for _k, (gid, box) in enumerate(labels):
            for other, box2 in everything:
                assert other == gid or not box.overlaps(box2), f"{gid} overlaps {other}"
        for gid, box in marks:
            for other, box2 in ticks:
                assert not box.overlaps(box2), f"{gid} overlaps {other}"


def test_tornado_prints_values_as_the_text_output_does(oat_data):
    drawn = texts(tornado_figure(**oat_data))
    assert "baseline 0.3275" in drawn and "baseline 0.328" not in drawn


def test_tornado_marks_exactly_the_ends_that_change_the_outcome(oat_data):
    d = oat_data
    fig = tornado_figure(**d, max_rows=None)
    marked = {(g.split("-")[3], g.split("-")[4], g.split("-", 5)[5])
              for g in (a.get_gid() for a in by_gid(fig, "outcome-change-0-"))}
    expected = {(p, end, o) for end, outs in (("low", d["outcome_low"]), ("high", d["outcome_high"]))
                for p, o in zip(d["parameters"], outs) if o != d["baseline_outcome"]}
    assert marked == expected
    # DOMAIN section 7: momentum past beta (cR + cU) + s means war with sanctions; no sanctions damage,
    # or sanctions too costly to be credible (k > aS), leaves Russia's counter-demand: an aid-frozen truce
    assert {("mu", "high", "war_sanctions"), ("s", "low", "truce_frozen"), ("k", "high", "truce_frozen")} <= marked
    assert not {m for m in marked if m[0] == "p"}  # leverage sets the terms, not the outcome
    bold = {t.get_text().split()[0] for t in fig.axes[0].get_yticklabels() if t.get_fontweight() == "bold"}
    assert bold == {p for p, _, _ in expected}
    assert len(by_gid(fig, "outcome-change-")) == 3 * len(expected)  # in every panel


def test_tornado_bars_run_from_baseline_to_each_end(oat_data):
    d = oat_data
    fig = tornado_figure(**d, max_rows=None)
    for m in range(3):
        for j, p in enumerate(d["parameters"]):
            for end, values in (("low", d["metric_low"]), ("high", d["metric_high"])):
                bars = by_gid(fig, f"tornado-{m}-{p}-{end}")
                if abs(values[m, j] - d["baseline"][m]) < 1e-12:
                    assert not bars
                    continue
                (bar,) = bars
                assert bar.get_x() == pytest.approx(d["baseline"][m])
                assert bar.get_x() + bar.get_width() == pytest.approx(values[m, j])
                assert bar.get_facecolor()[:3] == pytest.approx(
                    tuple(int(END_STYLE[end][0][k:k + 2], 16) / 255 for k in (1, 3, 5)))


def test_tornado_lists_parameters_without_effect_in_a_footnote(oat_data):
    fig = tornado_figure(**oat_data)
    ticks = {t.get_text().split()[0] for ax in fig.axes for t in ax.get_yticklabels()}
    still = {"theta", "g", "aF", "h"}  # at baseline Ukraine accepts and so does Russia: these never bite
    assert not ticks & still
    (note,) = [t[t.index("No effect"):] for t in texts(fig) if "No effect" in t]
    for p in still:
        assert f"{p}\u00a0\u00a00\u00a0→\u00a00.5" in note


def test_tornado_draws_nothing_for_an_undefined_end():
    fig = tornado_figure(["a", "b"], [0, 0], [1, 1], [[np.nan, 2.0]], [[3.0, 0.5]], [1.0], ["m"])
    assert not by_gid(fig, "tornado-0-a-low")
    assert by_gid(fig, "undefined-0-a-low")
    assert gid_of(fig, "tornado-0-a-high").get_width() == pytest.approx(2.0)
    assert [t.get_text().split()[0] for t in fig.axes[0].get_yticklabels()] == ["a", "b"]
    # an end where the outcome changes and the metric is undefined (say, several equilibria) is still marked
    fig = tornado_figure(["a", "b"], [0, 0], [1, 1], [[np.nan, 2.0]], [[3.0, 0.5]], [1.0], ["m"],
                         outcome_low=["mixed", "x"], outcome_high=["x", "x"], baseline_outcome="x")
    (mark,) = by_gid(fig, "outcome-change-")
    assert mark.get_gid() == "outcome-change-0-a-low-mixed" and list(mark.get_xdata()) == [1.0]
    assert "outcome becomes mixed" in texts(fig)


@pytest.mark.parametrize("kwargs, message", [
    (dict(low=[0]), "low has 1 values; expected 2"),
    (dict(metric_low=[[1.0, 2.0, 3.0]]), r"metric_low has shape \(1, 3\); expected \(1, 2\)"),
    (dict(outcome_low=["a", "a"]), "both outcome_low and outcome_high"),
    (dict(outcome_low=["a", "a"], outcome_high=["a", "b"]), "need baseline_outcome"),
    (dict(outcome_low=["a"], outcome_high=["a"], baseline_outcome="a"), "outcome_low has 1 labels; expected 2"),
])
def test_tornado_rejects_malformed_input(kwargs, message):
    args = dict(parameters=["a", "b"], low=[0, 0], high=[1, 1], metric_low=[[0.0, 1.0]], metric_high=[[1.0, 2.0]],
                baseline=[0.5], metric_names=["m"])
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        tornado_figure(**args)


# --- indices -------------------------------------------------------------------------------
def _indices():
    first = np.array([[0.50, -0.04, 0.10], [0.02, 0.30, 0.00]])
    first_conf = np.full((2, 3), 0.05)
    total = np.array([[0.60, 0.35, 0.30], [0.04, 0.70, 0.00]])  # output 0: ST ranks s above k, S1 below
    return ["mu", "s", "k"], ["P(truce_aid)", "payoff US"], first, first_conf, total, np.full((2, 3), 0.06)


def test_index_bars_are_as_long_as_the_indices_and_sorted_by_st():
    params, outputs, first, first_conf, total, total_conf = _indices()
    fig = indices_figure(params, outputs, first, first_conf, total, total_conf)
    for o in range(2):
        for j, p in enumerate(params):
            assert gid_of(fig, f"index-{o}-{p}-S1").get_width() == pytest.approx(first[o, j])
            assert gid_of(fig, f"index-{o}-{p}-ST").get_width() == pytest.approx(total[o, j])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["mu", "s", "k"]
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["s", "mu", "k"]
    # the negative S1 is drawn at its value, and said to be noise
    assert gid_of(fig, "index-0-s-S1").get_width() < 0
    assert any("below 0 are sampling noise" in t for t in texts(fig))
    # one whisker per index, from index - half-width to index + half-width
    whiskers = {c.get_gid(): c.get_segments()[0][:, 0] for c in by_gid(fig, "conf-") if hasattr(c, "get_segments")}
    assert len(whiskers) == 12
    assert np.allclose(whiskers["conf-0-mu-ST"], [0.54, 0.66])
    assert np.allclose(whiskers["conf-1-s-S1"], [0.25, 0.35])


def test_morris_bars_are_labelled_mu_star_and_sigma_without_a_sigma_interval():
    params, outputs, first, first_conf, total, _ = _indices()
    first, total = np.abs(first), np.abs(total)
    fig = indices_figure(params, outputs, first, first_conf, total, np.full((2, 3), np.nan), method="morris")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["mu", "k", "s"]  # by mu*, not sigma
    assert gid_of(fig, "index-1-s-μ*").get_width() == pytest.approx(0.30)
    assert gid_of(fig, "index-1-s-σ").get_width() == pytest.approx(0.70)
    assert not by_gid(fig, "conf-0-mu-σ") and by_gid(fig, "conf-0-mu-μ*")  # sigma has no interval
    drawn = texts(fig)
    assert "elementary effect" in drawn and any(t.startswith("μ*:") for t in drawn)
    assert [name for name, _, _ in BARS["morris"]] == ["μ*", "σ"]


def test_sobol_values_beyond_the_display_are_clipped_and_labelled():
    fig = indices_figure(["a", "b"], ["y"], [[2.5, 0.1]], [[0.0, 0.0]], [[3.0, 0.2]], [[0.0, 0.0]])
    bar = gid_of(fig, "index-0-a-ST")
    assert bar.get_width() < 1.5 and "3" in texts(fig) and "2.5" in texts(fig)


def test_an_output_that_never_varies_says_so():
    fig = indices_figure(["a"], ["P(rare)"], [[0.0]], [[0.0]], [[0.0]], [[0.0]])
    assert by_gid(fig, "no-variation-0")


@pytest.mark.parametrize("kwargs, message", [
    (dict(method="fast"), "method must be 'sobol' or 'morris'"),
    (dict(first=np.zeros((3, 2))), r"first has shape \(3, 2\); expected \(2, 3\)"),
    (dict(total_conf=np.full((2, 3), np.inf)), "infinite"),
])
def test_indices_figure_rejects_malformed_input(kwargs, message):
    params, outputs, first, first_conf, total, total_conf = _indices()
    args = dict(parameters=params, outputs=outputs, first=first, first_conf=first_conf, total=total,
                total_conf=total_conf)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        indices_figure(**args)


# --- all figures ---------------------------------------------------------------------------
def _all_figures(momentum_map, oat_data):
    x, y, labels = momentum_map
    values, share_labels = _design()
    return [regime_map_figure("mu", x, "s", y, labels, overlays=[{"x": [0, 0.3], "y": [0, 0.3], "label": "s = mu"}]),
            outcome_share_figure(values, share_labels),
            tornado_figure(**oat_data),
            indices_figure(*_indices())]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_sweep_figures_are_deterministic(momentum_map, oat_data, fmt):
    first = [figure_bytes(f, fmt) for f in _all_figures(momentum_map, oat_data)]
    second = [figure_bytes(f, fmt) for f in _all_figures(momentum_map, oat_data)]
    assert first == second
    assert len(set(first)) == 4


def test_sweep_figures_do_not_import_pyplot():
    code = """
import sys
import numpy as np
from negosim.present.figures.regime_map import regime_map_figure
from negosim.present.figures.shares import outcome_share_figure
from negosim.present.figures.tornado import tornado_figure
from negosim.present.figures.indices import indices_figure
from negosim.present.figures.save import figure_bytes
figs = [regime_map_figure("x", [0, 1, 2], "y", [0, 1], [["a", "b"], ["a", "b"], ["b", "b"]]),
        outcome_share_figure({"p": [0.1, 0.9]}, ["a", "b"]),
        tornado_figure(["p"], [0], [1], [[0.0]], [[2.0]], [1.0], ["m"]),
        indices_figure(["p"], ["y"], [[0.5]], [[0.1]], [[0.6]], [[0.1]])]
for f in figs:
    figure_bytes(f, "png")
print("matplotlib.pyplot" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
