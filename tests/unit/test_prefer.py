import pytest

from mock_server.contracts.index import Operation
from mock_server.errors import RequestInvalid
from mock_server.serve.control import directive_from_prefer, parse_prefer


def operation(*statuses: str) -> Operation:
    return Operation(key="c:op", operation_id="op", contract="c", method="GET", path="/", route="/", summary="",
                     parameters=(), request_body=None, responses={s: None for s in statuses},  # type: ignore[misc]
                     security=(), security_schemes={}, request_defs={}, response_defs={}, extensions={})


def test_prefer_is_parsed_leniently() -> None:
    assert parse_prefer('code=429, example="big one"; dynamic=true') == {
        "code": "429", "example": "big one", "dynamic": "true"}


def test_declared_code_example_dynamic_delay() -> None:
    directive = directive_from_prefer("code=404, example=x, dynamic=true, delay=5", operation("200", "404"))
    assert (directive.status, directive.example, directive.dynamic, directive.delay_ms) == (404, "x", True, 5)


def test_range_declarations_cover_codes() -> None:
    assert directive_from_prefer("code=503", operation("200", "5XX")).status == 503


@pytest.mark.parametrize("header", ["code=418", "code=abc", "delay=-1", "delay=999999"])
def test_bad_preferences_are_the_clients_error(header: str) -> None:
    with pytest.raises(RequestInvalid) as info:
        directive_from_prefer(header, operation("200", "400"))
    assert "Prefer" in info.value.message
