// nnft job dashboard: reads the gateway's own API (GET /jobs, /jobs/{id}, /jobs/{id}/timeline, /jobs/{id}/artifacts,
// the SSE stream /jobs/{id}/events) with the API key the user entered once. The key lives in this browser
// session's storage and goes in the Authorization header, never in a URL. Charts: uPlot (webjar).
"use strict";

const KEY = "nnft.apiKey";
const STAGES = ["requested", "planned", "preprocessed", "training", "completed", "exported", "failed", "cancelled"];
const main = document.getElementById("main");
let stopPage = () => {};

function apiKey() { return sessionStorage.getItem(KEY); }

async function api(path, options = {}) {
  const headers = Object.assign({ "Authorization": "Bearer " + apiKey() }, options.headers || {});
  const res = await fetch(path, Object.assign({}, options, { headers }));
  if (res.status === 401) {
    sessionStorage.removeItem(KEY);
    route();
    throw new Error("the API key was refused");
  }
  if (!res.ok) {
    let detail = res.statusText;
    try { detail = (await res.json()).detail || detail; } catch (e) { /* not problem+json */ }
    throw new Error(res.status + ": " + detail);
  }
  return res.status === 204 ? null : res.json();
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function fmt(v, digits = 4) {
  return v === null || v === undefined || Number.isNaN(v) ? "–" : Number(v).toFixed(digits);
}

function age(iso) {
  if (!iso) return "–";
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return s < 90 ? Math.round(s) + " s" : s < 5400 ? Math.round(s / 60) + " min" : (s / 3600).toFixed(1) + " h";
}

/** The metric a job is judged by: EMA pseudo-Dice for segmentation, the classifier's monitored one. */
function monitored(job) {
  if (job.task === "classification") {
    // the trainer says which metric it monitored once it completes; balanced accuracy (the default) until then
    const name = job.bestMetric ? job.bestMetric.name : "balanced_accuracy";
    return { name, last: (job.metrics || {})[name], best: job.bestMetric ? job.bestMetric.value : undefined };
  }
  return { name: "ema_pseudo_dice", last: (job.metrics || {}).ema_pseudo_dice, best: job.bestEmaPseudoDice };
}

// ---------------------------------------------------------------- login

function login() {
  const input = el("input", { type: "password", id: "api-key", placeholder: "API key", autocomplete: "off" });
  const msg = el("p", { class: "error", id: "login-error" });
  const form = el("form", { class: "login panel", onsubmit: async e => {
    e.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    try {
      await api("/jobs");
      route();
    } catch (err) {
      sessionStorage.removeItem(KEY);
      msg.textContent = "not signed in: " + err.message;
    }
  } }, el("h2", {}, "nnft dashboard"), el("p", { class: "muted" },
      "The gateway's API key (NNFT_GATEWAY_API_KEYS). It is kept for this browser session only."),
      input, el("button", { type: "submit", id: "login" }, "sign in"), msg);
  main.replaceChildren(form);
  input.focus();
}

// ---------------------------------------------------------------- jobs list

function jobsPage() {
  const filter = el("select", { id: "stage-filter" }, el("option", { value: "" }, "every stage"),
      STAGES.map(s => el("option", { value: s }, s)));
  const selected = new Set();
  const compare = el("button", { id: "compare", disabled: "", onclick: () => {
    location.hash = "#/compare/" + [...selected].join(",");
  } }, "compare selected");
  const body = el("tbody", { id: "jobs" });
  const status = el("span", { class: "muted" });
  main.replaceChildren(el("div", { class: "toolbar" }, el("h2", {}, "Jobs"), filter, compare, status),
      el("table", {}, el("thead", {}, el("tr", {}, ["", "job", "task", "dataset", "pretrained", "stage", "epoch",
          "best", "last", "age"].map(h => el("th", {}, h)))), body));

  async function refresh() {
    try {
      const q = filter.value ? "?stage=" + encodeURIComponent(filter.value) : "";
      const { jobs } = await api("/jobs" + q);
      body.replaceChildren(...jobs.map(j => {
        const m = monitored(j);
        const box = el("input", { type: "checkbox", "data-job": j.jobId, onchange: e => {
          if (e.target.checked) selected.add(j.jobId); else selected.delete(j.jobId);
          compare.disabled = selected.size < 2;
        } });
        box.checked = selected.has(j.jobId);
        return el("tr", { "data-job": j.jobId }, el("td", {}, box),
            el("td", {}, el("a", { href: "#/job/" + j.jobId }, j.jobId)), el("td", {}, j.task || "segmentation"),
            el("td", {}, j.datasetName || j.dataset || "–"), el("td", {}, j.pretrained || "from scratch"),
            el("td", {}, el("span", { class: "stage " + j.stage }, j.stage)),
            el("td", {}, j.epoch === null || j.epoch === undefined ? "–" : (j.epoch + 1) + "/" + j.epochs),
            el("td", { title: m.name }, fmt(m.best, 3)), el("td", { title: m.name }, fmt(m.last, 3)),
            el("td", {}, age(j.createdAt)));
      }));
      status.textContent = jobs.length + " job(s), updated " + new Date().toLocaleTimeString();
    } catch (err) {
      status.textContent = err.message;
    }
  }
  filter.addEventListener("change", refresh);
  refresh();
  const timer = setInterval(refresh, 2000);
  return () => clearInterval(timer);
}

// ---------------------------------------------------------------- charts

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04"];

/** Marks the freeze schedule: the frozen stretch shaded, every unfreeze step a dashed line. */
function phasePlugin(phases) {
  return { hooks: { drawClear: u => {
    if (!phases) return;
    const ctx = u.ctx;
    ctx.save();
    const top = u.bbox.top, h = u.bbox.height;
    if (phases.frozenUntil !== null) {
      const x0 = u.valToPos(0, "x", true), x1 = u.valToPos(phases.frozenUntil, "x", true);
      ctx.fillStyle = "rgba(37, 99, 235, 0.08)";
      ctx.fillRect(Math.min(x0, x1), top, Math.abs(x1 - x0), h);
    }
    ctx.strokeStyle = "rgba(37, 99, 235, 0.6)";
    ctx.setLineDash([4, 4]);
    for (const s of phases.steps) {
      const x = u.valToPos(s.epoch, "x", true);
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + h); ctx.stroke();
    }
    ctx.restore();
  } } };
}

