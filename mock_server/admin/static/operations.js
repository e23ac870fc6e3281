// Operations: the contracts' operations, "try it", and forcing a state (runtime rules).
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

import { apiJson } from "./api.js";
import { $, h, methodBadge, pretty, sseEvents, statusClass } from "./dom.js";
import { fillOperationFilter } from "./journal.js";
import { loadRules, renderOperationRules } from "./rules.js";
import { FAULTS, say, state } from "./state.js";

export async function loadContracts() {
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

export function renderOperationList() {
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

export function selectOperation(key) {
  state.selected = key;
  for (const button of document.querySelectorAll(".op")) {
    button.setAttribute("aria-current", String(button.dataset.key === key));
  }
  renderOperation(state.operations.get(key), true);
}

export function numericStatuses(op) {
  const found = [];
  for (const status of op.statuses) {
    if (/^\d{3}$/.test(status)) found.push(status);
    else if (/^[1-5]XX$/.test(status)) found.push(status[0] + (status[0] === "5" ? "03" : "00"));
  }
  return [...new Set(found)];
}

export function renderOperation(op, focus) {
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

export function tryItForm(op) {
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

export function parseHeaders(text) {
  const headers = new Headers();
  for (const line of text.split("\n")) {
    const at = line.indexOf(":");
    if (at > 0) {
      try { headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim()); } catch { /* a name the browser refuses */ }
    }
  }
  return headers;
}

export async function send(op, answer) {
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

export function forceForm(op) {
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

export function ruleFrom(op, form) {
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

export async function force(op, form, error) {
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
