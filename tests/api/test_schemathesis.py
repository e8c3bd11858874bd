"""Schemathesis against the API's own OpenAPI schema, in-process (WSGI), with a token.

For every operation, a bounded number of generated requests (``MAX_EXAMPLES``): no 500, every
answer conforms to the schema (status, content type, body), and no row of a place outside the
token owner's scope shows up anywhere in an answer (the fixture has such rows in the same
organisation and in another one).
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from accountability import person_cache
from tests.conftest import build_world, kept_for_the_module, storages_at

from .conftest import MARK, build_api_world

# Per operation; ~35 operations. 10 keeps the run near a minute on a busy 2-core machine;
# API_FUZZ_EXAMPLES=100 for a deeper run.
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", 10))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

config = SchemathesisConfig()
# Generated examples only: the coverage phase's boundary cases multiply the run time, and the
# bad-input tests (test_bad_input.py) cover malformed requests on purpose.
config.projects.default.phases.update(phases=["examples", "fuzzing"])
schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True), config=config
)
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def api_storage(tmp_path_factory):
    return tmp_path_factory.mktemp("schemathesis") / "evidence"


@pytest.fixture(scope="module")
def api_world_of_the_module(django_db_setup, django_db_blocker, api_storage):
    """The world and its rows in three places, built once for the module's ~35 operations
    (each test's requests are rolled back with it); its files in ``api_storage``."""
    with (
        override_settings(STORAGES=storages_at(api_storage)),
        kept_for_the_module(django_db_blocker),
    ):
        world = build_world()
        build_api_world(world)
        yield world


@pytest.fixture
def evidence_storage(settings, api_storage):
    settings.STORAGES = storages_at(api_storage)
    return api_storage


@pytest.fixture
def owner_token(api_world_of_the_module, db, token_for):
    world = api_world_of_the_module
    person_cache.replace_generation()  # as the saves of a fresh world would
    # The WSGI handler closes "old" connections around each request, as Django's test client
    # prevents: that would close the test's transaction under it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield token_for(world.head)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_holds_to_its_schema_and_the_token_owners_scope(case, owner_token):
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {owner_token}"}, checks=CHECKS
    )
    text = response.text
    # The responsibility list is read by the whole organisation, as on its page.
    hidden = ("other",) if "responsibility-items" in case.path else ("sibling", "other")
    leaked = [place for place in hidden if MARK[place] in text]
    assert not leaked, f"{case.method} {case.formatted_path}: rows of {leaked} in the answer"
