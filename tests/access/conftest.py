"""One world with a row of every kind in three places, and a logged-in client per role.

Every kind of object exists three times: in 基建处 ("own": the unit of the head ``owner``),
in 财务处 ("sibling": the unit of ``sibling``, the head of a neighbouring unit) and in the
other organisation ("other"). Organisation-wide rows (reports, outlines, kinds, import
batches) exist twice: "org" and "other". Each row carries its place's marker in its title or
text, so that a page or a file that shows a row out of the viewer's scope can be caught.
"""

import datetime
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accountability.models import (
    DutyLetter,
    DutyLetterScan,
    ResponsibilityItem,
    ResponsibilityList,
    RiskPoint,
    Role,
    WorkRecord,
    WorkRecordEvidence,
    WorkRecordKind,
)
from audit.services import Action, record
from notices.models import (
    Delivery,
    Digest,
    Notice,
    ReminderPolicy,
    ReminderPreference,
)
from rectification import services as rectification_services
from rectification.models import FindingImport, Measure, MeasureEvidence, WarningPolicy
from reports.models import Report, ReportExport, ReportVersion
from reports.services import outline_apply_preset, report_generate_draft
from sso.models import DirectoryRoleMapping, DirectoryUnitMapping
from tests.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory

from .spec import ROLES

# Markers: plain ASCII, so that they survive HTML escaping, xlsx cells and pdftotext.
MARK = {"own": "mxOWNq7", "sibling": "mxSIBq7", "other": "mxOTHq7", "org": "mxORGq7"}
UNIT_PLACES = ("own", "sibling", "other")


