"""Changes to schemes: each checks the input, writes in a transaction, or changes nothing.

Errors are ``ValidationError`` with a Chinese message for the person who typed the value.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import measures
from .models import ManualAdjustment, Rule, Scheme

MAX_POINTS = Decimal("9999.99")


def _number(value, *, label):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(label)s须填写数字。") % {"label": label}) from None
    if not number.is_finite() or abs(number) > MAX_POINTS:
        raise ValidationError(_("%(label)s超出范围。") % {"label": label})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("%(label)s最多保留两位小数。") % {"label": label})
    return number


def check_weight(value):
    weight = _number(value, label=_("分值"))
    if weight < 0:
        raise ValidationError(_("分值不能为负数，请填写0或正数。"))
    return weight


def check_measure(scheme, measure):
    """The measure must be one the scheme's page offers (a tampered form gets a message)."""
    if measure not in dict(measures.offered(scheme.target)):
        raise ValidationError(
            _("“%(measure)s”不是可选的考核项目，请从列表中选择。") % {"measure": str(measure)[:40]}
        )
    return measure


@transaction.atomic
def scheme_create(*, owner, year, target, name, by):
    scheme = Scheme(owner=owner, year=year, target=target, name=name.strip(), created_by=by)
    scheme.full_clean()
    scheme._history_user = by
    scheme.save()
    return scheme


@transaction.atomic
def rule_add(*, scheme, measure, weight, note="", by):
    measure = check_measure(scheme, measure)
    weight = check_weight(weight)
    if Rule.objects.filter(scheme=scheme, measure=measure).exists():
        raise ValidationError(_("该考核项目已在本方案中，请直接修改其分值。"))
    rule = Rule(
        scheme=scheme,
        measure=measure,
        weight=weight,
        note=(note or "").strip(),
        order=scheme.rules.count() + 1,
    )
    rule._history_user = by
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:  # the same measure added at the same moment by someone else
        raise ValidationError(_("该考核项目已在本方案中，请直接修改其分值。")) from None
    return rule


@transaction.atomic
def rule_update(*, rule, weight, note=None, by):
    rule.weight = check_weight(weight)
    if note is not None:
        rule.note = note.strip()
    rule._history_user = by
    rule.save()
    return rule


@transaction.atomic
def rule_delete(*, rule, by):
    rule._history_user = by
    rule.delete()


@transaction.atomic
def adjustment_add(*, scheme, target_id, points, reason, by):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("加减分必须填写理由。"))
    points = _number(points, label=_("加减分"))
    if points == 0:
        raise ValidationError(_("加减分不能为0。"))
    target = scheme.targets().filter(pk=target_id).first() if str(target_id).isdecimal() else None
    if target is None:
        raise ValidationError(_("所选对象不在本考核方案的考核范围内。"))
    field = "organisation" if scheme.scores_organisations else "unit"
    adjustment = ManualAdjustment(
        scheme=scheme, points=points, reason=reason[:300], created_by=by, **{field: target}
    )
    adjustment._history_user = by
    adjustment.save()
    return adjustment


@transaction.atomic
def adjustment_delete(*, adjustment, by):
    adjustment._history_user = by
    adjustment.delete()