/** A line chart over epochs; series: [{label, values}] aligned with xs. */
function chart(title, xs, series, phases, id) {
  const holder = el("div", { class: "panel chart", "data-chart": id });
  const opts = {
    title, width: 520, height: 240, plugins: [phasePlugin(phases)],
    scales: { x: { time: false } },
    // whole epochs on x; room for negative losses' labels on y
    axes: [{ label: "epoch", incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { size: 60 }],
    series: [{ label: "epoch" }].concat(series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length],
      width: 1.5, points: { show: true, size: 4 } }))),
  };
  const plot = new uPlot(opts, [xs].concat(series.map(s => s.values)), holder);
  holder.plot = plot;
  return holder;
}

/** The freeze schedule of a request (FineTuneRequested data), in epochs. */
function phasesOf(request) {
  const f = request && request.freeze;
  if (!f || !f.policy || f.policy === "none") return { frozenUntil: null, steps: (f && f.schedule) || [] };
  const steps = f.schedule || [];
  return { frozenUntil: steps.length ? steps[0].epoch : null, steps, policy: f.policy };
}

function series(points, names) {
  return names.filter(n => points.some(p => p.metrics[n] !== undefined && p.metrics[n] !== null))
      .map(n => ({ label: n, values: points.map(p => p.metrics[n] ?? null) }));
}

// ---------------------------------------------------------------- one job

