"""Synthetic organisations, units, people and a year's records for the bench datasets.

``generate(scale=100)`` makes about 100 organisations of 30 units each with five years of work
records (≈ 500,000 rows), duty letters, responsibility lists and risk points; ``scale=1`` one
organisation. Everything is bulk-created in large batches without history rows (this is load,
not anyone's work). Deterministic for a given ``seed`` and ``today``. Returns the counts and the
context the next generators (``rectification.dataset``) read: ``organisations`` and ``today``.
"""

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from . import person_cache
from .models import (
    DutyLetter,
    Organisation,
    ResponsibilityItem,
    ResponsibilityList,
    RiskPoint,
    Role,
    RoleAssignment,
    Unit,
    User,
    WorkRecord,
    WorkRecordKind,
)
from .models.organisation import PATH_STEP

UNITS_PER_ORGANISATION = 30  # the root and 29 below it
YEARS = 5
RECORDS_PER_ORGANISATION_YEAR = 1000
BATCH = 10_000
BENCH_PASSWORD = "Bench@2026"  # noqa: S105 (synthetic bench data only)
DEPARTMENTS = [
    "办公室",
    "组织人事处",
    "计划财务处",
    "建设管理处",
    "水资源管理处",
    "河湖管理处",
    "农村水利处",
    "机关党委",
    "政策法规处",
    "科技外事处",
    "运行管理处",
    "安全监督处",
    "水土保持处",
    "规划计划处",
    "审计处",
]
SUBORDINATES = [f"第{n}水利工程管理中心" for n in range(1, 15)]
# kind code -> (weight, title, participants range)
RECORD_MIX = {
    "theory_study": (12, "理论中心组集中学习", (6, 12)),
    "party_lecture": (5, "专题党课", (20, 60)),
    "party_group_meeting": (3, "党组会议专题研究党风廉政建设", (5, 9)),
    "integrity_talk": (10, "重点岗位廉政谈话", (1, 12)),
    "admonition_talk": (8, "约谈提醒", (1, 4)),
    "heart_talk": (25, "谈心谈话", (1, 6)),
    "integrity_analysis": (2, "廉情分析会", (10, 25)),
    "warning_education": (15, "警示教育", (20, 90)),
    "supervision": (10, "督查检查", (3, 8)),
    "rule_issued": (5, "制度出台", (0, 0)),
    "democratic_life": (5, "民主生活会", (5, 9)),
}
TARGETS = {
    "theory_study": 12,
    "party_lecture": 4,
    "party_group_meeting": 2,
    "integrity_talk": 5,
    "admonition_talk": 10,
    "heart_talk": 12,
    "integrity_analysis": 2,
    "warning_education": 4,
    "supervision": 4,
    "rule_issued": 3,
    "democratic_life": 1,
}


