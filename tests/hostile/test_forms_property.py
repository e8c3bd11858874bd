"""The portal's main forms against input built by hypothesis (issue #7).

Each example starts from a valid post, then replaces a few fields with hostile values (control
characters and NUL, huge strings, HTML and SQL, numbers and dates as odd strings, unicode) and
leaves a few out. Whatever comes in, the answer is a form with errors (200, nothing changed) or
a save (302: the page it leads to opens, and every object saved passes ``full_clean``); never a
500. Each example runs in a savepoint, so examples do not see each other's rows.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    Unit,
    WorkRecord,
    WorkRecordKind,
)
from notices.models import ReminderPolicy
from rectification.models import Finding, Inspection, Measure, ProgressUpdate, WarningPolicy
from reports.models import Report, ReportOutline
from reports.services import outline_apply_preset, report_generate_draft
from tests.factories import UnitFactory
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory

from .conftest import CHECKED, HYPOTHESIS, row_counts

SAMPLES = [
    "", " ", "\x00", "题目\x00", "\x00" * 3, "\x01\x08\x0b\x1b[31m", "\r\n\t", "\ufeff", "\u202e",
    "😀", "𠀀", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "' OR '1'='1",
    "'; DROP TABLE accountability_workrecord; --", "%s %d %(x)s {0} {unit} {year}",
    "{{count:theory_study}}", "{{", "}}", "{{count:nope}}", "0", "-1", "1.5", "1e3", "٣", "²",
    "99999999999999999999", "2147483648", "32768", "NaN", "Infinity", "2026-02-30",
    "2026-13-01", "0001-01-01", "9999-12-31", "10000-01-01", "2026/06/30", "30/06/2026",
    "on", "off", "true", "https://example.com/hook", "javascript:alert(1)", "http://[::1",
    "ftp://example.com", "a" * 600,
]  # fmt: skip
hostile = st.one_of(
    st.sampled_from(SAMPLES),
    st.text(max_size=40),
    st.integers().map(str),
    st.dates().map(datetime.date.isoformat),
    st.builds(lambda s, n: (s or "长") * n, st.text(max_size=3), st.integers(100, 20_000)),
    st.lists(st.sampled_from(SAMPLES), min_size=2, max_size=3),  # a field sent twice
)


@dataclass
class Target:
    url: str
    data: dict
    # The objects a successful post saves (or changes), to pass ``full_clean``.
    saved: Callable[[], list] = field(default=lambda: [])
    # Pages that show what was saved, besides the one the post redirects to (ledgers' Excel).
    pages: tuple[str, ...] = ()


def _today():
    return timezone.localdate()


def _ledger(name, **query):
    """A ledger's Excel download: a saved text must not break the export."""
    params = "".join(f"&{key}={value}" for key, value in query.items())
    return f"{reverse(name)}?export=xlsx{params}"


def _record_data(w):
    kinds = WorkRecordKind.ensure_presets(w.org)
    return {
        "date": _today().isoformat(),
        "unit": w.works.pk,
        "kind": kinds["theory_study"].pk,
        "title": "理论中心组学习",
        "participant_count": "12",
        "leader": w.leader.pk,
        "participants": [w.head.pk],
        "description": "学习党章党规",
    }


def _newest(model):
    return lambda: [model.objects.order_by("pk").last()] if model.objects.exists() else []


def record_create(w):
    url = reverse("accountability:workrecord-create")
    return Target(
        url,
        _record_data(w),
        _newest(WorkRecord),
        pages=(_ledger("accountability:workrecord-list"),),
    )


def record_update(w):
    data = _record_data(w)
    record = WorkRecord.objects.create(
        organisation=w.org,
        unit=w.works,
        kind_id=data["kind"],
        date=_today(),
        title="原标题",
        created_by=w.office,
    )
    url = reverse("accountability:workrecord-update", args=[record.pk])
    return Target(
        url,
        data,
        lambda: [WorkRecord.objects.get(pk=record.pk)],
        pages=(_ledger("accountability:workrecord-list"),),
    )


def record_quick_add(w):
    data = _record_data(w)
    for name in ("unit", "participants", "description"):
        del data[name]
    url = f"{reverse('accountability:workrecord-month')}?unit={w.works.pk}&month={_today():%Y-%m}"
    return Target(
        url, data, _newest(WorkRecord), pages=(_ledger("accountability:workrecord-list"),)
    )


