import pytest

from tests.rectification.conftest import rect  # noqa: F401 - the fixture, for the home tests

from .fixtures import build_year_data


@pytest.fixture
def year_data(world):
    return build_year_data(world)
