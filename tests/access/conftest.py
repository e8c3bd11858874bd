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
from django.test import Client, override_settings
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
from assessment.models import ManualAdjustment, Rule, Scheme
from assessment.models import Measure as AssessedMeasure
from audit.services import Action, record
from notices.models import (
    Delivery,
    Digest,
    Notice,
    NoticeDelivery,
    ReminderPolicy,
    ReminderPreference,
)
from rectification import services as rectification_services
from rectification.models import FindingImport, Measure, MeasureEvidence, WarningPolicy
from reports.models import Report, ReportExport, ReportVersion
from reports.services import outline_apply_preset, report_generate_draft
from sso.models import DirectoryAccount, DirectoryRoleMapping, DirectoryUnitMapping
from supervision.models import (
    NoticeEvidence,
    NoticeReply,
    ReportDue,
    Submission,
    SupervisionNotice,
)
from tests.conftest import build_world, kept_for_the_module, storages_at
from tests.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory

from .spec import ROLES

# Markers: plain ASCII, so that they survive HTML escaping, xlsx cells and pdftotext.
MARK = {
    "own": "mxOWNq7",
    "sibling": "mxSIBq7",
    "other": "mxOTHq7",
    "org": "mxORGq7",
    # Rows of the party committee below the organisation (oversight's drill-down).
    "below": "mxBELq7",
}
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
    }
    assert tuple(m.users) == ROLES
    w.norole = norole
    # 目录账号: a directory person in each organisation (still in the directory: a POST to
    # deactivate is refused with a message and changes nothing).
    m.directory_account = {
        "org": DirectoryAccount.objects.create(user=norole, source="ldap"),
        "other": DirectoryAccount.objects.create(user=w.stranger, source="ldap"),
    }
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
    m.digest, m.delivery, m.notice, m.notice_delivery = {}, {}, {}, {}
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
        m.notice_delivery[place] = NoticeDelivery.objects.create(
            recipient=m.head[place],
            channel="email",
            window_start=timezone.now(),
            address=f"{mark}-notices@example.com",
            state=NoticeDelivery.State.FAILED,
            attempts=3,
            last_error=f"消息失败{mark}",
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

    # -- assessment: a scheme scoring each organisation's units, a rule, a manual point -----
    m.scheme, m.scheme_rule, m.adjustment = {}, {}, {}
    m.scheme_target = {"org": w.works, "other": w.other_unit}
    for place in ("org", "other"):
        m.scheme[place] = Scheme.objects.create(
            owner=m.org[place], year=year, target=Scheme.Target.UNITS, name=f"考核{MARK[place]}"
        )
        m.scheme_rule[place] = Rule.objects.create(
            scheme=m.scheme[place], measure=AssessedMeasure.LETTERS_SIGNED, weight=20
        )
        m.adjustment[place] = ManualAdjustment.objects.create(
            scheme=m.scheme[place],
            unit=m.scheme_target[place],
            points=2,
            reason=f"加分{MARK[place]}",
            created_by=m.office[place],
        )
    build_supervision(m, w, year)
    build_oversight(m, w, year)

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
    return matrix_of(world)


def matrix_of(world):
    # The report presets name the organisation's line of work, as every installed one has it.
    for org in (world.org, world.other_org):
        org.sector = "水利"
        org.save()
    return build_matrix(world)


@pytest.fixture(scope="module")
def matrix_storage(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix") / "evidence"


@pytest.fixture(scope="module")
def shared_matrix(django_db_setup, django_db_blocker, matrix_storage):
    """The matrix built once for a module whose tests only ask it (each request, and each
    test, rolled back). Its files are in ``matrix_storage``: such a module points
    ``evidence_storage`` there and overrides ``matrix`` with this one."""
    with (
        override_settings(STORAGES=storages_at(matrix_storage), REPORT_ASYNC_ROWS=-1),
        kept_for_the_module(django_db_blocker),
    ):
        yield matrix_of(build_world())


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


def build_supervision(m, w, year):
    """报送 and 督办 in three places. A city body (with none of the matrix's people) is above
    the organisation and the other organisation, so that the other one's office (``stranger``)
    is a sibling organisation's office; the organisation is itself the body of a party
    committee below it ("below"), so that its office, leaders and inspectors act as a body and
    its administrator is the body's administrator.

    * "org": the organisation's own submission and 督办, from the city body;
    * "below": the submission and 督办 of the committee below the organisation;
    * "other": the other organisation's, from the city body.
    """
    city = OrganisationFactory(code="city", name="市直机关工委", short_name="市直机关")
    below = OrganisationFactory(code="below", name=f"下级党委{MARK['org']}", short_name="下级党委")
    other_below = OrganisationFactory(code="otherbelow", name=f"另一下级{MARK['other']}")
    for org, supervisor in (
        (w.org, city),
        (w.other_org, city),
        (below, w.org),
        (other_below, w.other_org),
    ):
        org.supervisor = supervisor
        org.save()
    m.body = {"org": w.org, "other": w.other_org}
    m.below = below
    places = {"org": (w.org, city), "below": (below, w.org), "other": (w.other_org, city)}
    # Bodies' people: the organisation's office for "below"; nobody of the matrix for the city.
    acting = {"org": w.office, "below": w.office, "other": w.stranger}
    m.submission, m.supervision_notice, m.notice_evidence = {}, {}, {}
    for index, (place, (org, supervisor)) in enumerate(places.items()):
        mark = MARK["org" if place == "below" else place]
        ReportDue.objects.get_or_create(
            supervisor=supervisor, year=year - 2, defaults={"due_date": m.today}
        )
        report = Report.objects.create(organisation=org, year=year - 2, title=f"报送{mark}")
        version = ReportVersion.objects.create(
            report=report,
            number=1,
            state=ReportVersion.State.APPROVED,
            frozen={"title": f"报送{mark}"},
            content_hash=f"{index}" * 64,
        )
        submission = Submission(
            organisation=org,
            supervisor=supervisor,
            year=year - 2,
            version=version,
            title=f"报送{mark}",
            submitted_at=timezone.now(),
            submitted_by=acting[place],
            due_date=m.today,
            on_time=True,
            document={"title": f"报送{mark}"},
            content_hash=version.content_hash,
        )
        body = marked_pdf(mark).read()
        submission.pdf.save("matrix.pdf", ContentFile(body), save=False)
        submission.docx.save("matrix.docx", ContentFile(body), save=False)
        submission.save()
        m.submission[place] = submission
        notice = SupervisionNotice.objects.create(
            supervisor=supervisor,
            organisation=org,
            subject=f"督办{mark}",
            body=f"督办内容{mark}",
            reply_due=m.today,
            issued_at=timezone.now(),
            issued_by=acting[place],
            status=SupervisionNotice.Status.REPLIED,
            replied_at=timezone.now(),
        )
        reply = NoticeReply.objects.create(
            notice=notice, text=f"答复{mark}", by=acting[place], at=timezone.now()
        )
        evidence = NoticeEvidence.from_upload(
            marked_pdf(mark, "答复材料.pdf"), by=acting[place], notice=notice, reply=reply
        )
        evidence.save()
        m.supervision_notice[place] = notice
        m.notice_evidence[place] = evidence


def build_oversight(m, w, year):
    """A record, a letter and a measure (each with its file) of the committee below the
    organisation (place "below"): what the organisation's office, leaders and inspectors, as
    that committee's supervising body, read on the roll-up's drill-down (oversight)."""
    below = m.below
    unit = UnitFactory(organisation=below, name="下级党委机关", kind="bureau")
    kind = WorkRecordKind.ensure_presets(below)["theory_study"]
    mark = MARK["below"]
    m.record["below"] = WorkRecord.objects.create(
        organisation=below, unit=unit, kind=kind, date=m.today, title=f"记实{mark}"
    )
    m.record_evidence["below"] = WorkRecordEvidence.from_upload(
        marked_pdf(mark), by=w.office, record=m.record["below"]
    )
    m.record_evidence["below"].save()
    m.deleted_record["below"] = WorkRecord.objects.create(
        organisation=below, unit=unit, kind=kind, date=m.today, title=f"已删除{mark}"
    )
    m.deleted_record["below"].soft_delete()
    m.letter["below"] = DutyLetter.objects.create(
        organisation=below,
        unit=unit,
        year=year,
        title=f"责任书{mark}",
        issued_on=m.today.replace(month=1, day=10),
        due_on=m.today.replace(month=2, day=10),
    )
    m.scan["below"] = DutyLetterScan.from_upload(
        marked_pdf(mark, "扫描件.pdf"), by=w.office, letter=m.letter["below"]
    )
    m.scan["below"].save()
    inspection = InspectionFactory(
        organisation=below, title=f"巡察{mark}", started_on=m.today, feedback_on=m.today
    )
    finding = FindingFactory(inspection=inspection, number=1, description=f"问题{mark}")
    m.measure["below"] = MeasureFactory(
        finding=finding,
        unit=unit,
        description=f"措施{mark}",
        lead_leader=w.leader,
        responsible_person=w.head,
        deadline=m.today - datetime.timedelta(days=10),
    )
    m.measure_evidence["below"] = MeasureEvidence.from_upload(
        marked_pdf(mark, "整改报告.pdf"), by=w.office, measure=m.measure["below"]
    )
    m.measure_evidence["below"].save()
