"""A supervising body above the test world's two organisations, and 定稿 made quickly."""

import datetime
import hashlib

from accountability.models import Organisation, Role
from reports.models import Report, ReportSection
from reports.services import report_start_version, report_submit, version_approve
from tests.factories import OrganisationFactory, UnitFactory, UserFactory


def build_city(world):
    """市直机关工委 above 测试水利局 (``org``) and 另一局 (``other_org``), with its own cast:
    body_office (党办), body_leader (书记, principal), body_inspector, body_admin."""
    body = OrganisationFactory(
        code="body",
        name="市直机关工委",
        short_name="市直机关",
        body_type=Organisation.BodyType.WORKING_COMMITTEE,
    )
    root = UnitFactory(organisation=body, name="工委机关", kind="bureau")
    for org in (world.org, world.other_org):
        org.supervisor = body
        org.save()
    world.body = body
    world.body_office = UserFactory(
        username="body_office", full_name="许工委", unit=root, roles=[Role.OFFICE]
    )
    world.body_leader = UserFactory(
        username="body_leader", full_name="韩书记", unit=root, roles=[Role.LEADER]
    )
    world.body_inspector = UserFactory(
        username="body_inspector", full_name="丁纪工委", unit=root, roles=[Role.INSPECTOR]
    )
    world.body_admin = UserFactory(
        username="body_admin", full_name="冯管理", unit=root, roles=[Role.ADMIN]
    )
    body.principal_leader = world.body_leader
    body.save()
    # The other organisation's principal leader, so that it can sign off its own report.
    world.other_principal = UserFactory(
        username="other_principal", full_name="周另局", unit=world.other_root, roles=[Role.LEADER]
    )
    world.other_org.principal_leader = world.other_principal
    world.other_org.save()
    return world


def make_report(organisation, year, text="全年召开党组会议专题研究全面从严治党工作。"):
    report = Report.objects.create(
        organisation=organisation,
        year=year,
        title=f"{organisation.body_name}关于{year}年度全面从严治党主体责任落实情况的报告",
        signed_by=f"中共{organisation.body_name}",
        dated=datetime.date(year, 12, 31),
        include_ledger=False,
        include_letters=False,
    )
    ReportSection.objects.create(report=report, order=1, level=0, text=text)
    return report


def sign_off(report, office, principal):
    """Submit the report's current text for sign-off and approve it: its 定稿."""
    version = report_submit(report=report, by=office)
    return version_approve(version=version, by=principal)


def new_final(report, office, principal, text):
    """After a 定稿 (or a return): a new version with ``text``, signed off."""
    report_start_version(report=report, by=office)
    report.sections.update(text=text)
    return sign_off(report, office, principal)


def fake_files(version, by):
    """Stand-in for rendering the PDF and DOCX (seconds each): distinct bytes per version."""
    tag = hashlib.sha256(f"{version.pk}:{version.content_hash}".encode()).hexdigest()[:16]
    return {"pdf": f"%PDF-1.4 {tag}".encode(), "docx": f"PK docx {tag}".encode()}
