// negosim classroom, the teacher's page: the token comes from the URL fragment (#token=...), which
// the browser never sends to the server; it goes in a header with each API request.
"use strict";
const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";
let state = null;
let editing = false;

function text(id, value) { $(id).textContent = value; }
function fmt(x) { return Number(x).toFixed(3).replace(/\.?0+$/, ""); }
function el(tag, content, cls) {
  const e = document.createElement(tag);
  if (content !== undefined && content !== null) e.textContent = content;
  if (cls) e.className = cls;
  return e;
}
function bar(share) {
  const p = document.createElement("progress");
  p.max = 1;
  p.value = share;
  p.textContent = fmt(share);
  return p;
}

async function api(path, body) {
  const init = {headers: {"X-Teacher-Token": token}};
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  return response;
}

function outcomeText(pred) {
  return Object.entries(pred.outcomes).map(([o, q]) => q < 1 ? `${o} (probability ${fmt(q)})` : o).join("; ");
}

function render(s) {
  state = s;
  text("title", `${s.title}` + (s.scenarios.length > 1 ? ` (scenario ${s.scenario} of ${s.scenarios.length})` : ""));
  const words = {lobby: "Waiting to start", playing: "Playing", paused: "Paused"};
  text("status", `${words[s.status]}` + (s.round ? ` · round ${s.round} · ${s.finished} of ${s.groups.length} ` +
    "groups finished" : "") + (s.method === "strategy" && s.round ? ` · strategy method, ${s.plans_in} plans in` : ""));
  text("join-url", s.join_url);
  text("joined", s.joined);
  $("start").textContent = s.status === "paused" ? "Resume" : "Start";
  $("start").disabled = s.status === "playing" || (s.status === "lobby" && s.joined === 0);
  $("pause").disabled = s.status !== "playing";
  $("reveal").disabled = s.round === 0 || s.revealed;
  $("next-round").disabled = s.round === 0;
  $("next-scenario").disabled = s.round === 0;
  const total = s.outcomes.reduce((a, o) => a + o.count, 0);
  text("finished", total ? `(${total} groups)` : "");
  $("outcomes").replaceChildren(...s.outcomes.filter((o) => o.count > 0 || (o.predicted || 0) > 0).map((o) => {
    const tr = el("tr");
    const share = el("td");
    share.append(bar(total ? o.count / total : 0));
    tr.append(el("td", o.label), el("td", o.count, "num"), share,
      el("td", o.predicted === null ? "–" : fmt(o.predicted), "num predicted"));
    return tr;
  }));
  text("prediction", s.prediction ? `${s.prediction.concept}: ${outcomeText(s.prediction)}. ` +
    `Payoffs ${Object.entries(s.prediction.payoffs).map(([p, v]) => `${p} ${fmt(v)}`).join(", ")}. ` +
    (s.prediction.note || "") : "The prediction is hidden until you reveal it.");
  text("qre", s.qre ? s.qre.sentence : "");
  $("decisions").replaceChildren(...s.decisions.map((d) => {
    const box = el("div");
    const n = d.actions.reduce((a, x) => a + x.count, 0);
    const what = s.method === "strategy" ? "planned choices" : "choices";
    box.append(el("h3", `${d.name}` + (d.label ? `: ${d.label}` : "") + ` (${n} ${what})`));
    const table = el("table");
    const head = el("tr");
    head.append(el("th", "Action"), el("th", "Count", "num"), el("th", "Share"), el("th", "Predicted", "num"));
    if (s.qre) head.append(el("th", `QRE λ=${Number(s.qre.lambda).toPrecision(2)}`, "num"));
    table.append(head);
    for (const a of d.actions) {
      const tr = el("tr");
      const share = el("td");
      share.append(bar(n ? a.count / n : 0));
      tr.append(el("td", a.action), el("td", a.count, "num"), share,
        el("td", a.predicted === null ? "–" : fmt(a.predicted), "num predicted"));
      if (s.qre) tr.append(el("td", a.qre === null ? "–" : fmt(a.qre), "num predicted"));
      table.append(tr);
    }
    box.append(table);
    return box;
  }));
  $("groups").replaceChildren(...s.groups.map((g) => {
    const tr = el("tr");
    tr.append(el("td", g.group), el("td", g.seats.map((x) => `${x.role}: ${x.who}`).join(", ")), el("td", g.status));
    return tr;
  }));
  $("rounds").replaceChildren(...s.rounds.slice().reverse().map((r) => {
    const tr = el("tr");
    const changed = Object.entries(r.parameters).map(([k, v]) => `${k} = ${fmt(v)}`).join(", ") || "baseline";
    const outcomes = Object.entries(r.outcomes).map(([o, n]) => `${o}: ${n}`).join("; ") || "none finished yet";
    const predicted = r.predicted === null ? "hidden" :
      Object.entries(r.predicted).map(([o, q]) => q < 1 ? `${o} (${fmt(q)})` : o).join("; ");
    tr.append(el("td", r.round), el("td", r.title), el("td", changed), el("td", outcomes), el("td", predicted));
    return tr;
  }));
  $("rotate").checked = s.rotate;
  $("strategy").checked = s.next_method === "strategy";
  if (!editing) renderParams(s);
  const np = s.next_prediction;
  text("next-prediction", np ? `${np.concept}: ${outcomeText(np)}. ` + (np.note || "") : "");
}

