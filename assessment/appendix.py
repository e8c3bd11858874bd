"""The year's unit assessment as an appendix of the annual report (reports' registry)."""

from django.utils.translation import gettext as _

from .models import Scheme
from .scoring import assess


def _number(value):
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def appendix_table(report, today):
    """The organisation's own scheme for its units in the report's year, or None."""
    scheme = (
        Scheme.objects.filter(
            owner=report.organisation, year=report.year, target=Scheme.Target.UNITS
        )
        .select_related("owner")
        .first()
    )
    if scheme is None:
        return None
    result = assess(scheme, today)
    if not result.columns:
        return None
    columns = [str(_("名次")), str(_("单位"))]
    columns += [
        f"{c.rule.get_measure_display()}（{_number(c.rule.weight)}{_('分')}）"
        for c in result.columns
    ]
    columns += [str(_("加减分")), str(_("总分"))]
    rows = [
        [str(row.rank), row.name]
        + [_number(cell.points) for cell in row.cells]
        + [_number(row.manual) if row.manual else "", _number(row.score)]
        for row in result.rows
    ]
    fixed = 8 + 22 + 9 + 9
    share = round((100 - fixed) / len(result.columns), 1)
    return {
        "title": str(
            _("%(year)s年度%(name)s考核结果") % {"year": scheme.year, "name": scheme.name}
        ),
        "columns": columns,
        "widths": [8, 22, *([share] * len(result.columns)), 9, 9],
        "rows": rows,
        "landscape": len(result.columns) > 3,
        "empty": str(_("本年度考核方案中没有考核对象。")),
    }
