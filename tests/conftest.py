pytest_plugins = ["tests.fixtures.server", "tests.broken_server.fixture"]
