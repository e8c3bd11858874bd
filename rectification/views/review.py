"""The inspector's workspace: closure requests to review, follow-up checks (回头看) due.

Each action is a plain POST that redirects back, and also answers htmx with the reviewed item's
new card, so that the queue updates in place.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from accountability.access import ScopedMixin
from common.lists import PreparedPagesMixin

from .. import services
from ..forms import AcceptForm, FollowupForm, ReopenForm, ReturnForm
from ..models import Measure, MeasureEvidence, ProgressUpdate, RectificationError
from ..selectors import attach_people, reviewable_measures
from .base import back, forbidden, refusal_messages, scoped_measure


class InspectorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.may_review_anything(request.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _with_cards(queryset):
    """What a card shows: the finding, its inspection and the unit, in the list's own query."""
    return queryset.select_related("finding__inspection", "unit")


def _with_timeline(queryset):
    """A card and its timeline: the updates and their files in two more queries."""
    updates = ProgressUpdate.objects.select_related("by").prefetch_related(
        Prefetch("evidence", queryset=MeasureEvidence.objects.order_by("pk"))
    )
    return _with_cards(queryset).prefetch_related(Prefetch("updates", queryset=updates))


class PeopleMixin:
    """The page's measures get their people from one query (selectors.attach_people)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_people(context["object_list"])
        return context


class ReviewQueueView(
    PreparedPagesMixin, PeopleMixin, ScopedMixin, InspectorRequiredMixin, ListView
):
    """Closure requests waiting for an inspector, oldest first."""

    model = Measure
    template_name = "rectification/review_queue.html"
    paginate_by = 20
    scope_org_field = "organisation"

    def get_queryset(self):
        queryset = reviewable_measures(self.request.scope).filter(
            state=Measure.State.CLOSURE_REQUESTED
        )
        return _with_timeline(queryset).order_by("closure_requested_at", "pk")


class FollowupListView(
    PreparedPagesMixin, PeopleMixin, ScopedMixin, InspectorRequiredMixin, ListView
):
    """Closed measures whose follow-up check is pending, soonest first."""

    model = Measure
    template_name = "rectification/followup_list.html"
    paginate_by = 20
    scope_org_field = "organisation"

    def get_queryset(self):
        queryset = reviewable_measures(self.request.scope).filter(
            state=Measure.State.CLOSED, followup_due_on__isnull=False
        )
        if self.request.GET.get("due") == "yes":
            queryset = queryset.filter(followup_due_on__lte=timezone.localdate())
        return _with_cards(queryset).order_by("followup_due_on", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(today=timezone.localdate())
        return context


def _review(request, pk, form_class, call, success):
    measure = scoped_measure(request, pk)
    if not services.may_review(request.scope, measure):
        return forbidden(request, _("只有纪检监督人员可以审核销号和开展回头看。"))
    form = form_class(request.POST)
    errors = []
    if form.is_valid():
        try:
            measure = call(measure, form.cleaned_data)
        except RectificationError as error:
            errors = refusal_messages(error)
    else:
        errors = [message for field in form.errors.values() for message in field]
    if request.htmx:
        measure.refresh_from_db()
        return render(
            request,
            "rectification/includes/review_result.html",
            {"measure": measure, "errors": errors, "success": None if errors else success},
        )
    for message in errors:
        messages.error(request, message)
    if not errors:
        messages.success(request, success)
    return back(request, reverse("rectification:measure-detail", args=[measure.pk]))


@login_required
@require_POST
def measure_accept(request, pk):
    return _review(
        request,
        pk,
        AcceptForm,
        lambda m, data: services.measure_accept_closure(
            measure=m, by=request.user, note=data["note"], scope=request.scope
        ),
        _("已同意销号。"),
    )


@login_required
@require_POST
def measure_return(request, pk):
    return _review(
        request,
        pk,
        ReturnForm,
        lambda m, data: services.measure_return_closure(
            measure=m, by=request.user, reason=data["reason"], scope=request.scope
        ),
        _("已退回销号申请。"),
    )


@login_required
@require_POST
def measure_followup(request, pk):
    return _review(
        request,
        pk,
        FollowupForm,
        lambda m, data: services.measure_record_followup(
            measure=m, by=request.user, note=data["note"], scope=request.scope
        ),
        _("已记录回头看：整改成果巩固。"),
    )


@login_required
@require_POST
def measure_reopen(request, pk):
    return _review(
        request,
        pk,
        ReopenForm,
        lambda m, data: services.measure_reopen(
            measure=m, by=request.user, reason=data["reason"], scope=request.scope
        ),
        _("已重新打开该整改措施。"),
    )
