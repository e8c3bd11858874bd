"""The navbar's end (search box, bell, the person's menu) and the bell, written in Python
(accountability/templatetags/portal.py, notices/templatetags/reminders.py), are the HTML the
templates wrote: same escaping, same translations, same links and tokens."""

import re

import pytest
from django.template import Context, engines
from django.test import RequestFactory
from django.utils import translation

from notices.templatetags.reminders import bell_html

pytestmark = pytest.mark.django_db

# The templates before (includes/nav_search.html, nav_bell.html → reminders/_bell.html and
# language_switch.html, inlined where navbar.html included them).
BELL = '{% if bell %}<li class="nav-item" id="reminder-bell"{% if oob %} hx-swap-oob="true"{% endif %} hx-get="{% url \'reminders:bell\' %}" hx-trigger="every {{ bell.poll }}s [document.visibilityState === \'visible\']" hx-swap="outerHTML">\n  <a class="nav-link position-relative" href="{% url \'reminders:digest-list\' %}" data-testid="reminder-bell"\n     title="{% if bell.unread %}{% blocktranslate count n=bell.unread %}{{ n }}条未读提醒{% plural %}{{ n }}条未读提醒{% endblocktranslate %}{% else %}{% translate \'没有未读提醒\' %}{% endif %}">\n    <i class="bi bi-bell{% if bell.unread %}-fill{% endif %}"></i><span class="d-lg-none ms-1">{% translate "提醒" %}</span>\n    {% if bell.unread %}<span class="badge rounded-pill {% if bell.unread_red %}bg-warning text-dark{% else %}bg-light text-dark{% endif %} bell-count" data-testid="reminder-bell-count">{{ bell.unread }}</span>\n    <span class="visually-hidden">{% translate "条未读提醒" %}</span>{% endif %}\n  </a>\n</li>{% endif %}\n'
NAVBAR_END = '      \n<form class="d-flex me-lg-2 my-2 my-lg-0" role="search" method="get" action="{% url \'search:results\' %}">\n  <input class="form-control form-control-sm portal-search" type="search" name="q" value="{{ search_q|default:\'\' }}" maxlength="100" placeholder="{% translate \'搜索记实、问题、措施…\' %}" aria-label="{% translate \'搜索\' %}">\n</form>\n\n      <ul class="navbar-nav">\n        {% if bell %}<li class="nav-item" id="reminder-bell"{% if oob %} hx-swap-oob="true"{% endif %} hx-get="{% url \'reminders:bell\' %}" hx-trigger="every {{ bell.poll }}s [document.visibilityState === \'visible\']" hx-swap="outerHTML">\n  <a class="nav-link position-relative" href="{% url \'reminders:digest-list\' %}" data-testid="reminder-bell"\n     title="{% if bell.unread %}{% blocktranslate count n=bell.unread %}{{ n }}条未读提醒{% plural %}{{ n }}条未读提醒{% endblocktranslate %}{% else %}{% translate \'没有未读提醒\' %}{% endif %}">\n    <i class="bi bi-bell{% if bell.unread %}-fill{% endif %}"></i><span class="d-lg-none ms-1">{% translate "提醒" %}</span>\n    {% if bell.unread %}<span class="badge rounded-pill {% if bell.unread_red %}bg-warning text-dark{% else %}bg-light text-dark{% endif %} bell-count" data-testid="reminder-bell-count">{{ bell.unread }}</span>\n    <span class="visually-hidden">{% translate "条未读提醒" %}</span>{% endif %}\n  </a>\n</li>{% endif %}\n\n        <li class="nav-item dropdown">\n          <a class="nav-link dropdown-toggle" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false">\n            <i class="bi bi-person-circle"></i> {{ user.get_full_name }}\n          </a>\n          <ul class="dropdown-menu dropdown-menu-end">\n            <li><span class="dropdown-item-text small text-muted">{{ nav.role_labels|join:"、" }}</span></li>\n            <li><a class="dropdown-item" href="{% url \'password_change\' %}">{% translate "修改密码" %}</a></li>\n            <li><a class="dropdown-item" href="{% url \'tokens:apitoken-list\' %}">{% translate "API 令牌" %}</a></li>\n            <li><a class="dropdown-item" href="{% url \'reminders:preference-update\' %}">{% translate "提醒方式" %}</a></li>\n            <li>{# A plain POST to Django\'s set_language: no script needed. #}\n{% get_current_language as LANGUAGE_CODE %}{% get_available_languages as LANGUAGES %}\n<form method="post" action="{% url \'set_language\' %}" class="px-3 py-1 d-flex gap-1 language-switch">\n  {% csrf_token %}<input type="hidden" name="next" value="{{ request.get_full_path }}">\n  {% for code, name in LANGUAGES %}\n  <button type="submit" name="language" value="{{ code }}" class="btn btn-sm {% if code == LANGUAGE_CODE %}btn-secondary{% else %}btn-outline-secondary{% endif %}" lang="{{ code }}">{% if code == "en" %}English{% else %}中文{% endif %}</button>\n  {% endfor %}\n</form>\n</li>\n            <li><hr class="dropdown-divider"></li>\n            <li>\n              <form method="post" action="{% url \'logout\' %}">{% csrf_token %}\n                <button class="dropdown-item" type="submit">{% translate "退出登录" %}</button>\n              </form>\n            </li>\n          </ul>\n        </li>\n      </ul>\n'
LANGUAGE_SWITCH = '{# A plain POST to Django\'s set_language: no script needed. #}\n{% get_current_language as LANGUAGE_CODE %}{% get_available_languages as LANGUAGES %}\n<form method="post" action="{% url \'set_language\' %}" class="px-3 py-1 d-flex gap-1 language-switch">\n  {% csrf_token %}<input type="hidden" name="next" value="{{ request.get_full_path }}">\n  {% for code, name in LANGUAGES %}\n  <button type="submit" name="language" value="{{ code }}" class="btn btn-sm {% if code == LANGUAGE_CODE %}btn-secondary{% else %}btn-outline-secondary{% endif %}" lang="{{ code }}">{% if code == "en" %}English{% else %}中文{% endif %}</button>\n  {% endfor %}\n</form>\n'


