"""Bad input on the admin site, where organisations, units and people are kept, gets the portal's
natural messages (common.forms.GuidedAdminMixin), never Django's stock ones, and saves nothing."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from accountability.models import Organisation, Role, RoleAssignment, Unit, User
from common.forms import GuidedAdminMixin

# Django's own wording, in Chinese and English: none of it may reach an administrator.
STOCK = (
    "该字段是必填项",
    "这个字段是必填项",
    "已存在",
    "已经存在",
    "有效“字段”",
    "This field is required",
    "already exists",
    "valid “slug”",
)


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""


def hidden_inputs(html):
    """The hidden inputs a browser would post back: the inlines' management forms among them."""
    parser = _HiddenInputs()
    parser.feed(html)
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def errors(response):
    html = response.content.decode()
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in lists]


@pytest.fixture
def superuser(world):
    return User.objects.create_superuser("root", "root@example.org", "x", full_name="超级管理员")


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def test_every_model_admin_of_the_site_speaks_the_portals_words():
    assert admin.site._registry
    unguided = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, GuidedAdminMixin)
    ]
    assert not unguided


@pytest.mark.django_db
def test_every_add_form_posted_empty_names_what_is_missing(superuser, login):
    client = login(superuser)
    seen = 0
    for model in admin.site._registry:
        url = add_url(model)
        page = client.get(url)
        if page.status_code != 200:  # nobody adds these here
            continue
        count = model.objects.count()
        response = client.post(url, hidden_inputs(page.content.decode()))
        said = errors(response)
        assert response.status_code == 200, model._meta.label
        assert said, model._meta.label
        assert not [text for text in said if any(stock in text for stock in STOCK)], said
        assert all(text.startswith(("请填写", "请选择")) for text in said), said
        assert model.objects.count() == count
        seen += 1
    assert seen >= 6  # organisations, units, people, warning rules, two directory maps


@pytest.mark.django_db
def test_a_taken_code_or_name_and_a_malformed_code_are_refused_in_plain_words(
    superuser, login, world
):
    client = login(superuser)
    url = add_url(Organisation)
    form = {"code": world.org.code, "name": world.org.name, "body_type": "party_group"}
    said = errors(client.post(url, form))
    assert "已有代码相同的党组织，请换一个代码。" in said
    assert "已有单位名称相同的党组织，请换一个单位名称。" in said

    said = errors(client.post(url, {**form, "code": "wsjw 1", "name": "市卫生健康委员会"}))
    assert said == ["代码只能由英文字母、数字、下划线（_）或连字符（-）组成，如 sw、water-bureau。"]
    assert Organisation.objects.count() == 2

    client.cookies["django_language"] = "en"
    said = errors(client.post(url, form))
    assert "Another Party organization already has this Code; choose another." in said, said
    assert not [text for text in said if any(stock in text for stock in STOCK)], said


@pytest.mark.django_db
def test_a_unit_named_as_its_sibling_is_refused_naming_the_fields(superuser, login, world):
    client = login(superuser)
    form = {
        "organisation": world.org.pk,
        "parent": world.root.pk,
        "name": world.works.name,
        "kind": Unit.Kind.DEPARTMENT,
        "order": 0,
        "is_active": "on",
    }
    count = Unit.objects.count()
    said = errors(client.post(add_url(Unit), form))
    assert said == ["已有党组织、上级单位、名称都相同的单位，请修改后再保存。"], said
    assert Unit.objects.count() == count


@pytest.mark.django_db
def test_the_same_role_given_twice_on_one_page_is_named_in_plain_words(superuser, login, world):
    person = User.objects.create_user("xinren", full_name="新同事", organisation=world.org)
    client = login(superuser)
    url = reverse("admin:accountability_user_change", args=[person.pk])
    form = hidden_inputs(client.get(url).content.decode())
    form.update(
        {
            "username": person.username,
            "full_name": person.full_name,
            "organisation": world.org.pk,
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            "role_assignments-TOTAL_FORMS": "2",
        }
    )
    for row in (0, 1):
        form[f"role_assignments-{row}-organisation"] = world.org.pk
        form[f"role_assignments-{row}-role"] = Role.INSPECTOR
        form[f"role_assignments-{row}-user"] = person.pk
    said = errors(client.post(url, form))
    assert said == ["有两行的党组织、角色都相同，请删去重复的一行。", "这一行与上面的一行重复。"]
    assert not RoleAssignment.objects.filter(user=person).exists()


# Three words or more of English in a page's text: Django's own strings its Chinese lacks.
ENGLISH = re.compile(r"[A-Za-z][A-Za-z’',]+(?: [A-Za-z’',.]+){2,}")


def english_left(html):
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", "\n", html))
    return ENGLISH.findall(text)


@pytest.mark.django_db
def test_every_admin_page_speaks_chinese(superuser, login, world):
    """Django's admin strings without Chinese (a line above the new person's form, the app
    list's column heading, the password page's warning) are given theirs (locale/zh_Hans and
    accountability/passwords.py)."""
    client = login(superuser)
    urls = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:auth_user_password_change", args=[world.head.pk]),
    ]
    for model in admin.site._registry:
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{base}_changelist"), reverse(f"{base}_add")]
        first = model.objects.first()
        if first is not None:
            urls += [reverse(f"{base}_{page}", args=[first.pk]) for page in ("change", "delete")]
    left = {}
    for url in urls:
        response = client.get(url)
        found = english_left(response.text) if response.status_code == 200 else []
        if found:
            left[url] = found
    assert len(urls) > 20
    assert left == {}
