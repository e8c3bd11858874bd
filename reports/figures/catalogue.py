"""What the editor's picker offers: every metric, per active kind where it applies."""

from django.utils.translation import gettext as _

from .markup import Token
from .metrics import METRICS, letter_filters


def catalogue(organisation):
    """[(group label, [(label, token text)])] for the picker (one query for the kinds)."""
    from accountability.models import WorkRecordKind

    kinds = list(
        WorkRecordKind.objects.filter(organisation=organisation, is_active=True)
        .order_by("order", "pk")
        .values_list("code", "name")
    )
    per_kind = [m for m in METRICS.values() if m.per_kind]
    groups = [
        (name, [(str(m.label).format(kind=name), str(Token(m.name, code))) for m in per_kind])
        for code, name in kinds
    ]
    general = [
        (str(m.label), str(Token(m.name)))
        for m in METRICS.values()
        if not m.per_kind and not m.per_letter
    ]
    per_letter = [m for m in METRICS.values() if m.per_letter]
    letters = [
        (str(m.label).format(letter=label), str(Token(m.name, arg)))
        for arg, label, _fields in letter_filters()
        for m in per_letter
    ]
    return [
        (str(_("单位、整改与清单")), general),
        (str(_("责任书与函告书")), letters),
        *groups,
    ]
