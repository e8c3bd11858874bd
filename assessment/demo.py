"""Demo schemes (see seed_demo): the water bureau scores its units, and the city's supervising
body scores both bureaus, for the year the demo's records are in. Idempotent."""

from decimal import Decimal

from django.utils import timezone

from . import measures, services
from .models import Measure, Scheme

UNIT_RULES = [
    (Measure.MONTHLY_RECORDS, "30", "以录入系统时间为准"),
    (Measure.LETTERS_SIGNED, "20", ""),
    (Measure.MEASURES_CLOSED, "30", ""),
    (Measure.FOLLOWUPS_DONE, "20", ""),
]
BODY_RULES = [
    (Measure.MONTHLY_RECORDS, "25", ""),
    (Measure.LETTERS_SIGNED, "20", ""),
    (Measure.MEASURES_CLOSED, "25", ""),
    (Measure.FOLLOWUPS_DONE, "10", ""),
    (Measure.REPORTS_ON_TIME, "20", "以市直机关工委签收为准"),  # offered with supervision
]


def _scheme(owner, year, target, name, rules, by):
    scheme = Scheme.objects.filter(owner=owner, year=year, target=target).first()
    if scheme is not None:
        return scheme, False
    scheme = services.scheme_create(owner=owner, year=year, target=target, name=name, by=by)
    offered = dict(measures.offered(target))
    for measure, weight, note in rules:
        if measure in offered:
            services.rule_add(
                scheme=scheme, measure=measure, weight=Decimal(weight), note=note, by=by
            )
    return scheme, True


def seed(organisations, today=None):
    year = (today or timezone.localdate()).year
    sw = organisations.get("sw")
    if sw is not None:
        office = sw.people["dangban"]
        scheme, created = _scheme(
            sw.organisation,
            year,
            Scheme.Target.UNITS,
            "党风廉政建设责任制考核",
            UNIT_RULES,
            office,
        )
        if created:
            for unit_name, points, reason in [
                ("办公室", "2", "本单位廉洁文化建设获评市级示范点"),
                ("计划财务处", "-1", "年中专项检查发现报销审核台账不完整"),
            ]:
                unit = sw.units.get(unit_name)
                if unit is not None:
                    services.adjustment_add(
                        scheme=scheme,
                        target_id=str(unit.pk),
                        points=points,
                        reason=reason,
                        by=office,
                    )
    body = organisations.get("szjg")
    if body is not None:
        office = body.people["gw_dangban"]
        scheme, created = _scheme(
            body.organisation,
            year,
            Scheme.Target.ORGANISATIONS,
            "市直机关党风廉政建设责任制考核",
            BODY_RULES,
            office,
        )
        cjhd = organisations.get("cjhd")
        if created and cjhd is not None:
            services.adjustment_add(
                scheme=scheme,
                target_id=str(cjhd.organisation.pk),
                points=Decimal("3"),
                reason="河湖长制工作获省级通报表扬",
                by=office,
            )
