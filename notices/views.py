"""The inbox and bell, and channel preferences (everyone). The policy page and the delivery log
(administrators of an organisation) are in ``deadlines.views``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView, UpdateView

from . import batches, services
from . import bell as bell_cache
from .forms import PreferenceForm
from .models import BAD_NEWS, Digest, Notice, ReminderPreference
from .templatetags.reminders import bell_html

RECENT_NOTICES = 20


# -- inbox --------------------------------------------------------------------------------------
class DigestListView(LoginRequiredMixin, ListView):
    template_name = "reminders/digest_list.html"
    paginate_by = 10

    def get_queryset(self):
        return Digest.objects.for_person(self.request.user).order_by("-day", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bell = bell_state(self.request.user)
        context["unread_count"] = bell["unread"]
        # Events (a closure returned, a letter issued …): the newest, unread first.
        context["notices"] = list(
            Notice.objects.for_person(self.request.user).order_by(
                F("read_at").desc(nulls_first=True), "-created_at", "-pk"
            )[:RECENT_NOTICES]
        )
        return context


def _own_digest(request, pk):
    return get_object_or_404(Digest, pk=pk, recipient=request.user)


def _bell_context(request):
    return {"bell": bell_state(request.user), "oob": True}


def bell_state(user):
    """Unread digests and notices; "red" when an overdue item or bad news is among them."""
    return bell_cache.state(user, _count_bell)


def _count_bell(user):
    summary = Digest.objects.for_person(user).aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)),
        unread_red=Count("pk", filter=Q(read_at__isnull=True, level="red")),
    )
    news = Notice.objects.for_person(user).aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)),
        unread_bad=Count(
            "pk",
            filter=Q(
                read_at__isnull=True,
                kind__in=BAD_NEWS,
            ),
        ),
    )
    return {
        "unread": summary["unread"] + news["unread"],
        "unread_red": summary["unread_red"] + news["unread_bad"],
        "unread_notices": news["unread"],
        "poll": settings.NOTICE_BELL_POLL_SECONDS,
    }


@login_required
def bell(request):
    """The bell alone, for the navbar's polling: news reaches an open page within seconds."""
    return HttpResponse(bell_html(bell_state(request.user)))


@login_required
@require_POST
def notice_read(request, pk):
    """Mark one notice read; its link (if any) is where the person goes next."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    batches.notice_mark_read(user=request.user, pk=notice.pk)
    target = notice.link if url_has_allowed_host_and_scheme(notice.link, None) else ""
    if request.htmx:
        notice.refresh_from_db()
        return render(
            request,
            "reminders/_notice_row.html",
            {"notice": notice, **_bell_context(request)},
        )
    return redirect(target or "reminders:digest-list")


@login_required
@require_POST
def digest_read(request, pk):
    digest = _own_digest(request, pk)
    digest.mark_read()
    if request.htmx:
        return render(
            request,
            "reminders/_digest_card.html",
            {"digest": digest, **_bell_context(request)},
        )
    return redirect("reminders:digest-list")


@login_required
@require_POST
def digest_read_all(request):
    count = services.digest_mark_all_read(user=request.user) + batches.notice_mark_read(
        user=request.user
    )
    messages.success(request, _("已将%(n)s条提醒标为已读。") % {"n": count})
    if request.htmx:
        response = HttpResponse(bell_html(bell_state(request.user)))
        response["HX-Refresh"] = "true"
        return response
    return redirect("reminders:digest-list")


# -- preferences --------------------------------------------------------------------------------
class PreferenceUpdateView(LoginRequiredMixin, UpdateView):
    form_class = PreferenceForm
    template_name = "reminders/preference_form.html"

    def get_object(self, queryset=None):
        preference, _created = ReminderPreference.objects.get_or_create(user=self.request.user)
        return preference

    def form_valid(self, form):
        messages.success(self.request, _("提醒方式已保存。"))
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("reminders:preference-update")
