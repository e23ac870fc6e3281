pytest_plugins = ["tests.fixtures.server", "tests.fixtures.redis_server", "tests.broken_server.fixture"]
