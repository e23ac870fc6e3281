// mock-server dashboard: plain JavaScript, no framework, no build step, nothing from the network
// but this server's own /__mock endpoints. Data from requests is only ever set as text (never as
// HTML), since the journal shows what any client sent.
"use strict";

(() => {
  const ADMIN = "/__mock";
  const TOKEN_KEY = "mock-server admin token";
  const KEEP_ENTRIES = 500;
  const SHOW_ROWS = 200;
  const FAULTS = ["reset", "hang", "truncate", "malformed_json"];

  const state = {
    contracts: [],
    operations: new Map(), // key -> operation (with .contract)
    selected: null,
    journal: [], // newest first
    seen: new Set(),
    fresh: new Set(),
    expanded: new Set(),
    statuses: new Set(),
    rules: [],
    coverage: null,
    reloads: { watching: false, reloads: [] },
  };

  // ---------------------------------------------------------------- small helpers
  const $ = (id) => document.getElementById(id);

  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name in node && !name.includes("-")) node[name] = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const statusClass = (status) => "chip s" + String(status)[0];
  const methodBadge = (method) => h("span", { class: "method " + method, text: method });
  const entryOperation = (entry) => (entry.operationId ? entry.contract + "|" + entry.operationId : "-");

  function pretty(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") {
      try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
    }
    return JSON.stringify(value, null, 2);
  }

  function throttle(fn, ms) {
    let timer = null;
    return () => {
      if (timer === null) timer = setTimeout(() => { timer = null; fn(); }, ms);
    };
  }

  function say(text) { // a polite announcement for screen readers and a visible status
    const live = $("live");
    live.dataset.note = text;
    live.textContent = text;
    setTimeout(() => { if (live.dataset.note === text) setLive(state.live); }, 4000);
  }

  // ---------------------------------------------------------------- the admin API, with the token
  let tokenPrompt = null;

  function askToken(message) {
    if (tokenPrompt) return tokenPrompt;
    const dialog = $("token-dialog");
    $("token-error").textContent = message || "";
    tokenPrompt = new Promise((resolve) => {
      $("token-form").onsubmit = () => {
        sessionStorage.setItem(TOKEN_KEY, $("token-input").value.trim());
        tokenPrompt = null;
        resolve();
      };
    });
    dialog.showModal();
    $("token-input").focus();
    return tokenPrompt;
  }

  async function api(path, options = {}) {
    const headers = new Headers(options.headers || {});
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.set("Authorization", "Bearer " + token);
    const response = await fetch(ADMIN + path, { ...options, headers });
    if (response.status === 401) {
      await askToken(token ? "That token was refused; try again." : "");
      return api(path, options);
    }
    return response;
  }

  async function apiJson(path, options) {
    const response = await api(path, options);
    const body = await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, body };
  }

  // ---------------------------------------------------------------- tabs (roving focus, arrow keys)
  const tabs = () => Array.from(document.querySelectorAll("[role=tab]"));

  function showTab(tab, focus) {
    for (const other of tabs()) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) tab.focus();
    const view = tab.id.slice(4);
    location.hash = view;
    if (view === "coverage") loadCoverage();
    if (view === "rules") loadRules();
    if (view === "reloads") loadReloads();
  }

  function setUpTabs() {
    for (const tab of tabs()) {
      tab.addEventListener("click", () => showTab(tab, false));
      tab.addEventListener("keydown", (event) => {
        const all = tabs();
        const at = all.indexOf(tab);
        const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        showTab(all[(next + all.length) % all.length], true);
      });
    }
    const wanted = $("tab-" + location.hash.slice(1));
    if (wanted) showTab(wanted, false);
  }

  // ---------------------------------------------------------------- contracts and operations
  async function loadContracts() {
    const [contracts, health] = await Promise.all([apiJson("/contracts"), apiJson("/health")]);
    if (!contracts.ok) return;
    state.contracts = contracts.body.contracts;
    state.operations.clear();
    for (const contract of state.contracts) {
      for (const op of contract.operations) state.operations.set(op.key, { ...op, contract: contract.name });
    }
    const count = state.operations.size;
    $("served").textContent = `${state.contracts.length} contract${state.contracts.length === 1 ? "" : "s"}, ` +
      `${count} operation${count === 1 ? "" : "s"}` + (health.ok && health.body.status ? ` · ${health.body.status}` : "");
    renderOperationList();
    fillOperationFilter();
    if (state.selected && !state.operations.has(state.selected)) state.selected = null;
    if (state.selected) renderOperation(state.operations.get(state.selected), false);
  }

  function renderOperationList() {
    const filter = $("operation-filter").value.trim().toLowerCase();
    const list = $("operation-list");
    list.replaceChildren();
    for (const contract of state.contracts) {
      const ops = contract.operations.filter((op) =>
        !filter || (op.method + " " + op.path + " " + op.operationId + " " + (op.summary || "")).toLowerCase().includes(filter));
      if (!ops.length) continue;
      list.append(h("div", { class: "contract" },
        h("h2", { text: `${contract.title} ${contract.version ? "· " + contract.version : ""}` }),
        ops.map((op) => h("button", {
          type: "button", class: "op", "aria-current": String(op.key === state.selected), "data-key": op.key,
          onclick: () => selectOperation(op.key),
        }, methodBadge(op.method), h("span", { class: "path", text: op.path }),
        h("span", { class: "opid", text: op.operationId }),
        h("span", { class: "chips" }, op.statuses.map((s) => h("span", { class: statusClass(s), text: s })))))));
    }
    if (!list.children.length) list.append(h("p", { class: "muted", text: "No operation matches." }));
  }

  function selectOperation(key) {
    state.selected = key;
    for (const button of document.querySelectorAll(".op")) {
      button.setAttribute("aria-current", String(button.dataset.key === key));
    }
    renderOperation(state.operations.get(key), true);
  }

  function numericStatuses(op) {
    const found = [];
    for (const status of op.statuses) {
      if (/^\d{3}$/.test(status)) found.push(status);
      else if (/^[1-5]XX$/.test(status)) found.push(status[0] + (status[0] === "5" ? "03" : "00"));
    }
    return [...new Set(found)];
  }

  function renderOperation(op, focus) {
    const pane = $("operation-detail");
    const examples = Object.entries(op.examples || {});
    pane.replaceChildren(...[
      h("h2", { id: "operation-title", tabindex: "-1" }, methodBadge(op.method), " ", h("span", { class: "mono", text: op.path })),
      h("p", {}, h("strong", { text: op.operationId }), op.summary ? " — " + op.summary : "",
        op.streams ? h("span", { class: "chip s3", text: "streams" }) : null),
      h("p", {}, "Declares ", op.statuses.map((s) => h("span", { class: statusClass(s), text: s }))),
      examples.length ? h("p", {}, "Named examples: ", examples.map(([status, names]) =>
        names.map((name) => h("span", { class: "chip", text: `${name} (${status})` })))) : null,
      tryItForm(op),
      forceForm(op),
      h("h3", { text: "Forced states of this operation" }),
      h("div", { id: "operation-rules" })].filter(Boolean));
    renderOperationRules();
    if (focus) $("operation-title").focus();
  }

  // ---------------------------------------------------------------- try it
  function tryItForm(op) {
    const path = h("input", { id: "try-path", class: "mono", value: op.path, "aria-describedby": "try-note" });
    const headers = h("textarea", { id: "try-headers", rows: 3, spellcheck: false });
    const body = h("textarea", { id: "try-body", rows: 8, spellcheck: false });
    const answer = h("div", { id: "try-answer", class: "answer", "aria-live": "polite" });
    const form = h("form", { class: "card", id: "try-form", onsubmit: (event) => { event.preventDefault(); send(op, answer); } },
      h("h3", { text: "Try it" }),
      h("div", { class: "grid" },
        h("label", { for: "try-path", text: "Path" }), path,
        h("label", { for: "try-headers", text: "Headers" }), headers,
        h("label", { for: "try-body", text: "Body" }), body),
      h("p", { id: "try-note", class: "muted", text: "Sent from this page to the mock, like your app would: it shows up in the journal." }),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "try-send", text: "Send" })),
      answer);
    apiJson("/samples/" + encodeURIComponent(op.key)).then((sample) => {
      if (!sample.ok || state.selected !== op.key) return;
      path.value = sample.body.path;
      headers.value = Object.entries(sample.body.headers).map(([k, v]) => `${k}: ${v}`).join("\n");
      body.value = sample.body.body ?? "";
    });
    return form;
  }

  function parseHeaders(text) {
    const headers = new Headers();
    for (const line of text.split("\n")) {
      const at = line.indexOf(":");
      if (at > 0) {
        try { headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim()); } catch { /* a name the browser refuses */ }
      }
    }
    return headers;
  }

  async function send(op, answer) {
    const method = op.method;
    const options = { method, headers: parseHeaders($("try-headers").value) };
    if (!["GET", "HEAD"].includes(method) && $("try-body").value) options.body = $("try-body").value;
    answer.replaceChildren(h("p", { class: "muted", text: "Sending…" }));
    let response;
    try {
      response = await fetch($("try-path").value, options);
    } catch (error) {
      answer.replaceChildren(h("p", { class: "error", text: "No answer: " + error.message + " (a fault such as reset, or the mock is down)" }));
      return;
    }
    const type = response.headers.get("content-type") || "";
    const head = h("p", { id: "try-status" }, h("span", { class: statusClass(response.status), text: String(response.status) }),
      " ", response.statusText, " ", h("span", { class: "muted mono", text: type }));
    const headerList = h("details", {}, h("summary", { text: "Response headers" }),
      h("pre", { text: Array.from(response.headers).map(([k, v]) => `${k}: ${v}`).join("\n") }));
    if (type.startsWith("text/event-stream") && response.body) {
      const events = h("ol", { class: "events", id: "try-events" });
      answer.replaceChildren(head, headerList, events);
      for await (const event of sseEvents(response.body)) {
        events.append(h("li", { text: event.data ?? JSON.stringify(event) }));
      }
      events.append(h("li", { class: "muted", text: "— end of stream —" }));
    } else {
      const text = await response.text();
      answer.replaceChildren(head, headerList, h("pre", { id: "try-body-out", text: pretty(text) }));
    }
  }

  async function* sseEvents(stream) {
    const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = {};
        for (const line of block.split("\n")) {
          const at = line.indexOf(":");
          if (at <= 0) continue; // a comment (": ping") or nothing
          const name = line.slice(0, at);
          const value = line.slice(at + 1).replace(/^ /, "");
          event[name] = name in event ? event[name] + "\n" + value : value;
        }
        if (Object.keys(event).length) yield event;
      }
    }
  }

  // ---------------------------------------------------------------- force a state (runtime rules)
  function forceForm(op) {
    const statuses = numericStatuses(op);
    const examples = Object.entries(op.examples || {}).flatMap(([status, names]) => names.map((name) => [name, status]));
    const faults = op.streams ? [...FAULTS, "cut_stream"] : FAULTS;
    const field = (id, label, control) => [h("label", { for: id, text: label }), control];
    const error = h("p", { class: "error", id: "force-error", role: "alert" });
    const form = h("form", { class: "card", id: "force-form", onsubmit: (event) => { event.preventDefault(); force(op, form, error); } },
      h("h3", { text: "Force a state" }),
      h("div", { class: "grid" },
        field("force-status", "Status", h("select", { id: "force-status", name: "status" },
          h("option", { value: "", text: "— the contract's —" }), statuses.map((s) => h("option", { value: s, text: s })))),
        examples.length ? field("force-example", "Example", h("select", { id: "force-example", name: "example" },
          h("option", { value: "", text: "— none —" }), examples.map(([name, status]) => h("option", { value: name, text: `${name} (${status})` })))) : null,
        field("force-delay", "Delay (ms)", h("input", { id: "force-delay", name: "delay", type: "number", min: 0, max: 60000, inputmode: "numeric" })),
        field("force-fault", "Fault", h("select", { id: "force-fault", name: "fault" },
          h("option", { value: "", text: "— none —" }), faults.map((f) => h("option", { value: f, text: f.replace("_", " ") })))),
        op.streams ? field("force-ttft", "First token after (ms)", h("input", { id: "force-ttft", name: "ttft", type: "number", min: 0 })) : null,
        op.streams ? field("force-tps", "Tokens per second", h("input", { id: "force-tps", name: "tps", type: "number", min: 0 })) : null,
        h("span", { text: "For" }),
        h("div", { class: "row", role: "radiogroup", "aria-label": "For how many answers" },
          h("label", {}, h("input", { type: "radio", name: "scope", value: "all", checked: true, id: "force-all" }), " every answer"),
          h("label", {}, h("input", { type: "radio", name: "scope", value: "next", id: "force-next" }), " the next "),
          h("label", { class: "visually-hidden", for: "force-times", text: "Number of answers" }),
          h("input", { id: "force-times", name: "times", type: "number", min: 1, value: 1, size: 4 }), " answers")),
      error,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "force-submit", text: "Force" })));
    return form;
  }

  function ruleFrom(op, form) {
    const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
    const rule = { match: { operationId: op.operationId } };
    const words = [];
    if (value("status")) { rule.status = Number(value("status")); words.push(value("status")); }
    if (value("example")) { rule.example = value("example"); words.push("example " + value("example")); }
    if (value("delay")) { rule.delay = Number(value("delay")); words.push(value("delay") + " ms late"); }
    if (value("fault")) { rule.fault = value("fault"); words.push(value("fault")); }
    const pacing = {};
    if (value("ttft")) pacing.ttft = Number(value("ttft"));
    if (value("tps")) pacing.tokens_per_second = Number(value("tps"));
    if (Object.keys(pacing).length) { rule.pacing = pacing; words.push("paced"); }
    if (form.elements.scope.value === "next") {
      rule.times = Number(value("times") || 1);
      words.push(`next ${rule.times}`);
    }
    rule.name = `${op.operationId}: ${words.join(", ")}`;
    return { rule, words };
  }

  async function force(op, form, error) {
    const { rule, words } = ruleFrom(op, form);
    error.textContent = "";
    if (words.length === 0 || (words.length === 1 && rule.times)) {
      error.textContent = "Choose what to force: a status, an example, a delay, a fault or a pace.";
      return;
    }
    const base = rule.name;
    for (let attempt = 2; ; attempt++) {
      const result = await apiJson("/rules", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(rule) });
      if (result.status === 409 && attempt < 50) { rule.name = `${base} #${attempt}`; continue; }
      if (!result.ok) { error.textContent = (result.body && result.body.detail) || `refused (${result.status})`; return; }
      break;
    }
    say(`Forced: ${rule.name}`);
    await loadRules();
  }

  async function removeRule(name) {
    const result = await apiJson("/rules/" + encodeURIComponent(name), { method: "DELETE" });
    if (!result.ok) { say((result.body && result.body.detail) || "could not remove " + name); return; }
    say(`Removed: ${name}`);
    await loadRules();
  }

  function describeAnswer(rule) {
    const parts = [];
    if (rule.status) parts.push("status " + rule.status);
    if (rule.sequence) parts.push("sequence " + rule.sequence.join(", "));
    if (rule.example) parts.push("example " + rule.example);
    if (rule.reply) parts.push("reply “" + rule.reply + "”");
    if (rule.delay !== undefined) parts.push("delay " + (Array.isArray(rule.delay) ? rule.delay.join("–") : rule.delay) + " ms");
    if (rule.fault) parts.push("fault " + (typeof rule.fault === "string" ? rule.fault : JSON.stringify(rule.fault)));
    if (rule.pacing) parts.push("pacing " + JSON.stringify(rule.pacing));
    return parts.join(", ");
  }

  function used(described) {
    const rule = described.rule;
    if (described.used === undefined) return "";
    const limit = rule.times || (rule.sequence ? rule.sequence.length : null);
    return limit ? `${Math.min(described.used, limit)} of ${limit}` : String(described.used);
  }

  async function loadRules() {
    const result = await apiJson("/rules");
    if (!result.ok) return;
    state.rules = result.body.rules;
    const runtime = state.rules.filter((r) => r.origin === "runtime").length;
    $("rules-count").textContent = state.rules.length ? `(${state.rules.length})` : "";
    const rows = $("rule-rows");
    rows.replaceChildren(...state.rules.map((described) => {
      const rule = described.rule;
      const match = rule.match && rule.match.operationId;
      return h("tr", {},
        h("td", { text: described.name }),
        h("td", { class: "mono", text: match ? [].concat(match).join(", ") : "any" }),
        h("td", { text: describeAnswer(rule) }),
        h("td", { text: used(described) }),
        h("td", { text: described.origin }),
        h("td", {}, described.origin === "runtime"
          ? h("button", { type: "button", class: "danger", text: "Remove", "aria-label": "Remove " + described.name,
            onclick: () => removeRule(described.name) }) : ""));
    }));
    $("rules-empty").hidden = state.rules.length > 0;
    $("rules-empty").dataset.runtime = String(runtime);
    renderOperationRules();
  }

  function renderOperationRules() {
    const holder = $("operation-rules");
    const op = state.selected && state.operations.get(state.selected);
    if (!holder || !op) return;
    const mine = state.rules.filter((described) => {
      const match = described.rule.match && described.rule.match.operationId;
      return !match || [].concat(match).includes(op.operationId);
    });
    holder.replaceChildren(mine.length ? h("ul", {}, mine.map((described) => h("li", {},
      h("strong", { text: described.name }), " — ", describeAnswer(described.rule),
      used(described) ? ` (used ${used(described)})` : "", " ",
      described.origin === "runtime"
        ? h("button", { type: "button", class: "quiet", text: "Remove", "aria-label": "Remove " + described.name,
          onclick: () => removeRule(described.name) })
        : h("span", { class: "muted", text: "(rules file)" }))))
      : h("p", { class: "muted", text: "None: answers come from the contract." }));
  }

  // ---------------------------------------------------------------- the live journal
  function fillOperationFilter() {
    const select = $("journal-operation");
    const chosen = select.value;
    select.replaceChildren(h("option", { value: "", text: "all" }),
      [...state.operations.values()].map((op) => h("option", { value: op.contract + "|" + op.operationId, text: `${op.operationId} (${op.method} ${op.path})` })),
      h("option", { value: "-", text: "no operation (404)" }));
    select.value = chosen;
  }

  function addEntries(entries, fresh) {
    let added = 0;
    for (const entry of entries) {
      if (state.seen.has(entry.id)) continue;
      state.seen.add(entry.id);
      state.journal.push(entry);
      if (fresh) state.fresh.add(entry.id);
      if (!state.statuses.has(entry.status)) {
        state.statuses.add(entry.status);
        addStatusOption(entry.status);
      }
      added++;
    }
    if (!added) return;
    state.journal.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
    for (const dropped of state.journal.splice(KEEP_ENTRIES)) state.seen.delete(dropped.id);
    scheduleJournal();
  }

  function addStatusOption(status) {
    const select = $("journal-status");
    const option = h("option", { value: String(status), text: String(status) });
    const later = Array.from(select.options).find((o) => o.value.length === 3 && Number(o.value) > status);
    select.insertBefore(option, later || null);
  }

  let journalFrame = null;
  function scheduleJournal() {
    if (journalFrame === null) journalFrame = requestAnimationFrame(() => { journalFrame = null; renderJournal(); });
  }

  function matches(entry) {
    const op = $("journal-operation").value;
    const status = $("journal-status").value;
    if (op && entryOperation(entry) !== op) return false;
    if (status && !String(entry.status).startsWith(status)) return false;
    return true;
  }

  function renderJournal() {
    const shown = state.journal.filter(matches).slice(0, SHOW_ROWS);
    const rows = [];
    for (const entry of shown) {
      const detailId = "entry-" + entry.id;
      const open = state.expanded.has(entry.id);
      rows.push(h("tr", { class: state.fresh.has(entry.id) ? "fresh" : "", "data-id": entry.id },
        h("td", { class: "mono", text: entry.time.slice(11, 23) }),
        h("td", { class: "request" }, h("button", {
          type: "button", "aria-expanded": String(open), "aria-controls": detailId,
          onclick: () => { if (open) state.expanded.delete(entry.id); else state.expanded.add(entry.id); renderJournal(); },
        }, entry.method + " " + entry.path)),
        h("td", { text: entry.operationId || "—" }),
        h("td", {}, h("span", { class: statusClass(entry.status), text: String(entry.status) })),
        h("td", { text: String(entry.latency_ms) }),
        h("td", { text: decidedBy(entry) })));
      if (open) rows.push(h("tr", { class: "detail", id: detailId }, h("td", { colspan: 6 }, entryDetail(entry))));
    }
    state.fresh.clear();
    $("journal-rows").replaceChildren(...rows);
    $("journal-empty").hidden = shown.length > 0;
    $("journal-count").textContent = state.journal.length ? `(${state.journal.length})` : "";
  }

  function bodyBlock(label, value, id) {
    if (value === null || value === undefined || value === "") return null;
    const text = pretty(value);
    const cut = typeof value === "string" && /\[… \d+ more [a-z ]+ not kept\]$/.test(value);
    return [h("h4", { text: label }), h("pre", { id, class: cut ? "cut" : "", text }),
      cut ? h("p", { class: "marker", text: "Cut: the body was larger than the journal keeps." }) : null];
  }

  function decidedBy(entry) {
    return (entry.decided_by || []).join("; ") || (entry.validation_errors.length ? "validation" : "the contract");
  }

  function entryDetail(entry) {
    const response = entry.response || null;
    const stream = response && response.stream ? response : null;
    const request = [
      h("h4", { text: "Request" }),
      h("pre", { text: Object.entries(entry.headers || {}).map(([k, v]) => `${k}: ${v}`).join("\n") || "(no headers)" }),
      Object.keys(entry.query || {}).length ? [h("h4", { text: "Query" }), h("pre", { text: pretty(entry.query) })] : null,
      bodyBlock("Request body", entry.body, "entry-request-body"),
    ];
    const answer = [
      h("h4", { text: `Response ${entry.status}` + (response && response.media_type ? ` (${response.media_type})` : "") }),
      response && !response.stream ? bodyBlock("Response body", response.body, "entry-response-body") : null,
      stream ? [h("ol", { class: "events" }, stream.events.map((event) => h("li", { text: event.data ?? JSON.stringify(event) }))),
        stream.marker ? h("p", { class: "marker", text: stream.marker }) : null] : null,
      entry.validation_errors.length ? [h("h4", { text: "Validation errors" }),
        h("ul", { class: "error" }, entry.validation_errors.map((e) => h("li", { text: e })))] : null,
      h("p", {}, h("strong", { text: "Decided by: " }), decidedBy(entry), entry.fault ? ` · fault ${entry.fault}` : ""),
    ];
    const curl = h("pre", { class: "mono", text: entry.curl || "" });
    return h("div", {},
      h("div", { class: "detail-grid" }, h("div", {}, request), h("div", {}, answer)),
      entry.curl ? h("div", { class: "curl" }, curl, h("button", { type: "button", text: "Copy curl",
        onclick: (event) => copy(entry.curl, event.target) })) : null);
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
    setTimeout(() => { button.textContent = "Copy curl"; }, 1500);
  }

  async function loadHistory() {
    const result = await apiJson("/requests?limit=" + KEEP_ENTRIES);
    if (result.ok) addEntries(result.body.requests, false);
  }

  // ---------------------------------------------------------------- coverage
  async function loadCoverage() {
    const result = await apiJson("/coverage");
    if (!result.ok) return;
    state.coverage = result.body;
    renderCoverage();
  }
  const refreshCoverage = throttle(() => { if (!$("view-coverage").hidden) loadCoverage(); }, 400);
  const refreshRules = throttle(loadRules, 400);

  function meter(share) { // set through the CSSOM: the page's CSP allows no inline style attribute
    const bar = h("span");
    bar.style.width = share + "%";
    return bar;
  }

  function renderCoverage() {
    const { summary, operations } = state.coverage;
    const share = summary.statuses ? Math.round((100 * summary.statuses_exercised) / summary.statuses) : 0;
    $("coverage-summary").replaceChildren(
      h("span", { text: `${summary.operations_exercised} of ${summary.operations} operations and ` +
        `${summary.statuses_exercised} of ${summary.statuses} declared statuses exercised since the last reset (${share}%).` }),
      h("div", { class: "meter", role: "img", "aria-label": `${share}% of declared statuses exercised` }, meter(share)));
    $("coverage-list").replaceChildren(...operations.map((op) => h("div", { class: "coverage-op", "data-key": op.key },
      methodBadge(op.method),
      h("div", {}, h("span", { class: "path", text: op.path }), h("span", { class: "opid", text: `${op.operationId} · ${op.requests} request${op.requests === 1 ? "" : "s"}` })),
      h("div", { class: "chips" },
        op.statuses.map((s) => h("span", {
          class: s.count ? statusClass(s.status) + " hit" : "chip missed", "data-status": s.status,
          title: s.count ? `${s.status}: ${s.count} time${s.count === 1 ? "" : "s"}` : `${s.status}: never answered yet`,
          text: s.count ? `✓ ${s.status} ×${s.count}` : s.status,
        })),
        op.undeclared.map((s) => h("span", { class: "chip undeclared", "data-status": s.status,
          title: `${s.status} is not declared by the contract`, text: `! ${s.status} ×${s.count}` }))))));
  }

  // ---------------------------------------------------------------- reloads (serve --watch)
  async function loadReloads() {
    const result = await apiJson("/reloads");
    if (!result.ok) return;
    state.reloads = result.body;
    renderReloads();
  }

  function describeReload(report) {
    const parts = [];
    if (report.operations_added.length) parts.push("added " + report.operations_added.join(", "));
    if (report.operations_removed.length) parts.push("removed " + report.operations_removed.join(", "));
    if (report.contracts_changed.length) parts.push("changed " + report.contracts_changed.join(", "));
    if (report.rules !== null) parts.push(`${report.rules} file rule${report.rules === 1 ? "" : "s"}`);
    if (report.examples !== null) parts.push(`${report.examples} recorded example${report.examples === 1 ? "" : "s"}`);
    return parts.join("; ");
  }

  function renderReloads() {
    const { watching, reloads } = state.reloads;
    $("reloads-watching").textContent = watching
      ? "Watching the contracts, the rules file and the recorded examples: an edit is served as soon as it is saved."
      : "Not watching files: start the mock with serve --watch to reload contracts, rules and examples when they change.";
    $("reload-list").replaceChildren(...reloads.map((report) => h("li", {},
      h("span", { class: report.ok ? "good" : "bad", text: report.ok ? "Reloaded" : "Reload failed" }),
      ` ${report.time.slice(11, 19)} · ${report.files.join(", ")}`,
      report.ok ? h("div", { text: describeReload(report) || "nothing served changed" })
        : [h("div", { text: "Still serving the previous version." }), h("pre", { text: report.error })])));
  }

  function announceReload(report) {
    const banner = $("reload-banner");
    banner.className = "banner " + (report.ok ? "good" : "bad");
    banner.replaceChildren(...(report.ok
      ? [h("span", { text: `Reloaded ${report.files.join(", ")}: ${describeReload(report) || "nothing served changed"}` })]
      : [h("strong", { text: `Reload failed (${report.files.join(", ")}): still serving the previous version.` }),
        h("pre", { text: report.error })]));
    banner.hidden = false;
    state.reloads.reloads.unshift(report);
    renderReloads();
    if (report.ok) {
      setTimeout(() => { if (banner.textContent.startsWith("Reloaded")) banner.hidden = true; }, 8000);
      loadContracts();
      loadRules();
      refreshCoverage();
    }
  }

  // ---------------------------------------------------------------- the feed
  function setLive(on) {
    state.live = on;
    const live = $("live");
    live.classList.toggle("on", on);
    live.textContent = on ? "live" : "reconnecting…";
  }

  async function follow() {
    for (;;) {
      try {
        const response = await api("/feed", { headers: { Accept: "text/event-stream" } });
        if (response.ok && response.body) {
          for await (const event of sseEvents(response.body)) {
            if (event.event === "open") {
              setLive(true);
              loadHistory();
            } else if (event.event === "request") {
              const entry = JSON.parse(event.data);
              addEntries([entry], true);
              refreshCoverage();
              if (entry.rule) refreshRules();
            } else if (event.event === "reload") {
              announceReload(JSON.parse(event.data));
            }
          }
        }
      } catch { /* the mock stopped or restarted: try again */ }
      setLive(false);
      await sleep(2000);
    }
  }

  // ---------------------------------------------------------------- start
  async function reset() {
    if (!confirm("Reset the mock? Counters, sequences, quotas, tokens, runtime rules, the journal and coverage are forgotten.")) return;
    const result = await apiJson("/reset", { method: "POST" });
    if (!result.ok) return;
    state.journal = [];
    state.seen.clear();
    renderJournal();
    await Promise.all([loadRules(), loadCoverage()]);
    say("Reset done");
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpTabs();
    $("operation-filter").addEventListener("input", renderOperationList);
    $("journal-operation").addEventListener("change", renderJournal);
    $("journal-status").addEventListener("change", renderJournal);
    $("journal-clear").addEventListener("click", () => { state.journal = []; state.seen.clear(); renderJournal(); });
    $("reset").addEventListener("click", reset);
    loadContracts().then(() => Promise.all([loadRules(), loadCoverage(), loadReloads()]));
    follow();
  });
})();
