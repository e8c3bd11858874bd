"""The review queue's cards and a measure's timeline, written in Python
(rectification_tags.review_queue_items and measure_timeline), are the HTML the templates wrote:
same escaping, same translations, same links, files and tokens. The templates they replaced are
kept in tests/rectification/former/ under their old names."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Prefetch
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.test import RequestFactory
from django.utils import timezone, translation

from rectification.models import Measure, MeasureEvidence, ProgressUpdate

pytestmark = pytest.mark.django_db

FORMER = Path(__file__).parent / "former"
OLD_NAMES = {
    "rectification/includes/queue_item.html": "queue_item.html",
    "rectification/includes/timeline.html": "timeline.html",
    "rectification/includes/evidence_links.html": "evidence_links.html",
}


def former_engine():
    """The project's template engine, with the former includes back under their old names."""
    former = {name: (FORMER / file).read_text(encoding="utf-8") for name, file in OLD_NAMES.items()}
    options = settings.TEMPLATES[0]["OPTIONS"]
    return Engine(
        dirs=[str(path) for path in settings.TEMPLATES[0]["DIRS"]],
        loaders=[
            ("django.template.loaders.locmem.Loader", former),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
        libraries={**get_installed_libraries(), **options.get("libraries", {})},
        builtins=options.get("builtins", []),
    )


def squeezed(html):
    """Whitespace runs as one space, none between tags (the templates' line breaks)."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def evidence(measure, update, name, content_type, removed=False):
    return MeasureEvidence.objects.create(
        measure=measure,
        update=update,
        file=f"evidence/{name}",
        original_name=name,
        content_type=content_type,
        size=123456,
        sha256="0" * 64,
        uploaded_by=update.by,
        removed_at=timezone.now() if removed else None,
    )


@pytest.fixture
def queued(rect):
    """rect.measure with a history a queue card shows: progress with files, a return with a
    reason, a closure request with HTML and line breaks in its note, and a reviewer whose name
    needs escaping."""
    w = rect
    w.head.full_name = '张<b>处长</b> & "引号"'
    w.head.save()
    measure = w.measure
    now = timezone.now()
    kinds = [
        ("progress", "第一步<完成>\n第二步", now - timedelta(days=5)),
        ("returned", "佐证不足 & 需补充", now - timedelta(days=3)),
        ("accepted", "", now - timedelta(days=2, hours=1)),
        ("reopened", "问题反弹", now - timedelta(days=2)),
        ("closure_request", "已整改<script>x</script>\n附件见下", now - timedelta(days=1)),
    ]
    updates = [
        ProgressUpdate.objects.create(measure=measure, kind=kind, note=note, by=w.head, at=at)
        for kind, note, at in kinds
    ]
    evidence(measure, updates[0], "方案<1>.pdf", "application/pdf")
    evidence(measure, updates[0], "台账.xlsx", "application/vnd.ms-excel", removed=True)
    evidence(measure, updates[4], "照片 & 说明.png", "image/png")
    evidence(measure, updates[4], "说明.docx", "application/msword")
    Measure.objects.filter(pk=measure.pk).update(
        state=Measure.State.CLOSURE_REQUESTED,
        closure_requested_at=now - timedelta(days=1),
        closure_requested_by=w.head,
        description="措施<i>一</i>",
    )
    return w


def measures(w):
    from rectification.selectors import attach_people

    updates = ProgressUpdate.objects.select_related("by").prefetch_related(
        Prefetch("evidence", queryset=MeasureEvidence.objects.order_by("pk"))
    )
    found = list(
        Measure.objects.with_colour(timezone.localdate())
        .filter(organisation=w.org)
        .select_related("finding__inspection", "unit", "closure_requested_by")
        .prefetch_related(Prefetch("updates", queryset=updates))
        .order_by("pk")
    )
    attach_people(found)
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_queue_cards_are_the_templates(queued, language):
    request = RequestFactory().get("/r/review/", {"page": "1", "x": '<"&>'})
    request.user = queued.inspector
    engine = former_engine()
    found = measures(queued)
    assert any(m.updates.all() for m in found)
    context = {"object_list": found, "request": request, "csrf_token": "token<&>"}
    with translation.override(language):
        ours = engine.from_string(
            "{% load rectification_tags %}{% review_queue_items object_list %}"
        ).render(Context(context))
        theirs = engine.from_string(
            '{% for measure in object_list %}{% include "rectification/includes/queue_item.html" %}'
            "{% endfor %}"
        ).render(Context(context))
    assert squeezed(ours) == squeezed(theirs)
    # Labels and values: a full-width colon in Chinese, ": " in English.
    if language == "en":
        assert "Responsible department: 基建处 · Responsible person: " in ours
    else:
        assert "责任处室：基建处 · 责任人：" in ours
    assert "已整改&lt;script&gt;x&lt;/script&gt;<br>附件见下" in ours
    assert "方案&lt;1&gt;.pdf" in ours and "台账.xlsx" not in ours
    assert 'value="token&lt;&amp;&gt;"' in ours


@pytest.mark.parametrize(
    ("route", "can_report"),
    [(None, False), (None, True), ("oversight:measure-evidence", False)],
)
def test_the_timeline_is_the_templates(queued, route, can_report):
    request = RequestFactory().get("/r/measures/1/")
    request.user = queued.head
    engine = former_engine()
    found = measures(queued)
    measure = next(m for m in found if m.pk == queued.measure.pk)
    empty = next(m for m in found if m.pk != queued.measure.pk)
    for shown in (measure, empty):
        context = {
            "measure": shown,
            "updates": shown.updates.all(),
            "request": request,
            "csrf_token": "token",
            "measure_evidence_route": route,
            "can_report": can_report,
        }
        ours = engine.from_string(
            "{% load rectification_tags %}{% measure_timeline measure updates %}"
        ).render(Context(context))
        theirs = engine.from_string('{% include "rectification/includes/timeline.html" %}').render(
            Context(context)
        )
        assert squeezed(ours) == squeezed(theirs)
        if shown is measure:
            assert ("删除或替换" in ours) is can_report
            assert (route or "rectification:measure-evidence").startswith(
                "oversight" if "/oversight/" in ours else "rectification"
            )
        else:
            assert "暂无进展记录。" in ours
