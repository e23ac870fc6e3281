from pathlib import Path

import pytest

from mock_server.errors import SettingsError
from mock_server.settings import ServeSettings, parse_range, parse_seed


def test_settings_survive_the_trip_to_a_worker_process() -> None:
    settings = ServeSettings(contracts=(Path("a"), Path("b.yaml")), seed=None, api_keys=("k1", "k2"),
                             rules=Path("rules.yaml"), latency_ms=(5, 9), workers=3, quota_input_tokens=10,
                             state="redis://127.0.0.1:6379/2", state_prefix="team-a", admin_token="t0k", host="0.0.0.0",
                             optional="random", clock="real")
    assert ServeSettings.from_json(settings.to_json()) == settings


@pytest.mark.parametrize("changes, flag", [
    ({"port": 70000}, "--port"), ({"auth": "loose"}, "--auth"), ({"error_rate": 2.0}, "--error-rate"),
    ({"latency_ms": (9, 5)}, "--latency"), ({"workers": 0}, "--workers"), ({"cors_origins": ("(",)}, "--cors-origin"),
    ({"workers": 2}, "--state redis://"), ({"state": "memcached://x"}, "--state"), ({"host": "0.0.0.0"}, "--admin-token"),
    ({"host": "192.168.1.5"}, "--admin-open"), ({"header_timeout": 0}, "--header-timeout"),
    ({"max_connections": 0}, "--max-connections"),
    ({"optional": "sometimes"}, "--optional"), ({"watch": True, "engine": "connexion"}, "--watch"),
])
def test_bad_values_name_their_flag(changes: dict[str, object], flag: str) -> None:
    with pytest.raises(SettingsError, match=flag):
        ServeSettings(**changes)  # type: ignore[arg-type]


def test_seed_and_range_parsing() -> None:
    assert parse_seed("random") is None and parse_seed("42") == 42
    assert parse_range("800", "--latency") == (800, 800) and parse_range("200-900", "--latency") == (200, 900)
    with pytest.raises(SettingsError, match="--latency"):
        parse_range("fast", "--latency")
    with pytest.raises(SettingsError, match="--seed"):
        parse_seed("abc")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_need_no_admin_token(host: str) -> None:
    assert ServeSettings(host=host).host == host


def test_a_token_or_admin_open_allows_any_interface() -> None:
    assert ServeSettings(host="0.0.0.0", admin_token="secret").admin_token == "secret"
    assert ServeSettings(host="0.0.0.0", admin_open=True).admin_open
