"""The annual report pages: who may see, edit and export; the preview; exports frozen."""

import datetime
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.models import Report, ReportExport
from reports.services import outline_apply_preset, report_generate_draft


@pytest.fixture
def report(year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=year_data.org, year=2021, outline=outline)
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    return report


def preview(report):
    return reverse("reports:report-detail", args=[report.pk])


# -- permissions -------------------------------------------------------------------------------
def test_anonymous_is_sent_to_login(client, report):
    response = client.get(preview(report))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["stranger", "leader", "head", "outsider"])
def test_report_is_not_found_outside_the_whole_organisation(login, year_data, report, who):
    client = login(getattr(year_data, who))
    assert client.get(preview(report)).status_code == 404


@pytest.mark.parametrize("who", ["office", "inspector", "principal"])
def test_whole_organisation_readers_see_the_preview(login, year_data, report, who):
    assert login(getattr(year_data, who)).get(preview(report)).status_code == 200


def test_inspector_may_not_edit(login, year_data, report):
    client = login(year_data.inspector)
    assert client.get(reverse("reports:report-edit", args=[report.pk])).status_code == 403


def test_inspector_may_not_export(login, year_data, report):
    client = login(year_data.inspector)
    response = client.post(reverse("reports:export-create", args=[report.pk]))
    assert response.status_code == 403
    assert not ReportExport.objects.exists()


def test_stranger_may_not_download_an_export(login, year_data, report):
    call_command("annual_report", org="test", year=2021, output="/dev/null")
    export = ReportExport.objects.get()
    client = login(year_data.stranger)
    assert client.get(reverse("reports:export-download", args=[export.pk])).status_code == 404


# -- preview and editing -----------------------------------------------------------------------
def test_preview_shows_each_figure_linked_to_its_records(login, year_data, report):
    html = login(year_data.office).get(preview(report)).content.decode()
    kind = year_data.kinds["theory_study"]
    assert 'data-token="count:theory_study" href=' in html
    assert f"kind={kind.pk}" in html
    assert ">3</a>" in html


def test_office_edits_a_sentence_and_the_figure_stays_bound(login, year_data, report):
    client = login(year_data.office)
    url = reverse("reports:report-edit", args=[report.pk])
    form = client.get(url).context["formset"]
    data = {
        "title": report.title,
        "signed_by": report.signed_by,
        "dated": "2021-12-31",
        "include_ledger": "on",
        "include_letters": "on",
    }
    for key, val in form.management_form.initial.items():
        data[f"{form.prefix}-{key}"] = val
    for index, section_form in enumerate(form.forms):
        for name in ("id", "order", "level", "heading", "text"):
            val = section_form[name].value()
            data[f"{form.prefix}-{index}-{name}"] = "" if val is None else val
    first_text_key = f"{form.prefix}-0-text"
    data[first_text_key] = "全年学习{{count:theory_study}}次，成效明显。"
    response = client.post(url, data)
    assert response.status_code == 302
    section = report.sections.order_by("order").first()
    assert section.text == "全年学习{{count:theory_study}}次，成效明显。"
    assert "全年学习" in client.get(preview(report)).content.decode()


