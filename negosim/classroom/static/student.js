// negosim classroom, the student's page: join, then poll /api/me and answer at your own decisions.
"use strict";
const $ = (id) => document.getElementById(id);
let version = null;
let view = null;
let sending = false;
const keys = {};  // one idempotency key per decision, reused if the request must be retried
const planChoices = {};  // "round/decision" -> action: kept while the page redraws during the strategy method

function show(id, on) { $(id).classList.toggle("hidden", !on); }
function text(id, value) { $(id).textContent = value; }
function fmt(x) { return Number(x).toFixed(3).replace(/\.?0+$/, ""); }
function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
  const response = await fetch(path, {credentials: "same-origin", ...init});
  let data = {};
  try { data = await response.json(); } catch (e) { data = {message: "unexpected answer from the server"}; }
  return {status: response.status, data};
}

function render(v) {
  view = v;
  version = v.version;
  text("title", v.title);
  show("join", false);
  show("play", true);
  const status = $("status");
  status.className = "status";
  let who = `You are ${v.nickname}.`;
  const seat = v.seat;
  if (seat) who += ` Round ${v.round}: you play ${seat.role_name} in group ${seat.group}.`;
  text("who", who);
  show("turn", false);
  show("plan", false);
  show("my-plan", false);
  show("result", false);
  show("prediction", false);
  show("past", false);
  show("group", false);
  show("stakes", false);
  if (v.status === "lobby") { text("status", "Waiting for the teacher to start the game."); return; }
  if (!seat) { text("status", "You joined during this round: you will play from the next round."); return; }
  $("players").replaceChildren(...seat.players.map((p) => {
    const li = document.createElement("li");
    li.textContent = `${p.name}: ${p.who}` + (p.role === seat.role ? " (you)" : "");
    return li;
  }));
  show("group", true);
  drawStakes(v, seat);
  const moves = v.history || [];
  $("history").replaceChildren(...moves.map((m) => {
    const li = document.createElement("li");
    li.textContent = m.action === null ? `${m.name} moved; you cannot see what.` :
      `${m.role === seat.role ? "You" : m.name} chose ${m.action}.`;
    return li;
  }));
  show("past", moves.length > 0);
  if (v.my_plan) {
    $("my-plan-list").replaceChildren(...v.my_plan.map((d) => {
      const li = document.createElement("li");
      li.textContent = `${d.label || d.id}: ${d.action}`;
      return li;
    }));
    show("my-plan", true);
  }
  if (v.result) {
    text("status", "This round is over.");
    text("outcome", v.result.label);
    $("payoffs").replaceChildren(...seat.players.map((p) => {
      const tr = document.createElement("tr");
      const a = document.createElement("td");
      a.textContent = p.name + (p.role === seat.role ? " (you)" : "");
      const b = document.createElement("td");
      b.className = "num";
      b.textContent = fmt(v.result.payoffs[p.role]);
      tr.append(a, b);
      return tr;
    }));
    show("result", true);
    if (v.prediction) {
      const pr = v.prediction;
      const outs = Object.entries(pr.outcomes).map(([o, q]) =>
        `${(pr.labels && pr.labels[o]) || o}${q < 1 ? ` (probability ${fmt(q)})` : ""}`).join("; ");
      text("prediction-text", `The ${pr.concept} predicts: ${outs}. Your equilibrium payoff: ` +
        `${fmt(pr.payoffs[seat.role])}.` + (pr.note ? " " + pr.note : ""));
      show("prediction", true);
    }
    return;
  }
  if (v.status === "paused") {
    status.classList.add("paused");
    text("status", "The teacher has paused the game.");
    return;
  }
  if (v.plan) {
    status.classList.add("turn");
    text("status", `Your plan, as ${seat.role_name}: a choice at every decision.`);
    drawPlan(v);
    show("plan", true);
    return;
  }
  if (v.turn) {
    status.classList.add("turn");
    text("status", `Your move, as ${seat.role_name}.`);
    text("turn-label", v.turn.label || "Choose your action.");
    $("actions").replaceChildren(...v.turn.actions.map((a) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = a;
      b.addEventListener("click", () => choose(a));
      return b;
    }));
    show("turn", true);
    return;
  }
  text("status", (v.waiting || "Waiting for the other players") + "…");
}

