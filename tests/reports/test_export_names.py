"""The annual report's PDF downloads under its own Chinese title (RFC 5987), not
``test-2026-report-3.pdf``."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import Report, ReportExport

pytestmark = pytest.mark.django_db


def test_the_pdf_is_named_by_the_reports_title(login, world):
    report = Report.objects.create(
        organisation=world.org,
        year=2026,
        title="测试水利局党组2026年度全面从严治党主体责任落实情况报告",
    )
    export = ReportExport.objects.create(report=report, state=ReportExport.State.DONE)
    export.file.save("report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    response = login(world.office).get(reverse("reports:export-download", args=[export.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    # Not an approved version's 定稿: the name says it is the draft for comments.
    assert f"filename*=UTF-8''{quote(report.title + '（征求意见稿）.pdf')}" in disposition
    assert f'filename="{export.filename}"' in disposition
