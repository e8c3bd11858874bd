"""Compute the figures of one organisation's year, a fixed number of queries whatever the size.

Each group of metrics is one aggregate query, run only when a token of the group is present:
kinds (1), work records per kind for the year and the year before (1), titles (1),
rectification (2), duty letters (1), responsibility list (1).
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import links
from .metrics import METRICS, letter_filters


@dataclass
class Resolved:
    key: str
    ok: bool
    text: str = ""
    value: object = None
    label: str = ""
    url: str = ""
    error: str = ""
    # 0 in a sentence that reports work done ("召开民主生活会0次"): printable, but the preview
    # asks the office to check the records or reword the sentence.
    zero_warning: bool = False

    def as_dict(self):
        return asdict(self)


@dataclass
class FigureContext:
    organisation: object
    year: int
    today: date = field(default_factory=timezone.localdate)
    _cache: dict = field(default_factory=dict, repr=False)

    # -- public ----------------------------------------------------------------------------------
    def resolve(self, tokens):
        """``tokens``: iterable of Token; returns {key: Resolved}."""
        out = {}
        for token in tokens:
            if token.key not in out:
                resolved = self._resolve_one(token)
                metric = METRICS.get(token.metric)
                resolved.zero_warning = bool(
                    resolved.ok and resolved.value == 0 and metric and not metric.zero_ok
                )
                out[token.key] = resolved
        return out

    def has_data(self):
        work = self._work()
        rect = self._rectification()
        return bool(
            sum(row["n"] for row in work.values())
            or rect["findings"]
            or self._letters()["letters:"]
        )

    # -- one token -------------------------------------------------------------------------------
    def _resolve_one(self, token):
        metric = METRICS.get(token.metric)
        if metric is None:
            return Resolved(
                token.key,
                False,
                label=str(_("无法识别的数据项")),
                error=_("系统中没有这个数据项，请从“插入数据项”中重新选择"),
            )
        if metric.per_kind:
            kind = self._kinds().get(token.arg)
            if kind is None:
                return Resolved(
                    token.key,
                    False,
                    label=str(metric.label).format(kind=_("已删除的类别")),
                    error=_("所引用的工作记实类别不存在或已删除，请重新选择数据项"),
                )
            label = str(metric.label).format(kind=kind.name)
            if not kind.is_active:
                return Resolved(
                    token.key, False, label=label, error=_("工作记实类别“%s”已停用") % kind.name
                )
            return self._per_kind(token, metric, kind, label)
        if metric.per_letter:
            return self._per_letter(token, metric)
        if token.arg:
            return Resolved(
                token.key,
                False,
                label=str(metric.label),
                error=_("“%s”不区分工作记实类别，请重新选择数据项") % metric.label,
            )
        group = getattr(self, f"_{metric.group}")()
        value = group[metric.name]
        if value is None:  # a name the organisation's record does not give yet
            return Resolved(
                token.key,
                False,
                label=str(metric.label),
                error=_("党组织资料中未填写“%s”，请系统管理员在后台补充") % metric.label,
            )
        return Resolved(
            token.key,
            True,
            text=str(value),
            value=value,
            label=str(metric.label),
            url=links.for_metric(metric.name, self.organisation, self.year),
        )

    def _per_letter(self, token, metric):
        filters = {arg: (label, fields) for arg, label, fields in letter_filters()}
        if token.arg not in filters:
            return Resolved(
                token.key,
                False,
                label=str(metric.label).format(letter=_("责任书")),
                error=_("责任书的类型或层级无法识别，请重新选择数据项"),
            )
        letter_label, fields = filters[token.arg]
        value = self._letters()[f"{metric.name}:{token.arg}"]
        return Resolved(
            token.key,
            True,
            text=str(value),
            value=value,
            label=str(metric.label).format(letter=letter_label),
            url=links.for_letters(metric.name, self.year, fields),
        )

    def _per_kind(self, token, metric, kind, label):
        row = self._work().get(kind.pk, {"n": 0, "p": 0, "prev": 0})
        figure = {"count": "count", "participants": "participants"}.get(metric.name, "")
        url = links.work_records(kind, self.year, figure=figure)
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
            names = book_titles(titles)
            if not names:
                return Resolved(
                    token.key,
                    False,
                    label=label,
                    url=url,
                    error=_(
                        "%(year)s年的“%(kind)s”记录中没有写明片名（《…》），请在记录标题中写明所看的"
                        "片名，或改写这句话"
                    )
                    % {"year": self.year, "kind": kind.name},
                )
            value = names
            text = "、".join(names)
        return Resolved(token.key, True, text=text, value=value, label=label, url=url)

    # -- groups (each one query, cached) ---------------------------------------------------------
    def _cached(self, name, compute):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def _meta(self):
        org = self.organisation
        return {
            "year": self.year,
            "org": org.body_name,
            "bureau": org.short_name or org.name,
            "body": org.get_body_type_display(),
            "sector": org.sector or None,
        }

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
        """Every letter figure, for all letters and per kind and level, from one small query
        (counted here: the 36 filtered aggregates took the ORM longer to build than to run)."""
        from accountability.models import DutyLetter

        def compute():
            letters = list(
                DutyLetter.objects.active()
                .filter(organisation=self.organisation, year=self.year)
                .values("kind", "level", "unit_id", "signed_on")
            )
            figures = {}
            for arg, _label, fields in letter_filters():
                chosen = [
                    letter
                    for letter in letters
                    if all(letter[name] == value for name, value in fields.items())
                ]
                signed = [letter for letter in chosen if letter["signed_on"] is not None]
                figures[f"letters:{arg}"] = len(chosen)
                figures[f"letters_signed:{arg}"] = len(signed)
                figures[f"letters_units:{arg}"] = len(
                    {letter["unit_id"] for letter in signed if letter["unit_id"] is not None}
                )
            return figures

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
    """The 《…》 names the records' titles contain ("组织观看警示教育片《零容忍》" gives
    《零容忍》), no name twice. A title without one (a site visit, a lecture) names nothing a
    sentence about films could list, so it is left out rather than wrapped whole in 《》."""
    seen = []
    for title in titles:
        for name in _BOOK_TITLE.findall(title):
            if name not in seen:
                seen.append(name)
    return seen
