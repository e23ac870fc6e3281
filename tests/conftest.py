pytest_plugins = ["tests.fixtures.server", "tests.fixtures.redis_server", "tests.broken_server.fixture"]

# A project of its own, run by tests/e2e/test_pytest_plugin.py in its own pytest process.
collect_ignore = ["pytest_example"]
