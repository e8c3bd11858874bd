"""The closure review (对账销号) and follow-up, each step in one transaction.

Every action locks the measure's row (``SELECT … FOR UPDATE``), checks who is acting and the state
the measure is in *now*, applies the model's transition, and writes the timeline entry with its
evidence. Two inspectors acting on the same measure at once: the second waits for the first's
lock, then finds the state changed and is told so; nothing is lost or applied twice.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accountability.access import scope_for
from accountability.models import Role
from common.evidence import files_rolled_back_on_error

from . import notices as tell
from .models import Measure, MeasureEvidence, ProgressUpdate, RectificationError, WarningPolicy

Kind = ProgressUpdate.Kind


def may_report(scope, measure) -> bool:
    """The responsible person, the head of its unit (or above), and the party office.

    A read-only leader named 责任人 before that was refused (or by a superuser's data load)
    stays read-only: being named does not give a write right the roles do not.
    """
    if scope.can_write_unit(measure.unit_id):
        return True
    return scope.user_id == measure.responsible_person_id and not scope.is_read_only_in(
        measure.organisation_id
    )


def may_review(scope, measure) -> bool:
    return scope.is_superuser or scope.has_role(
        Role.INSPECTOR, organisation=measure.organisation_id
    )


def _scope(by, scope):
    return scope if scope is not None else scope_for(by)


def _require_reporter(by, measure, scope):
    if not may_report(_scope(by, scope), measure):
        raise PermissionDenied(_("只有该整改措施的责任人、责任处室负责人或党办可以报告进展。"))


def _require_inspector(by, measure, scope):
    if not may_review(_scope(by, scope), measure):
        raise PermissionDenied(_("只有纪检监督人员可以审核销号和开展回头看。"))


def _require_not_involved(by, measure):
    """Nobody reviews a closure they requested or reported progress on (三员分立's spirit for
    the closure review: the one who did the work is not the one who signs it off)."""
    involved = measure.updates.filter(
        by=by, kind__in=(Kind.PROGRESS, Kind.CLOSURE_REQUEST)
    ).exists()
    if involved:
        raise RectificationError(
            _(
                "您报告过该整改措施的进展或申请过销号，不能审核它的销号申请，请由其他纪检监督人员审核。"
            )
        )


def _locked(measure):
    return Measure.objects.select_for_update(of=("self",)).get(pk=measure.pk)


def _save(measure, by, why, **params):
    """Save with the history reason kept in the portal's own language (its catalogue's source),
    whoever acted: common.history translates it for each reader."""
    measure._history_user = by
    with translation.override(settings.LANGUAGE_CODE):
        text = str(why) % params if params else str(why)
    measure._change_reason = text[:100]
    measure.save()


def _attach(measure, update, by, files):
    for item in files or ():
        upload, info = item if isinstance(item, tuple) else (item, None)
        MeasureEvidence.from_upload(upload, by=by, info=info, measure=measure, update=update).save()


def _entry(measure, kind, by, note="", files=()):
    update = ProgressUpdate.objects.create(measure=measure, kind=kind, note=note, by=by)
    _attach(measure, update, by, files)
    return update


def measure_report_progress(*, measure, by, note, files=(), scope=None):
    """A progress report (with optional evidence); an open measure becomes in progress."""
    note = (note or "").strip()
    if not note:
        raise RectificationError(_("请填写整改进展情况。"))
    _require_reporter(by, measure, scope)
    with files_rolled_back_on_error(), transaction.atomic():
        locked = _locked(measure)
        if locked.state == Measure.State.CLOSED:
            raise RectificationError(_("该整改措施已销号，不能再报告进展。"))
        locked.start_progress()
        locked.latest_progress = note
        _save(locked, by, _("报告进展"))
        _entry(locked, Kind.PROGRESS, by, note, files)
    return locked


def measure_request_closure(*, measure, by, note, files, scope=None):
    """Request closure with a progress note and at least one evidence file."""
    _require_reporter(by, measure, scope)
    if not files:
        raise RectificationError(_("申请销号须上传至少一份佐证材料。"))
    with files_rolled_back_on_error(), transaction.atomic():
        locked = _locked(measure)
        locked.request_closure(by=by, note=note)
        _save(locked, by, _("申请销号"))
        entry = _entry(locked, Kind.CLOSURE_REQUEST, by, locked.latest_progress, files)
        tell.closure_requested(locked, entry=entry, by=by)
    return locked


def measure_accept_closure(*, measure, by, note="", scope=None):
    """An inspector accepts the closure (销号); the follow-up check falls due later."""
    _require_inspector(by, measure, scope)
    with transaction.atomic():
        locked = _locked(measure)
        policy = WarningPolicy.for_organisation(locked.organisation_id)
        requested_by_id = locked.closure_requested_by_id
        locked.accept_closure(by=by, followup_days=policy.followup_days)
        _require_not_involved(by, locked)  # after the state and requester checks
        _save(locked, by, _("同意销号"))
        entry = _entry(locked, Kind.ACCEPTED, by, (note or "").strip())
        tell.closure_accepted(locked, entry=entry, by=by, requested_by_id=requested_by_id)
    return locked


def measure_return_closure(*, measure, by, reason, scope=None):
    """An inspector returns the request with a written reason: back to in progress."""
    _require_inspector(by, measure, scope)
    with transaction.atomic():
        locked = _locked(measure)
        requested_by_id = locked.closure_requested_by_id
        locked.return_closure(by=by, reason=reason)
        _require_not_involved(by, locked)
        _save(locked, by, _("退回：%(reason)s"), reason=locked.return_reason)
        entry = _entry(locked, Kind.RETURNED, by, locked.return_reason)
        tell.closure_returned(locked, entry=entry, by=by, requested_by_id=requested_by_id)
    return locked


def measure_record_followup(*, measure, by, note="", scope=None):
    """The follow-up check (回头看) found the rectification holding; what was checked is said."""
    _require_inspector(by, measure, scope)
    if not (note or "").strip():
        raise RectificationError(_("请填写回头看情况：检查了什么、整改成果是否巩固。"))
    with transaction.atomic():
        locked = _locked(measure)
        locked.record_followup(by=by)
        _save(locked, by, _("回头看：整改成果巩固"))
        _entry(locked, Kind.FOLLOWUP_HELD, by, (note or "").strip())
    return locked


def measure_reopen(*, measure, by, reason, scope=None):
    """The problem recurred: the inspector reopens the closed measure with a reason."""
    _require_inspector(by, measure, scope)
    with transaction.atomic():
        locked = _locked(measure)
        locked.reopen(by=by, reason=reason)
        _save(locked, by, _("重新打开：%(reason)s"), reason=locked.return_reason)
        entry = _entry(locked, Kind.REOPENED, by, locked.return_reason)
        tell.reopened(locked, entry=entry, by=by)
    return locked


def measure_evidence_remove(*, measure, evidence, by, replacement=None, scope=None):
    """Take a file uploaded by mistake out of the measure's evidence (optionally replacing it
    with ``replacement``, an upload or (upload, info) pair). The row and the file stay for the
    office; the measure's history says who removed what. A closed measure's evidence is kept
    as it was accepted."""
    _require_reporter(by, measure, scope)
    with files_rolled_back_on_error(), transaction.atomic():
        locked = _locked(measure)
        if locked.state == Measure.State.CLOSED:
            raise RectificationError(_("该整改措施已销号，佐证材料不能再删除或替换。"))
        evidence = MeasureEvidence.objects.select_for_update().get(pk=evidence.pk, measure=locked)
        if evidence.removed_at:
            raise RectificationError(_("这份佐证材料已经删除。"))
        evidence.mark_removed(by=by)
        evidence._history_user = by
        evidence.save()
        if replacement is not None:
            _attach(locked, evidence.update, by, [replacement])
            why = _("替换佐证材料：%(reason)s")
        else:
            why = _("删除佐证材料：%(reason)s")
        _save(locked, by, why, reason=evidence.original_name)
    return evidence


def may_review_anything(scope) -> bool:
    return scope.is_superuser or scope.has_role(Role.INSPECTOR)


def measure_assigned(*, measure, by, previous_person_id=None):
    """After a measure was registered or edited: tell its responsible person when the measure
    is new to them (registered, or given to another person)."""
    if not measure.responsible_person_id or measure.responsible_person_id == previous_person_id:
        return 0
    latest = measure.history.order_by("-history_id").values_list("history_id", flat=True).first()
    with transaction.atomic():
        return tell.assigned(measure, by=by, event=latest or measure.updated_at.isoformat())
