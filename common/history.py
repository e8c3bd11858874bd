"""Readable change history (who, when, what changed) from django-simple-history records."""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("创建"), "~": _("修改"), "-": _("删除")}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: object
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(record, field_obj, value):
    if value in (None, ""):
        return "—"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(field_obj, models.ForeignKey):
        related = getattr(record, field_obj.name, None)  # one query per changed relation, bounded
        return str(related) if related is not None else str(value)
    if isinstance(field_obj, models.BooleanField):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def translated_reason(reason):
    """A reason is stored in the portal's own language, the catalogue's source: "同意销号", or
    "退回：<what the inspector wrote>" from "退回：%(reason)s". Show it in the reader's language;
    the part a person typed stays as typed."""
    if not reason:
        return ""
    shown = gettext(reason)
    if shown != reason or "：" not in reason:
        return shown
    label, _sep, typed = reason.partition("：")
    template = f"{label}：%(reason)s"
    translated = gettext(template)
    return translated % {"reason": typed} if translated != template else reason


# Any number no object's key is while a query is being built.
_MARKER = 987654321


def _history_queryset(historical, key_name, key, limit):
    """An object's history rows, newest first, each with the name of who made it (that one
    value joined, not the whole user row)."""
    return (
        historical.objects.filter(**{key_name: key})
        .annotate(
            who_full_name=F("history_user__full_name"),
            who_username=F("history_user__username"),
        )
        .order_by("-history_date", "-pk")[: limit + 1]
    )


@functools.cache
def _history_query(historical, key_name, limit):
    """The SQL of ``_history_queryset`` and its parameters, the object's key as ``_MARKER``.
    Built once per model: a detail page shows one or two histories, and building this query
    (about forty columns, a join and an ordering) took 3 ms of each, more than running it
    (bench/bench_page_cpu.py)."""
    sql, params = _history_queryset(historical, key_name, _MARKER, limit).query.sql_with_params()
    if list(params).count(_MARKER) != 1:  # not a query this function knows how to reuse
        return None
    return sql, tuple(params)


@functools.cache
def _historical(model):
    # Once per model: ``Model.history`` builds a new manager class on every access.
    return model.history.model


def _history_records(obj, limit):
    historical = _historical(type(obj))
    key_name = obj._meta.pk.attname
    query = _history_query(historical, key_name, limit)
    if query is None:
        return list(_history_queryset(historical, key_name, obj.pk, limit))
    sql, params = query
    return list(
        historical.objects.raw(sql, [obj.pk if param == _MARKER else param for param in params])
    )


def history_rows(obj, limit=200) -> list[HistoryRow]:
    """The object's history, newest first, each row with the fields that changed."""
    records = _history_records(obj, limit)
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field_obj = record.instance_type._meta.get_field(change.field)
                changes.append(
                    Change(
                        str(field_obj.verbose_name),
                        _display(previous, field_obj, change.old),
                        _display(record, field_obj, change.new),
                    )
                )
        # As the person's get_full_name(): their name, or their user name.
        who = record.who_full_name or record.who_username
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=who if record.history_user_id else str(_("系统")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                reason=translated_reason(record.history_change_reason or ""),
                changes=changes,
            )
        )
    return rows


def date_latest_history(obj, when, *, by=None):
    """Date ``obj``'s latest history row ``when`` (and attribute it to ``by``): for data loaded
    after the fact, such as the demo, so that the timeline reads in the order things happened."""
    latest = obj.history.order_by("-history_date", "-pk").first()
    if latest is None:
        return
    fields = {"history_date": when}
    if by is not None:
        fields["history_user"] = by
    type(latest).objects.filter(pk=latest.pk).update(**fields)
