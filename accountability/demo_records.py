"""Demo work records, duty letters, responsibility lists and risk points (see ``demo.seed``).

For 市水利局 ("sw") the year 2021 and the current year are modelled on the 2021 report: twelve
theory-study sessions, party lectures by the leaders, two party-group meetings on the topic,
integrity talks with about fifty key-post staff, about thirty admonition talks, two
integrity-analysis meetings, warning-education films, supervision groups and the rules the report
names. For 长江河道管理局 ("cjhd") the year 2023 of its report. Deterministic (fixed random seed);
idempotent: a year that already has records, letters, a list or risk points is left alone.
"""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.history import date_latest_history

from .models import (
    DutyLetter,
    DutyLetterScan,
    ResponsibilityItem,
    ResponsibilityList,
    RiskPoint,
    WorkRecord,
    WorkRecordEvidence,
    WorkRecordKind,
)

# A one-page PDF that passes the evidence checks (a catalogue, a page tree and a page).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

STUDY_TOPICS = [
    "学习贯彻习近平新时代中国特色社会主义思想",
    "学习《中国共产党党组工作条例》",
    "学习党史，传承红色基因",
    "学习习近平总书记关于治水的重要论述",
    "学习《中国共产党纪律处分条例》",
    "学习中央八项规定及其实施细则精神",
    "学习习近平总书记“七一”重要讲话精神",
    "学习《中国共产党廉洁自律准则》",
    "学习省委全会精神",
    "学习党的十九届六中全会精神",
    "学习《关于新形势下党内政治生活的若干准则》",
    "学习《中国共产党问责条例》",
]
LECTURES = [
    ("shuji", "党课：坚定理想信念，做忠诚干净担当的水利人"),
    ("fenguan", "党课：守牢廉洁底线，打造廉洁工程"),
    ("fenguan2", "党课：学党史、悟思想，推动水利事业高质量发展"),
    ("shuji", "党课：以严的基调强化正风肃纪"),
]
FILMS = ["《永远在路上》", "《零容忍》", "《正风反腐就在身边》", "《国家监察》"]
SW_RULES = [
    "《水利工程项目建设监管办法（试行）》",
    "《局经费支出管理办法》",
    "《党风廉政建设责任制检查考核办法》",
    "《局党组理论中心组学习制度》",
    "《市水利行业施工企业农民工工资支付保证金管理办法（试行）》",
    "《局党组议事规则》",
    "《局公务接待制度》",
]
CJ_RULES = [
    "《党总支议事规则》",
    "《局工作规则》",
    "《公务接待管理制度》",
    "《公务用车管理制度》",
]
SUPERVISION = [
    "“廉政建设进工地”督查：大陆引水三期工程",
    "“廉政建设进工地”督查：虹桥水库水源地整治工程",
    "水利发展实施意见督导检查（第一督导组）",
    "水利工程三年行动计划督导检查（第二督导组）",
]

# (area, [(title, kind code, target, frequency, responsible unit)]) — the seven areas of the report.
SW_LIST = [
    (
        "强化思想政治建设",
        [
            ("局党组理论中心组每月集中学习", "theory_study", 12, "monthly", "办公室"),
            ("班子成员讲党课", "party_lecture", 4, "quarterly", "机关党委"),
        ],
    ),
    (
        "强化主体责任意识",
        [
            ("党组会议专题研究党风廉政建设", "party_group_meeting", 2, "half_yearly", "办公室"),
            ("与重点岗位人员开展专题廉政谈话", "integrity_talk", 5, "yearly", "机关党委"),
        ],
    ),
    ("强化廉政宣传教育", [("组织观看警示教育片", "warning_education", 4, "quarterly", "机关党委")]),
    (
        "强化权力监督制约",
        [
            ("召开廉情分析会", "integrity_analysis", 2, "half_yearly", "机关党委"),
            ("重点工程廉政督查", "supervision", 4, "quarterly", "建设管理处"),
        ],
    ),
    (
        "强化干部队伍建设",
        [("对履职不力干部约谈提醒", "admonition_talk", 10, "ongoing", "组织人事处")],
    ),
    ("强化工作作风改进", [("修订出台廉政相关制度", "rule_issued", 5, "yearly", "办公室")]),
    (
        "强化班子自身建设",
        [
            ("召开民主生活会", "democratic_life", 1, "yearly", "机关党委"),
            ("处室（单位）每月廉政学习和谈心谈话", "heart_talk", 36, "monthly", "机关党委"),
        ],
    ),
]

