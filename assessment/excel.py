"""The results as an Excel ledger, in the shape of the other ledgers (common.excel)."""

from django.utils.translation import gettext as _

from common.excel import Column, xlsx_response


def points_text(cell):
    return cell.points


def result_columns(result):
    scheme = result.scheme
    target = _("党组织") if scheme.scores_organisations else _("单位")
    columns = [
        Column(_("名次"), lambda row: row.rank, 6),
        Column(target, lambda row: row.name, 24),
    ]
    for index, column in enumerate(result.columns):
        label = f"{column.rule.get_measure_display()}（{column.rule.weight}{_('分')}）"
        columns.append(Column(label, lambda row, i=index: float(row.cells[i].points), 16))
        columns.append(
            Column(
                _("完成情况"),
                lambda row, i=index: _done_text(row.cells[i]),
                12,
            )
        )
    columns.append(Column(_("加减分"), lambda row: float(row.manual), 8))
    columns.append(Column(_("总分"), lambda row: float(row.score), 8))
    return columns


def _done_text(cell):
    if not cell.applicable:
        return _("无应办事项")
    return f"{cell.done}/{cell.due}"


def result_title(result):
    scheme = result.scheme
    owner = scheme.owner.short_name or scheme.owner.name
    return _("%(owner)s%(year)s年度%(name)s考核结果") % {
        "owner": owner,
        "year": scheme.year,
        "name": scheme.name,
    }


def result_response(result):
    title = result_title(result)
    return xlsx_response(
        title,
        title,
        result_columns(result),
        result.rows,
        fallback=f"assessment-{result.scheme.year}",
    )
