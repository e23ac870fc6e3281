// The admin API, with the admin token when the mock has one (asked once, kept for the tab).
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

import { ADMIN, TOKEN_KEY } from "./state.js";
import { $ } from "./dom.js";

let tokenPrompt = null;

export function askToken(message) {
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

export async function api(path, options = {}) {
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

export async function apiJson(path, options) {
  const response = await api(path, options);
  const body = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, body };
}
