"""Simplified Chinese by default, English available, and the catalogue kept complete."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


@pytest.mark.django_db
def test_the_portal_speaks_chinese_by_default(login, world):
    body = login(world.office).get(reverse("home")).content.decode()
    assert "党办工作台" in body
    assert 'lang="zh-hans"' in body


@pytest.mark.django_db
def test_a_user_switches_to_english_and_back(login, world):
    client = login(world.office)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "Party office desk" in body
    assert "党办工作台" not in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "党办工作台" in client.get(reverse("home")).content.decode()


def _entries(po):
    """(flags, msgid, msgstr) of every entry; continuation lines joined, plural forms in one."""
    for block in po.split("\n\n")[1:]:  # the header first
        flags, parts, key = "", {"msgid": "", "msgstr": ""}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                parts[key] += line[1:-1]
            else:
                key, _space, text = line.partition(" ")
                key = "msgstr" if key.startswith("msgstr") else key
                parts[key] = parts.get(key, "") + text[1:-1]
        if parts["msgid"]:
            yield flags, parts["msgid"], parts["msgstr"]


def test_every_message_has_an_english_translation():
    entries = list(_entries((LOCALE / "django.po").read_text(encoding="utf-8")))
    assert len(entries) > 700
    assert [msgid for _flags, msgid, msgstr in entries if not msgstr] == []
    # makemessages marks a guess from a similar string "fuzzy": msgfmt leaves it out.
    fuzzy = [msgid for flags, msgid, _msgstr in entries if "fuzzy" in flags]
    assert fuzzy == [], "check these translations, then remove the fuzzy flag"


def test_the_compiled_catalogue_matches_the_source():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    msgids = len(re.findall(r"^msgid ", po, flags=re.M)) - 1  # less the header
    msgids += len(re.findall(r"^msgid_plural ", po, flags=re.M))  # two forms each
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    assert len(catalogue) - 1 == msgids, "run: msgfmt -o django.mo django.po"


@pytest.mark.django_db
def test_page_title_names_the_page_and_the_portal(login, world):
    body = login(world.office).get(reverse("accountability:unit-list")).content.decode()
    assert "<title>组织机构 · 主体责任管理平台</title>" in body
