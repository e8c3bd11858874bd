"""Passwords and usernames get the portal's plain words wherever they are set (a person's own
password page, the admin site's new person and its password page), never Django's wording, and
a refused form changes nothing. Usernames are unique whatever their capitals, since logging in
ignores case."""

import re
from html import unescape

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accountability.models import User
from accountability.passwords import IS_ACTIVE_HELP, PASSWORD_KEPT_HELP, PASSWORD_UNSET_HELP

from .test_admin_messages import errors as admin_errors
from .test_admin_messages import hidden_inputs

NEW = "Qingfeng#2026"


def _fragments(text):
    """The fixed parts of a message, its placeholders cut out."""
    for part in re.split(r"%\(\w+\)[sd]|%[sd]", str(text)):
        part = part.strip(" .。()（）")
        if len(part) >= 4:
            yield part


def _django_wording():
    django_validators = [
        password_validation.MinimumLengthValidator(),
        password_validation.UserAttributeSimilarityValidator(),
        password_validation.CommonPasswordValidator(),
        password_validation.NumericPasswordValidator(),
    ]
    for validator in django_validators:
        yield validator.get_error_message()
        yield validator.get_help_text()
    yield from SetPasswordMixin.error_messages.values()
    yield from PasswordChangeForm.error_messages.values()
    yield UnicodeUsernameValidator.message
    username = User._meta.get_field("username")
    yield username.error_messages["unique"]
    yield username.help_text
    yield SetPasswordMixin.create_password_fields()[1].help_text


def stock(text):
    """The pieces of Django's own wording (Chinese and English) found in ``text``."""
    found = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for message in _django_wording():
                found.update(part for part in _fragments(message) if part in text)
    return sorted(found)


def test_the_detector_knows_djangos_wording():
    with translation.override("zh-hans"):
        common = str(password_validation.CommonPasswordValidator().get_error_message())
        mismatch = str(SetPasswordMixin.error_messages["password_mismatch"])
    assert stock(f"<li>{common}</li>") and stock(mismatch)
    assert stock("This password is too common.")
    assert not stock("这是一个常见密码，容易被猜到，请换一个。")


def crispy_errors(response):
    """The field and form errors of a portal page (crispy-forms' Bootstrap 5 markup)."""
    html = response.content.decode()
    found = re.findall(r'class="invalid-feedback"[^>]*>(.*?)</(?:span|div)>', html, re.S)
    found += re.findall(r'class="alert alert-block alert-danger"[^>]*>(.*?)</div>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", " ", item)).split() for item in found]


def said(response):
    return " ".join(" ".join(words) for words in crispy_errors(response))


@pytest.fixture
def own_page(world, login):
    return login(world.head), reverse("password_change")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new1", "new2", "expected"),
    [
        ("wrong-password", NEW, NEW, "原密码不正确，请重新输入。"),
        (None, NEW, NEW + "x", "两次输入的新密码不一致，请重新输入。"),
        (None, "password123", "password123", "这是一个常见密码，容易被猜到，请换一个。"),
        (None, "58203917465", "58203917465", "密码不能全是数字，请加入字母或符号。"),
        (None, "Qf#26", "Qf#26", "密码太短：至少要 8 个字符，请再加长一些。"),
        (None, "head123", "head123", "密码与用户名太相似，容易被猜到，请换一个。"),
    ],
)
def test_a_persons_own_password_page_says_what_is_wrong_in_plain_words(
    own_page, world, old, new1, new2, expected
):
    client, url = own_page
    before = User.objects.get(pk=world.head.pk).password
    response = client.post(
        url,
        {"old_password": old or world.password, "new_password1": new1, "new_password2": new2},
    )
    assert response.status_code == 200
    text = said(response)
    assert expected in text, text
    assert stock(response.content.decode()) == []
    assert User.objects.get(pk=world.head.pk).password == before


@pytest.mark.django_db
def test_the_password_page_explains_the_rules_in_plain_words_in_both_languages(own_page):
    client, url = own_page
    page = client.get(url).content.decode()
    assert "至少 8 个字符。" in page and "不能全是数字。" in page
    assert "请再输入一次新密码，以便核对。" in page
    assert stock(page) == []

    client.cookies["django_language"] = "en"
    response = client.post(url, {"old_password": "x", "new_password1": "1", "new_password2": "2"})
    text = said(response)
    assert "The old password is not right; please enter it again." in text, text
    assert "The two new passwords differ; please enter them again." in text, text
    assert stock(response.content.decode()) == []


