// negosim explorer: sliders for every parameter; each move asks the server for the equilibrium at the
// new values (a few milliseconds of solving) and redraws the sentence and the game.
"use strict";
const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.hash.slice(1)).get("token");
let scenario = 0;
let info = null;
let asked = 0;
let shown = 0;
let timer = null;

function fmt(x) { return Number(x).toFixed(3).replace(/\.?0+$/, ""); }
function el(tag, content, cls) {
  const e = document.createElement(tag);
  if (content !== undefined && content !== null) e.textContent = content;
  if (cls) e.className = cls;
  return e;
}
async function get(path) {
  const response = await fetch(path, {headers: token ? {"X-Teacher-Token": token} : {}});
  return {status: response.status, data: await response.json()};
}

function values() {
  const q = new URLSearchParams({scenario});
  for (const input of $("params").querySelectorAll("input[type=range]")) q.set(input.dataset.name, input.value);
  return q;
}

async function solve() {
  const id = ++asked;
  const started = performance.now();
  const {status, data} = await get(`/api/explore/solve?${values()}`);
  if (id < shown) return;  // an older answer arriving late: a newer one is already on screen
  shown = id;
  if (status !== 200) { $("error").textContent = data.message; return; }
  $("error").textContent = "";
  $("sentence").textContent = data.sentence;
  $("timing").textContent = `Solved in ${fmt(data.solve_ms)} ms on the server; ` +
    `${fmt(performance.now() - started)} ms from the request to this answer.`;
  $("timing").dataset.roundtrip = String(performance.now() - started);
  $("game").replaceChildren(data.tree ? drawTree(data.tree) : drawMatrix(data));
}

function payoffText(payoffs) { return Object.entries(payoffs).map(([p, v]) => `${p} ${fmt(v)}`).join(", "); }

function drawTree(node) {
  const ul = el("ul", null, "tree");
  ul.append(drawNode(node));
  return ul;
}

function drawNode(node) {
  const li = el("li");
  if (node.outcome !== undefined) {
    li.append(el("span", `${node.label} (${payoffText(node.payoffs)})`, node.reach > 0 ? "on-path" : "off-path"));
    return li;
  }
  li.append(el("span", `${node.who}` + (node.label ? `: ${node.label}` : ""), node.reach > 0 ? "on-path" : ""));
  const ul = el("ul");
  for (const a of node.actions) {
    const item = drawNode(a.child);
    const tag = el("span", `${a.action}` + (a.prob > 0 && a.prob < 1 ? ` (${fmt(a.prob)})` : "") + " → ",
      a.prob > 0 ? "chosen" : "muted");
    item.prepend(tag);
    ul.append(item);
  }
  li.append(ul);
  return li;
}

function drawMatrix(data) {
  const m = data.matrix;
  if (!m) {
    const p = el("p", "Outcomes: " + Object.entries(data.outcomes).map(([o, q]) => `${o} ${fmt(q)}`).join("; "));
    return p;
  }
  const table = el("table", null, "matrix");
  const caption = el("caption", `${m.players[0]} chooses a row, ${m.players[1]} a column; ` +
    "payoffs (row, column); equilibrium cells in bold with their probability.");
  table.append(caption);
  const head = el("tr");
  head.append(el("th"));
  for (const c of m.cols) head.append(el("th", c));
  table.append(head);
  m.rows.forEach((r, i) => {
    const tr = el("tr");
    tr.append(el("th", r));
    m.cells[i].forEach((cell) => {
      const td = el("td", `${fmt(cell.payoffs[0])}, ${fmt(cell.payoffs[1])}` +
        (cell.prob > 0 && cell.prob < 1 ? ` (${fmt(cell.prob)})` : ""), cell.prob > 0 ? "chosen" : "");
      tr.append(td);
    });
    table.append(tr);
  });
  return table;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(solve, 15);  // coalesce a burst of slider events into one request
}

// --- the regime map: the outcome over two parameters, the others at the sliders' values -------------
// Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), then greys.
const PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
  "#555555", "#DDDDDD"];
