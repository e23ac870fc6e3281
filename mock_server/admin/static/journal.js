// The live journal: entries as they arrive, filters, an entry's details and curl line.
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

import { apiJson } from "./api.js";
import { $, entryOperation, h, pretty, statusClass } from "./dom.js";
import { KEEP_ENTRIES, SHOW_ROWS, state } from "./state.js";

let journalFrame = null;

export function fillOperationFilter() {
  const select = $("journal-operation");
  const chosen = select.value;
  select.replaceChildren(h("option", { value: "", text: "all" }),
    [...state.operations.values()].map((op) => h("option", { value: op.contract + "|" + op.operationId, text: `${op.operationId} (${op.method} ${op.path})` })),
    h("option", { value: "-", text: "no operation (404)" }));
  select.value = chosen;
}

export function addEntries(entries, fresh) {
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

export function addStatusOption(status) {
  const select = $("journal-status");
  const option = h("option", { value: String(status), text: String(status) });
  const later = Array.from(select.options).find((o) => o.value.length === 3 && Number(o.value) > status);
  select.insertBefore(option, later || null);
}

export function scheduleJournal() {
  if (journalFrame === null) journalFrame = requestAnimationFrame(() => { journalFrame = null; renderJournal(); });
}

export function matches(entry) {
  const op = $("journal-operation").value;
  const status = $("journal-status").value;
  if (op && entryOperation(entry) !== op) return false;
  if (status && !String(entry.status).startsWith(status)) return false;
  return true;
}

export function renderJournal() {
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

export function bodyBlock(label, value, id) {
  if (value === null || value === undefined || value === "") return null;
  const text = pretty(value);
  const cut = typeof value === "string" && /\[… \d+ more [a-z ]+ not kept\]$/.test(value);
  return [h("h4", { text: label }), h("pre", { id, class: cut ? "cut" : "", text }),
    cut ? h("p", { class: "marker", text: "Cut: the body was larger than the journal keeps." }) : null];
}

export function decidedBy(entry) {
  return (entry.decided_by || []).join("; ") || (entry.validation_errors.length ? "validation" : "the contract");
}

export function entryDetail(entry) {
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

export async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy";
  }
  setTimeout(() => { button.textContent = "Copy curl"; }, 1500);
}

export async function loadHistory() {
  const result = await apiJson("/requests?limit=" + KEEP_ENTRIES);
  if (result.ok) addEntries(result.body.requests, false);
}
