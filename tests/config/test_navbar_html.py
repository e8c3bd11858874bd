"""The navbar's end (search box, bell, the person's menu) and the bell, written in Python
(accountability/templatetags/portal.py, notices/templatetags/reminders.py), are the HTML the
templates wrote: same escaping, same translations, same links and tokens."""

import re
from pathlib import Path

import pytest
from django.template import Context, engines
from django.test import RequestFactory
from django.utils import translation

from notices.templatetags.reminders import bell_html

pytestmark = pytest.mark.django_db

# The templates before (tests/config/former/: includes/nav_search.html, nav_bell.html →
# reminders/_bell.html and language_switch.html, inlined where navbar.html included them).
FORMER = Path(__file__).parent / "former"
BELL = (FORMER / "bell.html").read_text(encoding="utf-8")
LANGUAGE_SWITCH = (FORMER / "language_switch.html").read_text(encoding="utf-8")
# navbar.html's end, where it included the bell and the language switch.
NAVBAR_END = (
    (FORMER / "navbar_end.html")
    .read_text(encoding="utf-8")
    .replace("@@BELL@@", BELL)
    .replace("@@LANGUAGE_SWITCH@@", LANGUAGE_SWITCH)
)


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
