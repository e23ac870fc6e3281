"""Every code sample of README.md runs as written, against a real mock, so the README cannot drift.

Each fenced block is picked up by its language, so a sample added later is run without touching
this file:
- `sh` / `bash` / `shell`: run by bash (`set -e`) in a scratch folder that has the repository's
  `openapi/` and `.venv/`. The URLs' ports are the ones this test chose: `127.0.0.1:8000` and
  `localhost:8000` are the shared mock (or, in a sample that starts `mock-server serve` itself, that
  server), `:8001` the sample's `mock-server proxy`, and `https://api.example.com` (a live upstream)
  is the shared mock. `mock-server serve|proxy` get those ports, a line ending in `&` waits until
  its server answers, background servers are stopped at the end. Every HTTP answer a sample gets
  must be below 400, unless the sample names that status (`# 401`).
- `python`: run in this process with the same URLs; a block defining `test_…` names is a pytest
  module instead, run by pytest with the plugin (the `mock_server` fixture) in a process of its own,
  with `API_URL` (and client credentials) naming the shared mock as the "live" API.
- `yaml` starting with `rules:`: each rule is added to the shared mock at run time and sent the
  request in PROBES meant for it; the journal must name that rule (it matches, and no rule above
  shadows it).

A sample that cannot run offline opts out with `no-run` in its info string (```` ```sh no-run ````).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import yaml

from tests.fixtures.server import BUNDLED, ROOT, RunningServer, free_port, start_server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]  # pytest or check in a process of its own

README = ROOT / "README.md"
SHELLS = ("sh", "bash", "shell")
FENCE = re.compile(r"^```(\S*)(.*)$")


@dataclass(frozen=True)
class Sample:
    language: str
    flags: tuple[str, ...]
    text: str
    line: int

    @property
    def id(self) -> str:
        return f"README.md:{self.line}:{self.language}"


def samples(path: Path = README) -> list[Sample]:
    found, current, opened = [], None, 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = FENCE.match(line)
        if current is None and match:
            current, opened = (match.group(1).lower(), tuple(match.group(2).split()), []), number
        elif current is not None and line.strip() == "```":
            language, flags, body = current
            found.append(Sample(language, flags, "\n".join(body) + "\n", opened))
            current = None
        elif current is not None:
            current[2].append(line)
    return [s for s in found if "no-run" not in s.flags]


def of(*languages: str) -> list[Sample]:
    return [s for s in samples() if s.language in languages]


SHELL_SAMPLES = of(*SHELLS)
TEST_MODULE = re.compile(r"^(def |\s*)test_\w+", re.MULTILINE)  # defines tests: a pytest module, not a script
PYTHON_SAMPLES = [s for s in of("python", "py") if not TEST_MODULE.search(s.text)]
PYTEST_SAMPLES = [s for s in of("python", "py") if TEST_MODULE.search(s.text)]
RULES_SAMPLES = [s for s in of("yaml", "yml") if s.text.lstrip().startswith("rules:")]


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    """The one mock every sample talks to: bundled contracts, seed 0, lenient auth."""
    running = start_server("--contracts", str(BUNDLED), "--seed", "0", "--quiet")
    yield running
    running.stop()


def localised(text: str, mock: str, serve: str, proxy: str) -> str:
    """The sample with this test's ports, and the mock for a live upstream."""
    text = text.replace("https://api.example.com", mock)
    text = re.sub(r"(127\.0\.0\.1|localhost):8000", serve.removeprefix("http://"), text)
    return text.replace("127.0.0.1:8001", proxy.removeprefix("http://"))


WRAPPER = """#!/usr/bin/env bash
# The real mock-server; serve and proxy on the ports the README test chose, unless --port is given.
port=""
case "$1" in serve) port="$SAMPLE_SERVE_PORT" ;; proxy) port="$SAMPLE_PROXY_PORT" ;; esac
if [ -n "$port" ] && [[ " $* " != *" --port "* ]]; then set -- "$@" --port "$port"; fi
[ -n "$port" ] && echo "$port" > "$SAMPLE_DIR/ports/$$"
exec "$REAL_MOCK_SERVER" "$@"
"""
CURL = """#!/usr/bin/env bash
# The real curl; each response's headers saved, so the test can check the statuses.
exec "$REAL_CURL" -D "$SAMPLE_DIR/answers/$(date +%s%N).$$" "$@"
"""
PRELUDE = """set -e
__ready() {  # until the server started in the background (pid $1) answers /__mock/health
  for _ in $(seq 600); do
    if [ -f "$SAMPLE_DIR/ports/$1" ] &&
       "$REAL_CURL" -sf "http://127.0.0.1:$(cat "$SAMPLE_DIR/ports/$1")/__mock/health" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$1" 2>/dev/null || { echo "background server $1 exited" >&2; return 1; }
    sleep 0.05
  done
  echo "background server $1 did not answer" >&2; return 1
}
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true' EXIT
"""


