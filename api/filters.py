"""Query-string filters of the API lists. Objects are named by id; a filter never widens the
scope (the queryset it narrows is already scoped)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import DutyLetter, ResponsibilityItem, RiskPoint, Unit, User, WorkRecord
from rectification.models import Colour, Finding, Inspection, Measure

MAX_ID = 2**63 - 1


def Id(label, field_name=None, **kwargs):  # noqa: N802 (reads like a filter class)
    return django_filters.NumberFilter(
        label=label,
        field_name=field_name,
        min_value=1,
        max_value=MAX_ID,
        decimal_places=0,
        **kwargs,
    )


def Year(field_name, lookup_expr="exact"):  # noqa: N802
    # Bounded: a date's year lookup builds Python dates, and year 0 or 10000 cannot be one.
    return django_filters.NumberFilter(
        label=_("年度 · year"),
        field_name=field_name,
        lookup_expr=lookup_expr,
        min_value=2000,
        max_value=2100,
        decimal_places=0,
    )


class UnitFilter(django_filters.FilterSet):
    organisation = Id(_("党组织 id · organisation id"))
    parent = Id(_("上级单位 id · parent unit id"))
    kind = django_filters.ChoiceFilter(label=_("类型 · kind"), choices=Unit.Kind.choices)
    is_active = django_filters.BooleanFilter(label=_("启用 · active"))

    class Meta:
        model = Unit
        fields = []


class PersonFilter(django_filters.FilterSet):
    organisation = Id(_("党组织 id · organisation id"))
    unit = Id(_("单位 id · unit id"))

    class Meta:
        model = User
        fields = []


class ResponsibilityItemFilter(django_filters.FilterSet):
    year = Year("list__year")
    organisation = Id(_("党组织 id · organisation id"), "list__organisation")
    responsible_unit = Id(_("责任单位 id · responsible unit id"))
    kind = Id(_("记实类别 id · record kind id"))

    class Meta:
        model = ResponsibilityItem
        fields = []


class WorkRecordFilter(django_filters.FilterSet):
    year = Year("date", "year")
    month = django_filters.NumberFilter(
        label=_("月份 · month"),
        field_name="date",
        lookup_expr="month",
        min_value=1,
        max_value=12,
        decimal_places=0,
    )
    date_from = django_filters.DateFilter(
        label=_("起始日期 · from"), field_name="date", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期 · to"), field_name="date", lookup_expr="lte"
    )
    unit = Id(_("单位 id · unit id"))
    kind = Id(_("类别 id · kind id"))
    leader = Id(_("参加领导 id · leader id"))

    class Meta:
        model = WorkRecord
        fields = []


class DutyLetterFilter(django_filters.FilterSet):
    year = Year("year")
    unit = Id(_("单位 id · unit id"))
    kind = django_filters.ChoiceFilter(label=_("类型 · kind"), choices=DutyLetter.Kind.choices)
    level = django_filters.ChoiceFilter(label=_("层级 · level"), choices=DutyLetter.Level.choices)
    status = django_filters.ChoiceFilter(
        label=_("签订状态 · status"),
        field_name="status_code",
        choices=DutyLetter.Status.choices,
    )

    class Meta:
        model = DutyLetter
        fields = []


class RiskPointFilter(django_filters.FilterSet):
    unit = Id(_("单位 id · unit id"))
    level = django_filters.ChoiceFilter(
        label=_("风险等级 · level"), choices=RiskPoint.Level.choices
    )
    is_active = django_filters.BooleanFilter(label=_("有效 · active"))

    class Meta:
        model = RiskPoint
        fields = []


class InspectionFilter(django_filters.FilterSet):
    year = Year("year")
    kind = django_filters.ChoiceFilter(label=_("类型 · kind"), choices=Inspection.Kind.choices)

    class Meta:
        model = Inspection
        fields = []


class FindingFilter(django_filters.FilterSet):
    year = Year("inspection__year")
    inspection = Id(_("巡视巡察 id · inspection id"))
    rectified = django_filters.BooleanFilter(label=_("已整改 · rectified"))

    class Meta:
        model = Finding
        fields = []


class MeasureFilter(django_filters.FilterSet):
    """The queryset carries ``with_colour()``."""

    year = Year("finding__inspection__year")
    inspection = Id(_("巡视巡察 id · inspection id"), "finding__inspection")
    finding = Id(_("反馈问题 id · finding id"))
    unit = Id(_("责任处室 id · unit id"))
    responsible_person = Id(_("责任人 id · responsible person id"))
    state = django_filters.ChoiceFilter(label=_("状态 · state"), choices=Measure.State.choices)
    colour = django_filters.ChoiceFilter(label=_("预警颜色 · colour"), choices=Colour.choices)
    overdue = django_filters.BooleanFilter(label=_("是否逾期 · overdue"), method="filter_overdue")

    class Meta:
        model = Measure
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = Measure.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)
