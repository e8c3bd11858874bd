"""Reading a findings list (问题清单) as an inspection team sends it, all rows or none.

One row per measure; rows with the same 问题序号 belong to one finding (the description may be
left empty on the following rows). ``parse`` reports every bad row with its Excel row number and
reason and returns nothing to import unless every row is good; ``confirm`` writes the checked rows
in one transaction.
"""

import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from psycopg2.extras import execute_values

from accountability.models import Unit, User
from accountability.models.organisation import read_only_person_ids
from common.xlsx_guard import WorkbookRefused, check_workbook
from common.xlsx_read import UnreadableWorkbook
from common.xlsx_read import reading as _reading
from common.xlsx_read import rows as _rows
from common.xlsx_read import text as _text
from common.xlsx_read import unreadable_message as _unreadable_message

from . import notices as tell
from .models import Finding, FindingImport, Measure, RectificationError

COLUMNS = {
    "aspect": "问题方面",
    "number": "问题序号",
    "finding": "问题描述",
    "measure": "整改措施",
    "leader": "牵头领导",
    "unit": "责任处室",
    "person": "责任人",
    "deadline": "整改时限",
}
ONGOING = {"长期坚持", "长期", "持续推进"}
MAX_ROWS = 5_000  # a real list is a few hundred; issue 4 asks a 5,000-row import in 5 s
# The rows go to the database as they are (see ``_insert``), so they are held to its columns.
MAX_NUMBER = 2_147_483_647  # Finding.number, a PostgreSQL integer
MAX_ASPECT = Finding._meta.get_field("aspect").max_length
HEADER_SEARCH_ROWS = 5
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MONTH_END = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(底|末)?\s*$")


@dataclass
class Problem:
    row: int | None
    message: str


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems and bool(self.rows)


def _parse_deadline(value):
    """(deadline, ongoing) or raise ValueError."""
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    text = _text(value)
    if text in ONGOING:
        return None, True
    match = _DATE.match(text)
    if match:
        return date(*map(int, match.groups())), False
    match = _MONTH_END.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        following = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1), False
    raise ValueError(text)


def _names(queryset, attribute):
    found = defaultdict(list)
    for pk, name in queryset.values_list("pk", attribute):
        found[" ".join(name.split())].append(pk)
    return found


def _find_header(sheet):
    for index, row in enumerate(_rows(sheet, min_row=1, max_row=HEADER_SEARCH_ROWS), start=1):
        cells = [_text(cell) for cell in row]
        if COLUMNS["measure"] in cells or COLUMNS["finding"] in cells:
            return index, cells
    return None, []


def parse(upload, inspection) -> ParseResult:
    """Check every row of ``upload`` against the inspection's organisation."""
    result = ParseResult()
    try:
        # Bounded before openpyxl parses anything (issue #13): rows, columns, sizes, text.
        check_workbook(upload)
    except WorkbookRefused as refused:
        result.problems.append(Problem(None, refused.message))
        return result
    try:
        workbook = _reading(load_workbook, upload, read_only=True, data_only=True)
    except UnreadableWorkbook:
        result.problems.append(Problem(None, _unreadable_message()))
        return result
    try:
        sheet = _reading(lambda: workbook.worksheets[0])
        header_row, header = _find_header(sheet)
        positions = {key: header.index(label) for key, label in COLUMNS.items() if label in header}
        missing = [label for key, label in COLUMNS.items() if key not in positions]
        if missing:
            result.problems.append(
                Problem(
                    header_row,
                    _("缺少必需的列：%(columns)s。请使用下载的模板。")
                    % {"columns": "、".join(missing)},
                )
            )
            return result
        _check_rows(sheet, header_row, positions, inspection, result)
    except UnreadableWorkbook:
        result.problems = [Problem(None, _unreadable_message())]
    finally:
        workbook.close()
    if not result.rows and not result.problems:
        result.problems.append(Problem(None, _("文件中没有可导入的数据行。")))
    if result.problems:
        result.rows = []
    return result


