"""Bringing an organisation's units and people in from one workbook, all rows or none.

A bureau that installs the portal has its organisation chart and staff list in Excel; without
this its system administrator would add them one by one on the admin site. The workbook has two
sheets, "单位" (name, kind, parent unit, order) and "人员" (username, name, unit, title, phone,
e-mail); either may be left empty. ``parse`` reads the cells (bounded first by
``common.xlsx_guard``), ``check`` holds every row against the organisation and the rows before
it and says what is wrong with each, by sheet and Excel row number; ``create`` writes the checked
rows in one transaction. People come in as the system administrator adds them by hand: without
a password and without roles, which the security administrator grants (三员分立).

A unit is named by its name where that is unique in the organisation, else as "上级单位/名称".
A unit's parent is an existing unit or one on an earlier row; left empty, it is the
organisation's one top unit (机关本级), and a 机关本级 row without a parent is a top unit itself.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from common.xlsx_guard import WorkbookRefused, check_workbook
from common.xlsx_read import UnreadableWorkbook, reading, rows, text, unreadable_message

from .models import Organisation, Unit, User
from .passwords import USERNAME_INVALID

UNITS_SHEET, PEOPLE_SHEET = "单位", "人员"
UNIT_COLUMNS = {
    "name": "单位名称",
    "kind": "类型",
    "parent": "上级单位",
    "order": "排序",
    # Usernames: of a person of the organisation, or of one on the 人员 sheet.
    "head": "负责人",
    "leader": "分管领导",
}
PEOPLE_COLUMNS = {
    "username": "用户名",
    "full_name": "姓名",
    "unit": "所在单位",
    "title": "职务",
    "phone": "电话",
    "email": "电子邮件",
}
REQUIRED = {UNITS_SHEET: ("name", "kind"), PEOPLE_SHEET: ("username", "full_name", "unit")}
MAX_ROWS = 5_000  # a bureau has some hundreds of people
HEADER_SEARCH_ROWS = 5
_USERNAME = re.compile(UnicodeUsernameValidator.regex)


def _limit(model, name):
    return model._meta.get_field(name).max_length


@dataclass
class Problem:
    sheet: str | None
    row: int | None
    message: str

    def __str__(self):
        if self.sheet and self.row:
            return _("“%(sheet)s”第%(row)d行：%(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        return self.message


@dataclass
class Plan:
    """The rows as read (``units``, ``people``: dicts of text, each with its Excel ``row``) and,
    once checked, what is wrong with them."""

    units: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems and bool(self.units or self.people)

    def rows(self):
        """What goes into the signed form of the preview: the rows as read (``check`` keeps what
        it resolved under keys starting with "_", and is run again on confirming)."""
        return {
            part: [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows_]
            for part, rows_ in (("units", self.units), ("people", self.people))
        }


# -- reading --------------------------------------------------------------------------------------
def parse(upload) -> Plan:
    """The two sheets' rows as text; problems with the file itself (not a workbook, too large, a
    sheet without its columns)."""
    plan = Plan()
    try:
        check_workbook(upload)  # bounded before openpyxl parses anything
    except WorkbookRefused as refused:
        plan.problems.append(Problem(None, None, refused.message))
        return plan
    try:
        workbook = reading(load_workbook, upload, read_only=True, data_only=True)
    except UnreadableWorkbook:
        plan.problems.append(Problem(None, None, unreadable_message()))
        return plan
    try:
        names = reading(lambda: workbook.sheetnames)
        if UNITS_SHEET not in names and PEOPLE_SHEET not in names:
            plan.problems.append(
                Problem(None, None, _("文件中没有“单位”或“人员”工作表，请使用下载的模板填写。"))
            )
            return plan
        for sheet_name, columns, into in (
            (UNITS_SHEET, UNIT_COLUMNS, plan.units),
            (PEOPLE_SHEET, PEOPLE_COLUMNS, plan.people),
        ):
            if sheet_name in names:
                sheet = reading(lambda name=sheet_name: workbook[name])
                _read_sheet(sheet, sheet_name, columns, into, plan.problems)
    except UnreadableWorkbook:
        plan.problems = [Problem(None, None, unreadable_message())]
    finally:
        workbook.close()
    if len(plan.units) + len(plan.people) > MAX_ROWS:
        plan.problems.append(
            Problem(None, None, _("一次最多导入 %(n)d 行，请分几次导入。") % {"n": MAX_ROWS})
        )
    if not plan.problems and not (plan.units or plan.people):
        plan.problems.append(Problem(None, None, _("文件中没有可导入的数据行。")))
    return plan


def _read_sheet(sheet, sheet_name, columns, into, problems):
    header_row, positions = None, {}
    for index, row in enumerate(rows(sheet, min_row=1, max_row=HEADER_SEARCH_ROWS), start=1):
        cells = [text(cell).rstrip("*＊") for cell in row]
        if columns[REQUIRED[sheet_name][0]] in cells:
            header_row = index
            positions = {
                key: cells.index(label) for key, label in columns.items() if label in cells
            }
            break
    missing = [columns[key] for key in REQUIRED[sheet_name] if key not in positions]
    if header_row is None or missing:
        problems.append(
            Problem(
                sheet_name,
                None,
                _("“%(sheet)s”工作表缺少必需的列：%(columns)s。请使用下载的模板。")
                % {"sheet": sheet_name, "columns": "、".join(missing)},
            )
        )
        return
    for number, row in enumerate(rows(sheet, min_row=header_row + 1), start=header_row + 1):
        values = {key: text(row[at]) if at < len(row) else "" for key, at in positions.items()}
        if any(values.values()):
            into.append({"row": number, **{key: values.get(key, "") for key in columns}})


# -- checking -------------------------------------------------------------------------------------
class _Units:
    """The organisation's units, existing and added by earlier rows, found by name or by
    "上级/名称"."""

    def __init__(self, organisation):
        self.entries = []  # (key, name, parent key): key ("unit", pk) or ("row", index)
        self.names = {}  # key: name
        existing = Unit.objects.filter(organisation=organisation).values_list(
            "pk", "name", "parent_id"
        )
        for pk, name, parent_id in existing:
            self.add(("unit", pk), name, ("unit", parent_id) if parent_id else None)

    def name_of(self, key):
        return self.names[key]

    def tops(self):
        return [key for key, _name, parent in self.entries if parent is None]

    def taken(self, name, parent):
        return any(n == name and p == parent for _k, n, p in self.entries)

    def add(self, key, name, parent):
        self.entries.append((key, name, parent))
        self.names[key] = name

    def find(self, reference):
        """(key, None) or (None, the message)."""
        parent_name, _slash, name = reference.rpartition("/")
        found = [
            key
            for key, n, parent in self.entries
            if n == name
            and (not parent_name or (parent is not None and self.name_of(parent) == parent_name))
        ]
        if len(found) == 1:
            return found[0], None
        if not found:
            return None, _("没有名为“%(name)s”的单位（须是已有单位，或写在本表之前的行）。") % {
                "name": reference
            }
        return None, _("名为“%(name)s”的单位不止一个，请写成“上级单位/%(name)s”。") % {"name": name}


def _kinds():
    """Unit kinds by their Chinese label and by their code."""
    with translation.override("zh-hans"):
        found = {str(label): value for value, label in Unit.Kind.choices}
    found.update({value: value for value in Unit.Kind.values})
    return found


def check(plan: Plan, organisation: Organisation) -> Plan:
    """Every row against the organisation and the rows before it; ``plan.problems`` lists what
    is wrong, each row's own message."""
    plan.problems = []
    units = _Units(organisation)
    kinds = _kinds()
    members = {
        username.casefold(): ("user", pk)
        for pk, username in User.objects.filter(
            organisation=organisation, is_active=True
        ).values_list("pk", "username")
    }
    members.update(
        {
            row["username"].casefold(): ("new", row["username"].casefold())
            for row in plan.people
            if row["username"]
        }
    )
    for index, row in enumerate(plan.units):
        problems = _check_unit(row, index, units, kinds)
        problems += _check_people_of_unit(row, members)
        plan.problems += [Problem(UNITS_SHEET, row["row"], message) for message in problems]
    wanted = {row["username"].casefold() for row in plan.people if row["username"]}
    taken = {
        name.casefold()
        for name in User.objects.annotate(folded=Lower("username"))
        .filter(folded__in=wanted)
        .values_list("username", flat=True)
    }
    for row in plan.people:
        problems = _check_person(row, units, taken)
        plan.problems += [Problem(PEOPLE_SHEET, row["row"], message) for message in problems]
    return plan


