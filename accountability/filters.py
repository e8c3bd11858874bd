"""List filters (django-filter); every choice list is limited to the user's scope."""

import django_filters
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.filters import ModelChoiceFilter

from .models import DutyLetter, RiskPoint, Role, User, WorkRecord, WorkRecordKind

ALL = _("全部")
# Built when shown, in the reader's language (a list made at import time stayed Chinese).
_month = lazy(lambda m: gettext("%(m)d月") % {"m": m}, str)
MONTHS = [(m, _month(m)) for m in range(1, 13)]


def _units(request):
    return request.scope.readable_units().order_by("organisation", "path")


def _kinds(request):
    kinds = WorkRecordKind.objects.all()
    if not request.scope.is_superuser:
        kinds = kinds.filter(organisation_id__in=request.scope.organisation_ids)
    return kinds.order_by("organisation", "order")


def _leaders(request):
    people = User.objects.filter(role_assignments__role=Role.LEADER)
    if not request.scope.is_superuser:
        people = people.filter(role_assignments__organisation_id__in=request.scope.organisation_ids)
    return people.distinct().order_by("full_name")


class WorkRecordFilter(django_filters.FilterSet):
    # A date's year lookup builds Python dates: year 0, 10000 or 2026.5 was a 500, not a filter.
    year = django_filters.NumberFilter(
        label=_("年度"),
        field_name="date",
        lookup_expr="year",
        min_value=1,
        max_value=9999,
        decimal_places=0,
    )
    month = django_filters.ChoiceFilter(
        label=_("月份"), choices=MONTHS, method="filter_month", empty_label=ALL
    )
    unit = ModelChoiceFilter(
        label=_("单位"), queryset=_units, method="filter_unit", empty_label=ALL
    )
    kind = ModelChoiceFilter(label=_("类别"), queryset=_kinds, empty_label=ALL)
    leader = ModelChoiceFilter(label=_("参加领导"), queryset=_leaders, empty_label=ALL)
    q = django_filters.CharFilter(label=_("关键词"), method="filter_text")

    class Meta:
        model = WorkRecord
        fields = []

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def filter_month(self, queryset, name, value):
        return queryset.filter(date__month=int(value))

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class DutyLetterFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    unit = ModelChoiceFilter(
        label=_("单位"), queryset=_units, method="filter_unit", empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=DutyLetter.Kind.choices, empty_label=ALL
    )
    level = django_filters.ChoiceFilter(
        label=_("层级"), choices=DutyLetter.Level.choices, empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=DutyLetter.Status.choices,
        field_name="current_status",
        empty_label=ALL,
    )

    class Meta:
        model = DutyLetter
        fields = []

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)


class RiskPointFilter(django_filters.FilterSet):
    unit = ModelChoiceFilter(
        label=_("单位"), queryset=_units, method="filter_unit", empty_label=ALL
    )
    level = django_filters.ChoiceFilter(
        label=_("风险等级"), choices=RiskPoint.Level.choices, empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("inactive", _("已停用")), ("all", _("全部"))],
        method="filter_status",
        empty_label=_("有效"),
    )
    q = django_filters.CharFilter(label=_("关键词"), method="filter_text")

    class Meta:
        model = RiskPoint
        fields = []

    @property
    def qs(self):
        # The ledger lists the points in force unless the user asks for the deactivated ones.
        queryset = super().qs
        if not self.form.is_valid() or not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(is_active=True)
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=False) if value == "inactive" else queryset

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(post__icontains=value)
            | Q(description__icontains=value)
            | Q(measures__icontains=value)
        )