def _check_rows(sheet, header_row, positions, inspection, result):
    org_id = inspection.organisation_id
    units = _names(Unit.objects.filter(organisation_id=org_id, is_active=True), "name")
    people = _names(User.objects.filter(organisation_id=org_id, is_active=True), "full_name")
    read_only = set(read_only_person_ids(org_id))  # never 责任人 (leaders without a write role)
    existing = set(inspection.findings.values_list("number", flat=True))
    findings: dict[int, tuple[int, str, str]] = {}  # number -> (first row, aspect, description)
    seen: dict[tuple[int, str], int] = {}
    aspects: dict[str, int] = {}
    for row_number, row in enumerate(_rows(sheet, min_row=header_row + 1), start=header_row + 1):
        # Empty rows count too: each costs the parser as much as a full one (issue #13).
        if row_number - header_row > MAX_ROWS:
            result.problems.append(
                Problem(row_number, _("一次最多导入 %(n)d 行，请分批导入。") % {"n": MAX_ROWS})
            )
            return
        values = {key: (row[i] if i < len(row) else None) for key, i in positions.items()}
        if all(_text(value) == "" for value in values.values()):
            continue
        problems = []

        def need(key, values=values, problems=problems):
            text = _text(values[key])
            if not text:
                problems.append(_("“%(column)s”不能为空") % {"column": COLUMNS[key]})
            return text

        number_text = _text(values["number"])
        number = None
        # isdecimal, not isdigit: "²" is a digit that int() refuses. A long run of digits is no
        # finding number (and int() refuses one of more than 4,300).
        value = int(number_text) if number_text.isdecimal() and len(number_text) < 100 else 0
        if not number_text:
            problems.append(_("“问题序号”不能为空"))
        elif value < 1:
            problems.append(_("“问题序号”应为正整数：%(value)s") % {"value": number_text})
        elif value > MAX_NUMBER:
            problems.append(_("“问题序号”超出允许范围：%(value)s") % {"value": number_text})
        else:
            number = value
        aspect = _text(values["aspect"])
        if len(aspect) > MAX_ASPECT:
            problems.append(_("“问题方面”不能超过 %(n)d 个字") % {"n": MAX_ASPECT})
        description = _text(values["finding"])
        measure = need("measure")
        leader_id = _person(need("leader"), people, COLUMNS["leader"], problems)
        unit_id = _unit(need("unit"), units, problems)
        person_id = _person(need("person"), people, COLUMNS["person"], problems)
        if person_id in read_only:
            problems.append(
                _("责任人“%(name)s”是只读的领导班子成员，不能担任责任人")
                % {"name": _text(values["person"])}
            )
        deadline, ongoing = None, False
        raw_deadline = values["deadline"]
        if _text(raw_deadline) == "":
            problems.append(_("“整改时限”不能为空（长期措施请填“长期坚持”）"))
        else:
            try:
                deadline, ongoing = _parse_deadline(raw_deadline)
            except ValueError:
                problems.append(
                    _("“整改时限”不是有效日期：%(value)s（应为 2026-06-30 或“长期坚持”）")
                    % {"value": _text(raw_deadline)}
                )
        # The rule Measure.clean keeps for a measure entered by hand (the import writes rows
        # without model validation, so it checks the same here).
        feedback_on = inspection.feedback_on
        if deadline and not ongoing and feedback_on and deadline < feedback_on:
            problems.append(
                _("“整改时限”%(value)s早于巡视巡察反馈日期（%(day)s）")
                % {"value": deadline.isoformat(), "day": feedback_on.isoformat()}
            )
        if number is not None:
            if number in existing:
                problems.append(_("问题序号 %(n)d 在本轮巡视巡察中已存在") % {"n": number})
            if number in findings:
                first_row, first_aspect, first_description = findings[number]
                if description and description != first_description:
                    problems.append(
                        _("问题序号 %(n)d 与第 %(row)d 行的问题描述不一致")
                        % {"n": number, "row": first_row}
                    )
                if aspect and aspect != first_aspect:
                    problems.append(
                        _("问题序号 %(n)d 与第 %(row)d 行的问题方面不一致")
                        % {"n": number, "row": first_row}
                    )
                aspect, description = first_aspect, first_description
            else:
                if not aspect:
                    problems.append(_("“问题方面”不能为空"))
                if not description:
                    problems.append(_("“问题描述”不能为空"))
                findings[number] = (row_number, aspect, description)
            if measure:
                key = (number, measure)
                if key in seen:
                    problems.append(_("与第 %(row)d 行重复") % {"row": seen[key]})
                else:
                    seen[key] = row_number
        if problems:
            result.problems.append(Problem(row_number, "；".join(problems) + "。"))
            continue
        aspect_order = aspects.setdefault(aspect, len(aspects) + 1)
        result.rows.append(
            {
                "row": row_number,
                "aspect": aspect,
                "aspect_order": aspect_order,
                "number": number,
                "finding": description,
                "measure": measure,
                "leader_id": leader_id,
                "leader": _text(values["leader"]),
                "unit_id": unit_id,
                "unit": _text(values["unit"]),
                "person_id": person_id,
                "person": _text(values["person"]),
                "deadline": deadline.isoformat() if deadline else None,
                "ongoing": ongoing,
            }
        )


