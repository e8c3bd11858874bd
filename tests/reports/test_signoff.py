"""Sign-off (审签): submit, return with comments, approve; the 定稿 frozen and reproducible."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from reports.models import ReportExport, ReportVersion
from reports.services import (
    SignoffRefused,
    content_hash,
    export_create,
    export_render,
    outline_apply_preset,
    report_begin_edit,
    report_generate_draft,
    report_submit,
    version_approve,
    version_return,
)

from .docx_helpers import docx_text, pdf_text, squeeze
from .fixtures import fill_placeholders


@pytest.fixture
def report(year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=year_data.org, year=2021, outline=outline)
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    return fill_placeholders(report)


def detail(report):
    return reverse("reports:report-detail", args=[report.pk])


def submit(client, report):
    return client.post(reverse("reports:report-submit", args=[report.pk]))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def submitted(report, year_data):
    return report_submit(report=report, by=year_data.office)


# -- submitting --------------------------------------------------------------------------------
def test_office_submits_and_the_version_is_frozen_with_its_hash(login, year_data, report):
    response = submit(login(year_data.office), report)
    version = ReportVersion.objects.get(report=report)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:version-detail", args=[version.pk])
    assert version.state == "submitted" and version.submitted_by == year_data.office
    assert version.frozen["values"]["count:theory_study"] == "3"
    assert version.content_hash == content_hash(version.frozen) and len(version.content_hash) == 64
    page = login(year_data.principal).get(reverse("reports:version-detail", args=[version.pk]))
    assert version.content_hash in page.content.decode()


def test_a_marked_passage_blocks_the_submission_with_the_list(login, year_data, report):
    report.sections.filter(order=1).update(text="【请填写：本单位一年来的总体情况】")
    client = login(year_data.office)
    response = client.get(detail(report)) and submit(client, report)
    assert response.status_code == 302 and response["Location"] == detail(report)
    shown = "".join(messages_of(client.get(detail(report))))
    assert "不能提交审签" in shown and "本单位一年来的总体情况" in shown
    assert not ReportVersion.objects.filter(state="submitted").exists()


def test_the_preview_lists_what_must_be_done_before_sign_off(login, year_data, report):
    report.sections.filter(order=1).update(text="【请填写：本单位一年来的总体情况】")
    report.dated = None
    report.save()
    page = login(year_data.office).get(detail(report)).content.decode()
    assert "提交审签前还需完成" in page
    assert "本单位一年来的总体情况" in page and "未填写成文日期" in page


def test_an_unresolved_figure_blocks_the_submission(login, year_data, report):
    report.sections.filter(order=1).update(text="共{{count:no_such_kind}}次")
    client = login(year_data.office)
    submit(client, report)
    shown = "".join(messages_of(client.get(detail(report))))
    assert "不能提交审签" in shown and "已删除的类别次数" in shown
    assert "no_such_kind" not in shown  # a readable label, never the raw code
    assert not ReportVersion.objects.filter(state="submitted").exists()


def test_an_empty_date_blocks_the_submission(year_data, report):
    report.dated = None
    report.save()
    with pytest.raises(SignoffRefused) as refused:
        report_submit(report=report, by=year_data.office)
    assert "未填写成文日期" in refused.value.problems


def test_read_only_roles_may_not_submit(login, year_data, report):
    assert submit(login(year_data.principal), report).status_code == 403
    assert submit(login(year_data.inspector), report).status_code == 403
    assert submit(login(year_data.stranger), report).status_code == 404


# -- deciding ----------------------------------------------------------------------------------
def test_only_the_principal_leader_approves(login, year_data, submitted):
    url = reverse("reports:version-approve", args=[submitted.pk])
    for someone in (year_data.office, year_data.inspector, year_data.admin):
        assert login(someone).post(url).status_code == 403
    # A leader in charge of some units does not read the organisation-wide report at all
    assert login(year_data.leader).post(url).status_code == 404
    assert login(year_data.stranger).post(url).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert login(year_data.principal).post(url).status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "approved" and submitted.decided_by == year_data.principal


def test_only_the_principal_leader_returns(login, year_data, submitted):
    url = reverse("reports:version-return", args=[submitted.pk])
    assert login(year_data.office).post(url, {"comments": "改"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_a_return_without_comments_is_refused(login, year_data, submitted):
    client = login(year_data.principal)
    url = reverse("reports:version-return", args=[submitted.pk])
    response = client.post(url, {"comments": "   "}, follow=True)
    assert "请填写审签意见" in "".join(messages_of(response))
    submitted.refresh_from_db()
    assert submitted.state == "submitted" and submitted.comments == ""


def test_a_return_keeps_its_comments_and_the_next_edit_is_a_new_version(
    login, year_data, submitted
):
    client = login(year_data.principal)
    client.post(
        reverse("reports:version-return", args=[submitted.pk]), {"comments": "第二部分再具体些"}
    )
    submitted.refresh_from_db()
    assert submitted.state == "returned" and submitted.comments == "第二部分再具体些"
    page = login(year_data.office).get(detail(submitted.report)).content.decode()
    assert "第二部分再具体些" in page
    version = report_begin_edit(report=submitted.report, by=year_data.office)
    assert version.number == 2 and version.state == "draft"
    submitted.refresh_from_db()
    assert submitted.state == "returned"  # the returned text stays as it was returned


def test_a_decision_on_a_version_not_submitted_is_refused(year_data, submitted):
    version_approve(version=submitted, by=year_data.principal)
    with pytest.raises(SignoffRefused):
        version_return(version=submitted, by=year_data.principal, comments="再改")


def test_the_people_concerned_are_told(year_data, report, monkeypatch):
    told = []
    monkeypatch.setattr(
        "reports.services._tell", lambda **kwargs: told.append((kwargs["event"], kwargs))
    )
    version = report_submit(report=report, by=year_data.office)
    version_return(version=version, by=year_data.principal, comments="再改")
    assert [event for event, _kw in told] == ["submitted", "returned"]
    assert told[0][1]["recipients"] == [year_data.principal]
    assert told[1][1]["recipients"] == [year_data.office]


def test_a_return_and_an_approval_reach_the_office_s_bell_and_the_leader_s_todo(
    login, year_data, report
):
    from notices.models import Notice

    version = report_submit(report=report, by=year_data.office)
    home = login(year_data.principal).get(reverse("home")).content.decode()
    assert "待审签的年度报告" in home
    assert reverse("reports:version-detail", args=[version.pk]) in home

    version_return(version=version, by=year_data.principal, comments="第三部分再充实")
    returned = Notice.objects.get(recipient=year_data.office)
    assert returned.kind == Notice.Kind.REPORT_RETURNED and "第三部分再充实" in returned.text
    home = login(year_data.principal).get(reverse("home")).content.decode()
    assert "待审签的年度报告" not in home

    report_begin_edit(report=report, by=year_data.office)
    second = report_submit(report=report, by=year_data.office)
    version_approve(version=second, by=year_data.principal)
    kinds = list(
        Notice.objects.filter(recipient=year_data.office)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [Notice.Kind.REPORT_RETURNED, Notice.Kind.REPORT_APPROVED]
    assert not Notice.objects.filter(recipient=year_data.principal).exists()


# -- the 定稿 ----------------------------------------------------------------------------------
@pytest.fixture
def final(year_data, submitted):
    return version_approve(version=submitted, by=year_data.principal)


def test_an_edit_to_the_final_is_refused_saying_how_to_start_a_new_version(login, year_data, final):
    report = final.report
    client = login(year_data.office)
    response = client.get(reverse("reports:report-edit", args=[report.pk]), follow=True)
    shown = "".join(messages_of(response))
    assert "已签发为定稿，不能修改" in shown and "开始新版本" in shown
    before = list(report.sections.values_list("text", flat=True))
    response = client.post(
        reverse("reports:report-edit", args=[report.pk]), {"title": "改标题"}, follow=True
    )
    assert "开始新版本" in "".join(messages_of(response))
    report.refresh_from_db()
    assert report.title != "改标题"
    assert list(report.sections.values_list("text", flat=True)) == before


def test_a_new_version_after_the_final_is_a_draft_and_the_final_stays(login, year_data, final):
    client = login(year_data.office)
    response = client.post(reverse("reports:report-new-version", args=[final.report.pk]))
    assert response.status_code == 302
    assert client.get(reverse("reports:report-edit", args=[final.report.pk])).status_code == 200
    versions = list(final.report.versions.order_by("number").values_list("number", "state"))
    assert versions == [(1, "approved"), (2, "draft")]


def test_the_final_does_not_change_when_the_records_do(year_data, final):
    hash_before = final.content_hash
    year_data.record("theory_study", datetime.date(2021, 11, 1), year_data.works)
    export = export_render(export_create(report=final.report, by=None, version=final).pk)
    assert export.frozen["values"]["count:theory_study"] == "3"
    final.refresh_from_db()
    assert final.content_hash == hash_before == content_hash(final.frozen)


def test_the_final_renders_to_the_same_bytes_in_both_formats(year_data, final):
    from reports.docx import render_docx
    from reports.pdf import render_pdf

    assert render_pdf(final.frozen)[0] == render_pdf(final.frozen)[0]
    assert render_docx(final.frozen) == render_docx(final.frozen)


def test_drafts_are_marked_and_the_final_is_not(year_data, final, tmp_path):
    report = final.report
    texts = {}
    for label, version in (("draft", None), ("final", final)):
        for fmt in ("pdf", "docx"):
            export = export_render(
                export_create(report=report, by=None, format=fmt, version=version).pk
            )
            data = export.file.open("rb").read()
            if fmt == "pdf":
                (tmp_path / f"{label}.pdf").write_bytes(data)
                texts[label, fmt] = squeeze(pdf_text(tmp_path / f"{label}.pdf")[0])
            else:
                texts[label, fmt] = squeeze(docx_text(data)[0])
    assert "征求意见稿" in texts["draft", "pdf"] and "征求意见稿" in texts["draft", "docx"]
    assert "征求意见稿" not in texts["final", "pdf"] and "征求意见稿" not in texts["final", "docx"]
    # The 定稿's PDF and DOCX: the same text, every figure the same.
    assert texts["final", "pdf"] == texts["final", "docx"]


def test_the_final_export_is_made_once_and_downloaded_by_every_reader(login, year_data, final):
    url = reverse("reports:export-create", args=[final.report.pk])
    client = login(year_data.principal)
    for _ in range(2):
        assert client.post(url, {"format": "docx", "version": final.pk}).status_code == 302
    export = ReportExport.objects.get(version=final)
    assert export.format == "docx" and export.state == "done"
    assert export.filename.endswith("-final-v1.docx")
    response = client.get(reverse("reports:export-download", args=[export.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    Document(io.BytesIO(b"".join(response.streaming_content)))
    # A reader may not make a draft export, nor pass off a draft version as the 定稿
    assert client.post(url, {"format": "pdf"}).status_code == 403


def test_a_submitted_version_prints_as_submitted_and_still_marked(login, year_data, submitted):
    report = submitted.report
    report.sections.filter(order=1).update(text="提交后又改的文字。")
    url = reverse("reports:export-create", args=[report.pk])
    login(year_data.principal).post(url, {"format": "docx", "version": submitted.pk})
    export = ReportExport.objects.get(version=submitted)
    assert not export.is_final and export.filename.endswith("-draft-v1.docx")
    body = squeeze(docx_text(export.file.open("rb").read())[0])
    assert "征求意见稿" in body and "提交后又改的文字" not in body


def test_a_version_never_submitted_is_not_exported_as_a_version(login, year_data, report):
    version = report_begin_edit(report=report, by=year_data.office)
    url = reverse("reports:export-create", args=[report.pk])
    response = login(year_data.office).post(
        url, {"format": "pdf", "version": version.pk}, follow=True
    )
    assert "尚未提交审签" in "".join(messages_of(response))
    assert not ReportExport.objects.exists()


# -- versions side by side ---------------------------------------------------------------------
def test_two_versions_side_by_side_mark_the_changed_section(login, year_data, submitted):
    report = submitted.report
    version_return(version=submitted, by=year_data.principal, comments="开头再具体些")
    report_begin_edit(report=report, by=year_data.office)
    report.sections.filter(order=1).update(text="改写后的开头<b>加粗</b>。")
    report_submit(report=report, by=year_data.office)
    page = login(year_data.principal).get(reverse("reports:report-compare", args=[report.pk]))
    html = page.content.decode()
    assert page.context["changed"] == 1
    assert "<ins>" in html and "&lt;b&gt;加粗&lt;/b&gt;" in html
    assert page.context["left"].number == 1 and page.context["right"].number == 2


def test_the_compare_page_needs_two_frozen_versions_and_refuses_unknown_ones(
    login, year_data, submitted
):
    url = reverse("reports:report-compare", args=[submitted.report.pk])
    client = login(year_data.principal)
    assert "至少有两个" in client.get(url).content.decode()
    version_return(version=submitted, by=year_data.principal, comments="再改")
    report_submit(report=submitted.report, by=year_data.office)
    assert client.get(url, {"a": "1", "b": "2"}).status_code == 200
    assert client.get(url, {"a": "x", "b": "9"}).status_code == 404


def test_the_version_state_machine_refuses_a_jump(year_data, report):
    from django.utils import timezone

    version = ReportVersion.objects.create(report=report, number=1)
    with pytest.raises(ValueError):
        version.decide(approve=True, by=year_data.principal, comments="", at=timezone.now())
    version.submit(by=year_data.office, document={}, content_hash="0" * 64, at=timezone.now())
    version.decide(approve=True, by=year_data.principal, comments="", at=timezone.now())
    with pytest.raises(ValueError):
        version.submit(by=year_data.office, document={}, content_hash="1" * 64, at=timezone.now())


def test_a_report_with_a_final_and_its_exports_can_still_be_deleted(year_data, final):
    export_render(export_create(report=final.report, by=None, format="docx", version=final).pk)
    final.report.delete()
    assert not ReportVersion.objects.exists() and not ReportExport.objects.exists()


def test_a_new_principal_leader_finds_the_version_to_approve_at_once(login, year_data, report):
    """The principal's organisations are kept with the person's scope (no query on anyone
    else's home page); naming another principal leader retires it on the next request."""
    leader = year_data.leader
    client = login(leader)
    assert "待审签的年度报告" not in client.get(reverse("home")).content.decode()
    report_submit(report=report, by=year_data.office)
    assert "待审签的年度报告" not in client.get(reverse("home")).content.decode()
    year_data.org.principal_leader = leader
    year_data.org.save()
    assert "待审签的年度报告" in client.get(reverse("home")).content.decode()
    assert (
        "待审签的年度报告" not in login(year_data.principal).get(reverse("home")).content.decode()
    )
