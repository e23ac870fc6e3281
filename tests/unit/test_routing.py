from collections.abc import Iterator
from typing import Any

from mock_server.contracts.index import Operation, Parameter
from mock_server.serve.routing import PathIndex


def operation(method: str, route: str, **path_schemas: Any) -> Operation:
    parameters = tuple(Parameter(name, "path", True, schema, "simple", False) for name, schema in path_schemas.items())
    return Operation(key=f"c:{method}{route}", operation_id=f"{method}{route}", contract="c", method=method, path=route,
                     route=route, summary="", parameters=parameters, request_body=None, responses={}, security=(),
                     security_schemes={}, request_defs={"Kind": {"type": "string", "enum": ["leads", "contacts"]}},
                     response_defs={}, extensions={})


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


def test_each_operation_gets_its_own_parameters_from_the_combined_expression() -> None:
    index = PathIndex([
        operation("GET", "/a/{x}"), operation("GET", "/a/{x}/b/{y}"), operation("GET", "/c/{z}/d"),
        operation("PUT", "/a/{x}"),
    ])
    assert index.match("GET", "/a/1/b/2") == (index.at("/a/1/b/2")[0], {"x": "1", "y": "2"})
    assert index.match("GET", "/c/3/d") == (index.at("/c/3/d")[0], {"z": "3"})
    found = index.match("PUT", "/a/4")
    assert found is not None and found[0].method == "PUT" and found[1] == {"x": "4"}


def test_values_are_decoded_once() -> None:
    index = PathIndex([operation("GET", "/files/{name}")])
    assert index.match("GET", "/files/100%2525")[1] == {"name": "100%25"}  # type: ignore[index]


def test_head_falls_back_to_get_and_nothing_else_does() -> None:
    index = PathIndex([operation("GET", "/things"), operation("POST", "/orders")])
    found = index.match("HEAD", "/things")
    assert found is not None and found[0].method == "GET"
    assert index.match("HEAD", "/orders") is None and index.match("PATCH", "/things") is None


def test_a_trailing_slash_or_an_empty_segment_is_another_path() -> None:
    index = PathIndex([operation("GET", "/things"), operation("GET", "/t/{id}/x")])
    assert index.match("GET", "/things/") is None and index.at("/things/") == []
    assert index.match("GET", "/t//x") is None


def test_a_partial_template_wins_over_a_whole_segment_parameter() -> None:
    index = PathIndex([operation("GET", "/files/{id}"), operation("GET", "/files/{name}.json")])
    assert index.match("GET", "/files/report.json") == (index.at("/files/x.json")[0], {"name": "report"})
    found = index.match("GET", "/files/report")
    assert found is not None and found[0].route == "/files/{id}" and found[1] == {"id": "report"}


def test_a_literal_path_is_matched_alone_even_when_it_lacks_the_method() -> None:
    # `/agents/export` (POST only) is not `/agents/{id}`: other methods are a 405 whose Allow is POST.
    index = PathIndex([operation("GET", "/agents/{id}"), operation("DELETE", "/agents/{id}"),
                       operation("PUT", "/agents/{id}"), operation("POST", "/agents/export")])
    assert index.match("GET", "/agents/export") is None and index.match("OPTIONS", "/agents/export") is None
    assert [op.method for op in index.at("/agents/export")] == ["POST"]
    assert sorted(op.method for op in index.at("/agents/42")) == ["DELETE", "GET", "PUT"]
    found = index.match("GET", "/agents/42")
    assert found is not None and found[1] == {"id": "42"}


def test_the_walk_backs_up_where_a_literal_branch_declares_no_path() -> None:
    index = PathIndex([operation("GET", "/items/latest/feed"), operation("DELETE", "/items/{id}/tags")])
    found = index.match("DELETE", "/items/latest/tags")
    assert found is not None and found[0].route == "/items/{id}/tags" and found[1] == {"id": "latest"}
    assert [op.method for op in index.at("/items/latest/tags")] == ["DELETE"]


