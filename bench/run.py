#!/usr/bin/env python3
"""Benchmark of mock_server against a bare-ASGI ceiling, Stoplight Prism and
connexion's MockResolver (run by `make bench`).

    .venv/bin/python bench/run.py [--duration S] [--rounds N] [--connections C]
                                  [--quick] [--only NAME,...] [--contracts DIR]

Servers (each its own process(es) on a free 127.0.0.1 port):
  mock              mock-server serve --seed 0 (default settings)
  mock-redis        the same with --state redis://… (a redis-server the bench starts;
                    skipped with a note where there is none)
  mock-workers2     the same with --workers 2 --state redis://… (the same Redis)
  mock-paced        mock-server serve --ttft 200 --tokens-per-second 20 (paced
                    streams only; only if `serve --help` lists the flags)
  mock-crud         mock-server serve on tests/contracts/shop (stateless: answers
                    reflect the request), crud-create-read only
  mock-stateful     the same with --stateful --data (a preloaded customer 1)
  mock-watch        mock-server serve --seed 0 --watch: hot reload on, the
                    dashboard's feed idle (nobody watches); JSON and stream rows
Feed cost (in-process, bench/inprocess.py): CPU time per request with nobody
following the dashboard's live feed and with one follower; with
--feed-baseline REV also the same tree at REV (git archive), before/after.
  ceiling           bench/ceiling.py, a raw ASGI app under uvicorn
  prism-static      Prism 5.14.2 `prism mock FILE`, one process per contract
  prism-dynamic     same with -d
  connexion-engine  mock-server serve --engine connexion: connexion 3 FlaskApp with
                    mock_server.connexion.MockResolver(mock_all=True)
  connexion-flask   connexion 3 FlaskApp + MockResolver(mock_all=True)
  connexion-async   connexion 3 AsyncApp + MockResolver(mock_all=True)
Scenarios: emporix-texts, emporix-completions, kodexa-chat (HTTP, wrk or the
Python client), kodexa-stream, kodexa-stream-varied (a different prompt per
stream, so no answer comes from a cache), kodexa-stream-paced (Python
stream client), and crud-create-read (mock-crud and mock-stateful: POST a
customer, then GET customer 1, in turn, on tests/contracts/shop).

Rounds are interleaved (round 1 = every server x scenario, then round 2...),
figures are medians across rounds. Cold start (spawn -> first HTTP answer) is
measured separately, 3 times per server, median. Results are printed as
markdown and saved to bench/results/<UTC timestamp>.md and latest.md.
"""

from __future__ import annotations

import argparse
import atexit
import base64
import http.client
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
LOGS = CACHE / "logs"
RESULTS = BENCH / "results"
PRISM_VERSION = "5.14.2"
PRISM_DIR = CACHE / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
UVICORN_FLAGS = ["--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log"]
HOST = "127.0.0.1"
ORG_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
TENANT = "benchtenant"

REPEATED_HTTP_SCENARIOS = ["emporix-texts", "emporix-completions", "kodexa-chat"]
# The same operations, every request with a new body (a new prompt, new message text): what a load
# test or a busy team sends, where no memo of the server can answer (see varied_http_template).
VARIED_HTTP_SCENARIOS = [f"{name}-varied" for name in REPEATED_HTTP_SCENARIOS]
HTTP_SCENARIOS = REPEATED_HTTP_SCENARIOS + VARIED_HTTP_SCENARIOS
SIZE_CURVE = "size-curve"  # cold start, RSS and first request at about 50, 500 and 5,000 operations
DEFAULT_SIZES = (50, 500, 5000)
STREAM_SCENARIOS = ["kodexa-stream", "kodexa-stream-varied", "kodexa-stream-paced"]
UNPACED_STREAMS = ["kodexa-stream", "kodexa-stream-varied"]
# Distinct prompts of kodexa-stream-varied: 8x the mock's largest memo (1,024 reply texts; 64 encoded
# streams), cycled, so every stream asks something the server has not answered recently.
VARIED_PROMPTS = 8192
# Create and read on a CRUD contract: the cost of --stateful over the stateless (reflected) answers
CRUD_SCENARIOS = ["crud-create-read"]
CRUD_CONTRACT = ROOT / "tests" / "contracts" / "shop" / "openapi.yaml"
CRUD_CUSTOMERS = "/shop/bench/customers"
ALL_SCENARIOS = HTTP_SCENARIOS + STREAM_SCENARIOS + CRUD_SCENARIOS + [SIZE_CURVE]
ALL_SERVERS = [
    "mock", "mock-redis", "mock-workers2", "mock-paced", "mock-watch", "ceiling", "prism-static", "prism-dynamic",
    "connexion-engine", "connexion-flask", "connexion-async", "mock-crud", "mock-stateful",
]
SHARED_STATE_SERVERS = {"mock-redis": [], "mock-workers2": ["--workers", "2"]}
CONTRACT_FILES = {
    "emporix": Path("emporix/ai-service.yaml"),
    "kodexa": Path("kodexa/chat-completions.yaml"),
}

NOTES: list[str] = []


def note(msg: str) -> None:
    NOTES.append(msg)
    print(f"  note: {msg}", flush=True)


def log(msg: str) -> None:
    print(msg, flush=True)


# ------------------------------------------------------------------ processes

_LIVE: list[subprocess.Popen] = []


def kill_proc(p: subprocess.Popen) -> None:
    """Terminate the process group we created for p (start_new_session)."""
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
    else:  # leader gone: make sure no child of its group lingers
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if p in _LIVE:
        _LIVE.remove(p)


def kill_all() -> None:
    for p in list(_LIVE):
        kill_proc(p)


atexit.register(kill_all)


def _on_term(signum, frame):
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _on_term)
signal.signal(signal.SIGHUP, _on_term)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run_cmd(argv, timeout, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)


def rss_mb(pid: int) -> float | None:
    """RSS of pid and all its descendants, in MB."""
    try:
        import psutil  # type: ignore

        try:
            p = psutil.Process(pid)
            procs = [p] + p.children(recursive=True)
            total = 0
            for q in procs:
                try:
                    total += q.memory_info().rss
                except psutil.Error:
                    pass
            return total / 1048576
        except psutil.Error:
            return None
    except ImportError:
        pass
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    total_kb, todo, seen = 0, [pid], set()
    while todo:
        q = todo.pop()
        if q in seen:
            continue
        seen.add(q)
        try:
            with open(f"/proc/{q}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            if q == pid:
                return None
        todo.extend(children.get(q, []))
    return total_kb / 1024


# ------------------------------------------------------------------ contracts


def _resolve(doc, node, depth=0):
    while isinstance(node, dict) and "$ref" in node and depth < 20:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"non-local $ref {ref!r} not supported by the bench")
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        depth += 1
    return node


def _find_op(doc, method, suffix_re):
    for path, item in (doc.get("paths") or {}).items():
        if re.search(suffix_re, path) and isinstance(item, dict):
            item = _resolve(doc, item)
            op = item.get(method)
            if op:
                return path, item, op
    raise LookupError(f"no {method.upper()} operation whose path matches {suffix_re!r}")


def _param_value(doc, param):
    schema = _resolve(doc, param.get("schema") or {})
    name = param.get("name", "")
    if "example" in param:
        return str(param["example"])
    if param.get("examples"):
        ex = _resolve(doc, next(iter(param["examples"].values())))
        if isinstance(ex, dict) and "value" in ex:
            return str(ex["value"])
    if schema.get("format") == "uuid":
        return ORG_UUID
    if "example" in schema:
        return str(schema["example"])
    if schema.get("enum"):
        return str(schema["enum"][0])
    if "default" in schema:
        return str(schema["default"])
    if schema.get("type") in ("integer", "number"):
        return "1"
    if "tenant" in name.lower():
        return TENANT
    if "org" in name.lower() and "id" in name.lower():
        return ORG_UUID
    return "bench"


def _first_body_example(doc, op):
    """(content_type, example) of the first request-body example, or (ct, None)."""
    rb = _resolve(doc, op.get("requestBody") or {})
    content = rb.get("content") or {}
    if not content:
        return None, None
    ct = "application/json" if "application/json" in content else next(iter(content))
    media = content[ct] or {}
    if "example" in media:
        return ct, media["example"]
    if media.get("examples"):
        ex = _resolve(doc, next(iter(media["examples"].values())))
        if isinstance(ex, dict) and "value" in ex:
            return ct, ex["value"]
    schema = _resolve(doc, media.get("schema") or {})
    if "example" in schema:
        return ct, schema["example"]
    if schema.get("examples") and isinstance(schema["examples"], list):
        return ct, schema["examples"][0]
    return ct, None


