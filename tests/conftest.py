pytest_plugins = ["tests.fixtures.server"]
