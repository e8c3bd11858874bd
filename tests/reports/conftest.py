import pytest

from .fixtures import build_year_data


@pytest.fixture
def year_data(world):
    return build_year_data(world)