def scratch(tmp_path: Path) -> dict[str, str]:
    """A folder like the repository's root for a sample, with wrappers first on PATH."""
    for name in ("ports", "answers", ".venv/bin"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "openapi").symlink_to(ROOT / "openapi")
    for name, text in (("mock-server", WRAPPER), ("curl", CURL)):
        path = tmp_path / ".venv" / "bin" / name
        path.write_text(text)
        path.chmod(0o755)
    real_bin = Path(sys.executable).parent
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOCK_SERVER_", "PYTEST_"))}
    return {**clean, "PATH": f"{tmp_path / '.venv' / 'bin'}:{real_bin}:{clean.get('PATH', '')}",
            "SAMPLE_DIR": str(tmp_path), "REAL_MOCK_SERVER": str(real_bin / "mock-server"),
            "REAL_CURL": "/usr/bin/curl", "SAMPLE_SERVE_PORT": str(free_port()), "SAMPLE_PROXY_PORT": str(free_port())}


def answered_statuses(folder: Path) -> list[int]:
    statuses = []
    for dump in sorted(folder.iterdir()):
        lines = re.findall(r"^HTTP/\S+ (\d{3})", dump.read_text(errors="replace"), re.MULTILINE)
        if lines:
            statuses.append(int(lines[-1]))
    return statuses


@pytest.mark.parametrize("sample", SHELL_SAMPLES, ids=[s.id for s in SHELL_SAMPLES])
def test_shell_sample_runs(sample: Sample, server: RunningServer, tmp_path: Path) -> None:
    env = scratch(tmp_path)
    starts_serve = re.search(r"mock-server serve\b", sample.text) is not None
    serve = f"http://127.0.0.1:{env['SAMPLE_SERVE_PORT']}" if starts_serve else server.url
    text = localised(sample.text, server.url, serve, f"http://127.0.0.1:{env['SAMPLE_PROXY_PORT']}")
    script = PRELUDE + re.sub(r"(?<!&)&[ \t]*$", "&\n__ready $!", text, flags=re.MULTILINE)
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    output = f"--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"{sample.id}\n{text}\n{output}"
    named = {int(n) for n in re.findall(r"\b([45]\d\d)\b", sample.text)}
    errors = [status for status in answered_statuses(tmp_path / "answers") if status >= 400 and status not in named]
    assert not errors, f"{sample.id}: answers {errors} the sample does not announce\n{result.stdout[-2000:]}"


@pytest.mark.parametrize("sample", PYTHON_SAMPLES, ids=[s.id for s in PYTHON_SAMPLES])
def test_python_sample_runs(sample: Sample, server: RunningServer, capsys: pytest.CaptureFixture[str]) -> None:
    code = localised(sample.text, server.url, server.url, server.url)
    exec(compile(code, sample.id, "exec"), {"__name__": "__readme__"})  # noqa: S102 - the README's own sample


def test_pytest_samples_pass_with_the_plugin(server: RunningServer, tmp_path: Path) -> None:
    """The README's pytest modules, as a user's project: the `mock_server` fixture from the plugin,
    here driving the shared mock (`--mock-url`, reset before each test), which also stands for the
    "live" API of the contract tests (`API_URL`)."""
    assert PYTEST_SAMPLES, "README.md shows the pytest plugin"
    env = scratch(tmp_path)
    modules = []
    for sample in PYTEST_SAMPLES:
        module = tmp_path / f"test_readme_{sample.line}.py"
        module.write_text(localised(sample.text, server.url, server.url, server.url))
        modules.append(module.name)
    fixture = re.compile(r"def test_\w+\([^)]*\bmock_server\b")
    uses_fixture = [module for module, sample in zip(modules, PYTEST_SAMPLES, strict=True)
                    if fixture.search(sample.text)]
    order = [m for m in modules if m not in uses_fixture] + uses_fixture  # the fixture's tests last
    environment = {**env, "API_URL": server.url, "CLIENT_ID": "readme", "CLIENT_SECRET": "readme-secret"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error",
                             f"--mock-url={server.url}", *order],
                            cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
    # the last test ran against the shared mock, which was reset before it: its requests alone are there
    journal = httpx.get(server.url + "/__mock/requests").json()["requests"]
    assert journal and all(entry["operationId"] == journal[-1]["operationId"] for entry in journal), journal


