from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


def bell_html(bell, oob=False):
    """The navbar bell's ``<li>``: written here, not by a template, since every signed-in page
    and every poll of an open page (NOTICE_BELL_POLL_SECONDS) draws it. The HTML the template
    wrote; tests/notices/test_bell_html.py holds it to that template."""
    if not bell:
        return ""
    unread = bell["unread"]
    if unread:
        title = ngettext("%(n)s条未读提醒", "%(n)s条未读提醒", unread) % {"n": unread}
        tone = "bg-warning text-dark" if bell["unread_red"] else "bg-light text-dark"
        count = format_html(
            '<span class="badge rounded-pill {} bell-count" '
            'data-testid="reminder-bell-count">{}</span>\n'
            '    <span class="visually-hidden">{}</span>',
            tone,
            unread,
            gettext("条未读提醒"),
        )
    else:
        title, count = gettext("没有未读提醒"), ""
    return format_html(
        '<li class="nav-item" id="reminder-bell"{} hx-get="{}" '
        "hx-trigger=\"every {}s [document.visibilityState === 'visible']\" "
        'hx-swap="outerHTML">\n'
        '  <a class="nav-link position-relative" href="{}" data-testid="reminder-bell"\n'
        '     title="{}">\n'
        '    <i class="bi bi-bell{}"></i><span class="d-xl-none ms-1">{}</span>\n'
        "    {}\n"
        "  </a>\n"
        "</li>",
        mark_safe(' hx-swap-oob="true"') if oob else "",
        reverse("reminders:bell"),
        bell["poll"],
        reverse("reminders:digest-list"),
        title,
        "-fill" if unread else "",
        gettext("提醒"),
        count,
    )


@register.simple_tag(takes_context=True)
def reminder_bell(context):
    """The navbar bell: unread digests, red when one of them has an overdue item."""
    from ..views import bell_state

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return bell_html(bell_state(user))


@register.simple_tag
def bell_markup(bell, oob=False):
    """A bell already counted (a partial that has just changed what is unread)."""
    return bell_html(bell, oob=bool(oob))