def _check_unit(row, index, units, kinds):
    problems = []
    name = row["name"]
    if not name:
        problems.append(_("请填写单位名称。"))
    elif len(name) > _limit(Unit, "name") or "/" in name:
        problems.append(
            _("单位名称不能超过 %(n)d 个字，也不能含“/”。") % {"n": _limit(Unit, "name")}
        )
    kind = kinds.get(row["kind"])
    if kind is None:
        problems.append(
            _("类型须是以下之一：%(kinds)s。")
            % {"kinds": "、".join(label for label, value in kinds.items() if label != value)}
        )
    parent = None
    if row["parent"]:
        parent, message = units.find(row["parent"])
        if message:
            problems.append(_("上级单位：%(message)s") % {"message": message})
    elif kind != Unit.Kind.BUREAU:
        tops = units.tops()
        if len(tops) == 1:
            parent = tops[0]
        else:
            problems.append(_("请填写上级单位。"))
    order = row["order"] or "0"
    if not order.isdigit() or int(order) > 2_147_483_647:
        problems.append(_("排序须是不小于 0 的整数。"))
    if name and not problems and units.taken(name, parent):
        where = units.name_of(parent) if parent else _("本党组织")
        problems.append(
            _("%(where)s之下已有名为“%(name)s”的单位。") % {"where": where, "name": name}
        )
    if not problems:
        units.add(("row", index), name, parent)
    row["_kind"], row["_order"], row["_parent"] = kind, order, parent
    return problems


