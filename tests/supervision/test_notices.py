"""督办: issued to an organisation below, answered with evidence, closed or returned; every
refusal in Chinese and nothing changed."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from notices.models import Notice
from supervision.models import NoticeEvidence, NoticeReply, SupervisionError, SupervisionNotice
from supervision.services import notice_close, notice_issue, notice_reply, notice_return
from tests.factories import OrganisationFactory
from tests.rectification.factories import FindingFactory, MeasureFactory
from tests.samples import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


def measure_of(organisation, unit, person):
    finding = FindingFactory(inspection__organisation=organisation)
    return MeasureFactory(
        finding=finding,
        organisation=organisation,
        unit=unit,
        lead_leader=person,
        responsible_person=person,
        deadline=TODAY - datetime.timedelta(days=5),
    )


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, ONE_PAGE_PDF, content_type="application/pdf")


def issue(city, **fields):
    data = {
        "supervisor": city.body,
        "organisation": city.org,
        "subject": "整改措施逾期未完成",
        "body": "请说明逾期原因并报送整改情况。",
        "reply_due": TODAY + datetime.timedelta(days=10),
        "by": city.body_office,
        **fields,
    }
    return notice_issue(**data)


def state():
    return (
        list(SupervisionNotice.objects.values_list("pk", "status", "comments")),
        NoticeReply.objects.count(),
        NoticeEvidence.objects.count(),
    )


@pytest.fixture
def notice(city):
    return issue(city)


def test_a_notice_is_issued_and_the_office_and_principal_hear(city, notice):
    assert notice.status == "issued" and notice.history.count() == 1
    told = set(
        Notice.objects.filter(kind=Notice.Kind.NOTICE_ISSUED).values_list("recipient", flat=True)
    )
    assert told == {city.office.pk, city.principal.pk}


def test_a_notice_may_name_overdue_measures_of_that_organisation(city):
    measure = measure_of(city.org, city.works, city.head)
    notice = issue(city, measures=[measure], weak_area="整改不及时")
    assert list(notice.measures.all()) == [measure]


def test_a_measure_of_another_organisation_is_refused(city):
    foreign = measure_of(city.other_org, city.other_unit, city.stranger)
    with pytest.raises(SupervisionError, match="不属于被督办单位"):
        issue(city, measures=[foreign])
    assert SupervisionNotice.objects.count() == 0


def test_a_reply_deadline_in_the_past_is_refused(city):
    with pytest.raises(SupervisionError, match="已经过去"):
        issue(city, reply_due=TODAY - datetime.timedelta(days=1))
    assert SupervisionNotice.objects.count() == 0


def test_the_body_cannot_issue_to_an_organisation_not_below_it(city):
    elsewhere = OrganisationFactory(code="far", name="外市局")
    with pytest.raises(SupervisionError, match="直接管理的下级"):
        issue(city, organisation=elsewhere)
    assert SupervisionNotice.objects.count() == 0


@pytest.mark.parametrize(
    "who", ["office", "principal", "body_leader", "body_inspector", "body_admin"]
)
def test_only_the_body_office_issues(city, who):
    with pytest.raises(PermissionDenied):
        issue(city, by=getattr(city, who))
    assert SupervisionNotice.objects.count() == 0


def test_the_office_replies_with_evidence_and_the_body_hears(city, notice):
    notice_reply(notice=notice, by=city.office, text="已完成整改。", files=[pdf()])
    notice.refresh_from_db()
    assert notice.status == "replied"
    reply = notice.replies.get()
    assert reply.text == "已完成整改。" and reply.evidence.get().original_name == "整改报告.pdf"
    told = Notice.objects.get(kind=Notice.Kind.NOTICE_REPLIED)
    assert told.recipient == city.body_office


def test_a_reply_without_evidence_is_refused(city, notice):
    before = state()
    with pytest.raises(SupervisionError, match="至少一份佐证材料"):
        notice_reply(notice=notice, by=city.office, text="已完成整改。", files=[])
    assert state() == before


def test_a_reply_without_text_is_refused(city, notice):
    before = state()
    with pytest.raises(SupervisionError, match="请填写答复内容"):
        notice_reply(notice=notice, by=city.office, text="  ", files=[pdf()])
    assert state() == before


def test_the_body_cannot_reply_for_the_organisation(city, notice):
    for person in (city.body_office, city.principal, city.stranger):
        with pytest.raises(PermissionDenied):
            notice_reply(notice=notice, by=person, text="代答复", files=[pdf()])
    assert NoticeReply.objects.count() == 0


@pytest.fixture
def replied(city, notice):
    return notice_reply(notice=notice, by=city.office, text="已完成整改。", files=[pdf()])


def test_the_body_closes_a_reply(city, replied):
    notice_close(notice=replied, by=city.body_office)
    replied.refresh_from_db()
    assert replied.status == "closed" and replied.decided_by == city.body_office
    assert Notice.objects.filter(kind=Notice.Kind.NOTICE_CLOSED, recipient=city.office).exists()


def test_a_return_needs_comments(city, replied):
    before = state()
    with pytest.raises(SupervisionError, match="退回意见"):
        notice_return(notice=replied, by=city.body_office, comments="")
    assert state() == before


def test_a_returned_reply_is_answered_again_and_both_replies_stay(city, replied):
    notice_return(notice=replied, by=city.body_office, comments="佐证材料不完整")
    replied.refresh_from_db()
    assert replied.status == "returned" and replied.comments == "佐证材料不完整"
    notice_reply(notice=replied, by=city.office, text="已补充材料。", files=[pdf("补充.pdf")])
    replied.refresh_from_db()
    assert replied.status == "replied" and replied.replies.count() == 2
    assert Notice.objects.filter(kind=Notice.Kind.NOTICE_REPLIED).count() == 2
    reasons = list(replied.history.values_list("history_change_reason", flat=True))
    assert "退回：佐证材料不完整" in reasons and reasons.count("答复督办") == 2


def test_a_reply_after_closing_is_refused(city, replied):
    notice_close(notice=replied, by=city.body_office)
    before = state()
    with pytest.raises(SupervisionError, match="已办结"):
        notice_reply(notice=replied, by=city.office, text="再补充一点", files=[pdf()])
    assert state() == before


def test_closing_a_notice_not_yet_answered_is_refused(city, notice):
    before = state()
    with pytest.raises(SupervisionError, match="没有待审核的答复"):
        notice_close(notice=notice, by=city.body_office)
    assert state() == before


@pytest.mark.parametrize("who", ["office", "principal", "body_leader", "body_admin", "stranger"])
def test_only_the_body_office_closes(city, replied, who):
    with pytest.raises(PermissionDenied):
        notice_close(notice=replied, by=getattr(city, who))
    assert SupervisionNotice.objects.get().status == "replied"
