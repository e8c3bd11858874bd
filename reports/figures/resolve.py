"""Compute the figures of one organisation's year, a fixed number of queries whatever the size.

Each group of metrics is one aggregate query, run only when a token of the group is present:
kinds (1), work records per kind for the year and the year before (1), titles (1),
rectification (2), duty letters (1), responsibility list (1).
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from . import links
from .metrics import METRICS


@dataclass
class Resolved:
    key: str
    ok: bool
    text: str = ""
    value: object = None
    label: str = ""
    url: str = ""
    error: str = ""

    def as_dict(self):
        return asdict(self)


@dataclass
class FigureContext:
    organisation: object
    year: int
    today: date = field(default_factory=date.today)
    _cache: dict = field(default_factory=dict, repr=False)

    # -- public ----------------------------------------------------------------------------------
    def resolve(self, tokens):
        """``tokens``: iterable of Token; returns {key: Resolved}."""
        out = {}
        for token in tokens:
            if token.key not in out:
                out[token.key] = self._resolve_one(token)
        return out

    def has_data(self):
        work = self._work()
        rect = self._rectification()
        return bool(
            sum(row["n"] for row in work.values()) or rect["findings"] or self._letters()["letters"]
        )

    # -- one token -------------------------------------------------------------------------------
    def _resolve_one(self, token):
        metric = METRICS.get(token.metric)
        if metric is None:
            return Resolved(token.key, False, error=_("未知的数据项“%s”") % token.key)
        if metric.per_kind:
            kind = self._kinds().get(token.arg)
            if kind is None:
                return Resolved(
                    token.key, False, error=_("工作记实类别“%s”不存在或已删除") % token.arg
                )
            if not kind.is_active:
                return Resolved(token.key, False, error=_("工作记实类别“%s”已停用") % kind.name)
            label = str(metric.label).format(kind=kind.name)
            return self._per_kind(token, metric, kind, label)
        if token.arg:
            return Resolved(token.key, False, error=_("数据项“%s”不带参数") % token.metric)
        group = getattr(self, f"_{metric.group}")()
        value = group[metric.name]
        return Resolved(
            token.key,
            True,
            text=str(value),
            value=value,
            label=str(metric.label),
            url=links.for_metric(metric.name, self.organisation, self.year),
        )

    def _per_kind(self, token, metric, kind, label):
        row = self._work().get(kind.pk, {"n": 0, "p": 0, "prev": 0})
        url = links.work_records(kind, self.year)
        if metric.name == "count":
            value, text = row["n"], str(row["n"])
        elif metric.name == "participants":
            value, text = row["p"] or 0, str(row["p"] or 0)
        elif metric.name == "yoy":
            value = row["n"] - row["prev"]
            if value > 0:
                text = _("增加%d次") % value
            elif value < 0:
                text = _("减少%d次") % -value
            else:
                text = _("持平")
        else:  # titles
            titles = self._titles().get(kind.pk, [])
            if not titles and not self.has_data():
                # A year without any records: the report says so at the top; no list to give.
                return Resolved(
                    token.key, True, text=_("（无记录）"), value=[], label=label, url=url
                )
            if not titles:
                return Resolved(
                    token.key,
                    False,
                    label=label,
                    url=url,
                    error=_("%(year)s年没有“%(kind)s”记录，无法列出名称")
                    % {"year": self.year, "kind": kind.name},
                )
            value = titles
            text = "、".join(book_titles(titles))
        return Resolved(token.key, True, text=text, value=value, label=label, url=url)

    # -- groups (each one query, cached) ---------------------------------------------------------
    def _cached(self, name, compute):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def _meta(self):
        return {"year": self.year, "org": self.organisation.body_name}

    def _kinds(self):
        from accountability.models import WorkRecordKind

        return self._cached(
            "kinds",
            lambda: {
                k.code: k for k in WorkRecordKind.objects.filter(organisation=self.organisation)
            },
        )

    def _work(self):
        from accountability.models import WorkRecord

        def compute():
            this, last = Q(date__year=self.year), Q(date__year=self.year - 1)
            rows = (
                WorkRecord.objects.filter(organisation=self.organisation)
                .filter(this | last)
                .values("kind_id")
                .annotate(
                    n=Count("pk", filter=this),
                    p=Sum("participant_count", filter=this),
                    prev=Count("pk", filter=last),
                )
                .order_by()
            )
            return {row["kind_id"]: row for row in rows}

        return self._cached("work", compute)

    def _titles(self):
        from accountability.models import WorkRecord

        def compute():
            titles = {}
            rows = (
                WorkRecord.objects.filter(organisation=self.organisation, date__year=self.year)
                .filter(kind__code__in=[code for code in self._kinds()])
                .order_by("date", "pk")
                .values_list("kind_id", "title")
            )
            for kind_id, title in rows:
                if title not in titles.setdefault(kind_id, []):
                    titles[kind_id].append(title)
            return titles

        return self._cached("titles", compute)

    def _rectification(self):
        from . import rectification_source

        return self._cached(
            "rectification",
            lambda: rectification_source.figures(self.organisation, self.year, self.today),
        )

    def _letters(self):
        from accountability.models import DutyLetter

        def compute():
            signed = Q(signed_on__isnull=False)
            return (
                DutyLetter.objects.active()
                .filter(organisation=self.organisation, year=self.year)
                .aggregate(
                    letters=Count("pk"),
                    letters_signed=Count("pk", filter=signed),
                    letters_units=Count("unit", filter=signed, distinct=True),
                )
            )

        return self._cached("letters", compute)

    def _items(self):
        from accountability.models import ResponsibilityItem

        def compute():
            items = ResponsibilityItem.objects.filter(
                list__organisation=self.organisation, list__year=self.year
            ).with_progress()
            return items.aggregate(
                items=Count("pk"),
                items_done=Count(
                    "pk", filter=Q(target_count__isnull=False, done_count__gte=F("target_count"))
                ),
            )

        return self._cached("items", compute)


_BOOK_TITLE = re.compile(r"《[^《》]+》")


def book_titles(titles):
    """Each record's title as book-title marks: the 《…》 names inside it when it has any
    ("组织观看警示教育片《零容忍》" gives 《零容忍》), else the whole title; no name twice."""
    seen = []
    for title in titles:
        for name in _BOOK_TITLE.findall(title) or [f"《{title.strip('《》')}》"]:
            if name not in seen:
                seen.append(name)
    return seen