function renderParams(s) {
  const form = $("params");
  if (!s.parameters.length) { form.replaceChildren(el("p", "This game has no parameters.", "muted")); return; }
  form.replaceChildren(...s.parameters.map((p) => {
    const row = el("div", null, "param");
    const label = el("label", p.name);
    label.htmlFor = `param-${p.name}`;
    label.title = p.description;
    const range = document.createElement("input");
    range.type = "range";
    const number = document.createElement("input");
    number.type = "number";
    number.id = `param-${p.name}`;
    for (const input of [range, number]) {
      input.min = p.low; input.max = p.high; input.step = "any"; input.value = p.value;
      input.dataset.name = p.name;
      input.setAttribute("aria-describedby", `desc-${p.name}`);
    }
    range.step = (p.high - p.low) / 100;
    range.addEventListener("input", () => { number.value = range.value; editing = true; });
    number.addEventListener("input", () => { range.value = number.value; editing = true; });
    const desc = el("span", p.description, "hidden");
    desc.id = `desc-${p.name}`;
    row.append(label, range, number, desc);
    return row;
  }));
}

// A poll answered with the state from before the teacher's last click must not undo what the click shows
// (a ticked box unticked for a moment): polls asked before the last action began, or while one is under
// way, are not drawn.
let asked = 0;
let lastAction = 0;
let acting = 0;

async function refresh() {
  const mine = ++asked;
  try {
    const response = await api("/api/teacher/state");
    const data = await response.json();
    if (response.status !== 200) { text("error", data.message); return; }
    if ($("error").textContent.startsWith("Cannot reach")) text("error", "");
    if (acting || mine < lastAction) return;
    render(data);
  } catch (e) { text("error", "Cannot reach the server; retrying…"); }
}

async function act(action, body) {
  lastAction = ++asked;
  acting += 1;
  let response, data;
  try {
    response = await api(`/api/teacher/${action}`, body === undefined ? {} : body);
    data = await response.json();
  } finally {
    acting -= 1;
  }
  if (response.status !== 200) { text("error", data.message); return false; }
  text("error", "");
  render(data);
  return true;
}

async function download(fmt) {
  const response = await api(`/api/teacher/export.${fmt}`);
  if (response.status !== 200) { text("error", (await response.json()).message); return; }
  const url = URL.createObjectURL(await response.blob());
  const a = el("a");
  a.href = url;
  a.download = `classroom.${fmt}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

for (const id of ["start", "pause", "reveal", "next-round", "next-scenario"]) {
  $(id).addEventListener("click", () => act(id));
}
$("csv").addEventListener("click", () => download("csv"));
$("rotate").addEventListener("change", () => act("options", {rotate: $("rotate").checked}));
$("strategy").addEventListener("change", () => act("options", {method: $("strategy").checked ? "strategy" : "play"}));
$("json").addEventListener("click", () => download("json"));
$("apply").addEventListener("click", async () => {
  const values = {};
  for (const input of $("params").querySelectorAll("input[type=number]")) values[input.dataset.name] = Number(input.value);
  editing = false;
  await act("params", values);
});

$("explorer").href = `/explore#token=${encodeURIComponent(token)}`;

if (!token) {
  text("status", "This page needs the teacher's address with its token (printed when the server started).");
} else {
  refresh();
  setInterval(refresh, 1500);
}
