"""The metrics a figure may name. Labels are what the picker shows the office."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    name: str
    label: str  # "{kind}" is replaced by the kind's name for per-kind metrics
    group: str  # which query computes it: work / titles / rectification / letters / items
    per_kind: bool = False


METRICS = {
    m.name: m
    for m in [
        Metric("year", _("报告年度"), "meta"),
        Metric("org", _("党组织名称"), "meta"),
        Metric("count", _("{kind}次数"), "work", per_kind=True),
        Metric("participants", _("{kind}参加人次"), "work", per_kind=True),
        Metric("yoy", _("{kind}次数同比变化"), "work", per_kind=True),
        Metric("titles", _("{kind}名称列表"), "titles", per_kind=True),
        Metric("inspections", _("巡视巡察等监督检查轮次"), "rectification"),
        Metric("aspects", _("反馈问题涉及方面数"), "rectification"),
        Metric("findings", _("反馈问题数"), "rectification"),
        Metric("findings_closed", _("已完成整改的问题数"), "rectification"),
        Metric("measures", _("整改措施数"), "rectification"),
        Metric("measures_closed", _("已销号整改措施数"), "rectification"),
        Metric("measures_overdue", _("逾期未销号整改措施数"), "rectification"),
        Metric("rules", _("整改中修订出台制度规定数"), "rectification"),
        Metric("letters", _("责任书（函告书）下发数"), "letters"),
        Metric("letters_signed", _("责任书（函告书）签订数"), "letters"),
        Metric("letters_units", _("签订责任书的单位数"), "letters"),
        Metric("items", _("责任清单任务数"), "items"),
        Metric("items_done", _("责任清单已达标任务数"), "items"),
    ]
}