// The SVG namespace, as the HTML parser assigns it (so that no URL appears in the page's scripts at all).
const SVG = (() => { const d = document.createElement("div"); d.innerHTML = "<svg></svg>"; return d.firstChild.namespaceURI; })();
let map = null;
let mapAsked = 0;
let mapTimer = null;

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function sliderValue(name) {
  const input = $("params").querySelector(`input[data-name="${CSS.escape(name)}"]`);
  return input ? Number(input.value) : null;
}

async function loadMap() {
  const x = $("map-x").value;
  if (!x) return;
  const y = $("map-y").value;
  const q = values();
  q.delete(x);  // the axes are varied over the map: their slider values are not fixed values
  if (y) q.delete(y);
  q.set("map_x", x);
  if (y) q.set("map_y", y);
  const id = ++mapAsked;
  const {status, data} = await get(`/api/explore/map?${q}`);
  if (id !== mapAsked) return;
  if (status !== 200) { $("map-note").textContent = data.message; $("map").replaceChildren(); map = null; return; }
  map = data;
  drawMap();
}

function scheduleMap() {
  clearTimeout(mapTimer);
  mapTimer = setTimeout(loadMap, 120);
}

function drawMap() {
  if (!map) return;
  // drawn at the size it is shown, so that the axis text stays legible on a phone
  const W = Math.max(300, Math.min(720, $("map").clientWidth || 600));
  const H = map.y ? Math.round(W * 0.5) + 56 : 90, left = 58, bottom = 46, top = 10, right = 12;
  const plotW = W - left - right, plotH = H - top - bottom;
  const nx = map.codes[0].length, ny = map.codes.length;
  const cw = plotW / nx, ch = plotH / ny;
  const root = svg("svg", {viewBox: `0 0 ${W} ${H}`, "font-size": "15", "font-family": "system-ui, sans-serif",
    "shape-rendering": "crispEdges"});
  map.codes.forEach((row, j) => {
    // one rectangle per run of equal cells: fewer elements, no hairline seams
    let start = 0;
    for (let i = 1; i <= nx; i++) {
      if (i === nx || row[i] !== row[start]) {
        const yPix = top + (ny - 1 - j) * ch;  // the first row is the lowest value of y: drawn at the bottom
        const r = svg("rect", {x: left + start * cw, y: yPix, width: (i - start) * cw + 0.5, height: ch + 0.5,
          fill: PALETTE[row[start] % PALETTE.length]});
        r.append(svg("title", {}, map.regimes[row[start]].name));
        root.append(r);
        start = i;
      }
    }
  });
  root.append(svg("rect", {x: left, y: top, width: plotW, height: plotH, fill: "none", stroke: "#111"}));
  const ax = map.x;
  root.append(svg("text", {x: left, y: H - bottom + 18}, fmt(ax.low)));
  root.append(svg("text", {x: left + plotW, y: H - bottom + 18, "text-anchor": "end"}, fmt(ax.high)));
  root.append(svg("text", {x: left + plotW / 2, y: H - 8, "text-anchor": "middle", "font-weight": "600"}, ax.name));
  if (map.y) {
    root.append(svg("text", {x: left - 6, y: top + plotH, "text-anchor": "end"}, fmt(map.y.low)));
    root.append(svg("text", {x: left - 6, y: top + 14, "text-anchor": "end"}, fmt(map.y.high)));
    root.append(svg("text", {x: left - 6, y: top + plotH / 2, "text-anchor": "end", "font-weight": "600"}, map.y.name));
  }
  // the current point: where the sliders are (clamped to the map's range, said in the note)
  const vx = sliderValue(ax.name), vy = map.y ? sliderValue(map.y.name) : null;
  const fx = Math.min(1, Math.max(0, (vx - ax.low) / (ax.high - ax.low || 1)));
  const fy = map.y ? Math.min(1, Math.max(0, (vy - map.y.low) / (map.y.high - map.y.low || 1))) : 0.5;
  const px = left + fx * plotW, py = top + (1 - fy) * plotH;
  root.append(svg("circle", {cx: px, cy: py, r: 9, fill: "#fff", stroke: "#111", "stroke-width": 3, id: "map-point"}));
  root.append(svg("circle", {cx: px, cy: py, r: 3, fill: "#111"}));
  $("map").replaceChildren(root);
  $("map").setAttribute("aria-label", `Regime map over ${ax.name}` + (map.y ? ` and ${map.y.name}` : "") +
    ": " + map.regimes.map((r) => r.name).join("; "));
  $("map-legend").replaceChildren(...map.regimes.map((r, k) => {
    const li = el("li");
    const sw = el("span", null, "swatch");
    sw.style.background = PALETTE[k % PALETTE.length];
    li.append(sw, el("span", r.name));
    return li;
  }));
  const outside = (vx < ax.low || vx > ax.high) || (map.y && (vy < map.y.low || vy > map.y.high));
  $("map-note").textContent = "The ring is the current point" + (outside ? " (outside the map's range: drawn at its edge)" : "") +
    `. Other parameters at the sliders' values; ${nx}` + (map.y ? ` × ${ny}` : "") +
    ` points solved in ${fmt(map.solve_ms)} ms.`;
}

