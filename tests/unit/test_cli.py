"""The command line: every option of every command has the environment variable the naming rule
gives (`MOCK_SERVER_` + the long flag, capitals, dashes as underscores), the variable sets what the
flag sets, and `--help` shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest

from mock_server.cli import main


def every_option() -> list[tuple[str, click.Option]]:
    return [(name, param) for name, command in sorted(main.commands.items()) for param in command.params
            if isinstance(param, click.Option) and param.name != "help"]


def sample(option: click.Option, tmp_path: Path) -> tuple[list[str], str]:
    """A value other than the default: as flag arguments, and as the variable's text."""
    if option.is_flag:
        return [], "1"
    if option.nargs == 2:  # --report json FILE
        path = str(tmp_path / "report.json")
        return ["json", path], f"json {path}"
    kind = option.type
    if isinstance(kind, click.Choice):
        text = str(next(c for c in reversed(kind.choices) if c != option.default))
    elif isinstance(kind, click.Path):
        path = tmp_path / "sample.yaml"
        if kind.file_okay:
            path.write_text("rules: []\n")
        text = str(path)
    elif kind is click.INT:
        text = "7"
    elif kind is click.FLOAT:
        text = "0.5"
    elif kind.name == "header":
        text = "X-Sample: a value"
    else:
        text = "7"  # a number is also a valid seed, latency, base name...
    return [text], text


REQUIRED = {"proxy": ["--upstream", "http://127.0.0.1:9"]}


@pytest.mark.parametrize("command_name, option", every_option(),
                         ids=[f"{name} {option.opts[-1]}" for name, option in every_option()])
def test_every_option_has_its_variable_and_help_shows_it(command_name: str, option: click.Option, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    command = main.commands[command_name]
    flag = max(option.opts, key=len)
    variable = "MOCK_SERVER_" + flag.lstrip("-").upper().replace("-", "_")
    envvars = [option.envvar] if isinstance(option.envvar, str) else list(option.envvar or [])
    assert envvars and envvars[0] == variable and option.show_envvar

    arguments, text = sample(option, tmp_path)
    base = [] if flag in REQUIRED.get(command_name, []) else REQUIRED.get(command_name, [])

    def parsed(args: list[str]) -> Any:
        return command.make_context(command_name, [*base, *args]).params[option.name]  # type: ignore[index]

    required = flag in REQUIRED.get(command_name, [])
    default = None if required else parsed([])
    from_flag = parsed([flag, *arguments])
    monkeypatch.setenv(variable, text)
    from_variable = parsed([])
    assert from_variable == from_flag != default

    help_text = "".join(command.get_help(click.Context(command, info_name=command_name)).split())
    assert variable in help_text


def test_the_documented_api_key_variable_and_its_older_name_both_work(monkeypatch: pytest.MonkeyPatch) -> None:
    serve = main.commands["serve"]
    monkeypatch.setenv("MOCK_SERVER_API_KEY", "k1,k2")
    assert serve.make_context("serve", []).params["api_keys"] == ("k1,k2",)  # split on commas by `serve`
    monkeypatch.delenv("MOCK_SERVER_API_KEY")
    monkeypatch.setenv("MOCK_SERVER_API_KEYS", "old")
    assert serve.make_context("serve", []).params["api_keys"] == ("old",)


def test_headers_in_the_variable_are_one_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_SERVER_HEADER", "X-A: one two\nX-B: three")
    params = main.commands["check"].make_context("check", []).params
    assert params["headers"] == (("X-A", "one two"), ("X-B", "three"))
