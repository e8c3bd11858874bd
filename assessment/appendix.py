"""The year's unit assessment as an appendix of the annual report (reports' registry)."""

from django.utils.translation import gettext as _

from .excel import result_title
from .models import Scheme
from .scoring import assess


def _number(value):
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _signed(value):
    """Manual points as given: "+2", "-1.5"; blank when none."""
    if not value:
        return ""
    return ("+" if value > 0 else "") + _number(value)


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
        f"{c.rule.get_measure_display()}\n（{_number(c.rule.weight)}{_('分')}）"
        for c in result.columns
    ]
    columns += [str(_("加减分")), str(_("总分"))]
    rows = [
        [str(row.rank), row.name]
        + [_number(cell.points) for cell in row.cells]
        + [_signed(row.manual), _number(row.score)]
        for row in result.rows
    ]
    fixed = 8 + 26 + 7.5 + 7.5  # 名次 on one line (Word too), a ten-character unit name
    share = round((100 - fixed) / len(result.columns), 1)
    return {
        "title": str(result_title(result)),
        "columns": columns,
        "widths": [8, 26, *([share] * len(result.columns)), 7.5, 7.5],
        "rows": rows,
        # numbers: the letters table's page holds four measures' columns; more turn the page
        "landscape": len(result.columns) > 4,
        "centred": [0, *range(2, len(columns))],
        "empty": str(_("本年度考核方案中没有考核对象。")),
    }
