"""The pages: who may open and act (404 outside one's scope, 403 for a reader who may not act),
the Chinese message for each refusal with nothing changed, the frozen files, 我的待办."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from supervision.models import NoticeReply, ReportDue, Submission, SupervisionNotice
from supervision.services import (
    notice_close,
    notice_issue,
    notice_reply,
    submission_submit,
)
from tests.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.samples import ONE_PAGE_PDF

from .fixtures import make_report, new_final, sign_off

pytestmark = pytest.mark.django_db


def messages_of(client, url):
    response = client.get(url)
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def year():
    return timezone.localdate().year - 1


@pytest.fixture
def due(city, year):
    return ReportDue.objects.create(
        supervisor=city.body, year=year, due_date=timezone.localdate() + datetime.timedelta(days=30)
    )


@pytest.fixture
def final(city, due, year):
    report = make_report(city.org, year)
    sign_off(report, city.office, city.principal)
    return report


@pytest.fixture
def submitted(city, final, fast_files):
    return submission_submit(report=final, by=city.office)


@pytest.fixture
def notice(city):
    return notice_issue(
        supervisor=city.body,
        organisation=city.org,
        subject="谈心谈话开展不够经常",
        body="请说明情况。",
        reply_due=timezone.localdate() + datetime.timedelta(days=7),
        by=city.body_office,
    )


@pytest.fixture
def far_body(city):
    """Another city's body: its office supervises nothing here."""
    body = OrganisationFactory(code="far", name="外市机关工委")
    below = OrganisationFactory(code="farorg", name="外市局")
    below.supervisor = body
    below.save()
    root = UnitFactory(organisation=body, name="外市工委机关", kind="bureau")
    return UserFactory(username="far_office", unit=root, roles=["office"])


def pdf():
    return SimpleUploadedFile("答复.pdf", ONE_PAGE_PDF, content_type="application/pdf")


