// The page's start: its views as tabs (arrow keys move between them), the live feed, reset.
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

import { api, apiJson } from "./api.js";
import { loadCoverage, refreshCoverage } from "./coverage.js";
import { $, sleep, sseEvents } from "./dom.js";
import { addEntries, loadHistory, renderJournal } from "./journal.js";
import { loadContracts, renderOperationList } from "./operations.js";
import { announceReload, loadReloads } from "./reloads.js";
import { loadRules, refreshRules } from "./rules.js";
import { say, setLive, state } from "./state.js";

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