SW_RISKS = [
    (
        "建设管理处",
        "工程招投标",
        "项目拆分规避招标、串通投标",
        "high",
        "全部依法公开招标，开评标由局机关纪委全程监督",
    ),
    (
        "计划财务处",
        "经费支出审批",
        "超范围、超标准支出，先支付后审批",
        "high",
        "执行《局经费支出管理办法》，分级审批",
    ),
    (
        "水利工程建设管理中心",
        "工程变更与计量支付",
        "虚增工程量、无审价直接支付",
        "high",
        "变更集体研究，审价后支付",
    ),
    ("办公室", "公务接待", "无公函接待、超标准接待", "medium", "执行公务接待制度，定期检查票据"),
    ("组织人事处", "干部选拔任用", "程序不规范、带病提拔", "medium", "严格“三龄两历一身份”核查"),
    ("虹桥水库管理处", "三防物资采购", "采购价格不透明", "medium", "物资采购比价并公示"),
    ("水文站", "设备维护外包", "外包服务验收不严", "low", "验收双人签字"),
]


def _month_days(year, count, rng, until):
    """``count`` dates spread over the year, none after ``until``."""
    days = []
    for index in range(count):
        month = 1 + (index * 12) // count
        day = date(year, month, rng.randint(5, 26))
        if day <= until:
            days.append(day)
    return days


class _Writer:
    def __init__(self, demo, kinds, rng, by, until):
        self.demo, self.kinds, self.rng, self.by, self.until = demo, kinds, rng, by, until
        self.created = []

    def add(self, code, day, title, *, unit=None, leader=None, count=0, description=""):
        if day > self.until:
            return None
        record = WorkRecord(
            organisation=self.demo.organisation,
            unit=unit or self.demo.root,
            kind=self.kinds[code],
            date=day,
            title=title,
            participant_count=count,
            leader=self.demo.people.get(leader) if leader else None,
            description=description,
            created_by=self.by,
        )
        record._history_user = self.by
        record.save()
        filed = _filed(day)
        # Entered when it happened, as an office would have: the assessment's "filed on time"
        # reads created_at (a few are typed in weeks late, so that some months are late).
        WorkRecord.all_objects.filter(pk=record.pk).update(created_at=filed)
        date_latest_history(record, filed)
        self.created.append(record)
        return record


def _filed(day):
    """When the office entered a record of ``day``: that afternoon, one in seven weeks later."""
    lag = timedelta(days=25) if day.toordinal() % 7 == 0 else timedelta(0)
    return min(_moment(day + lag, 17), timezone.now())


