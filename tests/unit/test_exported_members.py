import mock_server


def test_public_surface_is_exactly_all() -> None:
    public = {name for name in dir(mock_server) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(mock_server, name)).__name__ == "module"}
    assert public - modules == set(mock_server.__all__)
    assert all(getattr(mock_server, name) is not None for name in mock_server.__all__)
