"""English is complete: the main pages in English show no Chinese outside the data (names of
organisations, units and people, titles and texts people typed); the login page speaks the
portal's default unless the person chose otherwise."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from accountability.models import DutyLetter, WorkRecordKind
from rectification import services

from .factories import pdf

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _data_strings():
    """Every text stored in the portal's tables: data, shown as typed in either language."""
    found = set()
    for app in ("accountability", "rectification", "reports"):
        for model in apps.get_app_config(app).get_models():
            names = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices
            ]
            for row in model._default_manager.values_list(*names) if names else ():
                found.update(str(v) for v in row if v)
    return sorted(found, key=len, reverse=True)


# The language menu names each language in itself: "中文" is how a Chinese reader finds it.
LANGUAGE_MENU = re.compile(r'<button[^>]*name="language" value="zh-hans"[^>]*>中文</button>')


def _chinese_left(html, data):
    html = LANGUAGE_MENU.sub("", html)
    for text in data:
        html = html.replace(text, "")
    return sorted(set(CJK.findall(html)))


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def busy(rect):
    WorkRecordKind.ensure_presets(rect.org)
    DutyLetter.objects.create(
        organisation=rect.org,
        unit=rect.works,
        year=2026,
        title="2026年度基建处责任书",
        issued_on="2026-01-10",
        due_on="2026-02-10",
    )
    services.measure_request_closure(
        measure=rect.measure, by=rect.head, note="已完成整改", files=[pdf()]
    )
    services.measure_return_closure(measure=rect.measure, by=rect.inspector, reason="材料不全")
    return rect


def _pages(w):
    return [
        reverse("home"),
        reverse("accountability:unit-list"),
        reverse("accountability:workrecord-list"),
        f"{reverse('accountability:workrecord-month')}?unit={w.works.pk}&month=2026-03",
        reverse("accountability:dutyletter-list"),
        reverse("accountability:dutyletter-issue"),
        reverse("accountability:riskpoint-list"),
        reverse("accountability:responsibilityitem-list"),
        reverse("rectification:inspection-list"),
        reverse("rectification:measure-list"),
        reverse("rectification:measure-detail", args=[w.measure.pk]),
        reverse("rectification:inspection-detail", args=[w.inspection.pk]),
        reverse("reports:dashboard"),
    ]


def test_the_main_pages_in_english_show_no_chinese_outside_the_data(english, busy):
    english.force_login(busy.office)
    data = _data_strings()
    left = {}
    for url in _pages(busy):
        response = english.get(url)
        assert response.status_code == 200, url
        chinese = _chinese_left(response.text, data)
        if chinese:
            left[url] = chinese
    assert left == {}, "\n".join(f"{u}: {c}" for u, c in left.items())


def test_history_reasons_are_shown_in_english(english, busy):
    english.force_login(busy.office)
    body = english.get(reverse("rectification:measure-detail", args=[busy.measure.pk])).text
    assert "退回：" not in body
    assert "材料不全" in body  # what the inspector typed stays as typed


def test_a_browser_asking_for_english_gets_the_default_chinese_login(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in response.text
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_language_the_person_chose_still_wins(english):
    response = english.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert 'lang="en"' in response.text
