// What the page knows and its status line.
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

export const ADMIN = "/__mock";
export const TOKEN_KEY = "mock-server admin token";
export const KEEP_ENTRIES = 500;
export const SHOW_ROWS = 200;
export const FAULTS = ["reset", "hang", "truncate", "malformed_json"];

export const state = {
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

export function say(text) { // a polite announcement for screen readers and a visible status
  const live = document.getElementById("live");
  live.dataset.note = text;
  live.textContent = text;
  setTimeout(() => { if (live.dataset.note === text) setLive(state.live); }, 4000);
}

export function setLive(on) {
  state.live = on;
  const live = document.getElementById("live");
  live.classList.toggle("on", on);
  live.textContent = on ? "live" : "reconnecting…";
}
