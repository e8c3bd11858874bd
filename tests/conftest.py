"""Shared fixtures: one small world with a fixed cast, and rows outside everyone's scope.

The world ("org"): a bureau with two departments (基建处, 财务处); 基建处 has a sub-unit
(工程科). A second organisation ("other_org") exists so that every scope test has rows it must
not see.

The cast, as in healthchecks' alice/bob/charlie, one per role:

* office    刘党办  party-office staff, whole organisation, read-write
* head      张处长  head of 基建处 (and so of 工程科), read-write there only
* leader    李分管  leader in charge of 基建处, read-only
* principal 王书记  principal leader, reads everything, writes nothing
* inspector 陈纪检  discipline inspector, reads everything
* admin     孙管理  administrator
* outsider  赵外单位 head of 财务处: same organisation, another unit
* stranger  钱外局  office staff of the other organisation
"""

import os
from collections import Counter

import pytest

from accountability.models import Role

from .factories import PASSWORD, OrganisationFactory, UnitFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run in
# a thread with a running loop unless told it is safe (it is: the loop is Playwright's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.org = OrganisationFactory(code="test", name="测试水利局", short_name="测试水利局")
    w.root = UnitFactory(organisation=w.org, name="局机关", kind="bureau")
    w.works = UnitFactory(organisation=w.org, parent=w.root, name="基建处")
    w.works_section = UnitFactory(organisation=w.org, parent=w.works, name="工程科")
    w.finance = UnitFactory(organisation=w.org, parent=w.root, name="财务处")

    w.other_org = OrganisationFactory(code="other", name="另一局", short_name="另一局")
    w.other_root = UnitFactory(organisation=w.other_org, name="另一局机关", kind="bureau")
    w.other_unit = UnitFactory(organisation=w.other_org, parent=w.other_root, name="另一处")

    w.office = UserFactory(username="office", full_name="刘党办", unit=w.root, roles=[Role.OFFICE])
    w.head = UserFactory(username="head", full_name="张处长", unit=w.works, roles=[Role.UNIT_HEAD])
    w.leader = UserFactory(username="leader", full_name="李分管", unit=w.root, roles=[Role.LEADER])
    w.principal = UserFactory(
        username="principal", full_name="王书记", unit=w.root, roles=[Role.LEADER]
    )
    w.inspector = UserFactory(
        username="inspector", full_name="陈纪检", unit=w.root, roles=[Role.INSPECTOR]
    )
    w.admin = UserFactory(username="admin", full_name="孙管理", unit=w.root, roles=[Role.ADMIN])
    w.outsider = UserFactory(
        username="outsider", full_name="赵外单位", unit=w.finance, roles=[Role.UNIT_HEAD]
    )
    w.stranger = UserFactory(
        username="stranger", full_name="钱外局", unit=w.other_root, roles=[Role.OFFICE]
    )
    w.works.head = w.head
    w.works.leader_in_charge = w.leader
    w.works.save()
    w.finance.head = w.outsider
    w.finance.save()
    w.org.principal_leader = w.principal
    w.org.save()
    w.password = PASSWORD
    return w


@pytest.fixture
def login(client):
    """Log the test client in as one of the cast: ``login(world.head)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path):
    """Each test stores evidence in its own temporary folder, never in var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": None},
        },
    }
    return tmp_path / "evidence"


# -- figures a run prints ----------------------------------------------------------------------
# Under pytest-xdist a test runs in a worker process whose output nobody sees. A test that
# measures something (cells checked, pairs, examples) attaches it to its report instead
# (``user_properties`` travel to the controller), and the run prints the totals once, at the end.
FIGURE = "portal-figure"
_figures = {"lines": [], "sets": {}, "counts": Counter()}


def note_figure(node, template, *, member=None, count=None):
    """Report a figure for the end of the run.

    ``template`` alone is printed as it is; with ``member`` the distinct members are counted
    into ``{n}``; with ``count`` the counts are added up into ``{n}``.
    """
    if member is not None:
        node.user_properties.append((FIGURE, ["set", template, repr(member)]))
    elif count is not None:
        node.user_properties.append((FIGURE, ["count", template, count]))
    else:
        node.user_properties.append((FIGURE, ["line", template, None]))


def pytest_runtest_logreport(report):
    # Every phase's report carries the test's whole list so far: read it once, at teardown.
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name != FIGURE:
            continue
        kind, template, payload = value
        if kind == "set":
            _figures["sets"].setdefault(template, set()).add(payload)
        elif kind == "count":
            _figures["counts"][template] += payload
        elif template not in _figures["lines"]:
            _figures["lines"].append(template)


def pytest_terminal_summary(terminalreporter):
    for line in _figures["lines"]:
        terminalreporter.write_line(line)
    for template, members in sorted(_figures["sets"].items()):
        terminalreporter.write_line(template.format(n=len(members)))
    for template, total in sorted(_figures["counts"].items()):
        terminalreporter.write_line(template.format(n=total))