def _unit(name, units, problems):
    if not name:
        return None
    found = units.get(name, [])
    if not found:
        problems.append(_("责任处室“%(name)s”不存在") % {"name": name})
    elif len(found) > 1:
        problems.append(_("责任处室“%(name)s”有重名，请联系管理员区分") % {"name": name})
    else:
        return found[0]
    return None


def _person(name, people, column, problems):
    if not name:
        return None
    found = people.get(name, [])
    if not found:
        problems.append(_("%(column)s“%(name)s”不是本单位人员") % {"column": column, "name": name})
    elif len(found) > 1:
        problems.append(
            _("%(column)s“%(name)s”有重名，请联系管理员区分") % {"column": column, "name": name}
        )
    else:
        return found[0]
    return None


def stage(result: ParseResult, *, inspection, by, file_name) -> FindingImport:
    """Keep the checked rows server-side until the office confirms them (for a day)."""
    FindingImport.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    return FindingImport.objects.create(
        token=uuid.uuid4().hex,
        inspection=inspection,
        created_by=by,
        file_name=file_name[:200],
        rows=result.rows,
    )


def summary(rows):
    return {
        "aspects": len({row["aspect"] for row in rows}),
        "findings": len({row["number"] for row in rows}),
        "measures": len(rows),
    }


