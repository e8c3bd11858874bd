import django_filters
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import Role, User
from common.filters import ModelChoiceFilter

from .models import Colour, Measure
from .selectors import visible_inspections

PATH_LEVEL = len("000001.")  # one level of Unit.path
ALL = _("全部")
YES = [("yes", _("是"))]


def _inspections(request):
    return visible_inspections(request.scope).order_by("-started_on", "-pk")


def _units(request):
    """The units to filter by: 处室 and 局属单位 (with everything below them). Whole-organisation
    readers get the first two levels only, so the list stays short however deep the tree."""
    scope = request.scope
    units = scope.readable_units()
    if scope.is_superuser or scope.full_read_org_ids:
        units = units.annotate(path_length=Length("path")).filter(path_length__lte=2 * PATH_LEVEL)
    return units.order_by("organisation", "path")


def _leaders(request):
    scope = request.scope
    people = User.objects.filter(role_assignments__role=Role.LEADER)
    if not scope.is_superuser:
        people = people.filter(role_assignments__organisation_id__in=scope.organisation_ids)
    return people.distinct().order_by("full_name")


class MeasureFilter(django_filters.FilterSet):
    """The ledger's filters; the queryset must carry ``with_colour()``."""

    inspection = ModelChoiceFilter(
        label=_("巡视巡察"),
        field_name="finding__inspection",
        queryset=_inspections,
        empty_label=ALL,
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="finding__inspection__year")
    unit = ModelChoiceFilter(
        label=_("责任处室"), queryset=_units, method="filter_unit", empty_label=ALL
    )
    leader = ModelChoiceFilter(
        label=_("牵头领导"), field_name="lead_leader", queryset=_leaders, empty_label=ALL
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Measure.State.choices, empty_label=ALL
    )
    colour = django_filters.ChoiceFilter(label=_("预警"), choices=Colour.choices, empty_label=ALL)
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"), choices=YES, method="filter_overdue", empty_label=ALL
    )
    open = django_filters.ChoiceFilter(
        label=_("未销号"), choices=YES, method="filter_open", empty_label=ALL
    )
    q = django_filters.CharFilter(label=_("关键词"), method="filter_text")

    class Meta:
        model = Measure
        fields = []

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path) if value else queryset

    def filter_open(self, queryset, name, value):
        if value == "yes":
            return queryset.exclude(state=Measure.State.CLOSED)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value == "yes":
            return queryset.overdue(timezone.localdate())
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value) | Q(finding__description__icontains=value)
        )
