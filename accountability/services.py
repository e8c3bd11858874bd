"""Writes that touch several models: each runs in one transaction, and evidence files written by
a failed write are removed again (``files_rolled_back_on_error``)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from common.evidence import files_rolled_back_on_error

from . import notices
from .models import (
    DutyLetter,
    DutyLetterScan,
    ResponsibilityItem,
    ResponsibilityList,
    WorkRecord,
    WorkRecordEvidence,
)

RECORD_FIELDS = ("unit", "kind", "date", "title", "participant_count", "leader", "description")


def _attach_evidence(record, files, by):
    for upload, info in files or ():
        WorkRecordEvidence.from_upload(upload, by=by, info=info, record=record).save()


def _save_record(record, *, by, data, files):
    """Validate and save a record with its relations and evidence (inside the caller's
    transaction), attributing the history row to ``by``."""
    # created_by may be empty (the model allows it, for records loaded without their recorder);
    # it is set here, never typed in, so it is not the form's to validate.
    record.full_clean(exclude=["created_by"])
    record._history_user = by
    record.save()
    if data.get("participants") is not None:
        record.participants.set(data["participants"])
    if data.get("responsibility_items") is not None:
        record.responsibility_items.set(data["responsibility_items"])
    _attach_evidence(record, files, by)


def workrecord_create(*, by, data, files=()):
    """A new work record with its evidence files. ``data`` is a form's cleaned_data."""
    with files_rolled_back_on_error(), transaction.atomic():
        record = WorkRecord(
            organisation=data["unit"].organisation,
            created_by=by,
            **{name: data[name] for name in RECORD_FIELDS if name in data},
        )
        _save_record(record, by=by, data=data, files=files)
    return record


def workrecord_update(*, record, by, data, files=()):
    with files_rolled_back_on_error(), transaction.atomic():
        for name in RECORD_FIELDS:
            if name in data:
                setattr(record, name, data[name])
        record.organisation = record.unit.organisation
        _save_record(record, by=by, data=data, files=files)
    return record


class LetterPlan:
    """What issuing would do: the letters to create (unsaved) and the recipients skipped because
    they already hold this year's letter of this kind and level."""

    def __init__(self, letters, skipped):
        self.letters = letters
        self.skipped = skipped


def workrecord_evidence_remove(*, evidence, by, replacement=None):
    """Take a file uploaded by mistake out of the record's evidence, optionally putting
    ``replacement`` (an (upload, info) pair) in its place. The row and the file stay for the
    office; the record's history says who removed what, and when."""
    with files_rolled_back_on_error(), transaction.atomic():
        evidence = WorkRecordEvidence.objects.select_for_update().get(pk=evidence.pk)
        if evidence.removed_at:
            raise ValidationError(_("这份佐证材料已经删除。"))
        evidence.mark_removed(by=by)
        evidence._history_user = by
        evidence.save()
        record = evidence.record
        if replacement is not None:
            _attach_evidence(record, [replacement], by)
        said = _("替换佐证材料：%(reason)s") if replacement else _("删除佐证材料：%(reason)s")
        _save_with_reason(record, by, said, reason=evidence.original_name)
    return evidence


def _save_with_reason(obj, by, template, **values):
    """Save ``obj`` with a history row by ``by`` whose reason is ``template`` filled in, in the
    site's language (history reasons are stored as text; a "label：%(reason)s" template is shown
    in the reader's language, see common.history.translated_reason)."""
    obj._history_user = by
    with translation.override(settings.LANGUAGE_CODE):
        obj._change_reason = (str(template) % values)[:100]
    obj.save()


def dutyletters_plan(
    *, organisation, year, kind, level, title, body, issued_on, due_on, units=(), people=()
):
    """The letters ``dutyletters_issue`` would create, for the preview: one per unit, or, for the
    levels signed by people, one per person. Raises ValidationError when a filled-in title is too
    long."""
    personal = level in DutyLetter.PERSONAL_LEVELS
    taken = DutyLetter.objects.active().filter(
        organisation=organisation, year=year, kind=kind, level=level
    )
    if personal:
        existing = set(taken.exclude(recipient=None).values_list("recipient_id", flat=True))
        root = organisation.units.filter(parent=None).order_by("path").first()
        targets = [(person.unit or root, person) for person in people]
    else:
        existing = set(taken.filter(recipient=None).values_list("unit_id", flat=True))
        targets = [(unit, None) for unit in units]
    letters, skipped = [], []
    longest = DutyLetter._meta.get_field("title").max_length
    for unit, person in targets:
        if unit is None:
            raise ValidationError(_("本党组织还没有单位，不能下发责任书。"))
        if (person.pk if person else unit.pk) in existing:
            skipped.append(person or unit)
            continue
        values = {"unit": unit.name, "name": person or unit.name, "year": year}
        filled = _fill(title, values)
        if len(filled) > longest:
            # A long unit name can push a template that fits past the column.
            raise ValidationError(
                _("填入“%(unit)s”后标题超过 %(n)d 个字，请缩短标题模板。")
                % {"unit": values["name"], "n": longest}
            )
        letters.append(
            DutyLetter(
                organisation=organisation,
                unit=unit,
                recipient=person,
                year=year,
                kind=kind,
                level=level,
                title=filled,
                body=_fill(body, values),
                issued_on=issued_on,
                due_on=due_on,
            )
        )
    return LetterPlan(letters, skipped)


