// Reloads of serve --watch: what changed, or why the previous version still serves.
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

import { apiJson } from "./api.js";
import { refreshCoverage } from "./coverage.js";
import { $, h } from "./dom.js";
import { loadContracts } from "./operations.js";
import { loadRules } from "./rules.js";
import { state } from "./state.js";

export async function loadReloads() {
  const result = await apiJson("/reloads");
  if (!result.ok) return;
  state.reloads = result.body;
  renderReloads();
}

export function describeReload(report) {
  const parts = [];
  if (report.operations_added.length) parts.push("added " + report.operations_added.join(", "));
  if (report.operations_removed.length) parts.push("removed " + report.operations_removed.join(", "));
  if (report.contracts_changed.length) parts.push("changed " + report.contracts_changed.join(", "));
  if (report.rules !== null) parts.push(`${report.rules} file rule${report.rules === 1 ? "" : "s"}`);
  if (report.examples !== null) parts.push(`${report.examples} recorded example${report.examples === 1 ? "" : "s"}`);
  return parts.join("; ");
}

export function renderReloads() {
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

export function announceReload(report) {
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