def test_a_malformed_token_is_refused_with_a_message(login, year_data, report):
    client = login(year_data.office)
    url = reverse("reports:report-edit", args=[report.pk])
    section = report.sections.order_by("order").first()
    data = {
        "title": report.title,
        "signed_by": "",
        "dated": "",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-0-id": section.pk,
        "sections-0-order": "1",
        "sections-0-level": "0",
        "sections-0-heading": "",
        "sections-0-text": "学习{{count:theory_study次",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不完整的数据项标记" in response.content.decode()
    section.refresh_from_db()
    assert "{{count:theory_study次" not in section.text


@pytest.mark.parametrize("page", ["report", "outline"])
def test_a_tampered_section_count_is_refused_in_plain_words(login, year_data, report, page):
    """A post claiming thousands of sections rendered two thousand empty ones (Django's own
    bound); a post without the counts showed Django's "ManagementForm" message, or on the
    outline page no message at all."""
    client = login(year_data.office)
    if page == "report":
        url, parent, text = reverse("reports:report-edit", args=[report.pk]), report, "text"
        data = {"title": report.title, "signed_by": "", "dated": ""}
    else:
        parent = outline_apply_preset(organisation=year_data.org, preset="three_parts")
        url, text = reverse("reports:outline-edit", args=[parent.pk]), "template_text"
        data = {"name": parent.name, "title_template": parent.title_template}
    before = list(parent.sections.values_list("pk", "heading", text))
    section = parent.sections.order_by("order").first()
    fields = {
        "sections-0-id": section.pk,
        "sections-0-order": "1",
        "sections-0-level": "1",
        "sections-0-heading": "改过的标题",
        f"sections-0-{text}": "改过的文字",
    }

    many = {"sections-TOTAL_FORMS": "5000", "sections-INITIAL_FORMS": "1"}
    response = client.post(url, {**data, **many, **fields})
    html = response.content.decode()
    assert response.status_code == 200
    assert "最多 100 节：请删去多余的章节后再保存。" in html
    assert html.count('name="sections-') < 101 * 8

    response = client.post(url, {**data, **fields})
    html = response.content.decode()
    assert response.status_code == 200
    assert "页面内容不完整，可能已过期：请刷新页面后重新填写。" in html
    # Neither Django's formset message nor its hidden field's "(隐藏字段 TOTAL_FORMS) …".
    assert "ManagementForm" not in html and "隐藏字段" not in html
    assert "这个字段是必填项" not in html
    assert list(parent.sections.values_list("pk", "heading", text)) == before


def test_a_deactivated_kind_is_flagged_and_blocks_the_export(login, year_data, report):
    kind = year_data.kinds["warning_education"]
    kind.is_active = False
    kind.save()
    client = login(year_data.office)
    html = client.get(preview(report)).content.decode()
    assert "report-figure-missing" in html and "已停用" in html
    response = client.post(reverse("reports:export-create", args=[report.pk]), follow=True)
    assert "已停用" in response.content.decode()
    assert not ReportExport.objects.exists()


# -- exports -----------------------------------------------------------------------------------
def test_office_exports_a_small_report_at_once(login, year_data, report):
    client = login(year_data.office)
    client.post(reverse("reports:export-create", args=[report.pk]))
    export = ReportExport.objects.get()
    assert export.state == "done" and export.pages >= 8
    assert export.frozen["values"]["count:theory_study"] == "3"
    download = client.get(reverse("reports:export-download", args=[export.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_large_report_is_rendered_by_celery_and_polled(
    login, year_data, report, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_ASYNC_ROWS = 0
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery_app import app

    app.conf.task_always_eager = True
    client = login(year_data.office)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("reports:export-create", args=[report.pk]))
    export = ReportExport.objects.get()
    status = client.get(reverse("reports:export-detail", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in status
    for callback in callbacks:
        callback()
    app.conf.task_always_eager = False
    status = client.get(reverse("reports:export-detail", args=[export.pk])).content.decode()
    assert "hx-trigger" not in status and "下载 PDF" in status


def test_an_export_keeps_the_figures_it_printed(year_data, report, tmp_path):
    call_command("annual_report", org="test", year=2021, output=str(tmp_path / "a.pdf"))
    export = ReportExport.objects.get()
    year_data.record("theory_study", datetime.date(2021, 11, 1), year_data.works)
    export.refresh_from_db()
    assert export.frozen["values"]["count:theory_study"] == "3"


def test_the_command_writes_the_report_with_real_numbers(year_data, report, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("annual_report", org="test", year=2021, output=str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    flat = text.replace("\n", "")
    assert "中心组学习3次" in flat
    assert "《巡视利剑》" in flat
    assert "X次" not in flat and "{{" not in flat


def test_the_command_drafts_a_year_with_no_data(year_data, tmp_path):
    out = tmp_path / "empty.pdf"
    call_command("annual_report", org="test", year=2015, output=str(out), preset="three_parts")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "尚无2015年度" in text.replace("\n", "")
    assert Report.objects.filter(year=2015).exists()


def test_the_command_refuses_an_unknown_organisation(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未找到"):
        call_command("annual_report", org="nope", year=2021, output=str(tmp_path / "x.pdf"))


def test_with_the_broker_down_the_export_says_so(
    login, year_data, report, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from reports.tasks import render_export

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    settings.REPORT_ASYNC_ROWS = 0
    monkeypatch.setattr(render_export, "delay", refuse)
    client = login(year_data.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export-create", args=[report.pk]))
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert export.state == "failed" and "后台任务服务暂不可用" in export.error

    # The broker was only frozen: the message arrives after all and a worker renders it.
    render_export(export.pk)
    export.refresh_from_db()
    assert export.state == "done" and export.error == "" and export.file


# -- list, drafts and outlines -----------------------------------------------------------------
LIST = reverse("reports:report-list")


def test_report_list_is_for_whole_organisation_readers(login, year_data, report):
    assert login(year_data.leader).get(LIST, {"org": "test"}).status_code == 404
    assert login(year_data.stranger).get(LIST, {"org": "test"}).status_code == 404
    response = login(year_data.office).get(LIST, {"org": "test"})
    assert response.status_code == 200 and report.title in response.content.decode()


def test_office_generates_a_first_draft(login, year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="three_parts")
    client = login(year_data.office)
    url = reverse("reports:report-draft") + "?org=test"
    response = client.post(url, {"year": 2022, "outline": outline.pk})
    report = Report.objects.get(organisation=year_data.org, year=2022)
    assert response["Location"] == reverse("reports:report-edit", args=[report.pk])
    assert report.sections.count() == outline.sections.count()


def test_the_draft_form_chooses_the_only_outline_and_leaves_a_choice_of_two(login, year_data):
    """A new organisation builds one outline from a preset: the draft form has it chosen. With
    two outlines the office chooses."""
    client = login(year_data.office)

    def chosen():
        page = client.get(LIST, {"org": "test"}).content.decode()
        select = re.search(r'<select name="outline".*?</select>', page, re.S).group(0)
        return re.findall(r'<option value="(\d+)"[^>]*selected', select)

    first = outline_apply_preset(organisation=year_data.org, preset="three_parts")
    assert chosen() == [str(first.pk)]
    outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    assert chosen() == []


def test_inspector_may_not_generate_a_draft(login, year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="three_parts")
    client = login(year_data.inspector)
    url = reverse("reports:report-draft") + "?org=test"
    assert client.post(url, {"year": 2022, "outline": outline.pk}).status_code == 403
    assert not Report.objects.filter(year=2022).exists()


def test_outline_of_another_organisation_is_not_found(login, year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="three_parts")
    url = reverse("reports:outline-edit", args=[outline.pk])
    assert login(year_data.stranger).get(url).status_code == 404


def test_inspector_may_not_edit_an_outline(login, year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="three_parts")
    url = reverse("reports:outline-edit", args=[outline.pk])
    assert login(year_data.inspector).get(url).status_code == 403


def test_office_reorders_the_outline(login, year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="three_parts")
    client = login(year_data.office)
    url = reverse("reports:outline-edit", args=[outline.pk])
    formset = client.get(url).context["formset"]
    data = {"name": outline.name, "title_template": outline.title_template}
    for key, val in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = val
    for index, form in enumerate(formset.forms):
        for name in ("id", "order", "level", "heading", "template_text"):
            val = form[name].value()
            data[f"{formset.prefix}-{index}-{name}"] = "" if val is None else val
    data[f"{formset.prefix}-1-order"] = 99
    assert client.post(url, data).status_code == 302
    assert outline.sections.order_by("order").last().heading == "深刻认识全面从严治党的重大意义"


def test_a_frozen_export_prints_the_same_document_again(year_data, report, tmp_path):
    from reports.pdf import render_pdf

    call_command("annual_report", org="test", year=2021, output=str(tmp_path / "first.pdf"))
    year_data.record("theory_study", datetime.date(2021, 11, 1), year_data.works)
    again, _pages = render_pdf(ReportExport.objects.get().frozen)
    (tmp_path / "again.pdf").write_bytes(again)

    def printed(name):
        return subprocess.run(
            ["pdftotext", str(tmp_path / name), "-"], capture_output=True, text=True
        ).stdout

    assert printed("again.pdf") == printed("first.pdf")
    assert "中心组学习3次" in printed("again.pdf").replace("\n", "")
