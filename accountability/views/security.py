"""三员分立 in the portal: the security auditor's audit log, and the role grants inspectors see.

The audit log itself lives in the ``audit`` app below this one; here is who may read it: the
security auditor of an organisation reads that organisation's events (and a superuser all),
filters them and exports them to Excel; nobody changes them.
"""

import django_filters
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from audit.models import Action, AuditEvent
from common.excel import Column
from common.lists import ExcelExportMixin

from ..models import Role, RoleAssignment

BUSINESS_ROLES = (Role.OFFICE, Role.UNIT_HEAD, Role.LEADER, Role.INSPECTOR)


def _org_ids_with(scope, *roles):
    """Organisations where the user holds one of ``roles``; None for a superuser (all)."""
    if scope.is_superuser:
        return None
    return sorted(org for org, held in scope.roles.items() if held & set(roles))


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=_("事件"), choices=Action.choices)
    username = django_filters.CharFilter(label=_("用户名"), lookup_expr="icontains")
    address = django_filters.CharFilter(label=_("IP 地址"), method="filter_address")
    day_from = django_filters.DateFilter(
        label=_("日期从"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    day_to = django_filters.DateFilter(
        label=_("日期至"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    object_repr = django_filters.CharFilter(label=_("对象"), lookup_expr="icontains")

    class Meta:
        model = AuditEvent
        fields = ["action"]

    def filter_address(self, queryset, name, value):
        import ipaddress

        try:
            return queryset.filter(address=str(ipaddress.ip_address(value.strip())))
        except ValueError:
            return queryset.none()


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


class AuditEventListView(LoginRequiredMixin, ExcelExportMixin, ListView):
    """安全审计日志: the security auditor's page (filters, pages of 50, Excel export)."""

    template_name = "accountability/auditevent_list.html"
    paginate_by = 50
    export_title = _("安全审计日志")
    export_filename = "audit-log"

    @property
    def export_columns(self):
        return [
            Column(gettext("时间"), lambda e: _local(e.at), 20),
            Column(gettext("事件"), lambda e: e.get_action_display(), 16),
            Column(gettext("用户名"), lambda e: e.username, 16),
            Column(gettext("IP 地址"), lambda e: e.address or "", 16),
            Column(gettext("对象类型"), lambda e: e.object_type, 22),
            Column(gettext("对象编号"), lambda e: e.object_id, 10),
            Column(gettext("对象"), lambda e: e.object_repr, 30),
            Column(gettext("说明"), lambda e: e.detail, 40),
        ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.scope.is_superuser or request.scope.has_role(Role.AUDITOR)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        queryset = AuditEvent.objects.for_organisations(
            _org_ids_with(self.request.scope, Role.AUDITOR)
        )
        self.filter = AuditEventFilter(self.request.GET or None, queryset=queryset)
        if self.filter.is_bound and not self.filter.is_valid():
            return queryset.none()
        return self.filter.qs.order_by("-at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filter
        context["retention_days"] = AuditEvent.retention_days()
        return context


class RoleGrantListView(LoginRequiredMixin, ListView):
    """授权记录: every grant and revocation of a role in one's organisation, from the history,
    for the inspectors (and the security auditor) to see who gave whom which rights."""

    template_name = "accountability/rolegrant_list.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.scope.is_superuser or request.scope.has_role(Role.INSPECTOR, Role.AUDITOR)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        org_ids = _org_ids_with(self.request.scope, Role.INSPECTOR, Role.AUDITOR)
        queryset = RoleAssignment.history.select_related("user", "organisation", "history_user")
        if org_ids is not None:
            queryset = queryset.filter(organisation_id__in=org_ids)
        if self.request.GET.get("business") == "1":
            queryset = queryset.filter(role__in=BUSINESS_ROLES)
        return queryset.order_by("-history_date", "-history_id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["business_only"] = self.request.GET.get("business") == "1"
        return context