def responsibility_item(w):
    kinds = WorkRecordKind.ensure_presets(w.org)
    data = {
        "area": "强化思想政治建设",
        "area_order": "1",
        "order": "1",
        "title": "理论中心组学习每年不少于12次",
        "lead_leader": w.leader.pk,
        "responsible_unit": w.works.pk,
        "kind": kinds["theory_study"].pk,
        "target_count": "12",
        "frequency": ResponsibilityItem.Frequency.MONTHLY,
    }
    url = f"{reverse('accountability:responsibilityitem-create')}?year={_today().year}"
    return Target(
        url,
        data,
        _newest(ResponsibilityItem),
        pages=(_ledger("accountability:responsibilityitem-list", year=_today().year),),
    )


def letter_issue(w):
    data = {
        "year": str(_today().year),
        "kind": DutyLetter.Kind.DUTY,
        "level": DutyLetter.Level.GROUP_UNIT,
        "unit_kinds": [Unit.Kind.DEPARTMENT, Unit.Kind.SUBORDINATE],
        "confirm": "1",
        "title": "{year}年度{unit}党风廉政建设责任书",
        "body": "{unit}主要负责人对本单位党风廉政建设负总责。",
        "issued_on": _today().isoformat(),
        "due_on": (_today() + datetime.timedelta(days=30)).isoformat(),
    }
    return Target(
        reverse("accountability:dutyletter-issue"),
        data,
        lambda: list(DutyLetter.objects.filter(organisation=w.org)),
        pages=(_ledger("accountability:dutyletter-list", year=_today().year),),
    )


def inspection_create(w):
    data = {
        "kind": Inspection.Kind.INSPECTION,
        "source": "市委第三巡察组",
        "title": "市委第三巡察组巡察反馈",
        "started_on": "2026-03-01",
        "ended_on": "2026-04-30",
        "feedback_on": "2026-05-10",
        "note": "反馈问题 12 个",
    }
    return Target(reverse("rectification:inspection-create"), data, _newest(Inspection))


def finding_create(w):
    inspection = InspectionFactory(organisation=w.org)
    data = {"aspect": "主体责任方面", "aspect_order": "1", "number": "1", "description": "问题"}
    url = reverse("rectification:finding-create", args=[inspection.pk])
    return Target(url, data, _newest(Finding))


def _measure(w, **fields):
    finding = FindingFactory(inspection=InspectionFactory(organisation=w.org), number=1)
    measure = MeasureFactory(
        finding=finding, lead_leader=w.leader, unit=w.works, responsible_person=w.head
    )
    if fields:
        Measure.objects.filter(pk=measure.pk).update(**fields)
    return measure


def measure_create(w):
    finding = FindingFactory(inspection=InspectionFactory(organisation=w.org), number=1)
    data = {
        "description": "建立健全工作台账",
        "lead_leader": w.leader.pk,
        "unit": w.works.pk,
        "responsible_person": w.head.pk,
        "deadline": "2026-12-31",
        "rules_issued": "1",
    }
    url = reverse("rectification:measure-create", args=[finding.pk])
    return Target(url, data, _newest(Measure), pages=(_ledger("rectification:measure-list"),))


def _after_action(measure):
    def saved():
        return [Measure.objects.get(pk=measure.pk), *ProgressUpdate.objects.filter(measure=measure)]

    return saved


def measure_action(action, field_name, state=None):
    def setup(w):
        measure = _measure(w, **state(w) if state else {})
        url = reverse(f"rectification:{action}", args=[measure.pk])
        return Target(
            url,
            {field_name: "整改到位，材料齐全"},
            _after_action(measure),
            pages=(_ledger("rectification:measure-list"),),
        )

    setup.__name__ = action
    return setup


def _closure_requested(w):
    return {
        "state": Measure.State.CLOSURE_REQUESTED,
        "closure_requested_at": timezone.now(),
        "closure_requested_by": w.head,
        "latest_progress": "整改完成",
    }


def _closed(w):
    return {
        "state": Measure.State.CLOSED,
        "closed_at": timezone.now(),
        "closed_by": w.inspector,
        "followup_due_on": _today(),
    }


def reminder_policy(w):
    data = {
        "green_days": "20",
        "yellow_days": "10",
        "monthly_cutoff_day": "5",
        "closure_wait_days": "5",
        "email_enabled": "on",
        "webhook_kind": ReminderPolicy.WebhookKind.DINGTALK,
        "webhook_url": "",
    }
    url = reverse("reminders:policy-update", args=[w.org.pk])
    return Target(
        url,
        data,
        lambda: [
            ReminderPolicy.objects.get(organisation=w.org),
            WarningPolicy.for_organisation(w.org),
        ],
    )


