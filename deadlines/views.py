"""The office's reminder administration: the policy page, "立即检查", the delivery log and its
retry button (administrators of an organisation)."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import ListView, UpdateView

from accountability.models import Organisation, Role
from notices import services as notices
from notices.forms import PolicyForm
from notices.models import Channel, Delivery, ReminderPolicy
from rectification.models import WarningPolicy

from . import services


def admin_organisation_ids(request):
    """Organisations whose reminder rules and delivery log this user administers."""
    scope = request.scope
    if scope.is_superuser:
        return None  # all
    return [org_id for org_id, roles in scope.roles.items() if Role.ADMIN in roles]


class AdminMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and admin_organisation_ids(request) == []:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def admin_organisations(self):
        ids = admin_organisation_ids(self.request)
        orgs = Organisation.objects.order_by("name")
        return orgs if ids is None else orgs.filter(pk__in=ids)


# -- policy (administrator) ---------------------------------------------------------------------
class PolicyUpdateView(AdminMixin, UpdateView):
    form_class = PolicyForm
    template_name = "reminders/policy_form.html"

    def get_object(self, queryset=None):
        orgs = self.admin_organisations()
        org_id = self.kwargs.get("organisation")
        self.organisation = (
            get_object_or_404(orgs, pk=org_id) if org_id is not None else orgs.first()
        )
        if self.organisation is None:
            raise Http404
        return ReminderPolicy.for_organisation(self.organisation)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["warning_policy"] = WarningPolicy.for_organisation(self.organisation)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.organisation
        context["organisations"] = self.admin_organisations()
        return context

    def form_valid(self, form):
        messages.success(self.request, _("提醒规则已保存。"))
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("reminders:policy-update", args=[self.organisation.pk])


@login_required
@require_POST
def sweep_run(request, organisation):
    """ "立即检查": today's digests for one organisation now; delivery is enqueued after commit,
    or left pending for the next pass when the broker is down."""
    ids = admin_organisation_ids(request)
    if ids == []:
        raise PermissionDenied
    org = get_object_or_404(
        Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids),
        pk=organisation,
    )
    result = services.reminders_sweep(organisation_ids=[org.pk])
    messages.success(
        request,
        _("已检查%(org)s的到期事项：%(items)s项，生成%(people)s人的提醒。")
        % {"org": org.name, "items": result.items, "people": len(result.drafts)},
    )
    return redirect("reminders:delivery-list")


# -- delivery log (administrator) ---------------------------------------------------------------
class DeliveryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=Delivery.State.choices)
    channel = django_filters.ChoiceFilter(label=gettext_lazy("渠道"), choices=Channel.choices)
    day_from = django_filters.DateFilter(
        label=gettext_lazy("日期从"),
        field_name="digest__day",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    day_to = django_filters.DateFilter(
        label=gettext_lazy("日期至"),
        field_name="digest__day",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recipient = django_filters.CharFilter(
        label=gettext_lazy("接收人"),
        field_name="digest__recipient__full_name",
        lookup_expr="icontains",
    )

    class Meta:
        model = Delivery
        fields = ["state", "channel"]


class DeliveryListView(AdminMixin, ListView):
    template_name = "reminders/delivery_list.html"
    paginate_by = 50

    def get_queryset(self):
        ids = admin_organisation_ids(self.request)
        qs = Delivery.objects.select_related("digest__recipient", "digest__organisation")
        if ids is not None:
            qs = qs.filter(digest__organisation_id__in=ids)
        self.base_queryset = qs
        self.filter = DeliveryFilter(self.request.GET or None, queryset=qs)
        return self.filter.qs.order_by("-digest__day", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filter
        context["summary"] = self.base_queryset.aggregate(
            pending=Count("pk", filter=Q(state__in=["pending", "sending"])),
            failed=Count("pk", filter=Q(state="failed")),
            sent_today=Count("pk", filter=Q(state="sent", sent_at__date=timezone.localdate())),
        )
        context["organisations"] = self.admin_organisations()
        return context


@login_required
@require_POST
def delivery_retry(request, pk):
    ids = admin_organisation_ids(request)
    if ids == []:
        raise PermissionDenied
    qs = Delivery.objects.select_related("digest__recipient", "digest__organisation")
    if ids is not None:
        qs = qs.filter(digest__organisation_id__in=ids)
    delivery = get_object_or_404(qs, pk=pk)
    if notices.delivery_retry(delivery=delivery):
        delivery.refresh_from_db()
        message = _("已重新加入发送队列。")
    else:
        message = _("该记录无需重发。")
    if request.htmx:
        return render(
            request, "reminders/_delivery_row.html", {"delivery": delivery, "notice": message}
        )
    messages.info(request, message)
    return redirect("reminders:delivery-list")