def _moment(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _evidence(record, by, name):
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    WorkRecordEvidence.from_upload(upload, by=by, record=record).save()


def seed_sw_year(demo, year, today):
    org, u, p = demo.organisation, demo.units, demo.people
    kinds = WorkRecordKind.ensure_presets(org)
    if WorkRecord.all_objects.filter(organisation=org, date__year=year).exists():
        return
    rng = random.Random(f"sw-{year}")
    office = p["dangban"]
    w = _Writer(demo, kinds, rng, office, today)
    for index, day in enumerate(_month_days(year, 12, rng, today), start=1):
        record = w.add(
            "theory_study",
            day,
            f"局党组理论中心组第{index}次集中学习：{STUDY_TOPICS[index - 1]}",
            unit=u["办公室"],
            leader="shuji",
            count=rng.randint(8, 11),
            description="局党组书记主持，班子成员交流发言。",
        )
        if record and index <= 3:
            _evidence(record, office, f"理论中心组第{index}次学习记录.pdf")
    for (leader, title), day in zip(LECTURES, _month_days(year, 4, rng, today), strict=False):
        w.add(
            "party_lecture",
            day,
            title,
            unit=u["机关党委"],
            leader=leader,
            count=rng.randint(40, 60),
        )
    for day in _month_days(year, 2, rng, today):
        w.add(
            "party_group_meeting",
            day,
            "局党组会议专题研究党风廉政及作风建设工作",
            leader="shuji",
            count=7,
        )
    talks = [
        ("建设管理处", 12),
        ("计划财务处", 9),
        ("水利工程建设管理中心", 11),
        ("大陆引水工程管理中心", 10),
        ("虹桥水库管理处", 8),
    ]
    for (unit_name, count), day in zip(talks, _month_days(year, 5, rng, today), strict=False):
        w.add(
            "integrity_talk",
            day,
            f"与{unit_name}重点岗位人员专题廉政谈话",
            unit=u[unit_name],
            leader=rng.choice(["shuji", "fenguan", "fenguan2"]),
            count=count,
        )
    for day in _month_days(year, 10, rng, today):
        w.add(
            "admonition_talk",
            day,
            "对履职不力干部约谈提醒",
            unit=u[rng.choice(["组织人事处", "水资源管理处", "农村水利处", "水文站"])],
            leader="fenguan",
            count=3,
        )
    for index, day in enumerate(_month_days(year, 2, rng, today), start=1):
        half = "上半年" if index == 1 else "下半年"
        w.add(
            "integrity_analysis",
            day,
            f"{year}年{half}廉情分析会",
            unit=u["机关党委"],
            leader="shuji",
            count=18,
        )
    for film, day in zip(FILMS, _month_days(year, 4, rng, today), strict=False):
        w.add(
            "warning_education",
            day,
            f"组织观看警示教育片{film}",
            unit=u["机关党委"],
            count=rng.randint(60, 90),
        )
    for title, day in zip(SUPERVISION, _month_days(year, 4, rng, today), strict=False):
        w.add("supervision", day, title, unit=u["建设管理处"], leader="fenguan", count=5)
    rules = SW_RULES[:5] if year == 2021 else SW_RULES[5:]
    for title, day in zip(rules, _month_days(year, len(rules), rng, today), strict=False):
        w.add("rule_issued", day, f"制定出台{title}", unit=u["办公室"])
    w.add(
        "democratic_life",
        date(year, 1, 28),
        f"{year - 1}年度党组民主生活会",
        leader="shuji",
        count=7,
    )
    for unit_name in ("建设管理处", "计划财务处", "河湖管理处"):
        for day in _month_days(year, 12, rng, today):
            w.add(
                "heart_talk",
                day,
                f"{unit_name}每月廉政学习与谈心谈话",
                unit=u[unit_name],
                count=rng.randint(5, 12),
            )
    seed_letters(demo, year, today, missing={"水文站", "农村水利处", "河湖管理处"}, by=office)
    seed_list(demo, year, SW_LIST, kinds, by=office)


def seed_cjhd_year(demo, year, today):
    org, u, p = demo.organisation, demo.units, demo.people
    kinds = WorkRecordKind.ensure_presets(org)
    if WorkRecord.all_objects.filter(organisation=org, date__year=year).exists():
        return
    rng = random.Random(f"cjhd-{year}")
    office = p["cj_dangban"]
    demo.people.setdefault("cj_shuji", p["cj_shuji"])
    w = _Writer(demo, kinds, rng, office, today)
    for index, day in enumerate(_month_days(year, 12, rng, today), start=1):
        w.add(
            "theory_study",
            day,
            f"党总支中心组第{index}次学习：学习贯彻习近平新时代中国特色社会主义思想主题教育",
            unit=u["机关党支部"],
            leader="cj_shuji",
            count=rng.randint(7, 9),
        )
    for day in _month_days(year, 3, rng, today):
        w.add(
            "party_lecture",
            day,
            "到基层管理所讲专题党课",
            unit=u[rng.choice(["江北管理所", "江南管理所", "城区管理所"])],
            leader="cj_shuji",
            count=rng.randint(15, 25),
        )
    w.add(
        "warning_education",
        date(year, 5, 16),
        "参观雷池廉政文化教育基地",
        unit=u["机关党支部"],
        count=36,
    )
    w.add(
        "warning_education",
        date(year, 9, 12),
        "组织观看警示教育片《零容忍》",
        unit=u["机关党支部"],
        count=40,
    )
    for day in _month_days(year, 4, rng, today):
        w.add(
            "integrity_talk",
            day,
            "岗位廉政谈话",
            unit=u[rng.choice(["财务股", "工程技术股"])],
            leader="cj_fenguan",
            count=rng.randint(4, 8),
        )
    for title, day in zip(CJ_RULES, _month_days(year, 4, rng, today), strict=False):
        w.add("rule_issued", day, f"修订完善{title}", unit=u["办公室"])
    w.add(
        "supervision",
        date(year, 10, 18),
        "“三重一大”决策落实和“三公”经费专项检查",
        unit=u["财务股"],
        count=4,
    )
    seed_letters(demo, year, today, missing={"城区管理所"}, by=office)
    seed_list(
        demo,
        year,
        [
            (
                "加强思想教育",
                [
                    ("党总支中心组学习", "theory_study", 12, "monthly", "机关党支部"),
                    ("讲专题党课", "party_lecture", 3, "yearly", "机关党支部"),
                ],
            ),
            ("突出政治建设", [("岗位廉政谈话", "integrity_talk", 4, "quarterly", "办公室")]),
            ("持续改进作风", [("警示教育", "warning_education", 2, "half_yearly", "机关党支部")]),
            (
                "落实反腐要求",
                [
                    ("修订完善制度", "rule_issued", 4, "yearly", "办公室"),
                    ("专项监督检查", "supervision", 1, "yearly", "财务股"),
                ],
            ),
        ],
        kinds,
        by=office,
    )


def seed_letters(demo, year, today, *, missing, by):
    org = demo.organisation
    if DutyLetter.objects.filter(organisation=org, year=year).exists():
        return
    issued_on = min(date(year, 2, 20), today)
    due_on = issued_on + timedelta(days=40)
    for unit in demo.organisation.units.filter(
        is_active=True, parent__isnull=False, kind__in=["department", "subordinate"]
    ).order_by("path"):
        signed = unit.name not in missing and due_on <= today
        letter = DutyLetter(
            organisation=org,
            year=year,
            unit=unit,
            kind=DutyLetter.Kind.DUTY,
            level=DutyLetter.Level.GROUP_UNIT,
            title=f"{year}年度{unit.name}党风廉政建设和惩防体系建设工作责任书",
            body=f"为落实{year}年度全面从严治党主体责任，{unit.name}主要负责人对本单位党风廉政建设负总责。",
            issued_on=issued_on,
            due_on=due_on,
        )
        # Issued first, signed later: two history rows, each dated when it happened.
        letter._history_user = by
        letter.save()
        date_latest_history(letter, _moment(issued_on, 9))
        if signed:
            letter.signed_on = issued_on + timedelta(days=10 + len(unit.name) % 20)
            letter.signatory = unit.head.full_name if unit.head else "负责人"
            letter._history_user = by
            letter.save()
            date_latest_history(letter, _moment(letter.signed_on, 15))
            upload = SimpleUploadedFile(
                f"{unit.name}责任书扫描件.pdf", PDF, content_type="application/pdf"
            )
            DutyLetterScan.from_upload(upload, by=by, letter=letter).save()


def seed_list(demo, year, spec, kinds, *, by):
    org, u = demo.organisation, demo.units
    the_list, created = ResponsibilityList.objects.get_or_create(
        organisation=org, year=year, defaults={"title": f"{year}年度全面从严治党主体责任清单"}
    )
    if not created:
        return
    leader = org.principal_leader
    for area_order, (area, items) in enumerate(spec, start=1):
        for order, (title, code, target, frequency, unit_name) in enumerate(items, start=1):
            item = ResponsibilityItem(
                list=the_list,
                area=area,
                area_order=area_order,
                order=order,
                title=title,
                lead_leader=leader,
                responsible_unit=u.get(unit_name),
                kind=kinds[code],
                target_count=target,
                frequency=frequency,
            )
            item._history_user = by
            item.save()
            date_latest_history(item, _moment(date(year, 1, 10), 9))


def seed_risks(demo, spec, owner):
    org, u = demo.organisation, demo.units
    if RiskPoint.objects.filter(organisation=org).exists():
        return
    for unit_name, post, description, level, measures in spec:
        RiskPoint.objects.create(
            organisation=org,
            unit=u[unit_name],
            post=post,
            description=description,
            level=level,
            measures=measures,
            owner=u[unit_name].head or owner,
            review_on=date(timezone.localdate().year, 12, 15),
        )


def seed(organisations, today=None):
    today = today or timezone.localdate()
    sw, cjhd = organisations["sw"], organisations["cjhd"]
    for year in sorted({2021, today.year}):
        seed_sw_year(sw, year, today)
    seed_risks(sw, SW_RISKS, sw.people["dangban"])
    seed_cjhd_year(cjhd, 2023, today)
    seed_risks(
        cjhd,
        [
            ("财务股", "资金支付", "违规支付、公款私存", "high", "双人复核，月度对账"),
            ("工程技术股", "岸线利用审批", "审批中吃拿卡要", "medium", "审批事项公开，限时办结"),
        ],
        cjhd.people["cj_dangban"],
    )