def test_thousands_of_routes_each_find_their_own_operation() -> None:
    routes = [f"/r{n}/{{a}}/x/{{b}}" for n in range(2000)]
    index = PathIndex([operation("GET", route) for route in routes])
    for n in (0, 999, 1999):
        found = index.match("GET", f"/r{n}/one/x/two")
        assert found is not None and found[0].route == routes[n] and found[1] == {"a": "one", "b": "two"}


def walk(node: Any, segments: list[str], values: tuple[str, ...] = ()) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Every node at the end of `segments`, most specific first: the recursive reference the
    router's stack-based search shortcuts."""
    if not segments:
        yield node, values
        return
    segment, rest = segments[0], segments[1:]
    if segment in node.literals:
        yield from walk(node.literals[segment], rest, values)
    for pattern, child in node.partials.values():
        found = pattern.fullmatch(segment)
        if found:
            yield from walk(child, rest, values + found.groups())
    if node.parameter is not None and segment:
        yield from walk(node.parameter, rest, (*values, segment))


def test_match_takes_the_most_specific_declared_path_of_the_full_walk() -> None:
    """The iterative match against the recursive walk, on overlapping literal, partial and whole
    templates: the first node that declares any operation decides, and lacking the method is a 405."""
    routes = [("GET", "/a/{x}/c"), ("POST", "/a/b/{y}"), ("GET", "/a/b/d"), ("PUT", "/a/{x}.json/c"),
              ("GET", "/a/{x}.json/{z}"), ("DELETE", "/{p}/b/c"), ("GET", "/a/b/c/{q}")]
    index = PathIndex([operation(m, r) for m, r in routes])
    for path in ["/a/b/c", "/a/b/d", "/a/x.json/c", "/a/b.json/c", "/z/b/c", "/a/b/c/1", "/a//c", "/a/b/"]:
        declared = next((node for node, _ in walk(index._root, path.split("/")) if node.operations), None)
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            expected = declared.operations.get(method) if declared is not None else None
            found = index.match(method, path)
            assert (found[0] if found else None) == (expected[0] if expected else None), (method, path)
        assert index.at(path) == ([op for op, _ in declared.operations.values()] if declared else []), path


def test_of_two_templated_paths_the_one_whose_parameters_can_hold_the_values_wins() -> None:
    """`/api/v4/leads/links` is both `/api/v4/leads/{id}` and `/api/v4/{entity_type}/links`; OpenAPI
    leaves ambiguous templates to the tool. An integer id cannot be `links`, so the client meant the
    second. Where no candidate can hold the values, the most specific answers (its 400 names the
    parameter), as before."""
    by_id = operation("GET", "/api/v4/leads/{id}", id={"type": "integer", "format": "int64"})
    update = operation("PATCH", "/api/v4/leads/{id}", id={"type": "integer"})
    links = operation("POST", "/api/v4/{entity_type}/links", entity_type={"$ref": "#/$defs/Kind"})
    index = PathIndex([by_id, update, links])
    assert index.match("POST", "/api/v4/leads/links") == (links, {"entity_type": "leads"})
    assert index.at("/api/v4/leads/links") == [links] and index.match("GET", "/api/v4/leads/links") is None
    assert index.match("GET", "/api/v4/leads/42") == (by_id, {"id": "42"})
    assert index.match("GET", "/api/v4/leads/42.0") == (by_id, {"id": "42.0"})  # an integer to JSON Schema
    tasks = PathIndex([by_id, operation("POST", "/api/v4/{entity_type}/links", entity_type={"enum": ["contacts"]})])
    assert tasks.match("GET", "/api/v4/leads/links") == (by_id, {"id": "links"})  # nothing fits: the most specific
    free = PathIndex([by_id, operation("GET", "/api/v4/{entity_type}/links")])  # no schema holds anything
    assert free.match("GET", "/api/v4/leads/links")[0].route == "/api/v4/{entity_type}/links"  # type: ignore[index]
