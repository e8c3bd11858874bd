"""The test world put back from its rows (tests/conftest.py ``_WorldCopies``) is the world the
factories build: the same rows, keys and values in every table, and the same objects."""

import pytest
from django.db import connection, transaction

from .conftest import _WorldCopies

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL copies")


def counts(tables):
    with connection.cursor() as cursor:
        return _WorldCopies._state(cursor, tables)


def test_a_world_put_back_holds_what_a_built_world_holds(db):
    copies = _WorldCopies()
    tables = copies._tables()
    empty = counts(tables)
    made = []
    for _time in range(2):  # built, then put back
        point = transaction.savepoint()
        world = copies.fresh()
        after = counts(tables)
        made.append(({t: after[t][0] - empty[t][0] for t in tables}, after))
        names = sorted((u.username, u.unit.name, u.unit.organisation.code) for u in (
            world.office, world.head, world.leader, world.principal, world.inspector,
            world.admin, world.outsider, world.stranger,
        ))  # fmt: skip
        made[-1] += (names, world.works.head.pk, world.org.principal_leader_id)
        transaction.savepoint_rollback(point)
    (built, built_state, *built_rest), (put_back, put_back_state, *put_back_rest) = made
    assert not copies.disabled
    assert sum(built.values()) > 20 and built == put_back
    assert built_rest == put_back_rest
    # The very rows, keys and values (the digests of every table).
    assert built_state == put_back_state