def _check_people_of_unit(row, members):
    """The unit's 负责人 and 分管领导, by username: a person of the organisation or of the 人员
    sheet."""
    problems = []
    for key, label in (("head", _("负责人")), ("leader", _("分管领导"))):
        row[f"_{key}"] = None
        if row[key]:
            row[f"_{key}"] = members.get(row[key].casefold())
            if row[f"_{key}"] is None:
                problems.append(
                    _("%(field)s“%(name)s”不是本党组织的人员，也不在“人员”表中（请填写用户名）。")
                    % {"field": label, "name": row[key]}
                )
    return problems


def _check_person(row, units, taken):
    problems = []
    username = row["username"]
    if not username:
        problems.append(_("请填写用户名。"))
    elif len(username) > _limit(User, "username") or not _USERNAME.match(username):
        problems.append(USERNAME_INVALID)
    elif username.casefold() in taken:
        problems.append(
            _("用户名“%(name)s”已被使用（不区分大小写），请换一个。") % {"name": username}
        )
    else:
        taken.add(username.casefold())
    for key, label in (("full_name", _("姓名")), ("title", _("职务")), ("phone", _("电话"))):
        if len(row[key]) > _limit(User, key):
            problems.append(
                _("%(field)s不能超过 %(n)d 个字。") % {"field": label, "n": _limit(User, key)}
            )
    if not row["full_name"]:
        problems.append(_("请填写姓名。"))
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            problems.append(_("电子邮件地址“%(email)s”不正确。") % {"email": row["email"]})
    row["_unit"] = None
    if not row["unit"]:
        problems.append(_("请填写所在单位。"))
    else:
        row["_unit"], message = units.find(row["unit"])
        if message:
            problems.append(_("所在单位：%(message)s") % {"message": message})
    return problems


