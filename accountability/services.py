"""Writes that touch several models: each runs in one transaction, and evidence files written by
a failed write are removed again (``files_rolled_back_on_error``)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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


def dutyletters_issue(
    *, by, organisation, units, year, kind, level, title, body, issued_on, due_on
):
    """One letter per unit (``{unit}`` / ``{year}`` filled in); units that already have this
    year's letter of this kind and level are skipped. Returns the number created; raises
    ValidationError, creating none, when a filled-in title is too long."""
    existing = set(
        DutyLetter.objects.filter(
            organisation=organisation, year=year, kind=kind, level=level
        ).values_list("unit_id", flat=True)
    )
    letters = []
    longest = DutyLetter._meta.get_field("title").max_length
    for unit in units:
        if unit.pk in existing:
            continue
        values = {"unit": unit.name, "year": year}
        filled = _fill(title, values)
        if len(filled) > longest:
            # A long unit name can push a template that fits past the column.
            raise ValidationError(
                _("填入“%(unit)s”后标题超过 %(n)d 个字，请缩短标题模板。")
                % {"unit": unit.name, "n": longest}
            )
        letters.append(
            DutyLetter(
                organisation=organisation,
                unit=unit,
                year=year,
                kind=kind,
                level=level,
                title=filled,
                body=_fill(body, values),
                issued_on=issued_on,
                due_on=due_on,
            )
        )
    with transaction.atomic():
        for letter in letters:
            letter._history_user = by
            letter.save()
        notices.letters_issued(letters, by=by)
    return len(letters)


def _fill(template, values):
    return template.replace("{unit}", str(values["unit"])).replace("{year}", str(values["year"]))


def dutyletter_sign(*, letter, by, signed_on, signatory, scans):
    """Record the signing with its scan(s); nothing is saved if any part is refused."""
    with files_rolled_back_on_error(), transaction.atomic():
        letter = DutyLetter.objects.select_for_update().get(pk=letter.pk)
        letter.signed_on = signed_on
        letter.signatory = signatory
        letter.full_clean()
        letter._history_user = by
        letter.save()
        for upload, info in scans:
            DutyLetterScan.from_upload(upload, by=by, info=info, letter=letter).save()
    return letter


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