def squeezed(html):
    """Whitespace runs as one space, none between tags (the templates' line breaks)."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def render(source, context, request):
    """The template with ``context`` and ``request`` alone (no context processors)."""
    template = engines["django"].from_string("{% load i18n portal %}" + source).template
    return template.render(Context({**context, "request": request}))


BELLS = [
    {"unread": 0, "unread_red": 0, "unread_notices": 0, "poll": 30},
    {"unread": 1, "unread_red": 0, "unread_notices": 1, "poll": 30},
    {"unread": 7, "unread_red": 2, "unread_notices": 3, "poll": 15},
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("bell", BELLS)
@pytest.mark.parametrize("oob", [False, True])
def test_the_bell_is_the_templates_bell(language, bell, oob):
    request = RequestFactory().get("/")
    with translation.override(language):
        expected = render(BELL, {"bell": bell, "oob": oob}, request)
        assert squeezed(bell_html(bell, oob=oob)) == squeezed(expected)
        assert bell_html(None) == render(BELL, {"bell": None}, request).strip() == ""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_navbar_end_is_the_templates(world, language, monkeypatch):
    world.head.full_name = '张<b>处长</b> & "引号"'
    world.head.save()
    bell = {"unread": 3, "unread_red": 1, "unread_notices": 1, "poll": 30}
    monkeypatch.setattr("notices.views.bell_state", lambda user: bell)
    request = RequestFactory().get("/a/records/", {"q": '<x>&"', "page": "2"})
    request.user = world.head
    context = {
        "user": world.head,
        "nav": {"role_labels": ["处室负责人", "<纪检>"]},
        "search_q": '<script>"搜索"&',
        "bell": bell,
        "csrf_token": "token<&>",
    }
    with translation.override(language):
        ours = render("{% navbar_end %}", context, request)
        theirs = render(NAVBAR_END, context, request)
    assert squeezed(ours) == squeezed(theirs)
    assert "&lt;b&gt;处长&lt;/b&gt;" in ours and 'value="token&lt;&amp;&gt;"' in ours


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_language_switch_is_the_templates(language):
    request = RequestFactory().get("/accounts/login/", {"next": "/r/?a=1&b=<2>"})
    context = {"csrf_token": "abc"}
    with translation.override(language):
        ours = render("{% language_switch %}", context, request)
        theirs = render(LANGUAGE_SWITCH, context, request)
    assert squeezed(ours) == squeezed(theirs)
    assert ('btn-secondary" lang="en"' in ours) == (language == "en")
