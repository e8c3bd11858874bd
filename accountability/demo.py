"""Demo organisations modelled on the two reports in shared/seeds (see seed_demo).

Everything is created with get_or_create on natural keys, so running it again changes nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction

from . import demo_records
from .models import Organisation, Role, RoleAssignment, Unit, User

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 (demo data only; seed_demo refuses to run when DEBUG is off)

K = Unit.Kind

# (name, kind, children); the first level hangs under the organisation's root unit.
WATER_BUREAU_UNITS = [
    ("办公室", K.DEPARTMENT, []),
    ("组织人事处", K.DEPARTMENT, []),
    ("计划财务处", K.DEPARTMENT, []),
    ("建设管理处", K.DEPARTMENT, []),
    ("水资源管理处", K.DEPARTMENT, []),
    ("河湖管理处", K.DEPARTMENT, []),
    ("农村水利处", K.DEPARTMENT, []),
    ("机关党委", K.DEPARTMENT, []),
    ("水利工程建设管理中心", K.SUBORDINATE, [("工程中心党支部", K.BRANCH, [])]),
    ("大陆引水工程管理中心", K.SUBORDINATE, [("引水中心党支部", K.BRANCH, [])]),
    ("虹桥水库管理处", K.SUBORDINATE, [("水库党支部", K.BRANCH, [])]),
    ("水文站", K.SUBORDINATE, []),
]

RIVER_BUREAU_UNITS = [
    ("办公室", K.DEPARTMENT, []),
    ("工程技术股", K.DEPARTMENT, []),
    ("财务股", K.DEPARTMENT, []),
    ("机关党支部", K.BRANCH, []),
    ("江北管理所", K.SUBORDINATE, [("江北管理所党支部", K.BRANCH, [])]),
    ("江南管理所", K.SUBORDINATE, [("江南管理所党支部", K.BRANCH, [])]),
    ("城区管理所", K.SUBORDINATE, [("城区管理所党支部", K.BRANCH, [])]),
]

# The supervising body above both bureaus (issue 15): the city's 机关工委 and its 纪工委.
SUPERVISING_BODY_UNITS = [
    ("办公室", K.DEPARTMENT, []),
    ("组织部", K.DEPARTMENT, []),
    ("纪工委监督检查室", K.DEPARTMENT, []),
]


@dataclass
class DemoOrganisation:
    organisation: Organisation
    root: Unit
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)


@dataclass
class DemoAccount:
    username: str
    full_name: str
    roles: str
    organisation: str


def _units(org, parent, spec, found, order=0):
    for index, (name, kind, children) in enumerate(spec, start=1):
        unit, _ = Unit.objects.get_or_create(
            organisation=org, parent=parent, name=name, defaults={"kind": kind, "order": index}
        )
        found[name] = unit
        _units(org, unit, children, found)


def _person(username, full_name, org, unit, title="", roles=(), login=True, email=""):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "organisation": org,
            "unit": unit,
            "title": title,
            "email": email,
        },
    )
    if created:
        if login:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, organisation=org, role=role)
    return user


def _organisation(code, name, short_name, body_type, root_name, spec, sector=""):
    org, _ = Organisation.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": short_name,
            "body_type": body_type,
            "sector": sector,
        },
    )
    root, _ = Unit.objects.get_or_create(
        organisation=org, parent=None, name=root_name, defaults={"kind": K.BUREAU}
    )
    demo = DemoOrganisation(organisation=org, root=root, units={root_name: root})
    _units(org, root, spec, demo.units)
    return demo


def _assign(unit, *, head=None, leader=None):
    changed = False
    if head is not None and unit.head_id != head.pk:
        unit.head, changed = head, True
    if leader is not None and unit.leader_in_charge_id != leader.pk:
        unit.leader_in_charge, changed = leader, True
    if changed:
        unit.save()


def seed_water_bureau():
    """The city water bureau of the 2021 report: a 党组 with 处室 and 局属单位."""
    d = _organisation(
        "sw",
        "市水利局",
        "市水利局",
        Organisation.BodyType.PARTY_GROUP,
        "市水利局机关",
        WATER_BUREAU_UNITS,
        sector="水利",
    )
    org, u = d.organisation, d.units
    p = d.people
    p["shuji"] = _person("shuji", "王建国", org, u["办公室"], "党组书记、局长", [Role.LEADER])
    p["fenguan"] = _person("fenguan", "李志强", org, u["办公室"], "党组成员、副局长", [Role.LEADER])
    p["fenguan2"] = _person(
        "zhaomin", "赵敏", org, u["办公室"], "党组成员、副局长", [Role.LEADER], login=False
    )
    p["jizuzhang"] = _person(
        "jijian",
        "陈立新",
        org,
        u["机关党委"],
        "驻局纪检组组长",
        [Role.INSPECTOR],
        email="jijian@example.org",
    )
    p["dangban"] = _person(
        "dangban",
        "刘晓燕",
        org,
        u["办公室"],
        "办公室（党办）科员",
        [Role.OFFICE],
        email="dangban@example.org",
    )
    p["chuzhang"] = _person(
        "chuzhang",
        "张海涛",
        org,
        u["建设管理处"],
        "建设管理处处长",
        [Role.UNIT_HEAD],
        email="chuzhang@example.org",
    )
    p["sysadmin"] = _person("sysadmin", "孙宇", org, u["办公室"], "信息管理员", [Role.ADMIN])
    # 三员分立: the security administrator and the security auditor are other people.
    p["anquan"] = _person(
        "anquan", "钱安", org, u["办公室"], "网络安全管理员", [Role.SECURITY_ADMIN]
    )
    p["shenji"] = _person("shenji", "赵审", org, u["机关党委"], "安全审计员", [Role.AUDITOR])
    heads = {
        "办公室": ("wangli", "王丽", "办公室主任"),
        "组织人事处": ("zhoujun", "周军", "组织人事处处长"),
        "计划财务处": ("wuhong", "吴红", "计划财务处处长"),
        "水资源管理处": ("zhengbo", "郑波", "水资源管理处处长"),
        "河湖管理处": ("fengtao", "冯涛", "河湖管理处处长"),
        "农村水利处": ("hexin", "何鑫", "农村水利处处长"),
        "机关党委": ("luoping", "罗平", "机关党委专职副书记"),
        "水利工程建设管理中心": ("xuhui", "徐辉", "中心主任"),
        "大陆引水工程管理中心": ("majie", "马杰", "中心主任"),
        "虹桥水库管理处": ("huanggang", "黄刚", "管理处主任"),
        "水文站": ("linfeng", "林峰", "站长"),
    }
    for unit_name, (username, full_name, title) in heads.items():
        p[username] = _person(
            username, full_name, org, u[unit_name], title, [Role.UNIT_HEAD], login=False
        )
        _assign(u[unit_name], head=p[username])
    _assign(u["建设管理处"], head=p["chuzhang"])
    # 分管: the vice-director in charge of construction and the reservoirs; the other of the rest.
    for name in ("建设管理处", "水利工程建设管理中心", "虹桥水库管理处", "河湖管理处"):
        _assign(u[name], leader=p["fenguan"])
    for name in (
        "办公室",
        "组织人事处",
        "计划财务处",
        "水资源管理处",
        "农村水利处",
        "机关党委",
        "大陆引水工程管理中心",
        "水文站",
    ):
        _assign(u[name], leader=p["fenguan2"])
    if org.principal_leader_id != p["shuji"].pk:
        org.principal_leader = p["shuji"]
        org.save()
    return d


def seed_river_bureau():
    """The river-management bureau of the 2023 report: a 党总支 with 管理所 and 党支部."""
    d = _organisation(
        "cjhd",
        "长江河道管理局",
        "长江河道管理局",
        Organisation.BodyType.GENERAL_BRANCH,
        "长江河道管理局机关",
        RIVER_BUREAU_UNITS,
        sector="河道管理",
    )
    org, u = d.organisation, d.units
    p = d.people
    p["cj_shuji"] = _person(
        "cj_shuji", "周长江", org, u["办公室"], "党总支书记、局长", [Role.LEADER]
    )
    p["cj_fenguan"] = _person(
        "cj_fenguan", "钱涛", org, u["办公室"], "党总支委员、副局长", [Role.LEADER], login=False
    )
    p["cj_jijian"] = _person(
        "cj_jijian", "吴清", org, u["机关党支部"], "党总支纪检委员", [Role.INSPECTOR]
    )
    p["cj_dangban"] = _person("cj_dangban", "郑雯", org, u["办公室"], "办公室科员", [Role.OFFICE])
    p["cj_suozhang"] = _person(
        "cj_suozhang", "孙江北", org, u["江北管理所"], "江北管理所所长", [Role.UNIT_HEAD]
    )
    p["cj_admin"] = _person("cj_admin", "冯航", org, u["办公室"], "信息管理员", [Role.ADMIN])
    p["cj_anquan"] = _person(
        "cj_anquan", "陈安", org, u["办公室"], "网络安全管理员", [Role.SECURITY_ADMIN]
    )
    p["cj_shenji"] = _person("cj_shenji", "林审", org, u["财务股"], "安全审计员", [Role.AUDITOR])
    _assign(u["江北管理所"], head=p["cj_suozhang"], leader=p["cj_fenguan"])
    for name in ("江南管理所", "城区管理所", "工程技术股"):
        _assign(u[name], leader=p["cj_fenguan"])
    for name in ("办公室", "财务股", "机关党支部"):
        _assign(u[name], leader=p["cj_shuji"])
    if org.principal_leader_id != p["cj_shuji"].pk:
        org.principal_leader = p["cj_shuji"]
        org.save()
    return d


def seed_supervising_body(below):
    """The city's 机关工委 that both bureaus report to: it reads their records, receives their
    reports, issues 督办 and scores them; it writes nothing of theirs."""
    d = _organisation(
        "szjg",
        "中共示范市直属机关工作委员会",
        "市直机关",
        Organisation.BodyType.WORKING_COMMITTEE,
        "市直机关工委机关",
        SUPERVISING_BODY_UNITS,
    )
    org, u = d.organisation, d.units
    p = d.people
    p["gw_shuji"] = _person(
        "gw_shuji", "韩正言", org, u["办公室"], "市直机关工委书记", [Role.LEADER]
    )
    p["gw_dangban"] = _person(
        "gw_dangban", "许文", org, u["办公室"], "市直机关工委办公室四级主任科员", [Role.OFFICE]
    )
    p["gw_jijian"] = _person(
        "gw_jijian",
        "丁检",
        org,
        u["纪工委监督检查室"],
        "市直机关纪工委监督检查室主任",
        [Role.INSPECTOR],
    )
    for name in ("办公室", "组织部", "纪工委监督检查室"):
        _assign(u[name], leader=p["gw_shuji"])
    if org.principal_leader_id != p["gw_shuji"].pk:
        org.principal_leader = p["gw_shuji"]
        org.save()
    for child in below:
        if child.organisation.supervisor_id != org.pk:
            child.organisation.supervisor = org
            child.organisation.save()
    return d


@transaction.atomic
def seed():
    """Create (or find) both demo organisations, the body they report to and their years'
    records; returns them by code."""
    organisations = {"sw": seed_water_bureau(), "cjhd": seed_river_bureau()}
    organisations["szjg"] = seed_supervising_body(list(organisations.values()))
    demo_records.seed(organisations)
    return organisations


def demo_accounts() -> list[DemoAccount]:
    """The accounts a person can log in with, for the README and `make run`'s banner."""
    rows = []
    users = (
        User.objects.filter(username__in=DEMO_LOGINS)
        .select_related("organisation")
        .prefetch_related("role_assignments")
    )
    for user in sorted(users, key=lambda u: DEMO_LOGINS.index(u.username)):
        roles = "、".join(str(Role(a.role).label) for a in user.role_assignments.all())
        rows.append(DemoAccount(user.username, user.full_name, roles, user.organisation.name))
    return rows


DEMO_LOGINS = [
    "dangban",
    "chuzhang",
    "shuji",
    "fenguan",
    "jijian",
    "sysadmin",
    "anquan",
    "shenji",
    "cj_dangban",
    "cj_suozhang",
    "cj_shuji",
    "cj_jijian",
    "cj_admin",
    "cj_anquan",
    "cj_shenji",
    "gw_dangban",
    "gw_shuji",
    "gw_jijian",
]