function jobPage(id) {
  let points = [];
  let request = null;
  let job = null;
  let events = [];
  const charts = el("div", { class: "charts", id: "charts" });
  const head = el("div", { class: "panel", id: "job-head" });
  const failure = el("div", { class: "panel failure", id: "failure", hidden: "" });
  const confusion = el("div", { class: "panel", id: "confusion", hidden: "" });
  const trainable = el("div", { class: "panel", id: "trainable", hidden: "" });
  const artifacts = el("div", { class: "panel", id: "artifacts" });
  const timeline = el("tbody", { id: "timeline" });
  const cancel = el("button", { id: "cancel", onclick: async () => {
    if (!confirm("Cancel job " + id + "?")) return;
    try { await api("/jobs/" + id, { method: "DELETE" }); } catch (err) { alert(err.message); }
  } }, "cancel job");
  main.replaceChildren(el("div", { class: "toolbar" }, el("h2", {}, "Job " + id), cancel), head, failure, charts,
      trainable, confusion, artifacts, el("div", { class: "panel" }, el("h3", {}, "Events"),
          el("table", {}, el("thead", {}, el("tr", {}, ["time", "event", "stage"].map(h => el("th", {}, h)))),
              timeline)));

  function drawCharts() {
    if (points.length === 0) {
      charts.replaceChildren(el("p", { class: "muted panel" }, "no epoch has ended yet"));
      charts.dataset.points = "0";
      return;
    }
    const xs = points.map(p => p.epoch);
    const phases = phasesOf(request);
    const cls = job && job.task === "classification";
    const metricNames = cls ? ["accuracy", "balanced_accuracy", "auc"]
        : ["ema_pseudo_dice", "mean_pseudo_dice"].concat(Object.keys((points[0] || { metrics: {} }).metrics)
            .filter(n => n.startsWith("pseudo_dice/")));
    charts.replaceChildren(
        chart("loss", xs, series(points, ["train_loss", "val_loss"]), phases, "loss"),
        chart(cls ? "validation" : "pseudo-Dice", xs, series(points, metricNames), phases, "score"),
        chart("learning rate", xs, series(points, ["lr", "encoder_lr"]), phases, "lr"),
        chart("epoch time [s]", xs, series(points, ["epoch_time_s", "data_wait_s"]), phases, "time"));
    charts.dataset.points = String(points.length);
    drawTrainable();
    if (cls && points.length) {
      const m = points[points.length - 1].metrics;
      const cells = Object.keys(m).filter(k => k.startsWith("confusion/")).map(k => k.split("/"));
      const names = [...new Set(cells.map(c => c[1]))];
      confusion.hidden = false;
      confusion.replaceChildren(el("h3", {}, "Confusion (validation, last epoch): rows true, columns predicted"),
          el("table", {}, el("tr", {}, el("th", {}, ""), names.map(n => el("th", {}, n))),
              names.map(t => el("tr", {}, el("th", {}, t), names.map(p => el("td", {}, m["confusion/" + t + "/" + p]))))));
    }
  }

  /** What the freeze schedule left trainable, one row per phase (epochs with the same trainable tensor count). */
  function drawTrainable() {
    const phases = [];
    for (const p of points) {
      const n = p.metrics.trainable_tensors;
      if (n === undefined || n === null) continue;
      const last = phases[phases.length - 1];
      if (last && last.tensors === n) last.to = p.epoch;
      else phases.push({ from: p.epoch, to: p.epoch, tensors: n, lr: p.metrics.lr });
    }
    trainable.hidden = phases.length === 0;
    trainable.replaceChildren(el("h3", {}, "Trainable parameters"), el("table", { id: "trainable-phases" },
        el("tr", {}, ["epochs", "trainable tensors", "lr at start"].map(h => el("th", {}, h))),
        phases.map(ph => el("tr", {}, el("td", {}, ph.from === ph.to ? ph.from : ph.from + "–" + ph.to),
            el("td", {}, ph.tensors), el("td", {}, fmt(ph.lr, 6))))));
  }

  function drawHead() {
    if (!job) return;
    const m = monitored(job);
    const ph = phasesOf(request);
    head.replaceChildren(...[
        el("p", {}, el("span", { class: "stage " + job.stage, id: "stage" }, job.stage), "  ",
            (job.task || "segmentation") + " of " + (job.datasetName || job.dataset || "?") + " from "
            + (job.pretrained || "scratch") + ", " + (job.configuration || "") + " fold " + job.fold),
        el("p", {}, "epoch " + (job.epoch === null || job.epoch === undefined ? "–" : (job.epoch + 1) + "/" + job.epochs)
            + ", " + m.name + " last " + fmt(m.last) + ", best " + fmt(m.best)
            + (job.finalValidationDice ? ", final validation Dice " + fmt(job.finalValidationDice) : "")
            + (job.etaSeconds ? ", eta " + Math.round(job.etaSeconds) + " s" : "")),
        el("p", { class: "muted" }, ph.policy ? "frozen (" + ph.policy + ") until epoch " + ph.frozenUntil + "; "
            + ph.steps.map(s => "epoch " + s.epoch + ": unfreeze " + (s.unfreezePrefixes || []).join(",")
                + " at lr x" + s.lrFactor).join("; ") : "no freezing"),
        job.traceId ? el("p", { class: "muted", id: "trace" }, "trace " + job.traceId) : null].filter(Boolean));
    cancel.disabled = ["exported", "failed", "cancelled"].includes(job.stage);
    if (job.failure) {
      failure.hidden = false;
      const f = job.failure;
      failure.replaceChildren(el("h3", {}, job.stage === "cancelled" ? "Cancelled" : "Failed in " + (f.stage || "?")),
          el("p", { id: "failure-reason" }, f.reason || ""),
          ...(f.problems || []).map(p => el("p", { class: "muted" }, p.where + ": expected " + p.expected + ", found "
              + p.found)));
    }
  }

  function drawTimeline() {
    timeline.replaceChildren(...events.map(e => el("tr", {}, el("td", {}, new Date(e.time).toLocaleTimeString()),
        el("td", {}, e.event + (e.event === "TrainingProgress" ? " " + (e.data.epoch + 1) + "/" + e.data.epochs : "")),
        el("td", {}, e.stage))));
  }

  /** The export and the checkpoints with size, sha256 and a presigned download link, once training is over. */
  async function drawArtifacts() {
    let links = [];
    if (job && ["completed", "exported", "failed", "cancelled"].includes(job.stage)) {
      try { links = (await api("/jobs/" + id + "/artifacts")).artifacts || []; } catch (err) { links = []; }
    }
    artifacts.replaceChildren(el("h3", {}, "Artifacts"), links.length === 0 ? el("p", { class: "muted" }, "none yet")
        : el("table", { id: "artifact-list" }, el("tr", {}, ["file", "kind", "size", "sha256"].map(h => el("th", {}, h))),
            links.map(a => el("tr", {}, el("td", {}, a.url ? el("a", { href: a.url }, a.name) : a.name),
                el("td", {}, a.kind), el("td", {}, (a.sizeBytes / 1e6).toFixed(2) + " MB"),
                el("td", { class: "muted" }, a.sha256 || "–")))));
  }

  function apply(entry) {
    events.push(entry);
    if (entry.event === "FineTuneRequested") request = entry.data;
    if (entry.event === "TrainingProgress" && !points.some(p => p.epoch === entry.data.epoch)) {
      points.push({ epoch: entry.data.epoch, metrics: entry.data.metrics || {} });
      points.sort((a, b) => a.epoch - b.epoch);
    }
  }

  let closed = false;
  const controller = new AbortController();

  async function load() {
    const [view, tl] = await Promise.all([api("/jobs/" + id), api("/jobs/" + id + "/timeline")]);
    job = view;
    events = [];
    points = [];
    tl.events.forEach(apply);
    drawHead(); drawCharts(); drawTimeline(); drawArtifacts();
  }

  /** The job's SSE stream read with fetch (EventSource cannot send the Authorization header). */
  async function follow() {
    while (!closed) {
      try {
        const res = await fetch("/jobs/" + id + "/events", { headers: { "Authorization": "Bearer " + apiKey() },
          signal: controller.signal });
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buf = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buf.indexOf("\n\n")) >= 0) {
            const block = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            const name = (block.match(/^event:\s*(.*)$/m) || [])[1];
            const data = block.split("\n").filter(l => l.startsWith("data:")).map(l => l.slice(5).trimStart()).join("\n");
            if (!data) continue;
            const msg = JSON.parse(data);
            if (msg.job) job = msg.job;
            if (name && name !== "status" && msg.data) {
              apply({ event: name, time: new Date().toISOString(), stage: job.stage, data: msg.data });
              drawCharts(); drawTimeline();
            }
            drawHead();
            if (["exported", "failed", "cancelled"].includes(job.stage)) drawArtifacts();
          }
        }
        if (job && ["exported", "failed", "cancelled"].includes(job.stage)) {
          await load();
          return;
        }
      } catch (err) {
        if (closed) return;
      }
      await new Promise(r => setTimeout(r, 2000));
      if (!closed) await load().catch(() => {});
    }
  }

  load().then(follow).catch(err => main.append(el("p", { class: "error" }, err.message)));
  return () => { closed = true; controller.abort(); };
}