def _formset(prefix, rows, extra_fields):
    """Management form and rows of an inline formset."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-id"] = row.pk
        for name in extra_fields:
            data[f"{prefix}-{index}-{name}"] = getattr(row, name)
    return data


def report_edit(w):
    outline = outline_apply_preset(organisation=w.org, preset="three_parts")
    report, _created = report_generate_draft(
        organisation=w.org, year=_today().year, outline=outline
    )
    sections = list(report.sections.order_by("order", "pk")[:2])
    report.sections.exclude(pk__in=[s.pk for s in sections]).delete()
    data = {
        "title": report.title,
        "signed_by": "中共测试水利局党组",
        "dated": _today().isoformat(),
        "include_ledger": "on",
        "preview": "1",  # saved, then the preview: every figure token resolved
        **_formset("sections", sections, ["order", "level", "heading", "text"]),
    }
    url = reverse("reports:report-edit", args=[report.pk])
    return Target(url, data, lambda: [Report.objects.get(pk=report.pk), *report.sections.all()])


def outline_edit(w):
    outline = outline_apply_preset(organisation=w.org, preset="three_parts")
    sections = list(outline.sections.order_by("order", "pk")[:2])
    outline.sections.exclude(pk__in=[s.pk for s in sections]).delete()
    data = {
        "name": outline.name,
        "title_template": outline.title_template,
        **_formset("sections", sections, ["order", "level", "heading", "template_text"]),
    }
    url = reverse("reports:outline-edit", args=[outline.pk])
    return Target(
        url, data, lambda: [ReportOutline.objects.get(pk=outline.pk), *outline.sections.all()]
    )


# (id, who posts, target). Adding a form is one line here.
FORMS = [
    ("workrecord-create", "office", record_create),
    ("workrecord-update", "office", record_update),
    ("workrecord-quick-add", "office", record_quick_add),
    ("responsibilityitem-create", "office", responsibility_item),
    ("dutyletter-issue", "office", letter_issue),
    ("inspection-create", "office", inspection_create),
    ("finding-create", "office", finding_create),
    ("measure-create", "office", measure_create),
    ("measure-progress", "office", measure_action("measure-progress", "note")),
    ("measure-accept", "inspector", measure_action("measure-accept", "note", _closure_requested)),
    ("measure-return", "inspector", measure_action("measure-return", "reason", _closure_requested)),
    ("measure-followup", "inspector", measure_action("measure-followup", "note", _closed)),
    ("measure-reopen", "inspector", measure_action("measure-reopen", "reason", _closed)),
    ("reminder-policy", "admin", reminder_policy),
    ("report-edit", "office", report_edit),
    ("outline-edit", "office", outline_edit),
]


@st.composite
def posts(draw, valid):
    """``valid`` with up to three fields replaced by hostile values and up to two left out."""
    names = sorted(valid)
    data = dict(valid)
    for name in draw(st.sets(st.sampled_from(names), max_size=3)):
        data[name] = draw(hostile)
    for name in draw(st.sets(st.sampled_from(names), max_size=2)):
        data.pop(name, None)
    return data


@pytest.fixture(params=FORMS, ids=[form[0] for form in FORMS])
def form(request, world, client):
    """(id, target) for one form, set up once; the client is logged in as its user."""
    form_id, user, setup = request.param
    client.force_login(getattr(world, user))
    return form_id, setup(world)


@HYPOTHESIS
@given(data=st.data())
def test_any_input_gives_errors_or_a_valid_save(form, data, client):
    form_id, target = form
    post = data.draw(posts(target.data), label="post")
    with transaction.atomic():
        before = row_counts()
        response = client.post(target.url, post)
        assert response.status_code in (200, 302), response.status_code
        changed = row_counts() != before
        event(f"{response.status_code}, {'saved' if changed else 'nothing saved'}")
        if response.status_code == 200:
            assert not changed, "a form answered with errors but saved something"
        if changed:
            for obj in target.saved():
                obj.full_clean()
        if response.status_code == 302:
            assert client.get(response["Location"]).status_code == 200
        if changed:
            for page in target.pages:
                assert client.get(page).status_code == 200, page
        transaction.set_rollback(True)
    CHECKED["examples"][form_id] += 1


def test_a_letter_title_that_outgrows_its_column_is_refused(world, client):
    """A template within the form's 200 characters can pass 200 once a long unit name is
    filled in; that answered 500 (the database refused the title) before the service checked."""
    long_name = "长江河道管理局江北管理所第一党支部"
    UnitFactory(organisation=world.org, parent=world.root, name=long_name)
    client.force_login(world.office)
    target = letter_issue(world)
    before = row_counts()
    response = client.post(target.url, {**target.data, "title": "{unit}" * 33})
    assert response.status_code == 200
    message = f"填入“{long_name}”后标题超过 200 个字，请缩短标题模板。"
    assert message in response.content.decode()
    assert row_counts() == before