def marked_pdf(marker, name="材料.pdf"):
    """A structurally valid PDF (it passes the evidence checks), the marker inside its bytes."""
    body = (
        f"%PDF-1.4\n% {marker}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        "trailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode()
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@dataclass
class Matrix:
    world: object
    users: dict = field(default_factory=dict)
    today: object = None

    def user(self, role):
        return self.users.get(role)


def build_matrix(world):
    w = world
    m = Matrix(world=w, today=timezone.localdate())
    today, year = m.today, m.today.year
    norole = UserFactory(username="norole", full_name="吴无角色", unit=w.works)
    secadmin = UserFactory(
        username="secadmin", full_name="周安全", unit=w.root, roles=[Role.SECURITY_ADMIN]
    )
    auditor = UserFactory(username="auditor", full_name="吴审计", unit=w.root, roles=[Role.AUDITOR])
    # The supervising body above both organisations (which makes them siblings).
    body = OrganisationFactory(
        code="body", name="市直机关工委", short_name="市直机关工委", body_type="working_committee"
    )
    body_root = UnitFactory(organisation=body, name="工委办公室", kind="bureau")
    for org in (w.org, w.other_org):
        org.supervisor = body
        org.save()
    m.body = body
    m.users = {
        "anonymous": None,
        "norole": norole,
        "stranger": w.stranger,
        "sibling": w.outsider,
        "owner": w.head,
        "office": w.office,
        "leader": w.leader,
        "principal": w.principal,
        "inspector": w.inspector,
        "admin": w.admin,
        "secadmin": secadmin,
        "auditor": auditor,
        "body": UserFactory(
            username="body", full_name="许工委", unit=body_root, roles=[Role.OFFICE]
        ),
        "bodyadmin": UserFactory(
            username="bodyadmin", full_name="冯工委", unit=body_root, roles=[Role.ADMIN]
        ),
    }
    assert tuple(m.users) == ROLES
    w.norole = norole
    m.unit = {"own": w.works, "sibling": w.finance, "other": w.other_unit}
    m.org = {"own": w.org, "sibling": w.org, "other": w.other_org, "org": w.org}
    # The person who acts for each place: the unit's head (other org: its office staff).
    m.head = {"own": w.head, "sibling": w.outsider, "other": w.stranger}
    m.office = {"own": w.office, "sibling": w.office, "other": w.stranger, "org": w.office}

    kinds = {org.pk: WorkRecordKind.ensure_presets(org) for org in (w.org, w.other_org)}
    m.kind = {place: kinds[m.org[place].pk]["theory_study"] for place in ("org", "other")}

    # -- accountability ---------------------------------------------------------------------
    m.record, m.deleted_record, m.record_evidence = {}, {}, {}
    m.letter, m.scan, m.risk, m.item = {}, {}, {}, {}
    lists = {
        org.pk: ResponsibilityList.objects.create(organisation=org, year=year)
        for org in (w.org, w.other_org)
    }
    for place in UNIT_PLACES:
        mark, org, unit = MARK[place], m.org[place], m.unit[place]
        kind = kinds[org.pk]["theory_study"]
        m.record[place] = WorkRecord.objects.create(
            organisation=org,
            unit=unit,
            kind=kind,
            date=today,
            title=f"记实{mark}",
            description=f"内容{mark}",
        )
        m.record_evidence[place] = WorkRecordEvidence.from_upload(
            marked_pdf(mark), by=m.head[place], record=m.record[place]
        )
        m.record_evidence[place].save()
        # The annual report names the year's warning-education sessions: one per unit.
        WorkRecord.objects.create(
            organisation=org,
            unit=unit,
            kind=kinds[org.pk]["warning_education"],
            date=today,
            title=f"观看《警示教育{mark}》",
        )
        m.deleted_record[place] = WorkRecord.objects.create(
            organisation=org, unit=unit, kind=kind, date=today, title=f"已删除{mark}"
        )
        m.deleted_record[place].soft_delete()
        m.letter[place] = DutyLetter.objects.create(
            organisation=org,
            unit=unit,
            year=year,
            title=f"责任书{mark}",
            issued_on=today.replace(month=1, day=10),
            due_on=today.replace(month=2, day=10),
        )
        m.scan[place] = DutyLetterScan.from_upload(
            marked_pdf(mark, "扫描件.pdf"), by=m.head[place], letter=m.letter[place]
        )
        m.scan[place].save()
        m.risk[place] = RiskPoint.objects.create(
            organisation=org,
            unit=unit,
            post=f"岗位{mark}",
            description=f"风险{mark}",
            level=RiskPoint.Level.HIGH,
            measures="措施",
        )
        m.item[place] = ResponsibilityItem.objects.create(
            list=lists[org.pk],
            area="强化思想政治建设",
            title=f"责任事项{mark}",
            kind=kind,
            target_count=12,
            frequency=ResponsibilityItem.Frequency.MONTHLY,
            responsible_unit=unit,
        )
    m.item["org"] = m.item["own"]

    # -- rectification ----------------------------------------------------------------------
    # Each place has its own inspection, so that a unit head sees it only through the measure
    # of their unit; a second measure per place is closed, with its follow-up check due.
    m.inspection, m.finding, m.measure, m.measure_evidence, m.closed = {}, {}, {}, {}, {}
    leader = {"own": w.leader, "sibling": w.principal, "other": w.stranger}
    for place in UNIT_PLACES:
        mark = MARK[place]
        m.inspection[place] = InspectionFactory(
            organisation=m.org[place],
            title=f"巡察{mark}",
            source=f"巡察组{mark}",
            started_on=today,  # this year's: the dashboard and the report count it
            feedback_on=today,
        )
        m.finding[place] = FindingFactory(
            inspection=m.inspection[place], number=1, description=f"问题{mark}"
        )
        people = {"lead_leader": leader[place], "responsible_person": m.head[place]}
        m.measure[place] = MeasureFactory(
            finding=m.finding[place],
            unit=m.unit[place],
            description=f"措施{mark}",
            deadline=today - datetime.timedelta(days=10),  # overdue: on the dashboard
            **people,
        )
        rectification_services.measure_request_closure(
            measure=m.measure[place],
            by=m.head[place],
            note=f"申请销号{mark}",
            files=[marked_pdf(mark, "整改报告.pdf")],
        )
        m.measure[place].refresh_from_db()
        m.measure_evidence[place] = MeasureEvidence.objects.get(measure=m.measure[place])
        m.closed[place] = MeasureFactory(
            finding=m.finding[place], unit=m.unit[place], description=f"已销号{mark}", **people
        )
        Measure.objects.filter(pk=m.closed[place].pk).update(
            state=Measure.State.CLOSED,
            closed_at=timezone.now(),
            closed_by=w.inspector,
            followup_due_on=today,
        )
    m.inspection["org"] = m.inspection["own"]
    m.batch = {
        place: FindingImport.objects.create(
            token=f"matrix-{place}",
            inspection=m.inspection[place if place == "other" else "own"],
            created_by=m.office[place],
            file_name=f"问题清单{MARK[place]}.xlsx",
            rows=[],
        )
        for place in ("org", "other")
    }

    # -- reminders --------------------------------------------------------------------------
    m.digest, m.delivery, m.notice = {}, {}, {}
    for place in UNIT_PLACES:
        mark = MARK[place]
        m.notice[place] = Notice.objects.create(
            organisation=m.org[place],
            recipient=m.head[place],
            kind=Notice.Kind.CLOSURE_RETURNED,
            key=f"matrix-{place}",
            text=f"消息{mark}",
        )
        m.digest[place] = Digest.objects.create(
            organisation=m.org[place],
            recipient=m.head[place],
            day=today,
            level="red",
            counts={"red": 1},
            items={"red": [{"text": f"提醒{mark}", "link": ""}]},
        )
        m.delivery[place] = Delivery.objects.create(
            digest=m.digest[place],
            channel="email",
            address=f"{mark}@example.com",
            state=Delivery.State.FAILED,
            attempts=3,
            last_error=f"失败{mark}",
        )
    for org in (w.org, w.other_org):
        ReminderPolicy.for_organisation(org).save()
        WarningPolicy.for_organisation(org).save()
    m.warning_policy = {
        "org": WarningPolicy.objects.get(organisation=w.org),
        "other": WarningPolicy.objects.get(organisation=w.other_org),
    }
    # Pages that create a person's defaults on first visit find them already there, so that a
    # GET that changes nothing leaves the database exactly as it was.
    for user in m.users.values():
        if user is not None:
            ReminderPreference.objects.get_or_create(user=user)

    # -- reports ----------------------------------------------------------------------------
    m.outline, m.report, m.export, m.version = {}, {}, {}, {}
    for place, org in (("org", w.org), ("other", w.other_org)):
        m.outline[place] = outline_apply_preset(organisation=org, preset="seven_areas")
        m.outline[place].name = f"提纲{MARK[place]}"
        m.outline[place].save()
        report, _created = report_generate_draft(
            organisation=org, year=year, outline=m.outline[place]
        )
        report.title = f"报告{MARK[place]}"
        report.save()
        m.report[place] = report
        export = ReportExport.objects.create(
            report=report, created_by=m.office[place], state=ReportExport.State.DONE
        )
        export.file.save(export.filename, ContentFile(marked_pdf(MARK[place]).read()))
        m.export[place] = export
        # A version submitted for sign-off, on last year's report (this year's stays a draft
        # the office may edit).
        earlier = Report.objects.create(organisation=org, year=year - 1, title=f"报告{MARK[place]}")
        m.version[place] = ReportVersion.objects.create(
            report=earlier,
            number=1,
            state=ReportVersion.State.SUBMITTED,
            frozen={
                "title": f"报告{MARK[place]}",
                "sections": [{"level": 1, "heading": f"版本{MARK[place]}", "text": "正文"}],
                "values": {},
                "signature": "",
                "date": "",
            },
            content_hash="0" * 64,
        )

    # -- administration ---------------------------------------------------------------------
    m.group = Group.objects.create(name=f"组{MARK['org']}")
    # -- audit log: one event of each organisation --------------------------------------
    for place, org in (("org", w.org), ("other", w.other_org)):
        record(Action.LOGIN_FAILED, username=f"guess{MARK[place]}", organisation_id=org.pk)

    # The other organisation's names carry its marker too: none may show to this one.
    w.other_org.name = f"另一局{MARK['other']}"
    w.other_org.save()
    for unit in (w.other_root, w.other_unit):
        unit.name += MARK["other"]
        unit.save()
    w.stranger.full_name += MARK["other"]
    w.stranger.save()
    m.admin_object = {
        "accountability.organisation": {"org": w.org, "other": w.other_org},
        "accountability.unit": {"org": w.works, "other": w.other_unit},
        "accountability.user": {"org": w.head, "other": w.stranger},
        "rectification.warningpolicy": m.warning_policy,
        "sso.directoryrolemapping": {
            org: DirectoryRoleMapping.objects.create(
                organisation=organisation, group=f"cn=dangban-{org},dc=example", role=Role.OFFICE
            )
            for org, organisation in (("org", w.org), ("other", w.other_org))
        },
        "sso.directoryunitmapping": {
            org: DirectoryUnitMapping.objects.create(
                organisation=unit.organisation, attribute="ou", value=unit.name, unit=unit
            )
            for org, unit in (("org", w.works), ("other", w.other_unit))
        },
        "auth.group": {"org": m.group},
    }
    return m


@pytest.fixture
def matrix(world, settings):
    # Exports go to the background queue (never run in a test transaction), not rendered
    # inline: the PDF itself is checked once, in test_leaks.
    settings.REPORT_ASYNC_ROWS = -1
    # The report presets name the organisation's line of work, as every installed one has it.
    for org in (world.org, world.other_org):
        org.sector = "水利"
        org.save()
    return build_matrix(world)


@pytest.fixture
def client_for(matrix):
    """``client_for(role)``: a client logged in as the role, with no other cookie.

    Each role's session is made once; every call gives the role's client back with only that
    session cookie, so that what one request did to the cookies (a logout, a language) does
    not carry over to the next. Exceptions in views come back as 500 responses.
    """
    sessions = {}
    for role, user in matrix.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    cache = {}

    def get(role, enforce_csrf_checks=False):
        key = (role, enforce_csrf_checks)
        if key not in cache:
            cache[key] = Client(
                raise_request_exception=False, enforce_csrf_checks=enforce_csrf_checks
            )
        client = cache[key]
        client.cookies = SimpleCookie()
        if role in sessions:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[role]
        return client

    return get
