"""Synthetic inspections, findings and measures for the bench datasets (generate_dataset).

About 1,000 measures per unit of ``scale``, spread over the given organisations, in a realistic
mix of states: most closed, some waiting for review (with their request on the timeline), some
overdue. Rows are bulk-created without history rows (this is load, not a record of anyone's work).
Deterministic for a given ``seed``.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accountability.models import Organisation, Role, RoleAssignment, Unit, User

from .models import Finding, Inspection, Measure, ProgressUpdate

MEASURES_PER_SCALE = 1000
MEASURES_PER_INSPECTION = 60
MAX_INSPECTIONS = 40  # per organisation: a big organisation has bigger rounds, not more
BATCH = 5000
ASPECTS = [
    "贯彻落实党的路线方针政策和党中央决策部署方面",
    "落实全面从严治党主体责任方面",
    "落实新时代党的组织路线方面",
    "落实中央八项规定精神和作风建设方面",
]
PROBLEMS = [
    "主体责任压力传导不到位",
    "工程招投标监管存在薄弱环节",
    "经费支出审批不够严格",
    "干部选拔任用程序不够规范",
    "廉政风险点排查不全面",
    "公务接待管理不规范",
]
ACTIONS = [
    "制定专项整改方案并逐项落实",
    "修订完善相关管理制度",
    "开展专项检查并建立问题台账",
    "组织专题学习和警示教育",
    "逐级签订责任书并开展考核",
]
KINDS = [Inspection.Kind.INSPECTION, Inspection.Kind.TOUR, Inspection.Kind.AUDIT]


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _cast(org_id):
    units = list(
        Unit.objects.filter(organisation_id=org_id, is_active=True).values_list("pk", "head_id")
    )
    people = list(User.objects.filter(organisation_id=org_id).values_list("pk", flat=True))
    roles = {}
    for user_id, role in RoleAssignment.objects.filter(organisation_id=org_id).values_list(
        "user_id", "role"
    ):
        roles.setdefault(role, []).append(user_id)
    leaders = roles.get(Role.LEADER) or people
    inspectors = roles.get(Role.INSPECTOR) or people
    return units, people, leaders, inspectors


def _bulk(model, rows):
    created = []
    for start in range(0, len(rows), BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH])
    return created


def generate(*, scale, seed, context):
    """Add ≈``scale`` × 1,000 measures; returns counts by model."""
    rng = random.Random(f"rectification-{seed}")
    today = context.get("today") or timezone.localdate()
    organisations = context.get("organisations") or Organisation.objects.all()
    org_ids = sorted(getattr(org, "pk", org) for org in organisations)
    total = max(1, round(MEASURES_PER_SCALE * scale))
    counts = {"inspections": 0, "findings": 0, "measures": 0, "updates": 0}
    for position, org_id in enumerate(org_ids):
        share = total // len(org_ids) + (1 if position < total % len(org_ids) else 0)
        units, people, leaders, inspectors = _cast(org_id)
        if not share or not units or not people:
            continue
        result = _organisation(rng, org_id, share, today, units, people, leaders, inspectors)
        for key, value in result.items():
            counts[key] += value
    return counts


def _organisation(rng, org_id, share, today, units, people, leaders, inspectors):
    rounds = min(MAX_INSPECTIONS, max(1, share // MEASURES_PER_INSPECTION))
    inspections = []
    for index in range(rounds):
        feedback = today - timedelta(days=rng.randint(30, 1500))
        started = feedback - timedelta(days=rng.randint(40, 90))
        kind = rng.choice(KINDS)
        inspections.append(
            Inspection(
                organisation_id=org_id,
                kind=kind,
                source=f"第{index % 9 + 1}{Inspection.Kind(kind).label}组",
                title=f"{feedback.year}年{Inspection.Kind(kind).label}反馈问题整改（{index + 1}）",
                started_on=started,
                ended_on=started + timedelta(days=30),
                feedback_on=feedback,
                year=feedback.year,
            )
        )
    inspections = _bulk(Inspection, inspections)
    findings, finding_of_measure = [], []
    per_round = [share // rounds + (1 if i < share % rounds else 0) for i in range(rounds)]
    for inspection, measures_here in zip(inspections, per_round, strict=True):
        number = 0
        remaining = measures_here
        while remaining > 0:
            number += 1
            aspect = (number - 1) * len(ASPECTS) // max(1, measures_here // 2 + 1)
            aspect = min(aspect, len(ASPECTS) - 1)
            findings.append(
                Finding(
                    inspection=inspection,
                    organisation_id=org_id,
                    aspect=ASPECTS[aspect],
                    aspect_order=aspect + 1,
                    number=number,
                    description=f"{rng.choice(PROBLEMS)}（问题{number}）",
                )
            )
            take = min(remaining, rng.choice((1, 1, 2, 2, 3)))
            finding_of_measure += [(len(findings) - 1, i + 1) for i in range(take)]
            remaining -= take
    findings = _bulk(Finding, findings)
    measures = []
    for finding_index, number in finding_of_measure:
        finding = findings[finding_index]
        unit_id, head_id = rng.choice(units)
        person = head_id or rng.choice(people)
        ongoing = rng.random() < 0.08
        feedback = finding.inspection.feedback_on
        deadline = None if ongoing else feedback + timedelta(days=rng.randint(30, 540))
        measure = Measure(
            finding=finding,
            organisation_id=org_id,
            number=number,
            description=f"{rng.choice(ACTIONS)}（措施{number}）",
            lead_leader_id=rng.choice(leaders),
            unit_id=unit_id,
            responsible_person_id=person,
            deadline=deadline,
            is_ongoing=ongoing,
            rules_issued=1 if rng.random() < 0.2 else 0,
        )
        roll = rng.random()
        if roll < 0.55:
            closed_on = min(today, (deadline or today) - timedelta(days=rng.randint(0, 20)))
            closed_on = max(closed_on, feedback)
            measure.state = Measure.State.CLOSED
            measure.closed_at = _moment(closed_on)
            measure.closed_by_id = rng.choice(inspectors)
            measure.latest_progress = "已完成整改。"
            if rng.random() < 0.3:
                measure.followup_due_on = closed_on + timedelta(days=90)
            else:
                measure.followup_checked_on = closed_on + timedelta(days=90)
        elif roll < 0.63:
            measure.state = Measure.State.CLOSURE_REQUESTED
            measure.closure_requested_at = _moment(today - timedelta(days=rng.randint(0, 20)))
            measure.closure_requested_by_id = person
            measure.latest_progress = "整改已完成，申请销号。"
        elif roll < 0.88:
            measure.state = Measure.State.IN_PROGRESS
            measure.latest_progress = "正在推进。"
        measures.append(measure)
    measures = _bulk(Measure, measures)
    updates = [
        ProgressUpdate(
            measure=m,
            kind=ProgressUpdate.Kind.CLOSURE_REQUEST,
            note=m.latest_progress,
            by_id=m.closure_requested_by_id,
            at=m.closure_requested_at,
        )
        for m in measures
        if m.state == Measure.State.CLOSURE_REQUESTED
    ]
    _bulk(ProgressUpdate, updates)
    return {
        "inspections": len(inspections),
        "findings": len(findings),
        "measures": len(measures),
        "updates": len(updates),
    }