function drawStakes(v, seat) {
  const head = document.createElement("tr");
  const first = document.createElement("th");
  first.textContent = "Outcome";
  head.append(first);
  for (const p of seat.players) {
    const th = document.createElement("th");
    th.className = "num";
    th.textContent = p.name + (p.role === seat.role ? " (you)" : "");
    head.append(th);
  }
  $("stakes-head").replaceChildren(head);
  $("stakes-body").replaceChildren(...(v.payoff_table || []).map((row) => {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = row.outcome;
    tr.append(name);
    for (const p of seat.players) {
      const td = document.createElement("td");
      td.className = "num" + (p.role === seat.role ? " mine" : "");
      td.textContent = fmt(row.payoffs[p.role]);
      tr.append(td);
    }
    return tr;
  }));
  show("stakes", true);
}

function drawPlan(v) {
  $("plan-decisions").replaceChildren(...v.plan.decisions.map((d, i) => {
    const box = document.createElement("fieldset");
    box.className = "decision";
    const legend = document.createElement("legend");
    legend.textContent = d.label || `Decision ${i + 1}`;
    box.append(legend);
    const id = `${v.round}/${d.id}`;
    for (const a of d.actions) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = `plan-${i}`;
      input.value = a;
      input.dataset.decision = d.id;
      input.checked = planChoices[id] === a;
      input.addEventListener("change", () => { planChoices[id] = a; });
      label.append(input, document.createTextNode(a));
      box.append(label);
    }
    return box;
  }));
}

async function sendPlan(event) {
  event.preventDefault();
  if (sending || !view || !view.plan) return;
  const plan = {};
  for (const d of view.plan.decisions) {
    const chosen = planChoices[`${view.round}/${d.id}`];
    if (!chosen) { text("error", `Choose at every decision: ${d.label || d.id}`); return; }
    plan[d.id] = chosen;
  }
  sending = true;
  $("send-plan").disabled = true;
  const id = `${view.round}/plan`;
  keys[id] = keys[id] || newKey();
  const body = {round: view.round, role: view.seat.role, plan, key: keys[id]};
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const {status, data} = await api("/api/plan", body);
      sending = false;
      $("send-plan").disabled = false;
      if (status === 200) { text("error", ""); render(data.view); return; }
      if (data.error !== "replayed") text("error", data.message || "the plan was refused");
      await poll(true);
      return;
    } catch (e) {
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
  sending = false;
  $("send-plan").disabled = false;
  text("error", "Cannot reach the server; check your connection.");
}

async function choose(action) {
  if (sending || !view || !view.turn) return;
  sending = true;
  $("actions").querySelectorAll("button").forEach((b) => { b.disabled = true; });
  const id = `${view.round}/${view.turn.node}`;
  keys[id] = keys[id] || newKey();
  const body = {round: view.round, node: view.turn.node, role: view.seat.role, action, key: keys[id]};
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const {status, data} = await api("/api/move", body);
      sending = false;
      if (status === 200) { text("error", ""); render(data.view); return; }
      if (data.error !== "replayed") text("error", data.message || "the move was refused");
      await poll(true);
      return;
    } catch (e) {
      // The network dropped: send the same move again with the same key (the server keeps it once).
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
  sending = false;
  text("error", "Cannot reach the server; check your connection.");
}

async function poll(force) {
  try {
    const {status, data} = await api("/api/me" + (version !== null && !force ? `?since=${version}` : ""));
    if (status === 401) { show("join", true); show("play", false); return; }
    if (status !== 200) { if (status !== 429) text("error", data.message || "error"); return; }
    if (!data.unchanged && !sending) { render(data); }
    if (status === 200 && $("error").textContent.startsWith("Cannot reach")) text("error", "");
  } catch (e) {
    text("error", "Cannot reach the server; retrying…");
  }
}

$("plan").addEventListener("submit", sendPlan);
$("join").addEventListener("submit", async (event) => {
  event.preventDefault();
  const {status, data} = await api("/api/join", {nickname: $("nickname").value});
  if (status !== 200) { text("error", data.message || "cannot join"); return; }
  text("error", "");
  render(data);
});

poll(true);
setInterval(() => poll(false), 1000);