# -- the body's page --------------------------------------------------------------------------
def test_the_body_sees_who_submitted_and_who_has_not(login, city, submitted, year):
    page = login(city.body_office).get(reverse("supervision:body", args=[city.body.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-org="test"' in html and 'data-org="other"' in html
    assert page.context["counts"] == {
        "total": 2,
        "submitted": 1,
        "on_time": 1,
        "late": 0,
        "missing": 1,
        "returned": 0,
    }


@pytest.mark.parametrize("who", ["office", "principal", "stranger", "body_admin"])
def test_nobody_but_the_body_people_opens_the_body_page(login, city, who):
    page = login(getattr(city, who)).get(reverse("supervision:body", args=[city.body.pk]))
    assert page.status_code == 404


def test_the_index_takes_body_people_to_the_body_and_offices_to_their_page(login, city):
    assert login(city.body_leader).get(reverse("supervision:index"))["Location"] == reverse(
        "supervision:body", args=[city.body.pk]
    )
    assert login(city.office).get(reverse("supervision:index"))["Location"] == reverse(
        "supervision:organisation"
    )


def test_the_body_office_sets_the_due_date_through_the_page(login, city):
    client = login(city.body_office)
    year = timezone.localdate().year
    day = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(
        reverse("supervision:due-set", args=[city.body.pk]),
        {"year": year, "due_date": day.isoformat()},
    )
    assert response.status_code == 302
    assert ReportDue.objects.get(supervisor=city.body, year=year).due_date == day


def test_a_due_date_in_a_past_year_is_refused_in_chinese(login, city):
    client = login(city.body_office)
    url = reverse("supervision:due-set", args=[city.body.pk])
    year = timezone.localdate().year - 1
    response = client.post(url, {"year": year, "due_date": f"{year - 1}-12-31"})
    shown = messages_of(client, response["Location"])
    assert "早于" in shown or "已经过去" in shown
    assert not ReportDue.objects.exists()


def test_a_leader_of_the_body_reads_but_may_not_set_the_due_date(login, city):
    client = login(city.body_leader)
    assert client.get(reverse("supervision:body", args=[city.body.pk])).status_code == 200
    response = client.post(
        reverse("supervision:due-set", args=[city.body.pk]),
        {"year": 2030, "due_date": "2031-01-31"},
    )
    assert response.status_code == 403 and not ReportDue.objects.exists()


def test_someone_below_cannot_act_as_the_body(login, city):
    response = login(city.office).post(
        reverse("supervision:due-set", args=[city.body.pk]),
        {"year": 2030, "due_date": "2031-01-31"},
    )
    assert response.status_code == 404 and not ReportDue.objects.exists()


# -- submitting -------------------------------------------------------------------------------
def test_the_office_submits_its_final_from_its_page(login, city, final, fast_files, year):
    client = login(city.office)
    page = client.get(reverse("supervision:organisation"), {"year": year})
    assert page.status_code == 200 and page.context["refusal"] is None
    response = client.post(reverse("supervision:report-submit", args=[final.pk]))
    submission = Submission.objects.get()
    assert response["Location"] == reverse("supervision:submission-detail", args=[submission.pk])


def test_submitting_a_report_not_signed_off_says_so_and_keeps_nothing(login, city, due, year):
    report = make_report(city.org, year)
    client = login(city.office)
    response = client.post(reverse("supervision:report-submit", args=[report.pk]))
    assert "还没有经主要负责人签发的定稿" in messages_of(client, response["Location"])
    assert not Submission.objects.exists()


def test_submitting_twice_says_so(login, city, final, submitted):
    client = login(city.office)
    response = client.post(reverse("supervision:report-submit", args=[final.pk]))
    assert "不能重复报送" in messages_of(client, response["Location"])
    assert Submission.objects.count() == 1


@pytest.mark.parametrize("who", ["principal", "inspector"])
def test_readers_of_the_organisation_may_not_submit(login, city, final, who):
    response = login(getattr(city, who)).post(reverse("supervision:report-submit", args=[final.pk]))
    assert response.status_code == 403 and not Submission.objects.exists()


def test_the_body_office_cannot_submit_for_an_organisation(login, city, final):
    response = login(city.body_office).post(reverse("supervision:report-submit", args=[final.pk]))
    assert response.status_code == 404 and not Submission.objects.exists()


# -- receiving, returning and the frozen files ----------------------------------------------------
def test_the_body_receives_from_the_submission_page(login, city, submitted):
    client = login(city.body_office)
    detail = reverse("supervision:submission-detail", args=[submitted.pk])
    assert client.get(detail).context["can_decide"] is True
    client.post(reverse("supervision:submission-receive", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == "received"


def test_a_return_without_comments_is_refused_in_chinese(login, city, submitted):
    client = login(city.body_office)
    response = client.post(reverse("supervision:submission-return", args=[submitted.pk]), {})
    assert "请填写退回意见" in messages_of(client, response["Location"])
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_the_organisation_sees_the_comments_of_a_return(login, city, submitted, year):
    login(city.body_office).post(
        reverse("supervision:submission-return", args=[submitted.pk]), {"comments": "请补充数据"}
    )
    page = login(city.office).get(reverse("supervision:organisation"), {"year": year})
    assert "请补充数据" in page.content.decode()


@pytest.mark.parametrize("who", ["office", "principal"])
def test_the_organisation_cannot_receive_its_own_report(login, city, submitted, who):
    response = login(getattr(city, who)).post(
        reverse("supervision:submission-receive", args=[submitted.pk])
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.parametrize("who", ["stranger", "body_admin", "head"])
def test_outsiders_do_not_find_the_submission(login, city, submitted, who):
    client = login(getattr(city, who))
    assert (
        client.get(reverse("supervision:submission-detail", args=[submitted.pk])).status_code == 404
    )
    url = reverse("supervision:submission-file", args=[submitted.pk, "pdf"])
    assert client.get(url).status_code == 404


def test_a_body_not_above_the_organisation_acts_on_nothing(login, city, submitted, far_body):
    client = login(far_body)
    response = client.post(reverse("supervision:submission-receive", args=[submitted.pk]))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_the_body_downloads_what_was_submitted_even_after_a_new_version(
    login, city, final, submitted
):
    frozen = submitted.pdf.read()
    new_final(final, city.office, city.principal, "之后改写的正文。")
    response = login(city.body_office).get(
        reverse("supervision:submission-file", args=[submitted.pk, "pdf"])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == frozen
    assert "attachment" in response["Content-Disposition"]
    page = login(city.body_office).get(
        reverse("supervision:submission-detail", args=[submitted.pk])
    )
    assert "全年召开党组会议" in page.content.decode()
    assert "之后改写的正文" not in page.content.decode()


def test_an_unknown_file_format_is_not_found(login, city, submitted):
    url = reverse("supervision:submission-file", args=[submitted.pk, "exe"])
    assert login(city.body_office).get(url).status_code == 404


# -- 督办 -----------------------------------------------------------------------------------------
def test_the_body_office_issues_a_notice_through_the_form(login, city):
    client = login(city.body_office)
    url = reverse("supervision:notice-create", args=[city.body.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation": city.org.pk,
            "subject": "整改措施逾期",
            "body": "请说明。",
            "reply_due": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        },
    )
    notice = SupervisionNotice.objects.get()
    assert response["Location"] == reverse("supervision:notice-detail", args=[notice.pk])


def test_the_notice_form_lists_the_overdue_measures_of_the_organisation_chosen(login, city):
    from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory

    late = timezone.localdate() - datetime.timedelta(days=3)
    for org, unit, person, text in (
        (city.org, city.works, city.head, "本局逾期措施"),
        (city.other_org, city.other_unit, city.stranger, "另一局逾期措施"),
    ):
        finding = FindingFactory(inspection=InspectionFactory(organisation=org), number=1)
        MeasureFactory(
            finding=finding,
            unit=unit,
            lead_leader=person,
            responsible_person=person,
            description=text,
            deadline=late,
        )
    client = login(city.body_office)
    url = reverse("supervision:notice-create", args=[city.body.pk])
    blank = client.get(url).content.decode()
    assert "本局逾期措施" not in blank and "另一局逾期措施" not in blank
    assert "选择被督办单位后，这里列出其已逾期" in blank
    assert f'hx-get="{url}"' in blank and 'hx-select="#div_id_measures"' in blank
    # What the organisation's list asks for when it changes, and a link's ?org=.
    for query in ({"organisation": city.other_org.pk}, {"org": city.other_org.pk}):
        page = client.get(url, query, headers={"HX-Request": "true"}).content.decode()
        assert 'id="div_id_measures"' in page
        assert "另一局逾期措施" in page and "本局逾期措施" not in page
    assert "本局逾期措施" not in client.get(url, {"organisation": "x"}).content.decode()


def test_the_body_page_lists_its_notices_a_page_at_a_time_open_ones_first(login, city):
    from supervision.views import NOTICES_PER_PAGE

    issued = [
        notice_issue(
            supervisor=city.body,
            organisation=city.org if n % 2 else city.other_org,
            subject=f"督办事项{n:02d}",
            body="请说明情况。",
            reply_due=timezone.localdate() + datetime.timedelta(days=7),
            by=city.body_office,
        )
        for n in range(NOTICES_PER_PAGE + 5)
    ]
    closed = issued[-3:]  # the newest, closed: after every open one
    SupervisionNotice.objects.filter(pk__in=[n.pk for n in closed]).update(status="closed")
    url = reverse("supervision:body", args=[city.body.pk])
    client = login(city.body_office)
    first = client.get(url).content.decode()
    assert first.count('data-notice="') == NOTICES_PER_PAGE
    assert f"共 {NOTICES_PER_PAGE + 5} 条" in first and "督办事项21" in first
    assert all(n.subject not in first for n in closed)
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-notice="') == 5
    assert all(n.subject in second for n in closed)
    odd = client.get(url, {"page": "x"}).content.decode()  # not a number: the first page
    assert odd.count('data-notice="') == NOTICES_PER_PAGE


def test_a_notice_to_an_organisation_not_below_is_refused_by_the_form(login, city, far_body):
    client = login(city.body_office)
    far = city.body.__class__.objects.get(code="farorg")
    page = client.post(
        reverse("supervision:notice-create", args=[city.body.pk]),
        {"organisation": far.pk, "subject": "x", "body": "y", "reply_due": "2099-01-01"},
    )
    assert page.status_code == 200 and "不在可选范围内" in page.content.decode()
    assert not SupervisionNotice.objects.exists()


def test_an_empty_notice_form_names_each_missing_field(login, city):
    page = login(city.body_office).post(
        reverse("supervision:notice-create", args=[city.body.pk]), {}
    )
    html = page.content.decode()
    assert "请选择被督办单位" in html and "请填写督办事项" in html and "请填写答复期限" in html


def test_the_organisation_cannot_issue_notices(login, city):
    url = reverse("supervision:notice-create", args=[city.body.pk])
    assert login(city.office).get(url).status_code == 404
    assert login(city.body_inspector).get(url).status_code == 403


def test_a_reply_without_evidence_is_refused_in_chinese(login, city, notice):
    client = login(city.office)
    response = client.post(
        reverse("supervision:notice-reply", args=[notice.pk]), {"text": "已整改"}
    )
    assert "答复督办须上传至少一份佐证材料" in messages_of(client, response["Location"])
    notice.refresh_from_db()
    assert notice.status == "issued" and not NoticeReply.objects.exists()


def test_a_hostile_file_is_refused_by_the_shared_evidence_check(login, city, notice):
    client = login(city.office)
    fake = SimpleUploadedFile("答复.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("supervision:notice-reply", args=[notice.pk]), {"text": "已整改", "files": [fake]}
    )
    assert "不受支持" in messages_of(client, response["Location"])
    assert not NoticeReply.objects.exists()


def test_the_office_replies_and_the_body_reads_the_evidence(login, city, notice):
    client = login(city.office)
    client.post(
        reverse("supervision:notice-reply", args=[notice.pk]), {"text": "已整改", "files": [pdf()]}
    )
    notice.refresh_from_db()
    evidence = notice.evidence.get()
    body = login(city.body_office)
    assert body.get(reverse("supervision:notice-detail", args=[notice.pk])).context["can_decide"]
    url = reverse("supervision:notice-evidence", args=[notice.pk, evidence.pk])
    assert body.get(url).status_code == 200
    assert login(city.stranger).get(url).status_code == 404


def test_a_reply_after_closing_is_refused_in_chinese(login, city, notice):
    notice_reply(notice=notice, by=city.office, text="已整改", files=[pdf()])
    notice_close(notice=notice, by=city.body_office)
    client = login(city.office)
    response = client.post(
        reverse("supervision:notice-reply", args=[notice.pk]), {"text": "补充", "files": [pdf()]}
    )
    assert "不能再答复" in messages_of(client, response["Location"])
    assert NoticeReply.objects.count() == 1


def test_the_organisation_cannot_close_its_own_notice(login, city, notice):
    notice_reply(notice=notice, by=city.office, text="已整改", files=[pdf()])
    response = login(city.office).post(reverse("supervision:notice-close", args=[notice.pk]))
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.status == "replied"


def test_a_sibling_organisations_office_does_not_find_the_notice(login, city, notice):
    client = login(city.stranger)
    assert client.get(reverse("supervision:notice-detail", args=[notice.pk])).status_code == 404
    response = client.post(
        reverse("supervision:notice-reply", args=[notice.pk]), {"text": "x", "files": [pdf()]}
    )
    assert response.status_code == 404


# -- 我的待办 ----------------------------------------------------------------------------------
def test_the_home_page_lists_reports_to_receive_for_the_body_office(login, city, submitted):
    html = login(city.body_office).get(reverse("home")).content.decode()
    assert 'data-testid="todo-group-supervision-receive"' in html and "测试水利局" in html


def test_the_home_page_lists_notices_to_answer_and_reports_to_submit(login, city, notice, due):
    html = login(city.office).get(reverse("home")).content.decode()
    assert 'data-testid="todo-group-supervision-answer"' in html and "谈心谈话开展不够经常" in html
    assert 'data-testid="todo-group-supervision-submit"' in html
    other = login(city.stranger).get(reverse("home")).content.decode()
    assert "谈心谈话开展不够经常" not in other