# A request meant for each rule of the README's rules sample: (method, path, headers, JSON body, stream).
ORG = "6f1c1f0e-3c1e-4d3b-9b1a-2f7f9e1d2c3b"
CHAT = f"/api/organizations/{ORG}/ai/chat/completions"


def chat(content: str, **extra: object) -> dict[str, object]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], **extra}


PROBES: dict[str, tuple[str, str, dict[str, str], dict[str, object]]] = {
    "refunds get a canned answer": ("POST", CHAT, {"x-api-key": "k"}, chat("I want a refund")),
    "the texts endpoint is flaky": ("POST", "/ai-service/acme/texts", {"Authorization": "Bearer t"},
                                    {"prompt": "a lamp"}),
    "rate limited tenant": ("POST", CHAT, {"x-api-key": "k", "x-tenant": "beta"}, chat("Hi")),
    "stream dies half-way": ("POST", CHAT, {"x-api-key": "k"}, chat("please cut me off", stream=True)),
    "slow streams": ("POST", CHAT, {"x-api-key": "k"}, chat("Hello", stream=True)),
    "the next two completions are the documented one": (
        "POST", "/ai-service/acme/completions", {"Authorization": "Bearer t"},
        {"messages": [{"role": "USER", "content": "Describe a lamp"}]}),
}


@pytest.mark.parametrize("sample", RULES_SAMPLES, ids=[s.id for s in RULES_SAMPLES])
def test_every_rule_of_a_rules_sample_can_match(sample: Sample, server: RunningServer) -> None:
    rules = yaml.safe_load(sample.text)["rules"]
    missing = [rule["name"] for rule in rules if rule["name"] not in PROBES]
    assert not missing, f"add a request meant for rule(s) {missing} to PROBES in {Path(__file__).name}"
    with httpx.Client(base_url=server.url, timeout=30) as client:
        client.post("/__mock/reset").raise_for_status()
        for rule in rules:
            added = client.post("/__mock/rules", json=rule)
            assert added.status_code == 201, added.text
        try:
            for rule in rules:
                method, path, headers, body = PROBES[rule["name"]]
                before = journal_count(client)
                with client.stream(method, path, headers=headers, json=body) as answer:
                    next(answer.iter_bytes(), b"")  # the first bytes are enough: a paced stream need not end
                entry = newest_after(client, before)
                assert entry["rule"] == rule["name"], (rule["name"], json.dumps(entry)[:500])
        finally:
            for rule in rules:
                client.delete("/__mock/rules/" + quote(rule["name"], safe=""))


def journal_count(client: httpx.Client) -> int:
    return len(client.get("/__mock/requests", params={"limit": 100_000}).json()["requests"])


def newest_after(client: httpx.Client, before: int) -> dict[str, object]:
    """The newest journal entry once there are more than `before` (a stream is journaled when it ends)."""
    for _ in range(200):
        entries = client.get("/__mock/requests", params={"limit": 100_000}).json()["requests"]
        if len(entries) > before:
            return entries[0]
        time.sleep(0.02)
    raise AssertionError("the probe never reached the journal")


def test_the_extraction_finds_the_samples_and_the_opt_outs() -> None:
    # the README's self-check is the suite's check that the mock conforms to its bundled contracts
    assert any(re.search(r"^mock-server check --max-examples 3\b", s.text, re.MULTILINE) for s in SHELL_SAMPLES)
    every = [s.language for s in samples()]
    assert {"sh", "python", "yaml"} <= set(every) and SHELL_SAMPLES and PYTHON_SAMPLES and RULES_SAMPLES
    assert all("no-run" not in s.flags for s in samples())
    opted_out = README.read_text().count("```sh no-run")
    assert 0 < opted_out <= 3, "few samples may opt out"
