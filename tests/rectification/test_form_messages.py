"""Every form of the portal (all apps; the file lives here for the rect world) speaks natural
Chinese: no Django stock message ("这个字段是必填项。", "确保该变量包含不超过 200 字符") and no
"---------" as the empty choice."""

import gettext
import importlib
import pkgutil
import re
from pathlib import Path

import django
import pytest
from django import forms
from django.urls import reverse

from common.forms import GuidedFormMixin
from rectification.models import Inspection

PROJECT_PACKAGES = (
    "audit", "notices", "accountability", "rectification", "reports", "deadlines", "search",
    "sso", "common", "config",
)  # fmt: skip
NOT_YET = ()


def _project_modules():
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            last = info.name.rsplit(".", 1)[-1]
            if not (last in ("forms", "filters", "admin") or ".views" in info.name):
                continue
            if info.name.startswith(NOT_YET):
                continue
            yield importlib.import_module(info.name)


def _project_forms():
    found = {}
    for module in _project_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__.startswith(PROJECT_PACKAGES)
                and not value.__module__.startswith(NOT_YET)
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_every_form_of_the_project_is_guided():
    found = _project_forms()
    assert len(found) > 20
    unguided = sorted(name for name, cls in found.items() if not issubclass(cls, GuidedFormMixin))
    assert unguided == []


def _stock_sources():
    """Every message Django's form fields, model fields and validators come with."""
    from django.core import validators
    from django.db.models import fields as model_fields
    from django.forms import fields as form_fields
    from django.forms import models as form_models

    for module in (form_fields, form_models, model_fields):
        for value in vars(module).values():
            if isinstance(value, type):
                yield from getattr(value, "default_error_messages", {}).values()
    for value in vars(validators).values():
        if isinstance(value, type) and getattr(value, "message", None) is not None:
            yield value.message


def _stock_messages():
    """Django's own Chinese for those messages, as fixed fragments (placeholders cut out)."""
    catalogue = gettext.translation(
        "django", localedir=Path(django.__file__).parent / "conf/locale", languages=["zh_Hans"]
    )
    fragments = set()
    for message in _stock_sources():
        args, kw = getattr(message, "_args", ()), getattr(message, "_kw", {})
        if args:
            texts = [catalogue.gettext(args[0])]
        elif "singular" in kw:
            texts = [catalogue.ngettext(kw["singular"], kw["plural"], n) for n in (1, 2)]
        else:
            continue
        for text in texts:
            for part in re.split(r"%\(\w+\)[sd]|%s", text):
                part = part.strip(" ()（）")
                if len(part) >= 5:
                    fragments.add(part)
    assert "这个字段是必填项。" in fragments
    return fragments


STOCK = None


def stock_in(text):
    global STOCK
    if STOCK is None:
        STOCK = _stock_messages()
    return sorted(fragment for fragment in STOCK if fragment in text)


def _pages(rect):
    return [
        reverse("accountability:workrecord-create"),
        reverse("accountability:dutyletter-issue"),
        reverse("accountability:responsibilityitem-create"),
        reverse("accountability:riskpoint-create"),
        reverse("rectification:inspection-create"),
        reverse("rectification:finding-create", args=[rect.inspection.pk]),
        reverse("rectification:measure-create", args=[rect.finding.pk]),
        reverse("rectification:measure-update", args=[rect.measure.pk]),
    ]


@pytest.mark.django_db
def test_form_pages_offer_a_real_empty_choice(login, rect):
    client = login(rect.office)
    for url in _pages(rect):
        body = client.get(url).text
        assert "---------" not in body, url


@pytest.mark.django_db
def test_filters_say_all_for_no_choice(login, rect):
    client = login(rect.office)
    for name in (
        "accountability:workrecord-list",
        "accountability:dutyletter-list",
        "accountability:riskpoint-list",
        "accountability:responsibilityitem-list",
        "rectification:measure-list",
        "rectification:finding-list",
    ):
        body = client.get(reverse(name)).text
        assert "---------" not in body, name


@pytest.mark.django_db
def test_empty_and_bad_input_gets_no_stock_message(login, rect):
    client = login(rect.office)
    bad = {
        "title": "题" * 300,
        "description": "",
        "year": "二〇二六",
        "date": "2026-13-45",
        "deadline": "明年",
        "started_on": "昨天",
        "participant_count": "-3",
        "unit": "999999",
        "lead_leader": "abc",
    }
    for url in _pages(rect):
        for data in ({}, bad):
            body = client.post(url, data).text
            assert stock_in(body) == [], url


@pytest.mark.django_db
def test_an_overlong_title_is_explained_and_nothing_saved(login, rect):
    before = Inspection.objects.count()
    data = {
        "kind": "inspection",
        "source": "市委第三巡察组",
        "title": "题" * 300,
        "started_on": "2026-03-01",
    }
    body = login(rect.office).post(reverse("rectification:inspection-create"), data).text
    assert "名称最多 200 个字，现在是 300 个字，请删减后再保存。" in body
    assert Inspection.objects.count() == before


@pytest.mark.django_db
def test_length_limits_are_shown_before_typing_runs_out(login, rect):
    body = login(rect.office).get(reverse("rectification:inspection-create")).text
    assert 'maxlength="200"' in body
    # portal.js turns every maxlength into a live "n / 200" counter.
    script = (Path(__file__).parents[2] / "static/js/portal.js").read_text(encoding="utf-8")
    assert "length-counter" in script


@pytest.mark.django_db
def test_a_required_field_is_named_in_its_message(login, rect):
    body = login(rect.office).post(reverse("rectification:inspection-create"), {}).text
    assert "请填写名称。" in body and "请选择类型。" in body


def test_guided_messages_follow_the_language():
    from django.utils import translation

    from rectification.forms import InspectionForm

    with translation.override("en"):
        form = InspectionForm(data={})
        form.is_valid()
        assert "Please" in " ".join(form.errors["title"]), form.errors["title"]
