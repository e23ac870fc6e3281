"""`mock-server`: thin click commands that build settings, call the library and map results to exit codes.

Every option can be set by an environment variable named by one rule: `MOCK_SERVER_` + the long
flag's name in capitals, dashes as underscores (`--api-key` → `MOCK_SERVER_API_KEY`). `option`
derives the name, so no option can break the rule; `--help` shows each variable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .contracts.loading import load_contracts
from .contracts.summary import contract_table, contract_warnings
from .errors import SettingsError, StartupError
from .settings import LOCAL_ORIGINS, ServeSettings, parse_range, parse_seed, random_seed

ENV = "MOCK_SERVER_"


def env_name(flag: str) -> str:
    """`--tokens-per-second` → `MOCK_SERVER_TOKENS_PER_SECOND`."""
    return ENV + flag.lstrip("-").upper().replace("-", "_")


def option(*declarations: str, aliases: tuple[str, ...] = (), **attributes: Any) -> Any:
    """`click.option` with the variable the naming rule gives (plus older `aliases`), shown in --help."""
    flag = next(d for d in declarations if d.startswith("--"))
    return click.option(*declarations, envvar=[env_name(flag), *aliases], show_envvar=True, **attributes)


class HeaderType(click.ParamType):
    """'Name: value'. In MOCK_SERVER_HEADER one header per line, since values contain spaces."""

    name = "header"
    envvar_list_splitter = "\n"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        from .check.settings import parse_header

        try:
            return parse_header(str(value))
        except SettingsError as exc:
            self.fail(str(exc), param, ctx)


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"mock-server: {message}", err=True)
    sys.exit(code)


def contracts_option(function: Any) -> Any:
    return option(
        "--contracts", "contracts", multiple=True, type=click.Path(path_type=Path),
        help="Contract file or folder (repeatable; default: ./openapi).",
    )(function)


def seed_option(what: str) -> Any:
    return option("--seed", default="0", show_default=True,
                  help=f"Seed of {what}, or 'random' (one is drawn and printed, so the run can be replayed).")


def chosen_seed(text: str, announce: Any) -> int:
    """The seed for this run; `random` draws one and says which, so the run can be replayed."""
    seed = parse_seed(text)
    if seed is None:
        seed = random_seed()
        announce(f"mock-server: --seed random drew seed {seed}; --seed {seed} replays this run")
    return seed


@click.group()
@click.version_option(package_name="mock-server")
def main() -> None:
    """Offline mock server and contract tester driven by OpenAPI contracts."""


@main.command()
@contracts_option
@option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@option("--port", default=8000, show_default=True, type=int, help="Port (0: any free port).")
@seed_option("generated data")
@option("--auth", default="lenient", show_default=True, type=click.Choice(["lenient", "strict"]),
        help="lenient: any well-formed credential; strict: only minted tokens and --api-key keys.")
@option("--api-key", "api_keys", multiple=True, aliases=(ENV + "API_KEYS",),
        help="An API key accepted in strict mode (repeatable; comma-separated in the variable).")
@option("--token-ttl", default=3600, show_default=True, type=int, help="Lifetime of minted tokens (s).")
@option("--rules", type=click.Path(path_type=Path, exists=True, dir_okay=False), help="Rules file (YAML).")
@option("--latency", default="0", help="Added latency: MS or MIN-MAX.")
@option("--error-rate", default=0.0, type=float, help="Share of requests answered with a declared 5xx/429.")
@option("--cors-origin", "cors_origins", multiple=True, aliases=(ENV + "CORS_ORIGINS",),
        help="Allowed browser origin, a regular expression (repeatable; default: any localhost origin; '*' for any).")
@option("--ttft", default=0.0, type=float, help="Streams: time to first token (ms).")
@option("--tokens-per-second", default=0.0, type=float, help="Streams: pace (0: unpaced).")
@option("--clock", default="fixed", type=click.Choice(["fixed", "real"]),
        help="Timestamps and generated dates: around a fixed clock (deterministic) or the real one.")
@option("--optional", default="all", show_default=True, type=click.Choice(["all", "random"]),
        help="Optional properties: all present (as a real API answers), or each left out at random (robustness tests).")
@option("--quota-input-tokens", type=int, help="Per-tenant input token quota (off by default).")
@option("--quota-output-tokens", type=int, help="Per-tenant output token quota (off by default).")
@option("--examples", type=click.Path(path_type=Path, file_okay=False), help="Folder of recorded examples to serve.")
@option("--engine", default="mock", show_default=True, type=click.Choice(["mock", "connexion"]),
        help="mock: the mock's own ASGI engine; connexion: connexion's FlaskApp with the mock's resolver.")
@option("--stateful", is_flag=True, help="Collections remember what clients create, change and delete (see the README).")
@option("--data", type=click.Path(path_type=Path, exists=True, dir_okay=False),
        help="Resources a --stateful run starts with, YAML or JSON (implies --stateful).")
@option("--workers", default=1, show_default=True, type=int, help="Server processes (more than 1 needs --state).")
@option("--state", help="Shared state for workers and replicas: redis://HOST:PORT/DB (default: in-process).")
@option("--state-prefix", default="mock-server", show_default=True,
        help="Prefix of this mock's Redis keys (mocks sharing one Redis keep apart by prefix).")
@option("--admin-token", help="Token the /__mock endpoints require (Authorization: Bearer …).")
@option("--admin-open", is_flag=True, help="Leave /__mock open on a non-loopback --host.")
@option("--header-timeout", default=10.0, show_default=True, type=float,
        help="Seconds for a request's head to arrive (also a new connection's first byte).")
@option("--body-timeout", default=30.0, show_default=True, type=float, help="Seconds allowed between two pieces of a request body.")
@option("--max-connections", default=4096, show_default=True, type=int,
        help="Open connections at most; connections beyond get 503 with Retry-After.")
@option("--watch", is_flag=True, help="Reload contracts, the rules file and recorded examples when their files change.")
@option("--quiet", is_flag=True, help="No log line per request.")
def serve(contracts: tuple[Path, ...], host: str, port: int, seed: str, latency: str, cors_origins: tuple[str, ...],
          quiet: bool, **options: Any) -> None:
    """Serve every contract on one port."""
    def announce(text: str) -> None:
        click.echo(text, err=True)

    try:
        settings = ServeSettings(
            contracts=contracts or (Path("openapi"),),
            host=host,
            port=port,
            seed=chosen_seed(seed, announce),
            latency_ms=parse_range(latency, "--latency"),
            cors_origins=tuple(".*" if o == "*" else o for o in cors_origins) or (LOCAL_ORIGINS,),
            ttft_ms=options.pop("ttft"),
            stateful=options.pop("stateful") or options["data"] is not None,
            access_log=not quiet,
            **{k: v for k, v in options.items() if k != "api_keys"},
            api_keys=tuple(k.strip() for value in options["api_keys"] for k in value.split(",") if k.strip()),
        )
        from .server import run

        run(settings, announce=announce)
    except StartupError as exc:
        _fail(str(exc))


@main.command("contracts")
@contracts_option
def list_contracts(contracts: tuple[Path, ...]) -> None:
    """List what `serve` would serve, and warn about contracts without error responses."""
    try:
        loaded = load_contracts(contracts or (Path("openapi"),))
    except StartupError as exc:
        _fail(str(exc))
        return
    click.echo(contract_table(loaded))
    for warning in contract_warnings(loaded):
        click.echo(f"warning: {warning}", err=True)


# --- check and proxy: thin too: parse flags, call the library, map results to exit codes ---


@main.command()
@contracts_option
@option("--base-url", help="API to check (default: the mock, started for the run).")
@option("--operation", "operations", multiple=True, help="Only this operationId (repeatable).")
@option("--header", "headers", multiple=True, type=HeaderType(),
        help="'Name: value' sent with every request (repeatable; redacted; one per line in the variable).")
@option("--api-key", aliases=(ENV + "CHECK_API_KEY",), help="API key, put where each contract's apiKey scheme says.")
@option("--client-id", help="OAuth2 client credentials: client id.")
@option("--client-secret", help="OAuth2 client credentials: client secret.")
@option("--token-url", help="Token URL (default: the contract's, on the base URL's host).")
@option("--scope", "scopes", multiple=True, help="OAuth2 scope to ask for (default: all the contract declares).")
@option("--checks", "checks", multiple=True, help="Check names, comma-separated or repeated (default: all).")
@option("--max-examples", default=10, show_default=True, type=int,
        help="Requests per operation and phase (examples, coverage, fuzzing, stream).")
@option("--max-requests-per-operation", type=int, help="Requests per operation, all phases together.")
@option("--rate-limit", help="Request rate, R/s, R/m or R/h.")
@option("--max-requests", type=int, help="Stop after this many requests.")
@option("--max-time", type=float, help="Stop after this many seconds.")
@option("--request-timeout", default=30.0, show_default=True, type=float, help="Seconds per request.")
@seed_option("generated requests")
@option("--allow-unexercised", is_flag=True,
        help="Do not fail when an operation never got a 2xx/3xx answer (or was left untested).")
@option("--dry-run", is_flag=True, help="List operations and URLs; send nothing.")
@option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Write a JUnit XML report.")
@option("--report", "report", nargs=2, type=(click.Choice(["json"]), click.Path(path_type=Path, dir_okay=False)),
        help="`--report json FILE`: write the report as JSON.")
def check(contracts: tuple[Path, ...], checks: tuple[str, ...], seed: str,
          report: tuple[str, Path] | None, **options: Any) -> None:
    """Check an API (or the mock) against the contracts with schemathesis and the stream check."""
    from .check import check as run
    from .check.handlers import ConsoleHandler, JsonHandler, JUnitHandler
    from .check.settings import CheckSettings

    try:
        settings = CheckSettings(
            contracts=contracts or (Path("openapi"),),
            checks=tuple(c.strip() for value in checks for c in value.split(",") if c.strip()),
            seed=parse_seed(seed),  # `random`: the run draws one and prints it
            json_report=report[1] if report else None,
            **options,
        )
    except StartupError as exc:
        _fail(str(exc))
        return
    handlers: list[Any] = [ConsoleHandler(click.echo, lambda text: click.echo(text, err=True))]
    if settings.junit:
        handlers.append(JUnitHandler(settings.junit))
    if settings.json_report:
        handlers.append(JsonHandler(settings.json_report))
    exit_code = 2
    for event in run(settings):
        for handler in handlers:
            handler.handle(event)
        if hasattr(event, "report"):
            exit_code = event.report.exit_code
    sys.exit(exit_code)


@main.command()
@contracts_option
@option("--upstream", required=True, help="URL of the real API.")
@option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@option("--port", default=8001, show_default=True, type=int, help="Port.")
@option("--strict", is_flag=True, help="Answer 502 instead of the upstream's answer when it breaks the contract.")
@option("--record", type=click.Path(path_type=Path, file_okay=False), help="Save each upstream answer as an example here.")
@option("--quiet", is_flag=True, help="No log line per request.")
def proxy(contracts: tuple[Path, ...], **options: Any) -> None:
    """Forward to --upstream, validating requests and answers against the contracts."""
    from .proxy.forward import ProxySettings, run_proxy

    try:
        settings = ProxySettings(contracts=contracts or (Path("openapi"),), **options)
        run_proxy(settings, announce=lambda text: click.echo(text, err=True))
    except StartupError as exc:
        _fail(str(exc))


if __name__ == "__main__":
    main()
