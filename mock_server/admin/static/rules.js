// Forced states: every rule in the order they are tried, and removing runtime ones.
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

import { apiJson } from "./api.js";
import { $, h, throttle } from "./dom.js";
import { say, state } from "./state.js";

export async function removeRule(name) {
  const result = await apiJson("/rules/" + encodeURIComponent(name), { method: "DELETE" });
  if (!result.ok) { say((result.body && result.body.detail) || "could not remove " + name); return; }
  say(`Removed: ${name}`);
  await loadRules();
}

export function describeAnswer(rule) {
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

export function used(described) {
  const rule = described.rule;
  if (described.used === undefined) return "";
  const limit = rule.times || (rule.sequence ? rule.sequence.length : null);
  return limit ? `${Math.min(described.used, limit)} of ${limit}` : String(described.used);
}

export async function loadRules() {
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

export function renderOperationRules() {
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

export const refreshRules = throttle(loadRules, 400);
