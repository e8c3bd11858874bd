"""Demo 报送 and 督办 (see seed_demo). Idempotent: what exists is kept.

The 市直机关工委 (szjg) has set the 2025 due date; 长江河道管理局 (cjhd) has submitted its
signed-off 2025 report and the body has received it; 市水利局 (sw) has its 2025 定稿 ready but
has not yet submitted it (a person can try it as ``dangban``); one 督办 to sw is open.
"""

import datetime

from django.utils import timezone

from rectification.models import Measure
from reports.figures.markup import PLACEHOLDER_RE
from reports.services import (
    final_version,
    outline_apply_preset,
    report_generate_draft,
    report_submit,
    version_approve,
)

from .models import ReportDue, Submission, SupervisionNotice
from .services import notice_issue, submission_receive, submission_submit

YEAR = 2025
WRITTEN = "本单位按照要求认真落实，相关情况已在台账中逐项记录。"


def _final(demo, preset, office, principal):
    """The organisation's 2025 report, signed off (its 定稿), drafted and filled if needed."""
    organisation = demo.organisation
    outline = outline_apply_preset(organisation=organisation, preset=preset)
    report, _created = report_generate_draft(organisation=organisation, year=YEAR, outline=outline)
    if final_version(report) is not None:
        return report
    for section in report.sections.all():
        heading = PLACEHOLDER_RE.sub(WRITTEN, section.heading)
        text = PLACEHOLDER_RE.sub(WRITTEN, section.text)
        if (heading, text) != (section.heading, section.text):
            section.heading, section.text = heading, text
            section.save(update_fields=["heading", "text"])
    if not report.dated:
        report.dated = datetime.date(YEAR, 12, 31)
        report.save()
    version = report_submit(report=report, by=office)
    version_approve(version=version, by=principal)
    return report


def seed(organisations):
    """``organisations``: accountability.demo.seed()'s result, by code."""
    body, sw, cjhd = (organisations.get(code) for code in ("szjg", "sw", "cjhd"))
    if body is None or sw is None or cjhd is None:
        return
    body_office = body.people["gw_dangban"]
    today = timezone.localdate()
    ReportDue.objects.get_or_create(
        supervisor=body.organisation,
        year=YEAR,
        defaults={
            "due_date": max(datetime.date(YEAR + 1, 1, 31), today + datetime.timedelta(days=30)),
            "set_by": body_office,
        },
    )
    cj_report = _final(cjhd, "three_parts", cjhd.people["cj_dangban"], cjhd.people["cj_shuji"])
    if not Submission.objects.filter(organisation=cjhd.organisation, year=YEAR).exists():
        submission = submission_submit(report=cj_report, by=cjhd.people["cj_dangban"])
        submission_receive(submission=submission, by=body_office, comments="已收悉。")
    _final(sw, "seven_areas", sw.people["dangban"], sw.people["shuji"])
    if not SupervisionNotice.objects.filter(organisation=sw.organisation).exists():
        overdue = Measure.objects.overdue(today).filter(organisation=sw.organisation)
        notice_issue(
            supervisor=body.organisation,
            organisation=sw.organisation,
            subject="巡察整改措施逾期未完成",
            body="你局巡察反馈问题的部分整改措施已超过整改时限，请说明原因、报送整改进展，"
            "并附相关佐证材料。",
            weak_area="整改措施逾期未完成",
            measures=list(overdue.order_by("deadline")[:3]),
            reply_due=today + datetime.timedelta(days=14),
            by=body_office,
        )