def _security_headers(doc, op):
    headers = {}
    reqs = op.get("security", doc.get("security")) or []
    schemes = ((doc.get("components") or {}).get("securitySchemes")) or {}
    for req in reqs[:1]:
        for name in req or {}:
            s = _resolve(doc, schemes.get(name) or {})
            typ = s.get("type")
            if typ == "http" and s.get("scheme", "").lower() == "basic":
                headers["Authorization"] = "Basic " + base64.b64encode(b"bench:bench").decode()
            elif typ in ("http", "oauth2", "openIdConnect"):
                headers["Authorization"] = "Bearer bench-token"
            elif typ == "apiKey" and s.get("in") == "header":
                headers[s.get("name", "x-api-key")] = "bench-key"
    return headers


def _synth(doc, schema, depth=0):
    """Minimal value for a schema: examples/defaults first, required fields only."""
    schema = _resolve(doc, schema)
    if depth > 8 or not isinstance(schema, dict):
        return None
    for k in ("example", "default", "const"):
        if k in schema:
            return schema[k]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for k in ("allOf", "oneOf", "anyOf"):
        if schema.get(k):
            if k == "allOf":
                merged = {}
                for sub in schema[k]:
                    v = _synth(doc, sub, depth + 1)
                    if isinstance(v, dict):
                        merged.update(v)
                return merged
            return _synth(doc, schema[k][0], depth + 1)
    typ = schema.get("type")
    if isinstance(typ, list):
        typ = next((t for t in typ if t != "null"), "string")
    if typ == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {name: _synth(doc, props.get(name, {}), depth + 1) for name in schema.get("required", [])}
    if typ == "array":
        return [_synth(doc, schema.get("items") or {}, depth + 1)] * max(1, schema.get("minItems", 1))
    if typ == "integer":
        return max(1, schema.get("minimum", 1))
    if typ == "number":
        return max(1.0, schema.get("minimum", 1.0))
    if typ == "boolean":
        return False
    fmt_ = schema.get("format")
    if fmt_ == "uuid":
        return ORG_UUID
    if fmt_ == "date-time":
        return "2025-01-01T00:00:00Z"
    return "Write a short product description for a stainless steel water bottle."[: schema.get("maxLength", 200)]


@dataclass
class Scenario:
    name: str
    contract: str  # "emporix" | "kodexa"
    method: str
    path: str
    headers: dict
    body: bytes
    stream: bool = False
    concurrency: int = 0
    variants: int = 0  # > 0: that many requests, each with its own prompt (see varied_bodies)
    then: tuple = ()  # (method, path, body) of requests sent in turn with this one (crud-create-read)

    def request_bytes(self, port: int, body: bytes | None = None) -> bytes:
        body = self.body if body is None else body
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {HOST}:{port}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def all_request_bytes(self, port: int) -> list[bytes]:
        if self.then:
            return [self.request_bytes(port)] + [self.other_bytes(port, *other) for other in self.then]
        if not self.variants:
            return [self.request_bytes(port)]
        if not self.stream:
            prefix, suffix = varied_http_template(self.body)
            return [self.request_bytes(port, f"{prefix}{n}{suffix}".encode()) for n in range(self.variants)]
        return [self.request_bytes(port, body) for body in varied_bodies(self.body, self.variants)]


    def other_bytes(self, port: int, method: str, path: str, body: bytes) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items() if body or k.lower() != "content-type"]
        lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def crud_scenario() -> Scenario | None:
    """POST a customer, then GET customer 1, in turn: a client creating and reading resources."""
    if not CRUD_CONTRACT.exists():
        note(f"{CRUD_CONTRACT.relative_to(ROOT)} not found: crud-create-read is skipped")
        return None
    body = json.dumps({"name": "Bench Customer", "status": "active", "tags": ["bench"]}, separators=(",", ":"))
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    return Scenario("crud-create-read", "shop", "POST", CRUD_CUSTOMERS, headers, body.encode(),
                    then=(("GET", f"{CRUD_CUSTOMERS}/1", b""),))


def crud_data() -> Path:
    """The --data of mock-stateful: customer 1, whom the scenario reads."""
    path = CACHE / "crud-data.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({CRUD_CUSTOMERS: [{"id": 1, "name": "Preloaded Customer", "status": "active"}]}))
    return path


VARY_MARKER = "~~vary-request-number~~"  # replaced by the request number: in no contract's example


def varied_http_template(body: bytes) -> tuple[str, str]:
    """(prefix, suffix) of a JSON body whose longest string (the prompt, a message's text) gets a
    request number appended: prefix + str(n) + suffix is request n's body, new every time."""
    value = json.loads(body)
    leaves: list[tuple[int, list]] = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, sub in node.items():
                walk(sub, [*path, key])
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                walk(sub, [*path, index])
        elif isinstance(node, str):
            leaves.append((len(node), path))

    walk(value, [])
    if not leaves:
        raise ValueError("the body has no string to vary")
    _, path = max(leaves, key=lambda leaf: leaf[0])
    target = value
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = f"{target[path[-1]]} (request {VARY_MARKER})"
    prefix, suffix = json.dumps(value, separators=(",", ":")).split(VARY_MARKER)
    return prefix, suffix


def varied_bodies(body: bytes, count: int) -> list[bytes]:
    """`count` chat bodies that differ in their last user message: different subjects, as users ask."""
    value = json.loads(body)
    messages = value.get("messages") or [{"role": "user", "content": "Say hello"}]
    last = messages[-1] if isinstance(messages[-1].get("content"), str) else {"role": "user", "content": ""}
    topics = ["solar panels", "a garden shed", "sourdough bread", "bicycle brakes", "a tax return",
              "wool socks", "a rain jacket", "kitchen knives", "a small boat", "house plants"]
    out = []
    for number in range(count):
        question = f"{last['content']} Also tell me about {topics[number % len(topics)]} number {number}.".strip()
        out.append(json.dumps({**value, "messages": [*messages[:-1], {**last, "content": question}]},
                              separators=(",", ":")).encode())
    return out


