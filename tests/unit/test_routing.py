from mock_server.contracts import Operation
from mock_server.routing import PathIndex


def operation(method: str, route: str) -> Operation:
    return Operation(key=f"c:{method}{route}", operation_id=f"{method}{route}", contract="c", method=method, path=route,
                     route=route, summary="", parameters=(), request_body=None, responses={}, security=(),
                     security_schemes={}, request_defs={}, response_defs={}, extensions={})


def test_literal_segments_win_over_templates_whatever_the_declaration_order() -> None:
    index = PathIndex([operation("GET", "/items/{id}"), operation("GET", "/items/latest")])
    found = index.match("GET", "/items/latest")
    assert found is not None and found[0].route == "/items/latest"
    found = index.match("GET", "/items/42")
    assert found is not None and found == (index.at("/items/42")[-1], {"id": "42"})


def test_raw_paths_with_encoded_slashes_and_newlines_match_one_segment() -> None:
    index = PathIndex([operation("POST", "/t/{tenant}/texts")])
    assert index.match("POST", "/t/a%2Fb/texts") == (index.at("/t/x/texts")[0], {"tenant": "a/b"})
    assert index.match("POST", "/t/a%0Ab/texts")[1] == {"tenant": "a\nb"}  # type: ignore[index]
    assert index.match("POST", "/t/a/b/texts") is None and index.match("GET", "/t/a/texts") is None
