"""Fixtures for the assessment tests: see ``helpers`` for the records they make."""

import pytest

from assessment.models import Scheme

from .helpers import YEAR, Records, make_body


@pytest.fixture
def records(world):
    return Records(world)


@pytest.fixture
def unit_scheme(world):
    return Scheme.objects.create(
        owner=world.org,
        year=YEAR,
        target=Scheme.Target.UNITS,
        name="责任制考核",
        created_by=world.office,
    )


@pytest.fixture
def body(world):
    return make_body(world)