def load_scenarios(contracts_dir: Path, stream_conc: int, paced_conc: int) -> dict[str, Scenario]:
    import yaml

    out: dict[str, Scenario] = {}
    docs = {}
    for key, rel in CONTRACT_FILES.items():
        f = contracts_dir / rel
        try:
            docs[key] = yaml.safe_load(f.read_text())
        except FileNotFoundError:
            note(f"contract {f} not found: its scenarios are skipped")
        except Exception as e:  # noqa: BLE001
            note(f"contract {f} unreadable ({e}): its scenarios are skipped")

    def build(name, key, suffix_re, base_headers, body_fn, stream=False, conc=0):
        doc = docs.get(key)
        if doc is None:
            return
        try:
            path, item, op = _find_op(doc, "post", suffix_re)
            params = [_resolve(doc, p) for p in (item.get("parameters") or []) + (op.get("parameters") or [])]
            concrete = path
            query, headers = [], dict(base_headers)
            for p in params:
                loc, pname = p.get("in"), p.get("name")
                if loc == "path":
                    concrete = concrete.replace("{" + pname + "}", _param_value(doc, p))
                elif loc == "query" and p.get("required"):
                    query.append(f"{pname}={_param_value(doc, p)}")
                elif loc == "header" and p.get("required") and pname.lower() not in (h.lower() for h in headers):
                    headers[pname] = _param_value(doc, p)
            concrete = re.sub(r"\{[^}]+\}", "bench", concrete)
            if query:
                concrete += "?" + "&".join(query)
            headers.update(_security_headers(doc, op))
            ct, example = _first_body_example(doc, op)
            body, ct = body_fn(example, ct)
            headers["Content-Type"] = ct or "application/json"
            out[name] = Scenario(name, key, "POST", concrete, headers, body, stream, conc)
        except Exception as e:  # noqa: BLE001
            note(f"scenario {name}: cannot derive the request from {CONTRACT_FILES[key]} ({e}); skipped")

    def emporix_body(name, key, suffix_re):
        def fn(example, ct):
            if example is None:
                doc = docs[key]
                _, _, op = _find_op(doc, "post", suffix_re)
                rb = _resolve(doc, op.get("requestBody") or {})
                media = (rb.get("content") or {}).get(ct or "application/json") or {}
                example = _synth(doc, media.get("schema") or {})
                note(f"{name}: the contract has no request-body example for this operation; "
                     f"body synthesised from its schema (required fields): `{json.dumps(example)}`")
            if isinstance(example, (dict, list)):
                return json.dumps(example, separators=(",", ":")).encode(), ct
            return str(example).encode(), ct
        return fn

    def kodexa_body(stream):
        def fn(example, ct):
            body = dict(example) if isinstance(example, dict) else {}
            body.setdefault("model", "bench-model")
            body.setdefault("messages", [{"role": "user", "content": "Say hello"}])
            if stream:
                body["stream"] = True
            elif "stream" in body:
                body["stream"] = False
            return json.dumps(body, separators=(",", ":")).encode(), "application/json"
        return fn

    emp_h = {"Authorization": "Bearer bench-token", "Accept": "application/json"}
    kdx_h = {"x-api-key": "bench-key", "Accept": "application/json"}
    kdx_s = {"x-api-key": "bench-key", "Accept": "text/event-stream"}
    build("emporix-texts", "emporix", r"/texts/?$", emp_h, emporix_body("emporix-texts", "emporix", r"/texts/?$"))
    build("emporix-completions", "emporix", r"/completions/?$", emp_h,
          emporix_body("emporix-completions", "emporix", r"/completions/?$"))
    build("kodexa-chat", "kodexa", r"/chat/completions/?$", kdx_h, kodexa_body(False))
    build("kodexa-stream", "kodexa", r"/chat/completions/?$", kdx_s, kodexa_body(True), True, stream_conc)
    for name in REPEATED_HTTP_SCENARIOS:
        if name in out:
            s = out[name]
            out[f"{name}-varied"] = Scenario(f"{name}-varied", s.contract, s.method, s.path, dict(s.headers), s.body,
                                             variants=VARIED_PROMPTS)
    if "kodexa-stream" in out:
        s = out["kodexa-stream"]
        out["kodexa-stream-varied"] = Scenario("kodexa-stream-varied", s.contract, s.method, s.path,
                                               dict(s.headers), s.body, True, stream_conc, VARIED_PROMPTS)
        out["kodexa-stream-paced"] = Scenario("kodexa-stream-paced", s.contract, s.method, s.path,
                                              dict(s.headers), s.body, True, paced_conc)
    crud = crud_scenario()
    if crud is not None:
        out[crud.name] = crud
    return out


# -------------------------------------------------------------------- servers


@dataclass
class ProcSpec:
    label: str
    argv: list
    env: dict = field(default_factory=dict)
    ready_path: str = "/"
    ready_need_200: bool = False


@dataclass
class ServerSpec:
    name: str
    procs: list  # [ProcSpec]; argv may contain "{port}"
    scenarios: list
    route: dict  # contract key -> proc label
    rss_label: str
    extra_note: str = ""


@dataclass
class Running:
    spec: ServerSpec
    procs: dict  # label -> (Popen, port)
    scenarios: list = field(default_factory=list)
    rss: list = field(default_factory=list)
    rss_other: dict = field(default_factory=dict)
    dead: bool = False

    def port_for(self, scen: Scenario) -> int:
        return self.procs[self.spec.route[scen.contract]][1]

    def alive(self) -> bool:
        return all(p.poll() is None for p, _ in self.procs.values())


class StartError(Exception):
    pass


def _probe(port: int, path: str, timeout: float = 1.0):
    c = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


def start_server(spec: ServerSpec, timeout: float) -> tuple[Running, float]:
    """Spawn every process of spec at once; returns when all answer HTTP.
    Cold start = spawn of the first process -> last first answer."""
    LOGS.mkdir(parents=True, exist_ok=True)
    procs = {}
    t0 = time.perf_counter()
    try:
        for ps in spec.procs:
            port = free_port()
            argv = [a.replace("{port}", str(port)) for a in ps.argv]
            logf = open(LOGS / f"{spec.name}-{ps.label}.log", "wb")
            env = dict(os.environ, **ps.env)
            try:
                p = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
            except OSError as e:
                raise StartError(f"cannot spawn {argv[0]}: {e}") from e
            finally:
                logf.close()
            _LIVE.append(p)
            procs[ps.label] = (p, port)
        pending = {ps.label: ps for ps in spec.procs}
        deadline = t0 + timeout
        last_status = {}
        while pending:
            for label, ps in list(pending.items()):
                p, port = procs[label]
                if p.poll() is not None:
                    raise StartError(f"{label} process exited with code {p.returncode}: "
                                     + _log_tail(spec.name, label))
                try:
                    st = _probe(port, ps.ready_path, timeout=min(2.0, max(0.1, deadline - time.perf_counter())))
                    last_status[label] = st
                    if st == 200 or not ps.ready_need_200:
                        del pending[label]
                except (OSError, http.client.HTTPException):
                    pass
            if not pending:
                break
            if time.perf_counter() > deadline:
                raise StartError(f"not ready after {timeout:.0f} s (last answers: {last_status or 'none'}): "
                                 + _log_tail(spec.name, next(iter(pending))))
            time.sleep(0.02)
        cold = time.perf_counter() - t0
        return Running(spec, procs), cold
    except BaseException:
        for p, _ in procs.values():
            kill_proc(p)
        raise


def stop_server(r: Running) -> None:
    for p, _ in r.procs.values():
        kill_proc(p)


def _log_tail(server: str, label: str, n: int = 400) -> str:
    try:
        text = (LOGS / f"{server}-{label}.log").read_text(errors="replace").strip()
    except OSError:
        return "(no log)"
    text = " | ".join(ln for ln in text.splitlines()[-6:] if ln.strip())
    return (text[-n:] if text else "(empty log)")


