"""What rectification tells people, and whom: called by the services inside their transactions.

The texts are written here (this app knows measures); ``notices`` only stores and delivers them.
The person acting is never told about their own action.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from accountability.models import Role, RoleAssignment
from notices.batches import notify, stored_language
from notices.models import Notice


def _short(text, limit=40):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _tell(measure, *, people, by, kind, key, text):
    return notify(
        recipients={pk for pk in people if pk and pk != getattr(by, "pk", None)},
        kind=kind,
        key=key,
        text=text,
        link=reverse("rectification:measure-detail", args=[measure.pk]),
        organisation_id=measure.organisation_id,
    )


def _owners(measure, *also):
    return {measure.responsible_person_id, *also}


def inspector_ids(organisation_id):
    return set(
        RoleAssignment.objects.filter(
            organisation_id=organisation_id, role=Role.INSPECTOR, user__is_active=True
        ).values_list("user_id", flat=True)
    )


@stored_language
def closure_returned(measure, *, entry, by, requested_by_id):
    return _tell(
        measure,
        people=_owners(measure, requested_by_id),
        by=by,
        kind=Notice.Kind.CLOSURE_RETURNED,
        key=f"measure-returned:{entry.pk}",
        text=_("整改措施「%(what)s」的销号申请被%(by)s退回，原因：%(reason)s")
        % {
            "what": _short(measure.description),
            "by": by.get_full_name() or by.get_username(),
            "reason": measure.return_reason,
        },
    )


@stored_language
def closure_accepted(measure, *, entry, by, requested_by_id):
    return _tell(
        measure,
        people=_owners(measure, requested_by_id),
        by=by,
        kind=Notice.Kind.CLOSURE_ACCEPTED,
        key=f"measure-accepted:{entry.pk}",
        text=_("整改措施「%(what)s」已同意销号（%(by)s），回头看应于%(due)s前完成。")
        % {
            "what": _short(measure.description),
            "by": by.get_full_name() or by.get_username(),
            "due": measure.followup_due_on.isoformat() if measure.followup_due_on else "—",
        },
    )


@stored_language
def closure_requested(measure, *, entry, by):
    return _tell(
        measure,
        people=inspector_ids(measure.organisation_id),
        by=by,
        kind=Notice.Kind.CLOSURE_REQUESTED,
        key=f"measure-requested:{entry.pk}",
        text=_("%(unit)s申请整改措施「%(what)s」销号，请审核。")
        % {"unit": measure.unit.name, "what": _short(measure.description)},
    )


@stored_language
def reopened(measure, *, entry, by):
    return _tell(
        measure,
        people=_owners(measure),
        by=by,
        kind=Notice.Kind.MEASURE_REOPENED,
        key=f"measure-reopened:{entry.pk}",
        text=_("整改措施「%(what)s」已重新打开，原因：%(reason)s")
        % {"what": _short(measure.description), "reason": measure.return_reason},
    )


@stored_language
@stored_language
def imported(inspection, *, batch_id, counts, by):
    """After an Excel import: each responsible person hears once how many of the batch's
    measures are theirs (one notice a person, whatever the number of rows)."""
    link = reverse("rectification:measure-list") + f"?inspection={inspection.pk}&open=yes"
    told = 0
    for person_id, count in sorted(counts.items()):
        if not person_id or person_id == getattr(by, "pk", None):
            continue
        told += notify(
            recipients={person_id},
            kind=Notice.Kind.MEASURE_ASSIGNED,
            key=f"measures-imported:{batch_id}:{person_id}",
            text=_("「%(inspection)s」导入了%(n)d条由您负责的整改措施，请查看并按时限推进。")
            % {"inspection": inspection.title, "n": count},
            link=link,
            organisation_id=inspection.organisation_id,
        )
    return told


def assigned(measure, *, by, event):
    """The measure was given to its (new) responsible person; ``event`` tells this assignment
    from a later one to the same person (the history row of the save)."""
    if not measure.responsible_person_id:
        return 0
    return _tell(
        measure,
        people={measure.responsible_person_id},
        by=by,
        kind=Notice.Kind.MEASURE_ASSIGNED,
        key=f"measure-assigned:{measure.pk}:{measure.responsible_person_id}:{event}",
        text=_("您被确定为整改措施「%(what)s」的责任人（%(unit)s），整改时限：%(deadline)s。")
        % {
            "what": _short(measure.description),
            "unit": measure.unit.name,
            "deadline": measure.deadline_display,
        },
    )
