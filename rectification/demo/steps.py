"""Building blocks of the rectification demo: inspections, measures and their dated steps.

Every step goes through the services (so timelines and history are real), then is dated back to
when it "happened".
"""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.history import date_latest_history

from .. import services
from ..models import Finding, Inspection, Measure, ProgressUpdate

# A one-page PDF that passes the evidence checks (a catalogue, a page tree and a page).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _evidence(name):
    return [SimpleUploadedFile(name, PDF, content_type="application/pdf")]


def _moment(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _backdate(measure, day, **fields):
    """Date the latest timeline entry and history row of ``measure`` to ``day``."""
    when = _moment(day)
    update = ProgressUpdate.objects.filter(measure=measure).order_by("-pk").first()
    if update is not None:
        ProgressUpdate.objects.filter(pk=update.pk).update(at=when)
        update.evidence.update(uploaded_at=when)
    latest = measure.history.order_by("-history_id").first()
    if latest is not None:
        type(latest).objects.filter(pk=latest.pk).update(history_date=when, **fields)
    if fields:
        Measure.objects.filter(pk=measure.pk).update(**fields)


def _walk(measure, steps, people, followup_days=90):
    """Run ``steps`` [(action, day, text)] through the services, each dated ``day``."""
    owner, inspector = measure.responsible_person, people["inspector"]
    for action, day, text in steps:
        if action == "progress":
            services.measure_report_progress(measure=measure, by=owner, note=text)
            _backdate(measure, day)
        elif action == "request":
            services.measure_request_closure(
                measure=measure, by=owner, note=text, files=_evidence("整改佐证材料.pdf")
            )
            _backdate(measure, day, closure_requested_at=_moment(day))
        elif action == "accept":
            services.measure_accept_closure(measure=measure, by=inspector, note=text)
            _backdate(
                measure,
                day,
                closed_at=_moment(day),
                followup_due_on=day + timedelta(days=followup_days),
            )
        elif action == "return":
            services.measure_return_closure(measure=measure, by=inspector, reason=text)
            _backdate(measure, day)
        elif action == "followup":
            services.measure_record_followup(measure=measure, by=inspector, note=text)
            _backdate(measure, day, followup_checked_on=day)
        measure.refresh_from_db()


def closure(start, note, *, followup=None, today=None):
    """Progress, request, acceptance and, unless ``followup`` is False, a follow-up that held
    (on ``followup``, or 80 days after closure when that is already past)."""
    accepted = start + timedelta(days=24)
    steps = [
        ("progress", start, "已制定整改方案，明确时间节点，正在推进。"),
        ("request", start + timedelta(days=20), note),
        ("accept", accepted, "佐证材料齐全，整改到位，同意销号。"),
    ]
    if followup is None:
        followup = accepted + timedelta(days=80)
    if followup and (today is None or followup < today):
        steps.append(("followup", followup, "回头看未发现问题反弹，整改成果巩固。"))
    return steps


def ensure_inspection(org, *, registered_by=None, **fields):
    """The inspection, registered by the office on its feedback day (or its start)."""
    inspection, created = Inspection.objects.get_or_create(
        organisation=org, title=fields.pop("title"), defaults=fields
    )
    if created:
        day = inspection.feedback_on or inspection.started_on
        date_latest_history(inspection, _moment(day, 9), by=registered_by)
    return inspection


def add_findings(inspection, findings, people, units, *, registered_by=None):
    """findings: [(aspect, [(number, description, [(measure, leader, unit, person, deadline,
    rules, steps)])])]. Findings and measures are registered on the feedback day (before
    their first step), so that each history reads in the order it happened."""
    registered_on = inspection.feedback_on or inspection.started_on
    for aspect_order, (aspect, items) in enumerate(findings, start=1):
        for number, description, measures in items:
            finding, created = Finding.objects.get_or_create(
                inspection=inspection,
                number=number,
                defaults={
                    "aspect": aspect,
                    "aspect_order": aspect_order,
                    "description": description,
                    "organisation": inspection.organisation,
                },
            )
            if created:
                date_latest_history(finding, _moment(registered_on, 9), by=registered_by)
            for index, (text, leader, unit, person, deadline, rules, steps) in enumerate(
                measures, start=1
            ):
                measure, created = Measure.objects.get_or_create(
                    finding=finding,
                    number=index,
                    defaults={
                        "organisation": inspection.organisation,
                        "description": text,
                        "lead_leader": people[leader],
                        "unit": units[unit],
                        "responsible_person": people[person],
                        "deadline": deadline,
                        "is_ongoing": deadline is None,
                        "rules_issued": rules,
                    },
                )
                if not created:
                    continue
                first = min([registered_on, *(day for _action, day, _text in steps or ())])
                date_latest_history(measure, _moment(first, 9), by=registered_by)
                if steps:
                    _walk(measure, steps, people)