# -- writing --------------------------------------------------------------------------------------
def create(plan: Plan, organisation: Organisation):
    """Check the rows again and write them all, or nothing; (units, people) added. Imports into
    one organisation run one at a time (its row is locked), so that two cannot both add a name."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        check(plan, organisation)
        if not plan.ok:
            return None
        # The existing units and people the rows name, read once; the rows' own added below.
        named_units = [row["_parent"] for row in plan.units] + [r["_unit"] for r in plan.people]
        named_people = [row[key] for row in plan.units for key in ("_head", "_leader")]
        added = _existing(Unit, "unit", named_units)
        people = _existing(User, "user", named_people)
        for index, row in enumerate(plan.units):
            unit = Unit(
                organisation=organisation,
                parent=added.get(row["_parent"]),
                name=row["name"],
                kind=row["_kind"],
                order=int(row["_order"]),
            )
            unit.save()
            added[("row", index)] = unit
        for row in plan.people:
            person = User(
                username=row["username"],
                full_name=row["full_name"],
                organisation=organisation,
                unit=added[row["_unit"]],
                title=row["title"],
                phone=row["phone"],
                email=row["email"],
            )
            person.set_unusable_password()
            person.save()
            people[("new", row["username"].casefold())] = person
        for index, row in enumerate(plan.units):
            if row["_head"] or row["_leader"]:
                unit = added[("row", index)]
                unit.head = people.get(row["_head"])
                unit.leader_in_charge = people.get(row["_leader"])
                unit.save(update_fields=["head", "leader_in_charge"])
        return len(plan.units), len(plan.people)


def _existing(model, tag, keys):
    """{(tag, pk): the object} for the keys that name an existing row, in one query."""
    pks = {value for kind, value in filter(None, keys) if kind == tag}
    return {(tag, pk): obj for pk, obj in model.objects.in_bulk(pks).items()}


# -- the template ---------------------------------------------------------------------------------
def template_workbook(stream):
    """The blank workbook with an example row on each sheet and a sheet of instructions."""
    workbook = Workbook()
    fill = PatternFill("solid", fgColor="F2DCDB")
    with translation.override("zh-hans"):
        kinds = [str(label) for label in Unit.Kind.labels]
    examples = {
        UNITS_SHEET: (
            UNIT_COLUMNS,
            [
                ["委机关", kinds[0], "", 1, "", ""],
                ["办公室", kinds[1], "委机关", 2, "zhangsan", ""],
            ],
            (24, 12, 24, 8, 16, 16),
        ),
        PEOPLE_SHEET: (
            PEOPLE_COLUMNS,
            [["zhangsan", "张三", "办公室", "主任", "0000-12345678", "zhangsan@example.gov.cn"]],
            (16, 12, 24, 20, 18, 28),
        ),
    }
    for number, (name, (columns, rows_, widths)) in enumerate(examples.items()):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = name
        required = REQUIRED[name]
        sheet.append([f"{label}*" if key in required else label for key, label in columns.items()])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for row in rows_:
            sheet.append(row)
        for letter, width in zip("ABCDEF", widths, strict=False):
            sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("填写说明")
    for line in (
        "带 * 的列必填。示例行请改为本单位的内容或删除。",
        "“单位”表每行一个单位，类型填写：" + "、".join(kinds) + "。",
        "上级单位填写已有单位或本表前面行中的单位；不填时为本党组织唯一的机关本级。"
        "名称重复的单位写成“上级单位/名称”。",
        "负责人、分管领导填写用户名：本党组织已有的人员，或“人员”表中的人员。",
        "“人员”表每行一人，所在单位填写已有单位或“单位”表中的单位；用户名用于登录，不区分大小写。",
        "导入的人员没有密码和角色：请安全管理员在管理后台授予角色、设置密码。",
        "全部行无误才会导入；有错误时列出每一行的问题，不导入任何内容。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    workbook.save(stream)