def _bulk(model, rows):
    created = []
    for start in range(0, len(rows), BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
    return created


def _path(unit, parent_path=""):
    return f"{parent_path}{unit.pk:0{PATH_STEP}d}."


def _organisations(count, seed, password):
    first = Organisation.objects.count()
    orgs = _bulk(
        Organisation,
        [
            Organisation(
                code=f"bench-{seed}-{first + n:04d}",
                name=f"基准测试水利局{first + n:04d}（{seed}）",
                short_name=f"测试局{first + n:04d}",
            )
            for n in range(count)
        ],
    )
    roots = _bulk(
        Unit,
        [
            Unit(organisation=org, name=f"{org.short_name}机关", kind=Unit.Kind.BUREAU)
            for org in orgs
        ],
    )
    for root in roots:
        root.path = _path(root)
    Unit.objects.bulk_update(roots, ["path"], batch_size=BATCH)
    children = []
    for root in roots:
        names = [(name, Unit.Kind.DEPARTMENT) for name in DEPARTMENTS] + [
            (name, Unit.Kind.SUBORDINATE) for name in SUBORDINATES
        ]
        for order, (name, kind) in enumerate(names[: UNITS_PER_ORGANISATION - 1], start=1):
            children.append(
                Unit(
                    organisation_id=root.organisation_id,
                    parent=root,
                    name=name,
                    kind=kind,
                    order=order,
                )
            )
    children = _bulk(Unit, children)
    for unit in children:
        unit.path = _path(unit, unit.parent.path)
    Unit.objects.bulk_update(children, ["path"], batch_size=BATCH)
    units_by_org = {}
    for unit in children:
        units_by_org.setdefault(unit.organisation_id, []).append(unit)

    people, roles = [], []
    for org, root in zip(orgs, roots, strict=True):
        n = org.code.rsplit("-", 1)[-1]
        cast = [
            ("office", "党办", root, Role.OFFICE),
            ("inspector", "纪检", root, Role.INSPECTOR),
            ("leader1", "书记", root, Role.LEADER),
            ("leader2", "副局长甲", root, Role.LEADER),
            ("leader3", "副局长乙", root, Role.LEADER),
        ]
        cast += [
            (f"head{index:02d}", f"{unit.name}负责人", unit, Role.UNIT_HEAD)
            for index, unit in enumerate(units_by_org[org.pk], start=1)
        ]
        for key, full_name, unit, role in cast:
            user = User(
                username=f"{org.code}-{key}",
                full_name=f"{full_name}{n}",
                organisation=org,
                unit=unit,
                password=password,
            )
            people.append(user)
            roles.append((user, org, role))
    _bulk(User, people)
    _bulk(RoleAssignment, [RoleAssignment(user=u, organisation=o, role=r) for u, o, r in roles])
    return orgs, roots, units_by_org, roles


def _supervising_body(orgs, seed, password):
    """A 机关工委 above ``orgs``, with an office, a leader (its principal) and an inspector.

    Made after the organisations, with a name and code that sort after theirs, so that a bench
    picking "the first organisation" or "the first office" still gets a bureau. Its people are
    ``gw-<seed>-office`` / ``-leader`` / ``-inspector`` (not ``bench-…``: the load test's
    accounts stay the bureaus' own).
    """
    body = Organisation.objects.create(
        code=f"bench-{seed}-supervisor",
        name=f"基准测试水利局上级机关工委（{seed}）",
        short_name="基准测试机关工委",
        body_type=Organisation.BodyType.WORKING_COMMITTEE,
    )
    root = Unit.objects.create(organisation=body, name="工委办公室", kind=Unit.Kind.BUREAU)
    root.path = _path(root)
    Unit.objects.filter(pk=root.pk).update(path=root.path)
    people = {}
    for key, full_name, role in (
        ("office", "工委办公室干部", Role.OFFICE),
        ("leader", "工委书记", Role.LEADER),
        ("inspector", "纪工委干部", Role.INSPECTOR),
    ):
        people[key] = User.objects.create(
            username=f"gw-{seed}-{key}",
            full_name=full_name,
            organisation=body,
            unit=root,
            password=password,
        )
        RoleAssignment.objects.create(user=people[key], organisation=body, role=role)
    body.principal_leader = people["leader"]
    body.save(update_fields=["principal_leader"])
    # Bulk-created organisations have no path yet: each goes below the body's.
    for org in orgs:
        org.supervisor = body
        org.path = f"{body.path}{org.pk:0{PATH_STEP}d}."
    Organisation.objects.bulk_update(orgs, ["supervisor", "path"], batch_size=BATCH)
    return body


def generate(*, scale, seed=1, today=None, records_per_year=None, supervising_body=False):
    """Create ``scale`` organisations' worth of accountability rows; returns counts + context.

    ``supervising_body``: also a 机关工委 above them all (``generate_dataset`` asks for it), for
    the roll-up bench; the context then carries it as ``supervising_body``.
    """
    rng = random.Random(f"accountability-{seed}")
    today = today or timezone.localdate()
    count = max(1, round(scale))
    if records_per_year is None:
        # A fractional scale (tests) shrinks the one organisation's records instead.
        records_per_year = max(1, round(RECORDS_PER_ORGANISATION_YEAR * scale / count))
    password = make_password(BENCH_PASSWORD)
    counts = dict.fromkeys(
        ["organisations", "units", "users", "work_records", "duty_letters", "items", "risks"], 0
    )
    with transaction.atomic():
        orgs, roots, units_by_org, roles = _organisations(count, seed, password)
        leaders_by_org, heads = {}, {}
        for user, org, role in roles:
            if role == Role.LEADER:
                leaders_by_org.setdefault(org.pk, []).append(user)
            elif role == Role.UNIT_HEAD:
                heads[user.unit_id] = user
        units = [unit for org_units in units_by_org.values() for unit in org_units]
        for unit in units:
            unit.head = heads.get(unit.pk)
            unit.leader_in_charge = leaders_by_org[unit.organisation_id][1 + unit.order % 2]
        Unit.objects.bulk_update(units, ["head", "leader_in_charge"], batch_size=BATCH)
        for org in orgs:
            org.principal_leader = leaders_by_org[org.pk][0]
        Organisation.objects.bulk_update(orgs, ["principal_leader"], batch_size=BATCH)
        kinds = _bulk(
            WorkRecordKind,
            [
                WorkRecordKind(organisation=org, code=code, name=str(name), order=index)
                for org in orgs
                for index, (code, name) in enumerate(WorkRecordKind.PRESETS, start=1)
            ],
        )
        kinds_by_org = {}
        for kind in kinds:
            kinds_by_org.setdefault(kind.organisation_id, {})[kind.code] = kind
        counts["organisations"] = len(orgs)
        counts["units"] = len(units) + len(roots)
        counts["users"] = len(roles)
        years = list(range(today.year - YEARS + 1, today.year + 1))
        codes = list(RECORD_MIX)
        weights = [RECORD_MIX[code][0] for code in codes]
        for org in orgs:
            org_units = units_by_org[org.pk]
            leaders = leaders_by_org[org.pk]
            office = next(u for u, o, r in roles if o is org and r == Role.OFFICE)
            records = []
            for year in years:
                last = (today - date(year, 1, 1)).days if year == today.year else 364
                for _ in range(records_per_year):
                    code = rng.choices(codes, weights)[0]
                    weight, title, (low, high) = RECORD_MIX[code]
                    day = date(year, 1, 1) + timedelta(days=rng.randint(0, max(0, last)))
                    records.append(
                        WorkRecord(
                            organisation=org,
                            unit=rng.choice(org_units),
                            kind=kinds_by_org[org.pk][code],
                            date=day,
                            title=f"{day.month}月{title}",
                            participant_count=rng.randint(low, high),
                            leader=rng.choice(leaders) if rng.random() < 0.6 else None,
                            created_by=office,
                        )
                    )
            counts["work_records"] += len(_bulk(WorkRecord, records))
            letters, lists, risks = [], [], []
            for year in years:
                issued = date(year, 2, 20)
                for unit in org_units:
                    signed = rng.random() < 0.85 and issued + timedelta(days=40) <= today
                    letters.append(
                        DutyLetter(
                            organisation=org,
                            year=year,
                            unit=unit,
                            title=f"{year}年度{unit.name}党风廉政建设责任书",
                            issued_on=issued,
                            due_on=issued + timedelta(days=40),
                            signed_on=issued + timedelta(days=rng.randint(3, 40))
                            if signed
                            else None,
                            signatory=unit.head.full_name if signed else "",
                        )
                    )
                lists.append(ResponsibilityList(organisation=org, year=year))
            counts["duty_letters"] += len(_bulk(DutyLetter, letters))
            lists = _bulk(ResponsibilityList, lists)
            items = [
                ResponsibilityItem(
                    list=the_list,
                    area=f"第{index}方面",
                    area_order=index,
                    order=1,
                    title=str(dict(WorkRecordKind.PRESETS)[code]),
                    lead_leader=rng.choice(leaders),
                    responsible_unit=rng.choice(org_units),
                    kind=kinds_by_org[org.pk][code],
                    target_count=target,
                )
                for the_list in lists
                for index, (code, target) in enumerate(TARGETS.items(), start=1)
            ]
            counts["items"] += len(_bulk(ResponsibilityItem, items))
            for unit in org_units:
                for post in ("经费审批", "项目招投标"):
                    risks.append(
                        RiskPoint(
                            organisation=org,
                            unit=unit,
                            post=post,
                            description=f"{unit.name}{post}环节的廉政风险",
                            level=rng.choice(["high", "medium", "low"]),
                            measures="集体研究，全程留痕",
                            owner=unit.head,
                        )
                    )
            counts["risks"] += len(_bulk(RiskPoint, risks))
        body = _supervising_body(orgs, seed, password) if supervising_body else None
    context = {"organisations": orgs, "today": today, "supervising_body": body}
    # Rows written in bulk send no signals: retire every cached person and scope here.
    person_cache.bump()
    return {**counts, "context": context}
