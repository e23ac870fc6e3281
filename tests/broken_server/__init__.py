"""A deliberately broken API and its contract (`contract.yaml`), for the tests of `check` and `proxy`."""
