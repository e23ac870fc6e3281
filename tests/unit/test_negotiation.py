from mock_server.media.negotiation import choose_media_type, parse_accept


def test_q_values_and_specificity_order_the_ranges() -> None:
    assert parse_accept("text/*;q=0.5, application/json, */*;q=0.1") == [
        ("application/json", 1.0), ("text/*", 0.5), ("*/*", 0.1)]


def test_choice_among_declared_types() -> None:
    declared = ["application/json", "text/event-stream"]
    assert choose_media_type(None, declared) == "application/json"
    assert choose_media_type("text/event-stream", declared) == "text/event-stream"
    assert choose_media_type("text/*", declared) == "text/event-stream"
    assert choose_media_type("*/*", declared) == "application/json"
    assert choose_media_type("application/xml", declared) is None
    assert choose_media_type("application/json;q=0", declared) is None
