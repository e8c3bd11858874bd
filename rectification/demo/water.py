"""Demo rectification for 市水利局: the 2021 市委第三巡察组 round and the 省委巡视 round."""

from datetime import date, timedelta

from ..models import Inspection
from .steps import add_findings, closure, ensure_inspection


def seed_water_bureau(demo, today):
    org, units, p = demo.organisation, demo.units, dict(demo.people)
    p["inspector"] = p["jizuzhang"]
    fed_back = today - timedelta(days=240)
    d = lambda days: fed_back + timedelta(days=days)  # noqa: E731 (days after the feedback)
    city = ensure_inspection(
        org,
        registered_by=p["dangban"],
        title="市委第三巡察组巡察反馈问题整改",
        kind=Inspection.Kind.INSPECTION,
        source="市委第三巡察组",
        started_on=fed_back - timedelta(days=75),
        ended_on=fed_back - timedelta(days=30),
        feedback_on=fed_back,
        note="巡察组反馈四个方面问题，局党组逐条梳理、制定整改方案，建立对账销号机制。",
    )
    findings = [
        (
            "贯彻落实党的路线方针政策和党中央决策部署方面",
            [
                (
                    1,
                    "理论中心组学习计划性不强，学用结合不够紧密，运用理论指导水利工作实践不够。",
                    [
                        (
                            "修订完善《局党组理论中心组学习制度》，制定年度学习计划并按月落实。",
                            "shuji",
                            "办公室",
                            "wangli",
                            d(60),
                            1,
                            closure(
                                d(20),
                                "已修订印发学习制度，年度学习计划按月执行。",
                                followup=d(170),
                                today=today,
                            ),
                        ),
                        (
                            "围绕水资源保障、饮用水水源管理等课题开展专题调研，形成调研报告。",
                            "fenguan2",
                            "水资源管理处",
                            "zhengbo",
                            d(120),
                            0,
                            closure(d(70), "已完成三项专题调研并形成报告。", today=today),
                        ),
                    ],
                ),
                (
                    2,
                    "意识形态工作责任制落实不够到位，阵地管理存在薄弱环节。",
                    [
                        (
                            "制定意识形态工作责任清单，每半年专题研究一次意识形态工作。",
                            "shuji",
                            "机关党委",
                            "luoping",
                            d(90),
                            1,
                            closure(d(40), "责任清单已印发，上半年已专题研究。", today=today),
                        ),
                    ],
                ),
            ],
        ),
        (
            "落实全面从严治党主体责任方面",
            [
                (
                    3,
                    "主体责任压力传导层层递减，部分处室负责人“一岗双责”意识不强。",
                    [
                        (
                            "逐级签订《党风廉政建设和惩防体系建设工作责任书》，实现全覆盖。",
                            "shuji",
                            "机关党委",
                            "luoping",
                            d(45),
                            0,
                            closure(
                                d(15), "局党组与各处室、处室与重点岗位责任书均已签订。", today=today
                            ),
                        ),
                        (
                            "制定出台《党风廉政建设责任制检查考核办法》，考核结果纳入年度综合考核。",
                            "shuji",
                            "机关党委",
                            "luoping",
                            d(100),
                            1,
                            closure(d(60), "考核办法已印发并在年度考核中运用。", today=today),
                        ),
                    ],
                ),
                (
                    4,
                    "水利工程项目招投标监管存在薄弱环节，对项目拆分、先实施后签合同等问题防范不力。",
                    [
                        (
                            "制定出台《水利工程项目建设监管办法（试行）》，全过程规范项目建设管理流程。",
                            "fenguan",
                            "建设管理处",
                            "chuzhang",
                            today - timedelta(days=110),
                            1,
                            closure(
                                today - timedelta(days=140),
                                "监管办法已印发实施，在建项目全部纳入监管。",
                                followup=False,
                            ),
                        ),
                        (
                            "开展在建水利工程招投标专项检查，对发现的问题建立台账逐项整改。",
                            "fenguan",
                            "建设管理处",
                            "chuzhang",
                            today + timedelta(days=25),
                            0,
                            [
                                (
                                    "progress",
                                    today - timedelta(days=40),
                                    "已完成12个在建项目的检查。",
                                ),
                                (
                                    "request",
                                    today - timedelta(days=3),
                                    "专项检查全部完成，发现的5个问题均已整改，附检查报告和整改台账。",
                                ),
                            ],
                        ),
                    ],
                ),
                (
                    5,
                    "廉政风险防控不够精准，重点岗位风险点排查不全面。",
                    [
                        (
                            "全面排查重点领域和关键岗位廉政风险点，逐一制定防控措施。",
                            "fenguan2",
                            "计划财务处",
                            "wuhong",
                            today - timedelta(days=6),
                            0,
                            [
                                ("progress", d(30), "已完成局机关各处室风险点排查。"),
                                (
                                    "request",
                                    today - timedelta(days=30),
                                    "已完成风险点排查，形成风险点清单。",
                                ),
                                (
                                    "return",
                                    today - timedelta(days=26),
                                    "风险点清单未覆盖局属单位，防控措施过于笼统，请补充完善后重新申请。",
                                ),
                                (
                                    "progress",
                                    today - timedelta(days=10),
                                    "正在补充局属单位风险点。",
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "落实新时代党的组织路线方面",
            [
                (
                    6,
                    "干部选拔任用程序不够规范，干部档案“三龄两历一身份”审核不严。",
                    [
                        (
                            "制定出台《干部管理实施意见（试行）》，规范干部选拔任用程序。",
                            "fenguan2",
                            "组织人事处",
                            "zhoujun",
                            d(80),
                            1,
                            closure(d(50), "实施意见已印发，明确七方面管理要求。", today=today),
                        ),
                        (
                            "对局管干部“三龄两历一身份”进行全面核查。",
                            "fenguan2",
                            "组织人事处",
                            "zhoujun",
                            d(60),
                            0,
                            closure(d(25), "已完成全部局管干部档案核查。", today=today),
                        ),
                    ],
                ),
                (
                    7,
                    "干部考核激励机制不健全，考核结果运用不充分。",
                    [
                        (
                            "修订《处室年度绩效考核实施办法》，明确共性目标和个性目标考核内容。",
                            "fenguan2",
                            "组织人事处",
                            "zhoujun",
                            today - timedelta(days=12),
                            1,
                            [("progress", d(90), "考核办法修订稿已征求各处室意见。")],
                        ),
                    ],
                ),
            ],
        ),
        (
            "落实中央八项规定精神和作风建设方面",
            [
                (
                    8,
                    "经费支出审批管理不够严格，个别支出手续不全。",
                    [
                        (
                            "制定《局经费支出管理办法》，严格经费支出审批。",
                            "fenguan2",
                            "计划财务处",
                            "wuhong",
                            d(75),
                            1,
                            closure(d(35), "管理办法已印发，对近两年支出进行了自查。", today=today),
                        ),
                    ],
                ),
                (
                    9,
                    "公务接待管理不够规范，接待清单填写不完整。",
                    [
                        (
                            "修订完善公务接待管理规定，实行接待清单审核制度。",
                            "fenguan2",
                            "办公室",
                            "wangli",
                            d(60),
                            1,
                            closure(d(30), "规定已修订，接待清单全部规范填写。", today=today),
                        ),
                    ],
                ),
                (
                    10,
                    "联系服务基层不够深入，调研指导解决实际问题不多。",
                    [
                        (
                            "修订局领导联系服务基层制度，每季度到联系点实地走访。",
                            "shuji",
                            "办公室",
                            "wangli",
                            d(70),
                            1,
                            closure(d(40), "制度已修订，各局领导已到联系点走访。", today=today),
                        ),
                        (
                            "建立蹲点指导服务水利重点工作制度，由局领导带队深入基层。",
                            "shuji",
                            "农村水利处",
                            "hexin",
                            None,
                            0,
                            [("progress", today - timedelta(days=20), "本季度已开展蹲点指导4次。")],
                        ),
                    ],
                ),
                (
                    11,
                    "农民工工资支付保证金管理不规范，重点工程廉政监督不到位。",
                    [
                        (
                            "制定水利行业施工企业农民工工资支付保证金管理办法。",
                            "fenguan",
                            "水利工程建设管理中心",
                            "xuhui",
                            today + timedelta(days=7),
                            1,
                            [("progress", today - timedelta(days=15), "管理办法已形成送审稿。")],
                        ),
                        (
                            "对虹桥水库水源地整治等重点工程开展“廉政建设进工地”督查。",
                            "fenguan",
                            "虹桥水库管理处",
                            "huanggang",
                            today + timedelta(days=18),
                            0,
                            [],
                        ),
                    ],
                ),
            ],
        ),
    ]
    add_findings(city, findings, p, units, registered_by=p["dangban"])

    provincial = ensure_inspection(
        org,
        registered_by=p["dangban"],
        title="省委巡视反馈问题整改（2021年）",
        kind=Inspection.Kind.TOUR,
        source="省委第五巡视组",
        started_on=date(2021, 3, 15),
        ended_on=date(2021, 4, 30),
        feedback_on=date(2021, 5, 20),
        note="根据省委巡视整改要求，重新立案调查嵊泗县马关围涂工程串通投标案件。",
    )
    tour = [
        (
            "工程建设领域廉政风险防控方面",
            [
                (
                    1,
                    "嵊泗县马关围涂工程串通投标问题查处不到位，对涉案企业和人员处理偏轻。",
                    [
                        (
                            "重新立案调查马关围涂工程串通投标案件，依法对涉案企业和相关人员作出行政处罚。",
                            "fenguan",
                            "建设管理处",
                            "chuzhang",
                            date(2021, 9, 30),
                            0,
                            closure(
                                date(2021, 6, 10),
                                "已重新立案调查并作出行政处罚决定，附处罚决定书。",
                                followup=date(2021, 12, 20),
                            ),
                        ),
                        (
                            "建立水利工程招投标信用评价和联合惩戒机制。",
                            "fenguan",
                            "建设管理处",
                            "chuzhang",
                            date(2021, 11, 30),
                            1,
                            closure(
                                date(2021, 8, 1),
                                "信用评价办法已印发实施。",
                                followup=date(2022, 2, 15),
                            ),
                        ),
                    ],
                ),
            ],
        ),
        (
            "落实全面从严治党主体责任方面",
            [
                (
                    2,
                    "对局属单位工程项目监管不力，督查检查流于形式。",
                    [
                        (
                            "开展局属单位工程项目专项督查，督查结果全局通报。",
                            "fenguan",
                            "水利工程建设管理中心",
                            "xuhui",
                            date(2021, 10, 31),
                            0,
                            closure(
                                date(2021, 7, 1),
                                "专项督查已完成并通报。",
                                followup=date(2022, 1, 10),
                            ),
                        ),
                    ],
                ),
            ],
        ),
    ]
    add_findings(provincial, tour, p, units, registered_by=p["dangban"])
