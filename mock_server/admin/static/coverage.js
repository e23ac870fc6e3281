// Coverage: which declared statuses each operation has answered since the last reset.
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

import { apiJson } from "./api.js";
import { $, h, methodBadge, statusClass, throttle } from "./dom.js";
import { state } from "./state.js";

export async function loadCoverage() {
  const result = await apiJson("/coverage");
  if (!result.ok) return;
  state.coverage = result.body;
  renderCoverage();
}

export function meter(share) { // set through the CSSOM: the page's CSP allows no inline style attribute
  const bar = h("span");
  bar.style.width = share + "%";
  return bar;
}

export function renderCoverage() {
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

export const refreshCoverage = throttle(() => { if (!$("view-coverage").hidden) loadCoverage(); }, 400);
