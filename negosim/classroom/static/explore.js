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
    range.addEventListener("input", () => { out.textContent = fmt(range.value); schedule(); });
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
  solve();
}

$("scenario").addEventListener("change", () => { scenario = Number($("scenario").value); load(); });
$("reset").addEventListener("click", () => {
  for (const input of $("params").querySelectorAll("input[type=range]")) {
    input.value = input.dataset.baseline;
    input.dispatchEvent(new Event("input"));
  }
});
load();