def dutyletters_issue(
    *,
    by,
    organisation,
    year,
    kind,
    level,
    title,
    body,
    issued_on,
    due_on,
    units=(),
    people=(),
):
    """Issue one letter to each chosen unit (or person, for the personal levels); recipients
    that already hold this year's letter of this kind and level are skipped. The letters of one
    call share a batch, so that a mistaken batch can be withdrawn at once. Returns the letters
    created; raises ValidationError, creating none, when a filled-in title is too long."""
    plan = dutyletters_plan(
        organisation=organisation,
        year=year,
        kind=kind,
        level=level,
        title=title,
        body=body,
        issued_on=issued_on,
        due_on=due_on,
        units=units,
        people=people,
    )
    batch = uuid.uuid4()
    with transaction.atomic():
        for letter in plan.letters:
            letter.batch = batch
            letter._history_user = by
            letter.save()
        notices.letters_issued(plan.letters, by=by)
    return plan.letters


def _fill(template, values):
    for key in ("unit", "name", "year"):
        template = template.replace(f"{{{key}}}", str(values[key]))
    return template


def _withdraw(letter, *, by, reason, now):
    letter.withdrawn_at = now
    letter.withdrawn_by = by
    letter.withdrawal_reason = reason
    letter._history_user = by
    letter.save()


def dutyletter_withdraw(*, letter, by, reason):
    """Withdraw one unsigned letter: it stays in history, out of rates and reminders."""
    with transaction.atomic():
        letter = DutyLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.withdrawn_at:
            raise ValidationError(_("这份责任书已经撤回。"))
        if letter.signed_on:
            raise ValidationError(_("这份责任书已经签订，不能撤回。"))
        _withdraw(letter, by=by, reason=reason, now=timezone.now())
    return letter


def dutyletters_withdraw_batch(*, batch, organisation, by, reason):
    """Withdraw the unsigned letters of one issue; signed ones stay. Returns those withdrawn."""
    with transaction.atomic():
        letters = list(
            DutyLetter.objects.active()
            .select_for_update()
            .filter(organisation=organisation, batch=batch, signed_on__isnull=True)
        )
        if not letters:
            raise ValidationError(_("这一批没有可撤回的未签订责任书。"))
        now = timezone.now()
        for letter in letters:
            _withdraw(letter, by=by, reason=reason, now=now)
    return letters


def dutyletter_sign(*, letter, by, signed_on, signatory, scans):
    """Record the signing with its scan(s); nothing is saved if any part is refused."""
    with files_rolled_back_on_error(), transaction.atomic():
        letter = DutyLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.withdrawn_at:
            raise ValidationError(_("这份责任书已经撤回，不能登记签订。"))
        letter.signed_on = signed_on
        letter.signatory = signatory
        letter.full_clean()
        letter._history_user = by
        letter.save()
        for upload, info in scans:
            DutyLetterScan.from_upload(upload, by=by, info=info, letter=letter).save()
    return letter


def dutyletter_scan_remove(*, scan, by, replacement=None):
    """Take a scan uploaded by mistake off its letter, optionally putting ``replacement`` (an
    (upload, info) pair) in its place. A signed letter keeps at least one scan: its last one is
    only replaced, never just removed. The row and the file stay for the office; the letter's
    history says who removed or replaced what, and when."""
    with files_rolled_back_on_error(), transaction.atomic():
        letter = DutyLetter.objects.select_for_update().get(pk=scan.letter_id)
        scan = DutyLetterScan.objects.select_for_update().get(pk=scan.pk)
        if scan.removed_at:
            raise ValidationError(_("这份扫描件已经删除。"))
        if letter.withdrawn_at:
            raise ValidationError(_("这份责任书已经撤回，不能再修改扫描件。"))
        others = letter.scans.filter(removed_at__isnull=True).exclude(pk=scan.pk)
        if replacement is None and letter.signed_on and not others.exists():
            raise ValidationError(
                _("已签订的责任书至少保留一份签订扫描件：请选择正确的文件后点“替换”。")
            )
        scan.mark_removed(by=by)
        scan._history_user = by
        scan.save()
        if replacement is not None:
            upload, info = replacement
            DutyLetterScan.from_upload(upload, by=by, info=info, letter=letter).save()
        said = _("替换签订扫描件：%(reason)s") if replacement else _("删除签订扫描件：%(reason)s")
        _save_with_reason(letter, by, said, reason=scan.original_name)
    return scan


def responsibilitylist_copy(*, organisation, source_year, year, by):
    """Copy ``source_year``'s list and its items into ``year``; refuses if ``year`` exists."""
    source = ResponsibilityList.objects.filter(organisation=organisation, year=source_year).first()
    if source is None:
        raise ValidationError(_("%(year)s年度没有责任清单可复制。") % {"year": source_year})
    if ResponsibilityList.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(_("%(year)s年度的责任清单已存在，不能重复复制。") % {"year": year})
    try:
        with transaction.atomic():
            target = ResponsibilityList(
                organisation=organisation,
                year=year,
                title=source.title.replace(str(source_year), str(year)),
            )
            target._history_user = by
            target.save()
            bulk_create_with_history(
                [
                    ResponsibilityItem(
                        list=target,
                        area=item.area,
                        area_order=item.area_order,
                        order=item.order,
                        title=item.title,
                        lead_leader_id=item.lead_leader_id,
                        responsible_unit_id=item.responsible_unit_id,
                        kind_id=item.kind_id,
                        target_count=item.target_count,
                        frequency=item.frequency,
                    )
                    for item in source.items.all()
                ],
                ResponsibilityItem,
                default_user=by,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(year)s年度的责任清单已存在，不能重复复制。") % {"year": year}
        ) from error
    return target


def responsibilityitem_save(*, organisation, year, form, by):
    """Save an item from its form, creating the year's list on first use."""
    with transaction.atomic():
        item = form.save(commit=False)
        if item.list_id is None:
            item.list, _created = ResponsibilityList.objects.get_or_create(
                organisation=organisation, year=year
            )
        item.full_clean()
        item._history_user = by
        item.save()
    return item
