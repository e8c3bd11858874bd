"""The API's world: the shared cast, rows of every kind in three places, tokens per person.

Places, as in the access matrix: "own" (基建处, the unit of ``head``), "sibling" (财务处) and
"other" (the other organisation). Every row carries its place's marker in a text field, so a
response that shows a row out of the caller's scope is caught by looking for the marker.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    ResponsibilityList,
    RiskPoint,
    WorkRecord,
    WorkRecordEvidence,
    WorkRecordKind,
)
from api.services import apitoken_create
from rectification import services as rectification_services
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory
from tests.samples import ONE_PAGE_PDF

MARK = {"own": "apOWNz5", "sibling": "apSIBz5", "other": "apOTHz5"}
PLACES = tuple(MARK)
PDF = ONE_PAGE_PDF


def pdf(name="材料.pdf", body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@dataclass
class ApiWorld:
    world: object
    unit: dict = field(default_factory=dict)
    org: dict = field(default_factory=dict)
    kind: dict = field(default_factory=dict)
    record: dict = field(default_factory=dict)
    letter: dict = field(default_factory=dict)
    risk: dict = field(default_factory=dict)
    item: dict = field(default_factory=dict)
    inspection: dict = field(default_factory=dict)
    finding: dict = field(default_factory=dict)
    measure: dict = field(default_factory=dict)


def build_api_world(w, records_per_place=1):
    a = ApiWorld(world=w)
    today = timezone.localdate()
    a.unit = {"own": w.works, "sibling": w.finance, "other": w.other_unit}
    a.org = {"own": w.org, "sibling": w.org, "other": w.other_org}
    heads = {"own": w.head, "sibling": w.outsider, "other": w.stranger}
    kinds = {org.pk: WorkRecordKind.ensure_presets(org) for org in (w.org, w.other_org)}
    lists = {
        org.pk: ResponsibilityList.objects.create(organisation=org, year=today.year)
        for org in (w.org, w.other_org)
    }
    for place in PLACES:
        mark, org, unit = MARK[place], a.org[place], a.unit[place]
        kind = kinds[org.pk]["theory_study"]
        a.kind[place] = kind
        for n in range(records_per_place):
            record = WorkRecord.objects.create(
                organisation=org,
                unit=unit,
                kind=kind,
                date=today,
                title=f"记实{mark}-{n}",
                description=f"内容{mark}",
                leader=w.leader if place == "own" else None,
                created_by=heads[place],
            )
            record.participants.set([heads[place]])
            WorkRecordEvidence.from_upload(
                pdf(f"{mark}.pdf"), by=heads[place], record=record
            ).save()
            a.record.setdefault(place, record)
        a.letter[place] = DutyLetter.objects.create(
            organisation=org,
            unit=unit,
            year=today.year,
            title=f"责任书{mark}",
            issued_on=today.replace(month=1, day=10),
            due_on=today.replace(month=2, day=10),
        )
        a.risk[place] = RiskPoint.objects.create(
            organisation=org,
            unit=unit,
            post=f"岗位{mark}",
            description=f"风险{mark}",
            level=RiskPoint.Level.HIGH,
            measures="措施",
            owner=heads[place],
        )
        a.item[place] = ResponsibilityItem.objects.create(
            list=lists[org.pk],
            area="强化思想政治建设",
            title=f"责任事项{mark}",
            kind=kind,
            target_count=12,
            responsible_unit=unit,
        )
        a.inspection[place] = InspectionFactory(
            organisation=org, title=f"巡察{mark}", source=f"巡察组{mark}", started_on=today
        )
        a.finding[place] = FindingFactory(
            inspection=a.inspection[place], number=1, description=f"问题{mark}"
        )
        a.measure[place] = MeasureFactory(
            finding=a.finding[place],
            unit=unit,
            description=f"措施{mark}",
            lead_leader=w.leader if place != "other" else w.stranger,
            responsible_person=heads[place],
            deadline=today + datetime.timedelta(days=5),
        )
        rectification_services.measure_report_progress(
            measure=a.measure[place], by=heads[place], note=f"进展{mark}"
        )
    # The other organisation's names carry its marker too.
    w.other_unit.name += MARK["other"]
    w.other_unit.save()
    w.stranger.full_name += MARK["other"]
    w.stranger.save()
    return a


@pytest.fixture
def api_world(world):
    return build_api_world(world)


@pytest.fixture(autouse=True)
def generous_throttle(settings):
    # Tests share one Redis: the throttle is exercised on purpose in test_throttling only.
    settings.API_THROTTLE_RATE = "100000/min"
    settings.API_ANON_THROTTLE_RATE = "100000/min"


@pytest.fixture
def token_for():
    """``token_for(user)``: a fresh raw personal token of ``user`` (cached per user)."""
    made = {}

    def make(user, **kwargs):
        if user.pk not in made or kwargs:
            _token, raw = apitoken_create(user=user, name="测试", **kwargs)
            if kwargs:
                return raw
            made[user.pk] = raw
        return made[user.pk]

    return make


@pytest.fixture
def api_client(token_for):
    """``api_client(user)``: a client sending ``user``'s token (no session, no cookies)."""

    def make(user=None, raw=None):
        client = Client(raise_request_exception=False)
        token = raw or (token_for(user) if user is not None else None)
        if token:
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    return make
