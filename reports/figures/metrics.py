"""The metrics a figure may name. Labels are what the picker shows the office."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    name: str
    label: str  # "{kind}" is replaced by the kind's name for per-kind metrics
    group: str  # which query computes it: work / titles / rectification / letters / items
    per_kind: bool = False
    # May the number be 0 in a sentence that reports work done? (an overdue count may; a
    # "召开民主生活会0次" is flagged in the preview)
    zero_ok: bool = False
    # Takes a letter kind / level as argument ("{{letters_signed:duty}}"): "{letter}" in the label
    per_letter: bool = False


METRICS = {
    m.name: m
    for m in [
        Metric("year", _("报告年度"), "meta", zero_ok=True),
        Metric("org", _("党组织名称"), "meta", zero_ok=True),
        Metric("bureau", _("单位名称"), "meta", zero_ok=True),
        Metric("body", _("党组织类型"), "meta", zero_ok=True),
        Metric("sector", _("所属行业"), "meta", zero_ok=True),
        Metric("count", _("{kind}次数"), "work", per_kind=True),
        Metric("participants", _("{kind}参加人次"), "work", per_kind=True),
        Metric("yoy", _("{kind}次数同比变化"), "work", per_kind=True, zero_ok=True),
        Metric("titles", _("{kind}名称列表"), "titles", per_kind=True),
        Metric("inspections", _("巡视巡察等监督检查轮次"), "rectification"),
        Metric("aspects", _("反馈问题涉及方面数"), "rectification"),
        Metric("findings", _("反馈问题数"), "rectification"),
        Metric("findings_closed", _("已完成整改的问题数"), "rectification"),
        Metric("measures", _("整改措施数"), "rectification"),
        Metric("measures_closed", _("已销号整改措施数"), "rectification"),
        Metric("measures_overdue", _("逾期未销号整改措施数"), "rectification", zero_ok=True),
        Metric("rules", _("整改中修订出台制度规定数"), "rectification"),
        Metric("letters", _("{letter}下发数"), "letters", per_letter=True),
        Metric("letters_signed", _("{letter}签订数"), "letters", per_letter=True),
        Metric("letters_units", _("签订{letter}的单位数"), "letters", per_letter=True),
        Metric("items", _("责任清单任务数"), "items"),
        Metric("items_done", _("责任清单已达标任务数"), "items"),
    ]
}


def letter_filters():
    """[(argument, label, {field: value})] for the letter metrics: all letters, each kind, each
    level, each kind at each level. The argument is what follows the colon in the token."""
    from accountability.models import DutyLetter

    out = [("", _("责任书（函告书）"), {})]
    for kind, kind_label in DutyLetter.Kind.choices:
        out.append((kind, kind_label, {"kind": kind}))
    for level, level_label in DutyLetter.Level.choices:
        out.append((level, f"{level_label}责任书（函告书）", {"level": level}))
    for kind, kind_label in DutyLetter.Kind.choices:
        for level, level_label in DutyLetter.Level.choices:
            out.append(
                (f"{kind}-{level}", f"{level_label}{kind_label}", {"kind": kind, "level": level})
            )
    return out
