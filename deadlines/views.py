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
from notices.models import Channel, Delivery, NoticeDelivery, ReminderPolicy
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
def _date_filter(label, field_name, lookup_expr):
    return django_filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup_expr,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DeliveryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=Delivery.State.choices)
    channel = django_filters.ChoiceFilter(label=gettext_lazy("渠道"), choices=Channel.choices)
    day_from = _date_filter(gettext_lazy("日期从"), "digest__day", "gte")
    day_to = _date_filter(gettext_lazy("日期至"), "digest__day", "lte")
    recipient = django_filters.CharFilter(
        label=gettext_lazy("接收人"),
        field_name="digest__recipient__full_name",
        lookup_expr="icontains",
    )

    class Meta:
        model = Delivery
        fields = ["state", "channel"]


class NoticeDeliveryFilter(DeliveryFilter):
    """The same filters over the event notices' batches (their window's day, their person)."""

    channel = django_filters.ChoiceFilter(
        label=gettext_lazy("渠道"),
        choices=[(c.value, c.label) for c in (Channel.EMAIL, Channel.WEBHOOK)],
    )
    day_from = _date_filter(gettext_lazy("日期从"), "window_start__date", "gte")
    day_to = _date_filter(gettext_lazy("日期至"), "window_start__date", "lte")
    recipient = django_filters.CharFilter(
        label=gettext_lazy("接收人"), field_name="recipient__full_name", lookup_expr="icontains"
    )

    class Meta:
        model = NoticeDelivery
        fields = ["state", "channel"]


def _deliveries(ids):
    qs = Delivery.objects.select_related("digest__recipient", "digest__organisation")
    return qs if ids is None else qs.filter(digest__organisation_id__in=ids)


def _notice_deliveries(ids):
    """A person's batch is the person's organisation's; a group robot's, its organisation's."""
    qs = NoticeDelivery.objects.select_related("recipient", "organisation")
    if ids is None:
        return qs
    return qs.filter(Q(organisation_id__in=ids) | Q(recipient__organisation_id__in=ids))


class DeliveryListView(AdminMixin, ListView):
    """The delivery log: the reminder digests' deliveries, or with ``?log=notices`` the event
    notices' batches (one e-mail per person, one robot message per organisation and window)."""

    template_name = "reminders/delivery_list.html"
    paginate_by = 50

    def get_queryset(self):
        ids = admin_organisation_ids(self.request)
        self.notices = self.request.GET.get("log") == "notices"
        if self.notices:
            qs, filterset, order = _notice_deliveries(ids), NoticeDeliveryFilter, "-window_start"
        else:
            qs, filterset, order = _deliveries(ids), DeliveryFilter, "-digest__day"
        self.base_queryset = qs
        data = self.request.GET.copy()
        data.pop("log", None)
        self.filter = filterset(data or None, queryset=qs)
        return self.filter.qs.order_by(order, "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filter
        context["notices_log"] = self.notices
        context["filter_tab"] = ("log", "notices") if self.notices else None
        context["retry_route"] = RETRY_ROUTES[self.notices]
        context["summary"] = self.base_queryset.aggregate(
            pending=Count("pk", filter=Q(state__in=["pending", "sending"])),
            failed=Count("pk", filter=Q(state="failed")),
            sent_today=Count("pk", filter=Q(state="sent", sent_at__date=timezone.localdate())),
        )
        context["organisations"] = self.admin_organisations()
        return context


RETRY_ROUTES = {False: "reminders:delivery-retry", True: "reminders:notice-delivery-retry"}


def _retry(request, pk, *, notices_log):
    ids = admin_organisation_ids(request)
    if ids == []:
        raise PermissionDenied
    delivery = get_object_or_404(
        _notice_deliveries(ids) if notices_log else _deliveries(ids), pk=pk
    )
    if notices.delivery_retry(delivery=delivery):
        delivery.refresh_from_db()
        message = _("已重新加入发送队列。")
    else:
        message = _("该记录无需重发。")
    if request.htmx:
        return render(
            request,
            "reminders/_delivery_row.html",
            {
                "delivery": delivery,
                "notice": message,
                "notices_log": notices_log,
                "retry_route": RETRY_ROUTES[notices_log],
            },
        )
    messages.info(request, message)
    list_url = reverse("reminders:delivery-list")
    return redirect(f"{list_url}?log=notices" if notices_log else list_url)


@login_required
@require_POST
def delivery_retry(request, pk):
    return _retry(request, pk, notices_log=False)


@login_required
@require_POST
def notice_delivery_retry(request, pk):
    return _retry(request, pk, notices_log=True)
