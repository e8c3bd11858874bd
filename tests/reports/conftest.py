from .fixtures import year_data  # noqa: F401 (a fixture shared with tests/e2e)
