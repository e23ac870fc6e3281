"""`mock-server`: thin click commands that build settings, call the library and map results to exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .contracts.loading import load_contracts
from .contracts.summary import contract_table, contract_warnings
from .errors import StartupError
from .settings import LOCAL_ORIGINS, ServeSettings, parse_range, parse_seed

ENV = "MOCK_SERVER_"


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"mock-server: {message}", err=True)
    sys.exit(code)


def contracts_option(function: Any) -> Any:
    return click.option(
        "--contracts", "contracts", multiple=True, type=click.Path(path_type=Path), envvar=ENV + "CONTRACTS",
        help="Contract file or folder (repeatable; default: ./openapi).",
    )(function)


@click.group()
@click.version_option(package_name="mock-server")
def main() -> None:
    """Offline mock server and contract tester driven by OpenAPI contracts."""


@main.command()
@contracts_option
@click.option("--host", default="127.0.0.1", show_default=True, envvar=ENV + "HOST", help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, envvar=ENV + "PORT", help="Port (0: any free port).")
@click.option("--seed", default="0", show_default=True, envvar=ENV + "SEED", help="Seed of generated data, or 'random'.")
@click.option("--auth", default="lenient", show_default=True, type=click.Choice(["lenient", "strict"]), envvar=ENV + "AUTH",
              help="lenient: any well-formed credential; strict: only minted tokens and --api-key keys.")
@click.option("--api-key", "api_keys", multiple=True, envvar=ENV + "API_KEYS", help="An API key accepted in strict mode (repeatable).")
@click.option("--token-ttl", default=3600, show_default=True, type=int, envvar=ENV + "TOKEN_TTL", help="Lifetime of minted tokens (s).")
@click.option("--rules", type=click.Path(path_type=Path, exists=True, dir_okay=False), envvar=ENV + "RULES", help="Rules file (YAML).")
@click.option("--latency", default="0", envvar=ENV + "LATENCY", help="Added latency: MS or MIN-MAX.")
@click.option("--error-rate", default=0.0, type=float, envvar=ENV + "ERROR_RATE", help="Share of requests answered with a declared 5xx/429.")
@click.option("--cors-origin", "cors_origins", multiple=True, envvar=ENV + "CORS_ORIGINS",
              help="Allowed browser origin, a regular expression (repeatable; default: any localhost origin; '*' for any).")
@click.option("--ttft", default=0.0, type=float, envvar=ENV + "TTFT", help="Streams: time to first token (ms).")
@click.option("--tokens-per-second", default=0.0, type=float, envvar=ENV + "TOKENS_PER_SECOND", help="Streams: pace (0: unpaced).")
@click.option("--clock", default="fixed", type=click.Choice(["fixed", "real"]), envvar=ENV + "CLOCK",
              help="Timestamps and generated dates: around a fixed clock (deterministic) or the real one.")
@click.option("--optional", default="all", show_default=True, type=click.Choice(["all", "random"]), envvar=ENV + "OPTIONAL",
              help="Optional properties: all present (as a real API answers), or each left out at random (robustness tests).")
@click.option("--quota-input-tokens", type=int, envvar=ENV + "QUOTA_INPUT_TOKENS", help="Per-tenant input token quota (off by default).")
@click.option("--quota-output-tokens", type=int, envvar=ENV + "QUOTA_OUTPUT_TOKENS", help="Per-tenant output token quota (off by default).")
@click.option("--examples", type=click.Path(path_type=Path, file_okay=False), envvar=ENV + "EXAMPLES", help="Folder of recorded examples to serve.")
@click.option("--workers", default=1, show_default=True, type=int, envvar=ENV + "WORKERS", help="Server processes.")
@click.option("--watch", is_flag=True, envvar=ENV + "WATCH",
              help="Reload contracts, the rules file and recorded examples when their files change.")
@click.option("--quiet", is_flag=True, envvar=ENV + "QUIET", help="No log line per request.")
def serve(contracts: tuple[Path, ...], host: str, port: int, seed: str, latency: str, cors_origins: tuple[str, ...],
          quiet: bool, **options: Any) -> None:
    """Serve every contract on one port."""
    try:
        settings = ServeSettings(
            contracts=contracts or (Path("openapi"),),
            host=host,
            port=port,
            seed=parse_seed(seed),
            latency_ms=parse_range(latency, "--latency"),
            cors_origins=tuple(".*" if o == "*" else o for o in cors_origins) or (LOCAL_ORIGINS,),
            ttft_ms=options.pop("ttft"),
            access_log=not quiet,
            **{k: v for k, v in options.items() if k != "api_keys"},
            api_keys=tuple(k for value in options["api_keys"] for k in value.split(",") if k),
        )
        from .server import run

        run(settings, announce=lambda text: click.echo(text, err=True))
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


# --- check and proxy (owner: conformance); thin: parse flags, call the library, map to exit codes ---


@main.command()
@contracts_option
@click.option("--base-url", envvar=ENV + "BASE_URL", help="API to check (default: the mock, started for the run).")
@click.option("--operation", "operations", multiple=True, help="Only this operationId (repeatable).")
@click.option("--header", "headers", multiple=True, help="'Name: value' sent with every request (repeatable; redacted).")
@click.option("--api-key", envvar=ENV + "CHECK_API_KEY", help="API key, put where each contract's apiKey scheme says.")
@click.option("--client-id", envvar=ENV + "CLIENT_ID", help="OAuth2 client credentials: client id.")
@click.option("--client-secret", envvar=ENV + "CLIENT_SECRET", help="OAuth2 client credentials: client secret.")
@click.option("--token-url", help="Token URL (default: the contract's, on the base URL's host).")
@click.option("--scope", "scopes", multiple=True, help="OAuth2 scope to ask for (default: all the contract declares).")
@click.option("--checks", "checks", multiple=True, help="Check names, comma-separated or repeated (default: all).")
@click.option("--max-examples", default=10, show_default=True, type=int, help="Generated requests per operation and phase.")
@click.option("--rate-limit", help="Request rate, R/s, R/m or R/h.")
@click.option("--max-requests", type=int, help="Stop after this many requests.")
@click.option("--max-time", type=float, help="Stop after this many seconds.")
@click.option("--request-timeout", default=30.0, show_default=True, type=float, help="Seconds per request.")
@click.option("--seed", default="0", show_default=True, help="Seed of generated requests, or 'random'.")
@click.option("--dry-run", is_flag=True, help="List operations and URLs; send nothing.")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Write a JUnit XML report.")
@click.option("--report", "report", nargs=2, type=(click.Choice(["json"]), click.Path(path_type=Path, dir_okay=False)),
              help="`--report json FILE`: write the report as JSON.")
def check(contracts: tuple[Path, ...], headers: tuple[str, ...], checks: tuple[str, ...], seed: str,
          report: tuple[str, Path] | None, **options: Any) -> None:
    """Check an API (or the mock) against the contracts with schemathesis and the stream check."""
    from .check import check as run
    from .check.handlers import ConsoleHandler, JsonHandler, JUnitHandler
    from .check.settings import CheckSettings, parse_header

    try:
        settings = CheckSettings(
            contracts=contracts or (Path("openapi"),),
            headers=tuple(parse_header(h) for h in headers),
            checks=tuple(c.strip() for value in checks for c in value.split(",") if c.strip()),
            seed=parse_seed(seed),
            json_report=report[1] if report else None,
            junit=options.pop("junit"),
            operations=options.pop("operations"),
            scopes=options.pop("scopes"),
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
@click.option("--upstream", required=True, envvar=ENV + "UPSTREAM", help="URL of the real API.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port.")
@click.option("--strict", is_flag=True, help="Answer 502 instead of the upstream's answer when it breaks the contract.")
@click.option("--record", type=click.Path(path_type=Path, file_okay=False), help="Save each upstream answer as an example here.")
@click.option("--quiet", is_flag=True, help="No log line per request.")
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