// ---------------------------------------------------------------- compare

function comparePage(ids) {
  const charts = el("div", { class: "charts", id: "charts" });
  main.replaceChildren(el("div", { class: "toolbar" }, el("h2", {}, "Compare " + ids.length + " jobs")), charts);
  Promise.all(ids.map(id => Promise.all([api("/jobs/" + id), api("/jobs/" + id + "/timeline")])))
      .then(all => {
        const runs = all.map(([job, tl]) => ({ job, points: tl.events.filter(e => e.event === "TrainingProgress")
            .map(e => ({ epoch: e.data.epoch, metrics: e.data.metrics || {} })) }));
        const maxEpochs = Math.max(1, ...runs.map(r => r.points.length ? r.points[r.points.length - 1].epoch + 1 : 0));
        const xs = Array.from({ length: maxEpochs }, (_, i) => i);
        // a run is named by its job and what it started from: fine-tuned vs from scratch at a glance
        const label = r => r.job.jobId + " (" + (r.job.pretrained ? "from " + r.job.pretrained.replace(/\/$/, "")
            .split("/").pop() : "from scratch") + ", " + (r.job.datasetName || r.job.dataset || "?") + ")";
        const overlay = (name) => runs.map(r => ({ label: label(r),
          values: xs.map(x => { const p = r.points.find(q => q.epoch === x); return p ? (p.metrics[name] ?? null) : null; }) }));
        const score = runs.every(r => r.job.task === "classification") ? monitored(runs[0].job).name : "ema_pseudo_dice";
        charts.replaceChildren(chart(score, xs, overlay(score), null, "compare-score"),
            chart("val_loss", xs, overlay("val_loss"), null, "compare-val"),
            chart("train_loss", xs, overlay("train_loss"), null, "compare-train"));
        charts.dataset.jobs = String(runs.length);
      }).catch(err => main.append(el("p", { class: "error" }, err.message)));
  return () => {};
}

// ---------------------------------------------------------------- routing

function route() {
  stopPage();
  stopPage = () => {};
  const signedIn = !!apiKey();
  document.getElementById("logout").hidden = !signedIn;
  document.getElementById("who").textContent = signedIn ? "signed in" : "";
  if (!signedIn) { login(); return; }
  const h = location.hash || "#/";
  let m;
  if ((m = h.match(/^#\/job\/([a-z0-9-]+)$/))) stopPage = jobPage(m[1]);
  else if ((m = h.match(/^#\/compare\/([a-z0-9,-]+)$/))) stopPage = comparePage(m[1].split(",").filter(Boolean));
  else stopPage = jobsPage();
}

document.getElementById("logout").addEventListener("click", () => { sessionStorage.removeItem(KEY); route(); });
window.addEventListener("hashchange", route);
route();
