from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from notices.templatetags.reminders import reminder_bell

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag
def page_numbers(page_obj):
    """The page numbers to show: the first, the last, two either side of this one, and None
    for each gap ("1 … 4 5 6 7 8 … 20")."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    ]


def _csrf_input(context):
    # What {% csrf_token %} writes.
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 (Django's marker, not a secret)
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def language_switch(context):
    """Two buttons posting to Django's set_language (no script needed), back to this page."""
    request = context["request"]
    current = get_language()
    buttons = format_html_join(
        "\n  ",
        '<button type="submit" name="language" value="{}" class="btn btn-sm {}" lang="{}">'
        "{}</button>",
        (
            (
                code,
                "btn-secondary" if code == current else "btn-outline-secondary",
                code,
                "English" if code == "en" else "中文",
            )
            for code, _name in settings.LANGUAGES
        ),
    )
    return format_html(
        '<form method="post" action="{}" class="px-3 py-1 d-flex gap-1 language-switch">\n'
        '  {}<input type="hidden" name="next" value="{}">\n'
        "  {}\n"
        "</form>",
        reverse("set_language"),
        _csrf_input(context),
        request.get_full_path(),
        buttons,
    )


@register.simple_tag(takes_context=True)
def navbar_end(context):
    """The navbar's right-hand end: the search box, the bell and the person's menu.

    Written here rather than by three included templates: every signed-in page draws it, and
    the template engine took about 1.4 ms of each page for it (bench/bench_page_cpu.py). The
    HTML is the templates' (tests/config/test_navbar_html.py holds it to them).
    """
    request = context["request"]
    nav = context.get("nav") or {}
    search = format_html(
        '<form class="d-flex me-xl-2 my-2 my-xl-0" role="search" method="get" action="{}">\n'
        '  <input class="form-control form-control-sm portal-search" type="search" name="q" '
        'value="{}" maxlength="100" placeholder="{}" aria-label="{}">\n'
        "</form>",
        reverse("search:results"),
        context.get("search_q") or "",
        gettext("搜索记实、问题、措施…"),
        gettext("搜索"),
    )
    links = format_html_join(
        "\n            ",
        '<li><a class="dropdown-item" href="{}">{}</a></li>',
        (
            (reverse("password_change"), gettext("修改密码")),
            (reverse("tokens:apitoken-list"), gettext("API 令牌")),
            (reverse("reminders:preference-update"), gettext("提醒方式")),
        ),
    )
    return format_html(
        "{search}\n"
        '      <ul class="navbar-nav">\n'
        "        {bell}\n"
        '        <li class="nav-item dropdown">\n'
        '          <a class="nav-link dropdown-toggle" href="#" role="button" '
        'data-bs-toggle="dropdown" aria-expanded="false">\n'
        '            <i class="bi bi-person-circle"></i> {name}\n'
        "          </a>\n"
        '          <ul class="dropdown-menu dropdown-menu-end">\n'
        '            <li><span class="dropdown-item-text small text-muted">{roles}</span></li>\n'
        "            {links}\n"
        "            <li>{language}</li>\n"
        '            <li><hr class="dropdown-divider"></li>\n'
        "            <li>\n"
        '              <form method="post" action="{logout}">{csrf}\n'
        '                <button class="dropdown-item" type="submit">{leave}</button>\n'
        "              </form>\n"
        "            </li>\n"
        "          </ul>\n"
        "        </li>\n"
        "      </ul>",
        search=search,
        bell=reminder_bell(context),
        name=request.user.get_full_name(),
        roles="、".join(str(label) for label in nav.get("role_labels", ())),
        links=links,
        language=language_switch(context),
        logout=reverse("logout"),
        csrf=_csrf_input(context),
        leave=gettext("退出登录"),
    )