def start_bench_redis() -> tuple[str | None, str]:
    """A redis-server without persistence on a free port, for the shared-state rows; stopped at exit."""
    program = shutil.which("redis-server")
    if program is None:
        return None, "no redis-server on PATH (apt-get install redis-server): shared-state rows skipped"
    port = free_port()
    p = subprocess.Popen([program, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    _LIVE.append(p)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return f"redis://{HOST}:{port}/0", ""
        except OSError:
            time.sleep(0.05)
    kill_proc(p)
    return None, "redis-server did not start: shared-state rows skipped"


def find_mock_cli() -> Path | None:
    for cand in (Path(sys.executable).parent / "mock-server", ROOT / ".venv" / "bin" / "mock-server"):
        if cand.exists():
            return cand
    w = shutil.which("mock-server")
    return Path(w) if w else None


def ensure_prism() -> tuple[Path | None, str]:
    if not shutil.which("node"):
        return None, "node not on PATH: Prism rows skipped"
    if PRISM_BIN.exists():
        return PRISM_BIN, ""
    npm = shutil.which("npm")
    if not npm:
        return None, "npm not on PATH: Prism rows skipped (install Node.js + npm to get them)"
    log(f"installing @stoplight/prism-cli@{PRISM_VERSION} into {PRISM_DIR.relative_to(ROOT)} (once) ...")
    PRISM_DIR.mkdir(parents=True, exist_ok=True)
    try:
        r = run_cmd([npm, "install", "--no-audit", "--no-fund", "--prefix", str(PRISM_DIR),
                     f"@stoplight/prism-cli@{PRISM_VERSION}"], timeout=600)
    except subprocess.TimeoutExpired:
        return None, "npm install of Prism timed out (600 s): Prism rows skipped"
    if r.returncode != 0 or not PRISM_BIN.exists():
        tail = " | ".join((r.stderr or r.stdout).strip().splitlines()[-3:])
        return None, f"npm install of Prism failed ({tail}): Prism rows skipped"
    return PRISM_BIN, ""


def connexion_precheck(kind: str, files: list[Path]) -> tuple[list[Path], dict]:
    """Load each contract alone into a connexion app (in a subprocess with a
    timeout); returns (loadable files, {file: error})."""
    code = (
        "import os, sys, json\n"
        "sys.path.insert(0, os.getcwd())\n"
        "os.environ['BENCH_CONNEXION_CONTRACTS'] = sys.argv[2]\n"
        "os.environ['BENCH_CONNEXION_KIND'] = sys.argv[1]\n"
        "from bench import connexion_mock\n"
        "connexion_mock.app.middleware._build_middleware_stack()\n"
        "print('OK')\n"
    )
    good, bad = [], {}
    for f in files:
        try:
            r = run_cmd([sys.executable, "-c", code, kind, str(f)], timeout=120, cwd=ROOT)
            if r.returncode == 0 and "OK" in r.stdout:
                good.append(f)
            else:
                lines = [ln for ln in (r.stderr or r.stdout).strip().splitlines() if ln.strip()]
                bad[f] = lines[-1][:300] if lines else f"exit {r.returncode}"
        except subprocess.TimeoutExpired:
            bad[f] = "loading timed out (120 s)"
    return good, bad


# ---------------------------------------------------------------- load runs

UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _wrk_ms(text: str) -> float:
    m = re.match(r"([\d.]+)\s*(us|ms|s|m|h)$", text.strip())
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * UNIT[m.group(2)]


def parse_wrk(out: str) -> dict:
    res: dict = {}
    m = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if not m:
        raise ValueError("no Requests/sec in wrk output: " + out.strip()[-300:])
    res["rps"] = float(m.group(1))
    for q in ("50", "75", "90", "99"):
        m = re.search(rf"^\s*{q}(?:\.0+)?%\s+(\S+)", out, re.M)
        res[f"p{q}_ms"] = _wrk_ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    res["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    res["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["errors"] = sum(int(x) for x in m.groups()) if m else 0
    return res


def lua_quote(s: str) -> str:
    eq = "="
    while f"]{eq}]" in s:
        eq += "="
    return f"[{eq}[{s}]{eq}]"


def run_wrk(scen: Scenario, port: int, duration: float, conns: int) -> dict:
    CACHE.mkdir(parents=True, exist_ok=True)
    script = CACHE / "wrk" / f"{scen.name}.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    lines = [f'wrk.method = "{scen.method}"', f"wrk.body = {lua_quote(scen.body.decode())}"]
    lines += [f"wrk.headers[ {lua_quote(k)} ] = {lua_quote(v)}" for k, v in scen.headers.items()]
    if scen.then:  # requests in turn: the scenario's own, then each of `then`
        lines += ["local turns, n = {}, 0", "init = function(args)",
                  f"  turns[1] = wrk.format(nil, {lua_quote(scen.path)})"]
        for method, path, body in scen.then:
            lines.append(f"  turns[#turns + 1] = wrk.format({lua_quote(method)}, {lua_quote(path)}, nil, "
                         f"{lua_quote(body.decode()) if body else 'nil'})")
        lines += ["end", "request = function() n = n + 1; return turns[(n - 1) % #turns + 1] end"]
    if scen.variants:  # every request a new body: request n carries the number n in its prompt
        prefix, suffix = varied_http_template(scen.body)
        lines += [f"local prefix, suffix = {lua_quote(prefix)}, {lua_quote(suffix)}", "local counter = 0",
                  "request = function()", "  counter = counter + 1",
                  "  return wrk.format(nil, nil, nil, prefix .. counter .. suffix)", "end"]
    script.write_text("\n".join(lines) + "\n")
    url = f"http://{HOST}:{port}{scen.path}"
    argv = ["wrk", "-t1", f"-c{conns}", f"-d{max(1, round(duration))}s", "--latency",
            "--timeout", "10s", "-s", str(script), url]
    r = run_cmd(argv, timeout=duration + 60)
    if r.returncode != 0:
        raise RuntimeError(f"wrk exit {r.returncode}: {(r.stderr or r.stdout).strip()[-300:]}")
    return parse_wrk(r.stdout)


def run_pyload(job: dict, timeout: float) -> dict:
    r = subprocess.run([sys.executable, str(BENCH / "loadgen.py")], input=json.dumps(job),
                       capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"loadgen exit {r.returncode}: {r.stderr.strip()[-400:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def run_http(scen: Scenario, port: int, duration: float, conns: int, use_wrk: bool) -> dict:
    if use_wrk:
        return run_wrk(scen, port, duration, conns)
    job = {"mode": "http", "host": HOST, "port": port, "connections": conns, "duration": duration,
           "requests_b64": [base64.b64encode(request).decode() for request in scen.all_request_bytes(port)]}
    return run_pyload(job, timeout=duration + 60)


# One probe stream every 10 ms: ~800 TTFTs per 10 s round, so a round's p99 is not its 4th-worst value
# (at 20 ms it was, and it swung by several ms between rounds); the probe adds ~4% to the load.
PROBE_INTERVAL_S = 0.01


def closing_request(request: bytes) -> bytes:
    """The request asking the server to close the connection after answering."""
    return request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)


def run_stream(scen: Scenario, port: int, duration: float, stream_timeout: float, processes: int) -> dict:
    """The stream load (split over `processes` client processes), with a probe process beside it
    measuring TTFT as an unloaded client sees it.

    The load's clients keep their connection for their next stream, as SDKs (httpx's pool) and
    browsers do; the probe opens a new connection for each stream, so new connections are measured
    too. Its requests say `Connection: close`: the server closes first and keeps the TIME_WAIT,
    instead of the client's ephemeral ports filling with it."""
    requests = scen.all_request_bytes(port)
    job = {"mode": "stream", "host": HOST, "port": port, "concurrency": scen.concurrency,
           "duration": duration, "stream_timeout": stream_timeout,
           "requests_b64": [base64.b64encode(request).decode() for request in requests],
           "processes": max(1, min(processes, scen.concurrency))}
    closing = [base64.b64encode(closing_request(request)).decode() for request in requests]
    warmup = min(1.0, duration / 4)
    probe_job = {"mode": "probe", "host": HOST, "port": port, "duration": max(0.5, duration - 2 * warmup),
                 "warmup": warmup, "interval": PROBE_INTERVAL_S, "stream_timeout": stream_timeout,
                 "requests_b64": closing[::-1]}  # varied prompts: not the ones the load just asked
    probe = subprocess.Popen([sys.executable, str(BENCH / "loadgen.py")], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        probe.stdin.write(json.dumps(probe_job))
        probe.stdin.close()
        result = run_pyload(job, timeout=duration + 2 * stream_timeout + 60)
        out = probe.stdout.read()  # the probe stops by itself at its deadline
        probe.wait(timeout=stream_timeout + 30)
        if probe.returncode == 0 and out.strip():
            result.update(json.loads(out.strip().splitlines()[-1]))
    finally:
        if probe.poll() is None:
            probe.kill()
    return result


def probe_scenario(scen: Scenario, port: int, timeout: float = 30.0) -> str:
    """One request, to record what the server answers."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.settimeout(timeout)
            req = closing_request(scen.request_bytes(port))
            s.sendall(req)
            data = b""
            t_end = time.monotonic() + timeout
            while time.monotonic() < t_end and len(data) < 65536:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError as e:
        return f"no answer ({e})"
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if any(ln.lower().startswith("transfer-encoding:") and "chunked" in ln.lower() for ln in lines):
        from loadgen import ResponseParser  # bench/loadgen.py

        parts: list = []
        ResponseParser(lambda *a: None, parts.append, lambda: None).feed(data)
        body = b"".join(parts)
    status = lines[0].split(" ", 2)[1] if lines and len(lines[0].split(" ")) > 1 else "?"
    ctype = next((ln.split(":", 1)[1].strip() for ln in lines[1:] if ln.lower().startswith("content-type:")), "-")
    snippet = body[:90].decode("utf-8", "replace").replace("\n", "\\n").replace("|", "\\|")
    return f"{status} {ctype} `{snippet}`"


# ---------------------------------------------------------- contract sizes


def first_request_path(contract: Path) -> str:
    """A GET without parameters in the contract's last copy: the operation a server is least likely
    to have prepared before its first request."""
    document = json.loads(contract.read_text())
    for path, item in reversed(list(document["paths"].items())):
        get = item.get("get")
        if get and "{" not in path and not any(p.get("required") for p in get.get("parameters", [])):
            return path
    return next(iter(document["paths"]))


def timed_get(port: int, path: str, timeout: float = 60.0) -> tuple[float, int]:
    """(milliseconds, status) of one GET on a new connection."""
    t0 = time.perf_counter()
    status = _probe(port, path, timeout=timeout)
    return (time.perf_counter() - t0) * 1000, status


def start_once(name: str, argv: list, ready_path: str, timeout: float) -> dict:
    """Spawn, wait for the first HTTP answer (or the process's exit), then time the first request
    and read the RSS a moment later."""
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in argv]
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{name}.log", "wb") as logf:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=ROOT, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True)
    _LIVE.append(p)
    try:
        while True:
            if p.poll() is not None:
                return {"exited": p.returncode, "seconds": time.perf_counter() - t0}
            try:
                st = _probe(port, ready_path, timeout=2.0)
                if st == 200 or not ready_path.startswith("/__mock"):
                    break
            except (OSError, http.client.HTTPException):
                pass
            if time.perf_counter() - t0 > timeout:
                return {"timeout": timeout}
            time.sleep(0.02)
        return {"cold": time.perf_counter() - t0, "port": port, "proc": p}
    except BaseException:
        kill_proc(p)
        raise


def run_size_curve(sizes, servers: dict, cold_starts: int, timeout: float) -> dict:
    """For each size: each server's cold start (median of `cold_starts`), its first request to an
    operation of the contract's last copy, and its RSS 2 s after that request. Then the same 500-ish
    operation contract with one broken operation: a server must refuse it."""
    sys.path.insert(0, str(BENCH))
    import contract_sizes  # bench/contract_sizes.py

    results: dict = {}
    for size in sizes:
        contract = contract_sizes.write(size)
        operations = contract_sizes.operation_count(json.loads(contract.read_text()))
        path = first_request_path(contract)
        for name, (argv_for, ready_path) in servers.items():
            log(f"size curve: {name} at {operations} operations ...")
            row: dict = {"operations": operations, "colds": []}
            for attempt in range(max(1, cold_starts)):
                started = start_once(f"size-{name}-{size}", argv_for(contract), ready_path, timeout)
                if "cold" not in started:
                    row["failed"] = (f"exited with {started['exited']}" if "exited" in started
                                     else f"no answer in {timeout:.0f} s")
                    break
                row["colds"].append(started["cold"])
                if attempt == 0:
                    row["first_ms"], row["first_status"] = timed_get(started["port"], path)
                    row["second_ms"], _ = timed_get(started["port"], path)
                    time.sleep(2.0)
                    row["rss"] = rss_mb(started["proc"].pid)
                kill_proc(started["proc"])
            results[(name, size)] = row
            log(f"  {name}: cold {', '.join(f'{c:.2f}s' for c in row['colds'])}; first request "
                f"{fmt(row.get('first_ms'))} ms; RSS {fmt(row.get('rss'))} MB {row.get('failed', '')}")
    invalid = contract_sizes.write_invalid()
    for name, (argv_for, ready_path) in servers.items():
        started = start_once(f"size-{name}-invalid", argv_for(invalid), ready_path, timeout)
        if "cold" in started:
            kill_proc(started["proc"])
            results[(name, "invalid")] = f"served it (answered after {started['cold']:.2f} s)"
        elif "exited" in started:
            results[(name, "invalid")] = f"refused it: exit {started['exited']} after {started['seconds']:.2f} s"
        else:
            results[(name, "invalid")] = f"neither served nor exited in {timeout:.0f} s"
        log(f"  {name} on an invalid contract: {results[(name, 'invalid')]}")
    return results


def render_size_curve(results: dict, sizes, names) -> list:
    out = ["## Contract size: start-up, memory and the first request", ""]
    out.append("| operations | server | cold start s | RSS MB | first request ms | second request ms | "
               "ratio of cold start to prism-static | ratio of RSS to prism-static |")
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        for name in names:
            row = results.get((name, size))
            if row is None:
                continue
            if "failed" in row:
                out.append(f"| {row['operations']:,} | {name} | {row['failed']} | | | | | |")
                continue
            prism = results.get(("prism-static", size)) or {}
            cold, prism_cold = med(row["colds"]), med(prism.get("colds", []))
            ratio = f"{cold / prism_cold:.2f}x" if prism_cold and name != "prism-static" else "-"
            rss_ratio = (f"{row['rss'] / prism['rss']:.2f}x" if prism.get("rss") and row.get("rss")
                         and name != "prism-static" else "-")
            out.append(f"| {row['operations']:,} | {name} | {fmt(cold, 2)} | {fmt(row.get('rss'))} | "
                       f"{fmt(row.get('first_ms'))} ({row.get('first_status')}) | {fmt(row.get('second_ms'))} | "
                       f"{ratio} | {rss_ratio} |")
    out.append("")
    for name in names:
        if (name, "invalid") in results:
            out.append(f"- {name}, the 540-operation contract with one broken operation (its last): "
                       f"{results[(name, 'invalid')]}")
    out.append("- contracts: bench/contract_sizes.py repeats Ory Kratos' API (60 operations, 191 component "
               "schemas; source in bench/README.md) under path prefixes, each copy with its own components; "
               "cold start = spawn -> first HTTP answer (the mock: `/__mock/health` 200, after validating the "
               "contract), median of the starts; first request = a GET of the last copy, on a new connection, "
               "right after; RSS 2 s after it (process + children).")
    out.append("")
    return out


# ---------------------------------------------------------------- reporting


def med(values):
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def versions(prism_bin) -> dict:
    from importlib import metadata

    v = {"python": platform.python_version()}
    for pkg in ("mock-server", "connexion", "uvicorn", "uvloop", "httptools", "starlette", "flask"):
        try:
            v[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            v[pkg] = "not installed"
    if prism_bin:
        try:
            v["prism"] = run_cmd([str(prism_bin), "--version"], timeout=60).stdout.strip() or "?"
        except (subprocess.TimeoutExpired, OSError):
            v["prism"] = "?"
        try:
            v["node"] = run_cmd(["node", "--version"], timeout=30).stdout.strip()
        except (subprocess.TimeoutExpired, OSError):
            v["node"] = "?"
    else:
        v["prism"] = "not available"
    try:
        v["git"] = run_cmd(["git", "rev-parse", "--short", "HEAD"], timeout=10, cwd=ROOT).stdout.strip() or "no commit"
    except (subprocess.TimeoutExpired, OSError):
        v["git"] = "?"
    return v


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


# ---------------------------------------------------------------------- main


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=None, help="seconds per server x scenario x round (10)")
    ap.add_argument("--rounds", type=int, default=None, help="interleaved rounds, medians reported (3)")
    ap.add_argument("--connections", type=int, default=16, help="HTTP keep-alive connections (16)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 2 s rounds, 1 round")
    ap.add_argument("--only", default="", help="comma-separated server and/or scenario names: "
                    + ", ".join(ALL_SERVERS + ALL_SCENARIOS))
    ap.add_argument("--contracts", type=Path, default=None,
                    help="contract directory (default: openapi/; passed to mock-server as --contracts)")
    ap.add_argument("--cold-starts", type=int, default=3, help="cold-start measurements per server (3)")
    ap.add_argument("--streams", type=int, default=100, help="concurrent streams, kodexa-stream (100)")
    ap.add_argument("--paced-streams", type=int, default=500, help="concurrent streams, paced variant (500)")
    ap.add_argument("--stream-processes", type=int, default=4,
                    help="client processes the concurrent streams are split over (4)")
    ap.add_argument("--start-timeout", type=float, default=60.0, help="seconds for a server to answer (60)")
    ap.add_argument("--python-client", action="store_true", help="use the Python load generator even if wrk exists")
    ap.add_argument("--no-save", action="store_true", help="print only, do not write bench/results/")
    ap.add_argument("--feed-baseline", default=None,
                    help="a git revision: also measure the dashboard's feed cost in-process on that tree (before/after)")
    ap.add_argument("--no-feed-cost", action="store_true", help="skip the in-process feed-cost runs")
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                    help="operations of the size curve's contracts (50,500,5000)")
    a = ap.parse_args(argv)
    if a.duration is None:
        a.duration = 2.0 if a.quick else 10.0
    if a.rounds is None:
        a.rounds = 1 if a.quick else 3
    a.only = [x.strip() for x in a.only.split(",") if x.strip()]
    a.sizes = [int(x) for x in a.sizes.split(",") if x.strip()]
    unknown = [x for x in a.only if x not in ALL_SERVERS + ALL_SCENARIOS]
    if unknown:
        ap.error(f"--only: unknown name(s) {unknown}; known: {ALL_SERVERS + ALL_SCENARIOS}")
    return a


def main(argv=None) -> int:
    args = parse_args(argv)
    started_at = datetime.now(timezone.utc)
    load_start = loadavg()
    contracts_dir = (args.contracts or ROOT / "openapi").resolve()
    only_servers = [x for x in args.only if x in ALL_SERVERS] or list(ALL_SERVERS)
    only_scen = [x for x in args.only if x in ALL_SCENARIOS] or list(ALL_SCENARIOS)

    use_wrk = bool(shutil.which("wrk")) and not args.python_client
    if use_wrk:
        try:
            wv = run_cmd(["wrk", "-v"], timeout=10)
            wrk_version = (wv.stdout + wv.stderr).strip().splitlines()[0].split(" [")[0]
        except (subprocess.TimeoutExpired, OSError, IndexError):
            wrk_version = "wrk"
        generator = f"{wrk_version} (1 thread, {args.connections} connections, Lua script per operation)"
    else:
        if not args.python_client:
            note("wrk is not on PATH (install it, e.g. `apt-get install wrk`): "
                 "HTTP figures come from the Python load generator")
        generator = (f"Python asyncio raw-socket client, bench/loadgen.py, separate process "
                     f"({args.connections} keep-alive connections)")
    log(f"load generator: {generator}")

    scenarios = load_scenarios(contracts_dir, args.streams, args.paced_streams)
    scenarios = {k: v for k, v in scenarios.items() if k in only_scen}
    py = sys.executable
    uv = [py, "-m", "uvicorn"]

    # ---- server specs
    specs: list[ServerSpec] = []
    skipped: dict[str, str] = {}
    http_scen = [s for s in HTTP_SCENARIOS if s in scenarios]
    crud_scen = [s for s in CRUD_SCENARIOS if s in scenarios]
    contract_args = ["--contracts", str(contracts_dir)] if args.contracts else []
    mock_cli = find_mock_cli()
    if mock_cli is None and any(s in only_servers for s in ("mock-crud", "mock-stateful")):
        skipped["mock-crud"] = "no mock-server executable (CLI not installed?)"
    paced_ok = False
    if any(s in only_servers for s in ("mock", "mock-paced", "mock-watch", "connexion-engine")):
        if mock_cli is None:
            skipped["mock"] = "mock failed to start: no mock-server executable (CLI not installed?)"
        else:
            try:
                h = run_cmd([str(mock_cli), "serve", "--help"], timeout=60, cwd=ROOT)
                paced_ok = "--tokens-per-second" in (h.stdout + h.stderr)
            except (subprocess.TimeoutExpired, OSError) as e:
                log(f"  `mock-server serve --help` failed: {e}")
            mock_argv = [str(mock_cli), "serve", "--host", HOST, "--port", "{port}", "--seed", "0"] + contract_args
            if "mock" in only_servers:
                specs.append(ServerSpec(
                    "mock", [ProcSpec("main", mock_argv, ready_path="/__mock/health", ready_need_200=True)],
                    http_scen + [s for s in UNPACED_STREAMS if s in scenarios],
                    {"emporix": "main", "kodexa": "main"}, "main"))
            if "connexion-engine" in only_servers:  # the same mock behind connexion's routing and validation
                specs.append(ServerSpec(
                    "connexion-engine",
                    [ProcSpec("main", mock_argv + ["--engine", "connexion"], ready_path="/__mock/health",
                              ready_need_200=True)],
                    http_scen + [s for s in UNPACED_STREAMS if s in scenarios],
                    {"emporix": "main", "kodexa": "main"}, "main"))
            if "mock-watch" in only_servers:
                specs.append(ServerSpec(
                    "mock-watch", [ProcSpec("main", mock_argv + ["--watch"], ready_path="/__mock/health",
                                            ready_need_200=True)],
                    [s for s in http_scen if s in REPEATED_HTTP_SCENARIOS]
                    + [s for s in ("kodexa-stream",) if s in scenarios],
                    {"emporix": "main", "kodexa": "main"}, "main",
                    "serve --watch: the watcher and the dashboard's feed idle; compare with the mock row"))
            if "mock-paced" in only_servers and "kodexa-stream-paced" in scenarios:
                if paced_ok:
                    specs.append(ServerSpec(
                        "mock-paced",
                        [ProcSpec("main", mock_argv + ["--ttft", "200", "--tokens-per-second", "20"],
                                  ready_path="/__mock/health", ready_need_200=True)],
                        ["kodexa-stream-paced"], {"emporix": "main", "kodexa": "main"}, "main"))
                else:
                    skipped["mock-paced"] = ("`mock-server serve --help` does not list --tokens-per-second: "
                                             "paced stream variant skipped")
    for name, extra in (("mock-crud", []), ("mock-stateful", ["--stateful", "--data", "{data}"])):
        if name not in only_servers or not crud_scen or mock_cli is None:
            continue
        argv = [str(mock_cli), "serve", "--host", HOST, "--port", "{port}", "--seed", "0",
                "--contracts", str(CRUD_CONTRACT)] + [a.replace("{data}", str(crud_data())) for a in extra]
        specs.append(ServerSpec(name, [ProcSpec("main", argv, ready_path="/__mock/health", ready_need_200=True)],
                                crud_scen, {"shop": "main"}, "main"))
    wanted_shared = [name for name in SHARED_STATE_SERVERS if name in only_servers]
    if wanted_shared and mock_cli is not None:
        redis_url, why = start_bench_redis()
        for name in wanted_shared:
            if redis_url is None:
                skipped[name] = why
                continue
            argv = [str(mock_cli), "serve", "--host", HOST, "--port", "{port}", "--seed", "0", *contract_args,
                    *SHARED_STATE_SERVERS[name], "--state", redis_url, "--state-prefix", f"bench-{name}"]
            specs.append(ServerSpec(
                name, [ProcSpec("main", argv, ready_path="/__mock/health", ready_need_200=True)], http_scen,
                {"emporix": "main", "kodexa": "main"}, "main",
                "shared state on a local redis-server (its RSS not counted)"))
    if "ceiling" in only_servers:
        specs.append(ServerSpec(
            "ceiling", [ProcSpec("main", uv + ["bench.ceiling:app"] + UVICORN_FLAGS + ["--host", HOST, "--port", "{port}"])],
            http_scen + [s for s in ("kodexa-stream",) if s in scenarios],
            {"emporix": "main", "kodexa": "main"}, "main"))

    prism_bin = None
    if any(s.startswith("prism") for s in only_servers):
        prism_bin, why = ensure_prism()
        if prism_bin is None:
            for s in ("prism-static", "prism-dynamic"):
                skipped[s] = why
    for name, extra in (("prism-static", []), ("prism-dynamic", ["-d"])):
        if name not in only_servers or prism_bin is None:
            continue
        procs, route = [], {}
        for key, rel in CONTRACT_FILES.items():
            f = contracts_dir / rel
            if f.exists() and any(sc.contract == key for sc in scenarios.values()):
                procs.append(ProcSpec(key, [str(prism_bin), "mock", "-h", HOST, "-p", "{port}"] + extra + [str(f)]))
                route[key] = key
        if not procs:
            if scenarios:  # with the size curve alone there is nothing else to serve
                skipped[name] = "no contract to serve"
            continue
        scen = [s for s in HTTP_SCENARIOS + ["kodexa-stream"] if s in scenarios and scenarios[s].contract in route]
        specs.append(ServerSpec(name, procs, scen, route, "emporix" if "emporix" in route else procs[0].label,
                                "one Prism process per contract file; RSS and cold start: see notes"))

    for name, kind in (("connexion-flask", "flask"), ("connexion-async", "async")):
        if name not in only_servers:
            continue
        if importlib.util.find_spec("connexion") is None:
            skipped[name] = "connexion is not installed (`make bench` installs it: pip install -e '.[bench]')"
            continue
        files = [contracts_dir / rel for key, rel in CONTRACT_FILES.items()
                 if (contracts_dir / rel).exists() and any(sc.contract == key for sc in scenarios.values()
                                                           if sc.name in REPEATED_HTTP_SCENARIOS)]
        if not files:
            skipped[name] = "no contract to serve"
            continue
        log(f"checking that connexion ({kind}) loads the contracts ...")
        good, bad = connexion_precheck(kind, files)
        for f, err in bad.items():
            note(f"{name}: {f.relative_to(contracts_dir)} does not load in connexion ({err}); its rows skipped")
        if not good:
            skipped[name] = "no contract loads in connexion"
            continue
        keys = {key for key, rel in CONTRACT_FILES.items() if contracts_dir / rel in good}
        specs.append(ServerSpec(
            name, [ProcSpec("main", uv + ["bench.connexion_mock:app"] + UVICORN_FLAGS + ["--host", HOST, "--port", "{port}"],
                            env={"BENCH_CONNEXION_KIND": kind,
                                 "BENCH_CONNEXION_CONTRACTS": os.pathsep.join(str(f) for f in good)})],
            [s for s in http_scen if s in REPEATED_HTTP_SCENARIOS and scenarios[s].contract in keys],
            {k: "main" for k in keys}, "main"))

    for name, why in skipped.items():
        note(f"{name}: {why}")

    if only_scen == [SIZE_CURVE]:
        specs = []  # only the size curve was asked for
    # ---- cold starts
    cold: dict[str, list] = {}
    start_fail: dict[str, str] = {}
    for spec in specs:
        log(f"cold start {spec.name} x{args.cold_starts} ...")
        cold[spec.name] = []
        for _ in range(max(1, args.cold_starts)):
            try:
                r, t = start_server(spec, args.start_timeout)
                stop_server(r)
                cold[spec.name].append(t)
            except StartError as e:
                start_fail[spec.name] = str(e)
                break
        if spec.name in start_fail:
            note(f"{spec.name} failed to start: {start_fail[spec.name]}")
        else:
            log(f"  {spec.name}: " + ", ".join(f"{t:.2f}s" for t in cold[spec.name]))

    # ---- long-running servers
    running: list[Running] = []
    results: dict[tuple, list] = {}
    probes: dict[tuple, str] = {}
    try:
        for spec in specs:
            if spec.name in start_fail:
                continue
            try:
                r, _ = start_server(spec, args.start_timeout)
            except StartError as e:
                note(f"{spec.name} failed to start: {e}")
                start_fail[spec.name] = str(e)
                continue
            r.scenarios = [s for s in spec.scenarios if s in scenarios]
            running.append(r)
            for s in r.scenarios:
                sc = scenarios[s]
                if sc.name == "kodexa-stream-paced":
                    continue  # a paced stream takes a while; the load run records it
                probes[(spec.name, s)] = probe_scenario(sc, r.port_for(sc))

        for rnd in range(1, args.rounds + 1):
            log(f"round {rnd}/{args.rounds}")
            for r in running:
                if r.dead:
                    continue
                for s in r.scenarios:
                    if not r.alive():
                        r.dead = True
                        note(f"{r.spec.name} died during round {rnd}: "
                             + _log_tail(r.spec.name, r.spec.rss_label))
                        break
                    sc = scenarios[s]
                    port = r.port_for(sc)
                    try:
                        if sc.stream:
                            res = run_stream(sc, port, args.duration, stream_timeout=60.0,
                                             processes=args.stream_processes)
                            log(f"  {r.spec.name:16} {s:20} streams {res['started']} done {res['completed']} "
                                f"ttft p50/p99 {fmt(res['ttft_p50_ms'])}/{fmt(res['ttft_p99_ms'])} ms  probe "
                                f"{fmt(res.get('probe_ttft_p50_ms'))}/{fmt(res.get('probe_ttft_p99_ms'))} ms  "
                                f"events/s {fmt(res['events_per_s'])}")
                        else:
                            res = run_http(sc, port, args.duration, args.connections, use_wrk)
                            log(f"  {r.spec.name:16} {s:20} {fmt(res['rps'])} req/s  p50 {fmt(res['p50_ms'], 2)} ms  "
                                f"p99 {fmt(res['p99_ms'], 2)} ms  non-2xx {res.get('non2xx', 0)}")
                    except (subprocess.TimeoutExpired, RuntimeError, ValueError, json.JSONDecodeError) as e:
                        note(f"{r.spec.name} / {s} round {rnd}: load run failed ({str(e)[:300]})")
                        continue
                    results.setdefault((r.spec.name, s), []).append(res)
                # RSS after this server's load in this round
                if r.alive():
                    p, _ = r.procs[r.spec.rss_label]
                    r.rss.append(rss_mb(p.pid))
                    for label, (q, _) in r.procs.items():
                        if label != r.spec.rss_label:
                            r.rss_other.setdefault(label, []).append(rss_mb(q.pid))
    finally:
        for r in running:
            stop_server(r)
        kill_all()

    # ---- contract-size curve
    curve: dict = {}
    curve_names: list = []
    if SIZE_CURVE in only_scen:
        curve_servers = {}
        if "mock" in only_servers and mock_cli is not None:
            curve_servers["mock"] = (lambda f: [str(mock_cli), "serve", "--host", HOST, "--port", "{port}", "--seed", "0",
                                                "--contracts", str(f)], "/__mock/health")
        if "prism-static" in only_servers and prism_bin is not None:
            curve_servers["prism-static"] = (lambda f: [str(prism_bin), "mock", "-h", HOST, "-p", "{port}", str(f)], "/")
        curve_names = list(curve_servers)
        if curve_servers:
            curve = run_size_curve(args.sizes, curve_servers, args.cold_starts, max(args.start_timeout, 600.0))

    feed = {}
    if "mock-watch" in only_servers and not args.no_feed_cost:
        feed = run_feed_cost(args.feed_baseline)

    # ---- report
    v = versions(prism_bin)
    load = f"{load_start} at start, {loadavg()} at end"
    md = render(args, started_at, generator, v, contracts_dir, specs, running, scenarios,
                results, cold, start_fail, probes, load)
    if curve:
        md = md.replace("## Notes", "\n".join(render_size_curve(curve, args.sizes, curve_names)) + "\n## Notes", 1)
    if feed:
        md = md.replace("## Notes", "\n".join(render_feed_cost(feed, args.feed_baseline)) + "\n## Notes", 1)
    print()
    print(md)
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
        (RESULTS / f"{stamp}.md").write_text(md)
        (RESULTS / "latest.md").write_text(md)
        print(f"saved bench/results/{stamp}.md and bench/results/latest.md")
    return 0


FEED_RUNS = 3  # alternating runs of bench/inprocess.py per variant; the median is reported


def run_feed_cost(baseline: str | None) -> dict:
    """CPU µs per request, in-process: nobody following the feed, one follower, and (optionally) the
    tree at `baseline`; runs alternate so that a busy machine weighs on each alike."""
    import tempfile

    variants = {"nobody watches": ({}, []), "one follower": ({}, ["--watching"])}
    tree = None
    if baseline:
        tree = Path(tempfile.mkdtemp(prefix="feed-baseline-"))
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", baseline, "mock_server"], capture_output=True,
                                 check=False)
        if archive.returncode != 0:
            note(f"--feed-baseline {baseline}: git archive failed ({archive.stderr.decode().strip()[:200]})")
        else:
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            variants = {f"at {baseline}": ({"PYTHONPATH": str(tree)}, []), **variants}
    found: dict = {name: [] for name in variants}
    log(f"feed cost in-process: {', '.join(variants)}, {FEED_RUNS} alternating runs ...")
    for _ in range(FEED_RUNS):
        for name, (env, extra) in variants.items():
            done = subprocess.run([sys.executable, str(BENCH / "inprocess.py"), "--json", *extra],
                                  capture_output=True, text=True, env={**os.environ, **env}, timeout=900, check=False)
            if done.returncode != 0:
                note(f"feed cost ({name}): bench/inprocess.py failed: {done.stderr.strip()[-300:]}")
                continue
            found[name].append(json.loads(done.stdout))
    if tree is not None:
        shutil.rmtree(tree, ignore_errors=True)
    return found


def render_feed_cost(found: dict, baseline: str | None) -> list:
    names = [name for name, runs in found.items() if runs]
    if not names:
        return []
    scenarios_ = list(found[names[0]][0])
    out = ["## The dashboard's journal feed, in-process (CPU µs per request)", "",
           "| scenario | " + " | ".join(names) + " | one follower vs nobody |",
           "|---|" + "---:|" * (len(names) + 1)]
    for s in scenarios_:
        values = {name: med([run.get(s) for run in found[name]]) for name in names}
        idle, watched = values.get("nobody watches"), values.get("one follower")
        ratio = f"{watched / idle:.2f}x" if idle and watched else "-"
        out.append(f"| {s} | " + " | ".join(fmt(values[name]) for name in names) + f" | {ratio} |")
    out += ["", "Direct ASGI calls (bench/inprocess.py), median of the runs of best-of-7 rounds of 2,000 requests; "
            "'nobody watches' is what every request costs while the page is closed" +
            (f"; 'at {baseline}' is the same measure on that revision" if baseline else "") + ".", ""]
    return out


def render(args, started_at, generator, v, contracts_dir, specs, running, scenarios,
           results, cold, start_fail, probes, load) -> str:
    by_name = {r.spec.name: r for r in running}
    out = [f"# mock_server benchmark, {started_at.strftime('%Y-%m-%d %H:%M:%S')} UTC", ""]
    out.append(f"- machine: nproc {os.cpu_count()}, {cpu_model()}, {platform.system()} {platform.release()}")
    out.append(f"- load generator (HTTP rows): {generator}")
    out.append("- load generator (stream rows): Python asyncio raw-socket client, bench/loadgen.py, the "
               f"concurrent streams split over {args.stream_processes} client process(es) that start together")
    out.append(f"- durations: {args.rounds} interleaved round(s) x {args.duration:g} s per server x scenario; "
               f"medians across rounds; cold start = median of {args.cold_starts} separate starts "
               "(spawn -> first HTTP answer); RSS after load (process + children)")
    out.append("- versions: " + ", ".join(f"{k} {val}" for k, val in v.items()))
    try:
        shown = contracts_dir.relative_to(ROOT)
    except ValueError:
        shown = contracts_dir
    out.append(f"- contracts: {shown}/ ({', '.join(str(p) for p in CONTRACT_FILES.values())})")
    out.append("- all servers on 127.0.0.1, same machine as the load generator (they share the CPUs); "
               f"load average (1/5/15 min): {load}")
    out.append("")

    def agg(key, field_):
        rs = results.get(key) or []
        return med([x.get(field_) for x in rs])

    out.append("## HTTP (JSON) scenarios")
    out.append("")
    out.append("| server | scenario | req/s | p50 ms | p99 ms | cold start s | RSS MB | ratio to prism-static | "
               "ratio to ceiling | non-2xx % |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for spec in specs:
        for s in [x for x in spec.scenarios if x in HTTP_SCENARIOS + CRUD_SCENARIOS]:
            key = (spec.name, s)
            cs = med(cold.get(spec.name, [])) if spec.name not in start_fail else None
            r = by_name.get(spec.name)
            rss = r.rss[-1] if r and r.rss else None
            if spec.name in start_fail:
                out.append(f"| {spec.name} | {s} | failed to start | | | | | | | |")
                continue
            if key not in results:
                out.append(f"| {spec.name} | {s} | no result | | | {fmt(cs, 2)} | {fmt(rss)} | | | |")
                continue
            rps = agg(key, "rps")
            ps = agg(("prism-static", s), "rps")
            ce = agg(("ceiling", s), "rps")
            reqs = sum((x.get("requests") or 0) for x in results[key])
            non2 = sum((x.get("non2xx") or 0) for x in results[key])
            non2pct = 100.0 * non2 / reqs if reqs else None
            out.append("| " + " | ".join([
                spec.name, s, fmt(rps), fmt(agg(key, "p50_ms"), 2), fmt(agg(key, "p99_ms"), 2),
                fmt(cs, 2), fmt(rss), fmt(rps / ps, 2) + "x" if ps else "-",
                fmt(rps / ce, 2) + "x" if ce else "-", fmt(non2pct, 1)]) + " |")
    stateless, stateful = agg(("mock-crud", "crud-create-read"), "rps"), agg(("mock-stateful", "crud-create-read"), "rps")
    if stateless and stateful:
        out.append(f"- `--stateful` on crud-create-read: {fmt(stateful)} req/s against {fmt(stateless)} stateless "
                   f"({fmt(stateful / stateless, 2)}x; p50 {fmt(agg(('mock-stateful', 'crud-create-read'), 'p50_ms'), 2)} "
                   f"against {fmt(agg(('mock-crud', 'crud-create-read'), 'p50_ms'), 2)} ms).")
    out.append("")

    stream_specs = [(sp, s) for sp in specs for s in sp.scenarios if s in STREAM_SCENARIOS]
    if stream_specs:
        out.append("## Streaming scenarios (text/event-stream)")
        out.append("")
        out.append("| server | scenario | concurrent streams | streams started | completed ([DONE] seen) | "
                   "TTFT p50 ms | TTFT p99 ms | probe TTFT p50 ms | probe TTFT p99 ms | events/s | gap p50 ms | gap p99 ms | "
                   "held pace | answer |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
        for spec, s in stream_specs:
            key = (spec.name, s)
            sc = scenarios[s]
            if spec.name in start_fail:
                out.append(f"| {spec.name} | {s} | {sc.concurrency} | failed to start | | | | | | | | | | |")
                continue
            rs = results.get(key) or []
            if not rs:
                out.append(f"| {spec.name} | {s} | {sc.concurrency} | no result | | | | | | | | | | |")
                continue
            started = med([x["started"] for x in rs])
            completed = med([x["completed"] for x in rs])
            done = med([x["with_done"] for x in rs])
            gap = med([x.get("gap_p50_ms") for x in rs])
            held = "-"
            if s == "kodexa-stream-paced":
                target = 1000.0 / 20
                held = ("yes" if gap is not None and abs(gap - target) <= 0.2 * target else "no") + \
                       f" (gap target {target:.0f} ms; TTFT set to 200 ms)"
            answers: dict = {}
            for x in rs:
                for k, n in x.get("answers", {}).items():
                    answers[k] = answers.get(k, 0) + n
                answers["connect error"] = answers.get("connect error", 0) + x.get("errors", 0)
                answers["stream timeout"] = answers.get("stream timeout", 0) + x.get("timeouts", 0)
            answer = "; ".join(f"{k} x{n:,}" for k, n in sorted(answers.items(), key=lambda kv: -kv[1]) if n)
            out.append("| " + " | ".join([
                spec.name, s, str(sc.concurrency), fmt(started, 0), f"{fmt(completed, 0)} ({fmt(done, 0)})",
                fmt(med([x.get("ttft_p50_ms") for x in rs]), 1), fmt(med([x.get("ttft_p99_ms") for x in rs]), 1),
                fmt(med([x.get("probe_ttft_p50_ms") for x in rs]), 1),
                fmt(med([x.get("probe_ttft_p99_ms") for x in rs]), 1),
                fmt(med([x.get("events_per_s") for x in rs])), fmt(gap, 1),
                fmt(med([x.get("gap_p99_ms") for x in rs]), 1), held, answer.strip()]) + " |")
        out.append("")

    out.append("## Notes")
    out.append("")
    out.append("- every server runs with its default settings, logging included (the mock logs a line per "
               "request, Prism logs at info level; to files under bench/.cache/logs/); uvicorn-served rows "
               "(ceiling, connexion-*) use " + " ".join(UVICORN_FLAGS) + ".")
    out.append("- ratios are req/s of the row divided by req/s of prism-static / ceiling on the same scenario.")
    out.append("- non-2xx %: share of answers that were not 2xx/3xx (they still count in req/s); "
               "a row with a high share is not measuring the happy path.")
    out.append("- p50/p99 of HTTP rows: wrk's latency distribution (50/75/90/99%) or the Python client's.")
    out.append("- kodexa-stream asks the same prompt every time, so a server may answer it from a cache (the mock "
               f"memoises completions); kodexa-stream-varied cycles through {VARIED_PROMPTS:,} different prompts, "
               "more than the mock's memo holds, so every stream's reply is composed anew. The ceiling's "
               "kodexa-stream row is a fixed, pre-rendered stream of about the same size: what the machine and "
               "these clients can do with zero application work, closed loop.")
    out.append("- streams: TTFT = request -> first `data:` event, as the load client sees it (each of its streams runs one request after another on one kept-alive connection, as SDKs and browsers do, so only a stream that opens its connection counts the connect; those clients share the CPUs with the server, so their figure includes their own queueing); probe TTFT = connect + request -> first `data:` event, measured from a separate process that opens one stream at a time (every 10 ms), each on a new connection, while the load runs and closes it at its first event; gaps are between consecutive events "
               "of one stream; completed = 2xx, whole body read and at least one event; held pace = inter-event "
               "gap p50 within 20% of 1/tokens-per-second.")
    for spec in specs:
        r = by_name.get(spec.name)
        if len(spec.procs) > 1:
            extra = ""
            if r:
                for label, vals in r.rss_other.items():
                    extra += f"; RSS of its {label} process after load: {fmt(vals[-1] if vals else None)} MB"
            out.append(f"- {spec.name}: one process per contract file "
                       f"({', '.join(p.label for p in spec.procs)}); the RSS column is the {spec.rss_label} process; "
                       f"cold start = all of them spawned together until each answered{extra}.")
    for n in NOTES:
        out.append(f"- {n}")
    if probes:
        out.append("")
        out.append("### First answer of each server x scenario (status, content type, body start)")
        out.append("")
        out.append("| server | scenario | answer |")
        out.append("|---|---|---|")
        for (srv, s), ans in probes.items():
            out.append(f"| {srv} | {s} | {ans} |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
