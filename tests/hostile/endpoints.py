"""Every upload in the portal, one line each: what it takes, and a target to post to.

Found with ``grep -rn "FileField\\|EvidenceFilesField\\|request.FILES"`` over the apps: the work
record's evidence (full form, edit, and the month view's quick add), the duty letter's signed
scans, a measure's progress and closure-request evidence, and the findings import. The admin
has no file fields; report exports are written by the server, never uploaded.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from accountability.models import DutyLetter, WorkRecord, WorkRecordKind
from rectification.models import FindingImport
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory


@dataclass
class Target:
    url: str
    data: dict
    # Where the accepted upload's name is shown (called after the upload).
    shown_at: Callable[[], str] = field(default=lambda: "")


@dataclass(frozen=True)
class Endpoint:
    id: str
    kind: str  # "evidence" or "excel"
    field: str
    setup: Callable[[object], Target]

    def __str__(self):
        return self.id


def _today():
    return timezone.localdate()


def _record_data(world):
    kinds = WorkRecordKind.ensure_presets(world.org)
    return {
        "date": _today().isoformat(),
        "unit": world.works.pk,
        "kind": kinds["theory_study"].pk,
        "title": "理论中心组学习",
        "participant_count": "12",
    }


def _newest_record_page():
    return reverse("accountability:workrecord-detail", args=[WorkRecord.objects.latest("pk").pk])


def record_create(world):
    return Target(
        reverse("accountability:workrecord-create"), _record_data(world), _newest_record_page
    )


def record_update(world):
    data = _record_data(world)
    # No created_by, as in tests/accountability's fixtures and records loaded from elsewhere:
    # editing one answered 500 until the service stopped validating that field.
    record = WorkRecord.objects.create(
        organisation=world.org,
        unit=world.works,
        kind_id=data["kind"],
        date=_today(),
        title="原标题",
    )
    page = reverse("accountability:workrecord-detail", args=[record.pk])
    return Target(reverse("accountability:workrecord-update", args=[record.pk]), data, lambda: page)


def record_quick_add(world):
    data = _record_data(world)
    del data["unit"]
    url = (
        f"{reverse('accountability:workrecord-month')}?unit={world.works.pk}&month={_today():%Y-%m}"
    )
    return Target(url, data, _newest_record_page)


def letter_sign(world):
    letter = DutyLetter.objects.create(
        organisation=world.org,
        unit=world.works,
        year=_today().year,
        title="党风廉政建设责任书",
        issued_on=_today() - datetime.timedelta(days=30),
    )
    page = reverse("accountability:dutyletter-detail", args=[letter.pk])
    data = {"signed_on": _today().isoformat(), "signatory": "张处长"}
    return Target(reverse("accountability:dutyletter-sign", args=[letter.pk]), data, lambda: page)


def _measure(world):
    inspection = InspectionFactory(organisation=world.org)
    finding = FindingFactory(inspection=inspection, number=1)
    return MeasureFactory(
        finding=finding, lead_leader=world.leader, unit=world.works, responsible_person=world.head
    )


def measure_progress(world):
    measure = _measure(world)
    page = reverse("rectification:measure-detail", args=[measure.pk])
    url = reverse("rectification:measure-progress", args=[measure.pk])
    return Target(url, {"note": "已完成制度修订初稿"}, lambda: page)


def measure_closure(world):
    measure = _measure(world)
    page = reverse("rectification:measure-detail", args=[measure.pk])
    url = reverse("rectification:measure-request-closure", args=[measure.pk])
    return Target(url, {"note": "整改已完成，制度已印发"}, lambda: page)


def notice_reply(world):
    """A 督办 from a body above the organisation, answered by its office."""
    from supervision.services import notice_issue
    from tests.supervision.fixtures import build_city

    city = build_city(world)
    notice = notice_issue(
        supervisor=city.body,
        organisation=world.org,
        subject="整改措施逾期未完成",
        body="请说明情况。",
        reply_due=_today() + datetime.timedelta(days=7),
        by=city.body_office,
    )
    page = reverse("supervision:notice-detail", args=[notice.pk])
    url = reverse("supervision:notice-reply", args=[notice.pk])
    return Target(url, {"text": "已整改，附佐证材料。"}, lambda: page)


def findings_import(world):
    inspection = InspectionFactory(organisation=world.org)

    def preview():
        token = FindingImport.objects.latest("pk").token
        return reverse("rectification:import-preview", args=[token])

    return Target(reverse("rectification:import-upload", args=[inspection.pk]), {}, preview)


ENDPOINTS = [
    Endpoint("workrecord-create", "evidence", "evidence", record_create),
    Endpoint("workrecord-update", "evidence", "evidence", record_update),
    Endpoint("workrecord-quick-add", "evidence", "evidence", record_quick_add),
    Endpoint("dutyletter-sign", "evidence", "scans", letter_sign),
    Endpoint("measure-progress", "evidence", "files", measure_progress),
    Endpoint("measure-request-closure", "evidence", "files", measure_closure),
    Endpoint("supervision-notice-reply", "evidence", "files", notice_reply),
    Endpoint("findings-import", "excel", "file", findings_import),
]
