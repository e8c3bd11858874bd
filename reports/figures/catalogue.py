"""What the editor's picker offers: every metric, per active kind where it applies."""

from .markup import Token
from .metrics import METRICS


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
    general = [(str(m.label), str(Token(m.name))) for m in METRICS.values() if not m.per_kind]
    return [("整改、责任书与清单", general), *groups]
