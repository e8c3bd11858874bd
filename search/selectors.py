"""Search across the year's records, within the reader's scope.

One query per kind of record, each limited and ordered by recency so that its cost does not grow
with the number of matches; the rows fetched are then ranked here (a word in the title counts
more than one in the text) and shown with the passage that matched.

On PostgreSQL a word of three characters or more is found through the pg_trgm index
(``ILIKE``), a two-character word through the character-pair index (``portal_bigrams``), a
single character by a plain ``ILIKE`` that stops at the limit. Elsewhere (SQLite) ``icontains``.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accountability.models import DutyLetter, RiskPoint, WorkRecord
from rectification.models import Finding, Measure
from rectification.selectors import visible_findings, visible_measures

from .documents import BY_KIND, Document

MAX_QUERY_CHARS = 100
MAX_TERMS = 5
PER_KIND = 20
SNIPPET_CHARS = 60
# Characters that separate words in a query: whitespace and the usual CJK / ASCII punctuation.
SEPARATORS = re.compile(r"[\s，。、；：,;]+")


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...] = ()
    truncated: bool = False

    @classmethod
    def parse(cls, raw: str) -> "Query":
        # NUL cannot be stored or compared by PostgreSQL; other characters are plain text.
        text = (raw or "").replace("\x00", "").strip()
        truncated = len(text) > MAX_QUERY_CHARS
        words = [word for word in SEPARATORS.split(text[:MAX_QUERY_CHARS]) if word]
        terms = tuple(dict.fromkeys(words))
        truncated = truncated or len(terms) > MAX_TERMS
        return cls(terms=terms[:MAX_TERMS], truncated=truncated)

    def __bool__(self):
        return bool(self.terms)


@dataclass
class Result:
    kind: str
    kind_label: str
    title: str
    title_html: str
    url: str
    field_label: str
    snippet: str
    context: str
    score: int = 0
    order: int = 0


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's own wildcards and escape character taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def term_condition(document: Document, term: str, columns):
    if connection.vendor != "postgresql":
        condition = Q()
        for column in columns:
            condition |= Q(**{f"{column}__icontains": term})
        return condition
    expression = document.sql_expression(qualified=True)
    if len(term) == 2:
        # The pair index finds the rows; where the planner walks another index instead (scope,
        # recency), the cheap ILIKE is tested first and the pair function rarely runs.
        sql = f"({expression} ILIKE %s AND portal_bigrams({expression}) @> ARRAY[lower(%s)])"
        params = [like_pattern(term), term]
        return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (fixed SQL)
    sql = f"{expression} ILIKE %s"  # the expression names fixed columns; the term is a param
    return RawSQL(sql, [like_pattern(term)], output_field=BooleanField())  # noqa: S611


def highlight(text: str, terms) -> tuple[str, int]:
    """An escaped passage of ``text`` around the first match, matches in <mark>; and the count."""
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    matches = list(pattern.finditer(text))
    if not matches:
        return "", 0
    first = matches[0].start()
    start = max(0, first - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    window = text[start:end]
    parts, last = [], 0
    for match in pattern.finditer(window):
        parts.append(escape(window[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(window[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix), len(matches)  # noqa: S308 (escaped above)


# kind -> (label, the fields searched with their labels, the first being the title)
def _sources(scope):
    # A reader of one organisation walks its (organisation, date) index, newest first; a
    # superuser reads every organisation, where only the primary key gives that order cheaply.
    record_order = ("-pk",) if scope.is_superuser else ("-date", "-pk")
    return {
        "workrecord": (
            _("工作记实"),
            scope.filter(
                WorkRecord.objects.select_related("unit"),
                unit_field="unit",
                org_field="organisation",
            ).order_by(*record_order),
            [("title", WorkRecord), ("description", WorkRecord)],
        ),
        "finding": (
            _("反馈问题"),
            visible_findings(scope, Finding.objects.select_related("inspection")).order_by("-pk"),
            [("description", Finding), ("aspect", Finding)],
        ),
        "measure": (
            _("整改措施"),
            visible_measures(scope, Measure.objects.select_related("unit")).order_by("-pk"),
            [("description", Measure), ("latest_progress", Measure)],
        ),
        "dutyletter": (
            _("责任书"),
            scope.filter(
                DutyLetter.objects.select_related("unit"),
                unit_field="unit",
                org_field="organisation",
            ).order_by("-issued_on", "-pk"),
            [("title", DutyLetter), ("body", DutyLetter)],
        ),
        "riskpoint": (
            _("廉政风险点"),
            scope.filter(
                RiskPoint.objects.select_related("unit"),
                unit_field="unit",
                org_field="organisation",
            ).order_by("-pk"),
            [("post", RiskPoint), ("description", RiskPoint), ("measures", RiskPoint)],
        ),
    }


KINDS = ("workrecord", "finding", "measure", "dutyletter", "riskpoint")


def _describe(kind, row):
    """The result's title, link and a line of context."""
    if kind == "workrecord":
        return (
            row.title,
            reverse("accountability:workrecord-detail", args=[row.pk]),
            (f"{row.date:%Y-%m-%d} · {row.unit}"),
        )
    if kind == "finding":
        url = reverse("rectification:inspection-detail", args=[row.inspection_id])
        return (
            f"{row.number}. {row.description[:40]}",
            f"{url}#finding-{row.pk}",
            str(row.inspection),
        )
    if kind == "measure":
        return (
            row.description[:60],
            reverse("rectification:measure-detail", args=[row.pk]),
            str(row.unit),
        )
    if kind == "dutyletter":
        return (
            row.title,
            reverse("accountability:dutyletter-detail", args=[row.pk]),
            (f"{row.year} · {row.unit}"),
        )
    return (
        f"{row.unit} · {row.post}",
        reverse("accountability:riskpoint-detail", args=[row.pk]),
        row.get_level_display(),
    )


def search(scope, query: Query, *, kinds=KINDS, per_kind=PER_KIND) -> list[Result]:
    """The records in ``scope`` holding every term of ``query``, best first (one query a kind)."""
    if not query:
        return []
    results = []
    sources = _sources(scope)
    for kind in kinds:
        label, queryset, fields = sources[kind]
        document = BY_KIND[kind]
        for term in query.terms:
            queryset = queryset.filter(term_condition(document, term, document.columns))
        for order, row in enumerate(queryset[:per_kind]):
            title, url, context = _describe(kind, row)
            score, matched = 0, []
            for position, (name, model) in enumerate(fields):
                snippet, count = highlight(getattr(row, name) or "", query.terms)
                if count:
                    # A word in the title weighs most; each further occurrence adds a little.
                    score += (6 if position == 0 else 2) + min(count, 5)
                    field_name = model._meta.get_field(name).verbose_name
                    matched.append((position == 0, field_name, snippet))
            # Show the passage of the text that matched; the title shows its own marks.
            matched.sort(key=lambda item: item[0])
            _, field_label, snippet = (matched or [(True, "", escape(title))])[0]
            title_html = highlight(title, query.terms)[0] or escape(title)
            results.append(
                Result(
                    kind=kind,
                    kind_label=label,
                    title=title,
                    title_html=mark_safe(title_html),  # noqa: S308 (escaped by highlight)
                    url=url,
                    field_label=field_label,
                    snippet=snippet,
                    context=context,
                    score=score,
                    order=order,
                )
            )
    results.sort(key=lambda result: (-result.score, result.order))
    return results
