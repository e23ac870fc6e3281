// Small helpers: building elements as text, formatting, reading server-sent events.
// Part of the mock-server dashboard (admin/static): plain ES modules, no build step, nothing from the
// network but this server's own /__mock endpoints. Request data is only ever set as text.

export const $ = (id) => document.getElementById(id);

export function h(tag, props, ...children) {
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

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const statusClass = (status) => "chip s" + String(status)[0];

export const methodBadge = (method) => h("span", { class: "method " + method, text: method });

export const entryOperation = (entry) => (entry.operationId ? entry.contract + "|" + entry.operationId : "-");

export function pretty(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}

export function throttle(fn, ms) {
  let timer = null;
  return () => {
    if (timer === null) timer = setTimeout(() => { timer = null; fn(); }, ms);
  };
}

export async function* sseEvents(stream) {
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