@pytest.mark.django_db
def test_a_good_new_password_is_taken(own_page, world):
    client, url = own_page
    response = client.post(
        url, {"old_password": world.password, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=world.head.pk).check_password(NEW)


@pytest.fixture
def superuser(world):
    return User.objects.create_superuser("root", "root@example.org", "x", full_name="超级管理员")


@pytest.mark.django_db
def test_the_admin_sites_new_person_gets_plain_words_and_is_not_saved(superuser, login, world):
    client = login(superuser)
    url = reverse("admin:accountability_user_add")
    page = client.get(url).content.decode()
    # Django's line above the form has no Chinese: the page says its own.
    assert "After you" not in page and "保存后，可以继续填写此人的其他信息。" in page
    form = hidden_inputs(page)
    form.update({"full_name": "吴新人", "organisation": world.org.pk, "unit": world.works.pk})
    count = User.objects.count()

    for username, password1, password2, expected in (
        ("Head", NEW, NEW, "已有用户名相同的人员（不区分大小写），请换一个用户名。"),
        ("wu xinren", NEW, NEW, "用户名只能由字母、数字和 @ . + - _ 组成，不能有空格。"),
        ("wuxinren", NEW, "other", "两次输入的新密码不一致，请重新输入。"),
        ("wuxinren", "12345678", "12345678", "这是一个常见密码，容易被猜到，请换一个。"),
    ):
        response = client.post(
            url, {**form, "username": username, "password1": password1, "password2": password2}
        )
        text = " ".join(admin_errors(response))
        assert expected in text, (username, text)
        assert stock(response.content.decode()) == [], username
        assert User.objects.count() == count

    response = client.post(
        url, {**form, "username": "wuxinren", "password1": NEW, "password2": NEW}
    )
    assert response.status_code == 302
    assert User.objects.get(username="wuxinren").check_password(NEW)


@pytest.mark.django_db
def test_a_superuser_adds_a_person_who_signs_on_without_a_password(superuser, login, world):
    client = login(superuser)
    url = reverse("admin:accountability_user_add")
    page = client.get(url).content.decode()
    assert "此人能否用密码登录。" in page
    form = hidden_inputs(page)
    form.update(
        {"username": "wuxinren", "full_name": "吴新人", "organisation": world.org.pk}
        | {"usable_password": "false", "password1": "", "password2": ""}
    )
    assert client.post(url, form).status_code == 302
    assert not User.objects.get(username="wuxinren").has_usable_password()

    form.update({"username": "zhouxinren", "usable_password": "true"})
    said_then = admin_errors(client.post(url, form))
    assert said_then == ["请填写密码。", "请填写密码确认。"], said_then
    assert not User.objects.filter(username="zhouxinren").exists()


@pytest.mark.django_db
def test_the_admin_sites_password_page_gets_plain_words(superuser, login, world):
    client = login(superuser)
    url = reverse("admin:auth_user_password_change", args=[world.head.pk])
    before = User.objects.get(pk=world.head.pk).password
    page = client.get(url).content.decode()
    assert "请再输入一次新密码，以便核对。" in page
    response = client.post(
        url, {"usable_password": "true", "password1": "password1", "password2": "password1"}
    )
    text = " ".join(admin_errors(response))
    assert "这是一个常见密码，容易被猜到，请换一个。" in text, text
    assert stock(response.content.decode()) == []
    response = client.post(url, {"usable_password": "true", "password1": NEW, "password2": ""})
    assert "请填写密码确认。" in " ".join(admin_errors(response))
    assert User.objects.get(pk=world.head.pk).password == before


@pytest.mark.django_db
def test_a_system_administrator_cannot_add_or_rename_a_person_to_a_name_differing_in_capitals(
    login, world
):
    client = login(world.admin)
    url = reverse("admin:accountability_user_add")
    form = hidden_inputs(client.get(url).content.decode())
    form.update({"username": "HEAD", "full_name": "吴新人", "organisation": world.org.pk})
    count = User.objects.count()
    said_then = admin_errors(client.post(url, form))
    assert said_then == ["已有用户名相同的人员（不区分大小写），请换一个用户名。"], said_then
    assert User.objects.count() == count

    response = client.post(url, {**form, "username": "wuxinren"})
    assert response.status_code == 302
    person = User.objects.get(username="wuxinren")
    assert not person.has_usable_password()

    change = reverse("admin:accountability_user_change", args=[person.pk])
    form = hidden_inputs(client.get(change).content.decode())
    form.update(
        {
            "username": "Office",
            "full_name": "吴新人",
            "organisation": world.org.pk,
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        }
    )
    said_then = admin_errors(client.post(change, form))
    assert said_then == ["已有用户名相同的人员（不区分大小写），请换一个用户名。"], said_then
    assert User.objects.get(pk=person.pk).username == "wuxinren"


@pytest.mark.django_db
def test_the_database_refuses_a_username_differing_only_in_capitals(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="OFFICE", full_name="重名")


def _person_state_wording():
    """Django's words on a person's change page: the password's help and hash summary, and the
    status boxes' help texts."""
    from django.contrib.auth.forms import UserChangeForm

    form = UserChangeForm(instance=User(password="!unusable"))
    yield form.fields["password"].help_text
    yield UserChangeForm.base_fields["password"].help_text
    for name in ("is_active", "is_staff", "is_superuser"):
        yield User._meta.get_field(name).help_text
    yield User._meta.get_field("is_staff").verbose_name
    yield from ("algorithm", "iterations", "salt", "No password set.")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_persons_page_on_the_admin_site_says_whether_a_password_is_set_in_plain_words(
    superuser, login, world, language
):
    """No hash summary (algorithm, iterations, salt), no "staff status" (the admin site opens by
    role here, so the box would grant nothing), and the status boxes as they work here."""
    client = login(superuser)
    client.cookies["django_language"] = language
    world.stranger.set_unusable_password()
    world.stranger.save()
    pages = {
        person: client.get(reverse("admin:accountability_user_change", args=[person.pk]))
        for person in (world.office, world.stranger)
    }
    with translation.override(language):
        django = {str(text) for text in _person_state_wording()}
        ours = {
            world.office: [gettext("已设置密码"), gettext("重设密码"), PASSWORD_KEPT_HELP],
            world.stranger: [gettext("未设置密码，不能用密码登录"), PASSWORD_UNSET_HELP],
        }
        ours = {person: [str(words) for words in said] for person, said in ours.items()}
        active = str(IS_ACTIVE_HELP)
    for person, response in pages.items():
        assert response.status_code == 200
        text = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
        assert 'name="is_staff"' not in response.content.decode()
        assert 'name="is_superuser"' in response.content.decode()
        left = sorted(part for part in django if part and part in text)
        assert not left, f"Django's wording on {person}'s page: {left}"
        for words in [*ours[person], active]:
            assert words in text