def confirm(batch: FindingImport, *, by):
    """Create the batch's findings and measures, all or none; returns (findings, measures)."""
    with transaction.atomic():
        claimed = FindingImport.objects.filter(pk=batch.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        if not claimed:
            raise RectificationError(_("该批数据已经导入过，请勿重复提交。"))
        inspection = batch.inspection
        org_id = inspection.organisation_id
        rows = batch.rows
        unit_ids = {row["unit_id"] for row in rows}
        person_ids = {row["leader_id"] for row in rows} | {row["person_id"] for row in rows}
        live_units = Unit.objects.filter(pk__in=unit_ids, organisation_id=org_id, is_active=True)
        live_people = User.objects.filter(pk__in=person_ids, organisation_id=org_id, is_active=True)
        if live_units.count() != len(unit_ids) or live_people.count() != len(person_ids):
            raise RectificationError(_("预览后责任处室或人员发生了变化，请重新上传。"))
        numbers = list(dict.fromkeys(row["number"] for row in rows))
        first = {}
        for row in rows:
            first.setdefault(row["number"], row)
        finding_rows = [
            (
                inspection.pk,
                org_id,
                first[n]["aspect"],
                first[n]["aspect_order"],
                n,
                first[n]["finding"],
            )
            for n in numbers
        ]
        try:
            with transaction.atomic():
                finding_ids = _insert(Finding, FINDING_COLUMNS, finding_rows)
        except IntegrityError as error:
            raise RectificationError(
                _("部分问题序号在本轮巡视巡察中已存在（可能已被他人录入），请重新上传。")
            ) from error
        by_number = dict(zip(numbers, finding_ids, strict=True))
        per_finding = defaultdict(int)
        now = timezone.now()
        measure_rows = []
        for row in rows:
            per_finding[row["number"]] += 1
            deadline = date.fromisoformat(row["deadline"]) if row["deadline"] else None
            measure_rows.append(
                (
                    by_number[row["number"]],
                    org_id,
                    per_finding[row["number"]],
                    row["measure"],
                    row["leader_id"],
                    row["unit_id"],
                    row["person_id"],
                    deadline,
                    row["ongoing"],
                    0,
                    Measure.State.OPEN.value,
                    "",
                    "",
                    now,
                    now,
                )
            )
        measure_ids = _insert(Measure, MEASURE_COLUMNS, measure_rows)
        reason = _("导入")
        _record_creation(Finding, finding_ids, by, reason)
        _record_creation(Measure, measure_ids, by, reason)
        tell.imported(
            inspection,
            batch_id=batch.pk,
            counts=Counter(row["person_id"] for row in rows),
            by=by,
        )
    return len(finding_ids), len(measure_ids)


FINDING_COLUMNS = ("inspection", "organisation", "aspect", "aspect_order", "number", "description")
MEASURE_COLUMNS = (
    "finding",
    "organisation",
    "number",
    "description",
    "lead_leader",
    "unit",
    "responsible_person",
    "deadline",
    "is_ongoing",
    "rules_issued",
    "state",
    "latest_progress",
    "return_reason",
    "created_at",
    "updated_at",
)


def _insert(model, fields, rows):
    """Insert ``rows`` (tuples in ``fields`` order) in one statement; the new ids, in order.

    A large import spends most of its time building model instances for bulk_create; the rows
    here are already checked, so they go to PostgreSQL as they are.
    """
    if not rows:
        return []
    opts = model._meta
    if connection.vendor != "postgresql":
        objects = [
            model(**{opts.get_field(f).attname: v for f, v in zip(fields, row, strict=True)})
            for row in rows
        ]
        return [obj.pk for obj in model.objects.bulk_create(objects)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES %s "  # noqa: S608
        f"RETURNING {quote(opts.pk.column)}"
    )
    with connection.cursor() as cursor:
        returned = execute_values(cursor.cursor, sql, rows, page_size=len(rows), fetch=True)
    return [row[0] for row in returned]


HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type"}


HISTORY_CHUNK = 500


def _record_creation(model, ids, by, reason):
    """The "created" history rows of ``ids``, copied by the database in one statement.

    The same rows simple-history writes (every tracked field, who, when, why), without building
    thousands of Python objects for a large import.
    """
    historical = model.history.model
    tracked = [
        field
        for field in historical._meta.concrete_fields
        if field.attname not in HISTORY_FIELDS and field.attname != "history_user_id"
    ]
    quote = connection.ops.quote_name
    targets = ", ".join(quote(field.column) for field in tracked)
    sources = ", ".join(quote(model._meta.get_field(field.name).column) for field in tracked)
    head = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({targets}, history_date, "  # noqa: S608
        f"history_change_reason, history_type, history_user_id) "
        f"SELECT {sources}, %s, %s, '+', %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} "
    )
    params = [timezone.now(), str(reason), by.pk]
    ids = list(ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter, whatever the number of rows.
            cursor.execute(f"{head}= ANY(%s)", [*params, ids])
            return
        # Elsewhere (SQLite under `make run`) a plain IN list, in chunks below the database's
        # limit on bound parameters.
        for start in range(0, len(ids), HISTORY_CHUNK):
            chunk = ids[start : start + HISTORY_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{head}IN ({marks})", [*params, *chunk])


def template_workbook(stream, organisation):
    """The blank findings list with two example rows and the organisation's names."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题清单"
    sheet.append(list(COLUMNS.values()))
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    units = list(
        Unit.objects.filter(organisation=organisation, is_active=True)
        .order_by("path")
        .values_list("name", flat=True)
    )
    people = list(
        User.objects.filter(organisation=organisation, is_active=True)
        .order_by("full_name")
        .values_list("full_name", "title")
    )
    unit = units[1] if len(units) > 1 else (units[0] if units else "办公室")
    person = people[0][0] if people else "张三"
    sheet.append(
        [
            "落实全面从严治党主体责任方面",
            1,
            "主体责任落实不够到位，压力传导层层递减",
            "制定主体责任清单，逐级签订责任书",
            person,
            unit,
            person,
            "2026-06-30",
        ]
    )
    sheet.append(["", 1, "", "每季度专题研究党风廉政建设工作", person, unit, person, "长期坚持"])
    for column, width in zip("ABCDEFGH", (24, 10, 40, 40, 12, 16, 12, 14), strict=True):
        sheet.column_dimensions[column].width = width
    names = workbook.create_sheet("填写说明")
    names.append(["说明"])
    names.append(["每行一条整改措施；同一问题的多条措施填写相同的问题序号，问题描述可只填第一行。"])
    names.append(["整改时限填写日期（如 2026-06-30），长期措施填写“长期坚持”。"])
    names.append(["牵头领导、责任人填写本单位人员姓名；责任处室填写下列单位名称。"])
    names.append([])
    names.append(["责任处室", "人员", "职务"])
    for index in range(max(len(units), len(people))):
        name, title = people[index] if index < len(people) else ("", "")
        names.append([units[index] if index < len(units) else "", name, title])
    names.column_dimensions["A"].width = 28
    names.column_dimensions["B"].width = 14
    names.column_dimensions["C"].width = 24
    workbook.save(stream)