function drawAxes(axes, params) {
  const names = params.map((p) => p.name);
  const order = axes.concat(names.filter((n) => !axes.includes(n)));
  const px = $("map-x"), py = $("map-y");
  px.replaceChildren(...order.map((n) => { const o = el("option", n); o.value = n; return o; }));
  py.replaceChildren(el("option", "(none)"), ...order.map((n) => { const o = el("option", n); o.value = n; return o; }));
  py.options[0].value = "";
  px.value = order[0] || "";
  py.value = order.length > 1 ? order[1] : "";
  $("map-card").classList.toggle("hidden", !order.length);
}

function drawParams(params) {
  const form = $("params");
  if (!params.length) { form.replaceChildren(el("p", "This game has no parameters.", "muted")); return; }
  form.replaceChildren(...params.map((p) => {
    const row = el("div", null, "param");
    const label = el("label", p.name);
    label.htmlFor = `slider-${p.name}`;
    const range = document.createElement("input");
    range.type = "range";
    range.id = `slider-${p.name}`;
    range.min = p.low; range.max = p.high; range.step = (p.high - p.low) / 200; range.value = p.value;
    range.dataset.name = p.name;
    range.dataset.baseline = p.value;
    const out = el("output", fmt(p.value));
    out.htmlFor = range.id;
    range.addEventListener("input", () => {
      out.textContent = fmt(range.value);
      schedule();
      // moving an axis parameter only moves the ring; any other parameter redraws the regimes
      if (p.name === $("map-x").value || p.name === $("map-y").value) drawMap(); else scheduleMap();
    });
    const desc = el("p", p.description + (p.unit ? ` (${p.unit})` : ""), "muted small span");
    row.append(label, range, out, desc);
    return row;
  }));
}

async function load() {
  const {status, data} = await get(`/api/explore/info?scenario=${scenario}`);
  if (status !== 200) { $("error").textContent = data.message; return; }
  info = data;
  $("title").textContent = data.title;
  const pick = $("scenario");
  if (data.scenarios.length > 1 && !pick.options.length) {
    data.scenarios.forEach((t, i) => { const o = el("option", t); o.value = i; pick.append(o); });
    $("scenario-pick").classList.remove("hidden");
  }
  drawParams(data.parameters);
  drawAxes(data.map_axes || [], data.parameters);
  solve();
  loadMap();
}

for (const id of ["map-x", "map-y"]) $(id).addEventListener("change", () => {
  if ($("map-x").value === $("map-y").value) $("map-y").value = "";
  loadMap();
});
$("scenario").addEventListener("change", () => { scenario = Number($("scenario").value); load(); });
$("reset").addEventListener("click", () => {
  for (const input of $("params").querySelectorAll("input[type=range]")) {
    input.value = input.dataset.baseline;
    input.dispatchEvent(new Event("input"));
  }
});
load();
window.addEventListener("resize", () => { clearTimeout(mapTimer); mapTimer = setTimeout(drawMap, 100); });
