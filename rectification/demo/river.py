"""Demo rectification for 长江河道管理局: a small 2023 round."""

from datetime import date, timedelta

from ..models import Inspection
from .steps import add_findings, closure, ensure_inspection


def seed_river_bureau(demo, today):
    org, units, p = demo.organisation, demo.units, dict(demo.people)
    p["inspector"] = p["cj_jijian"]
    inspection = ensure_inspection(
        org,
        registered_by=p["cj_dangban"],
        title="市水利局党组巡察反馈问题整改（2023年）",
        kind=Inspection.Kind.INSPECTION,
        source="市水利局党组第二巡察组",
        started_on=date(2023, 4, 10),
        ended_on=date(2023, 5, 12),
        feedback_on=date(2023, 6, 8),
    )
    findings = [
        (
            "落实全面从严治党主体责任方面",
            [
                (
                    1,
                    "党总支对基层党支部指导督促不够，“三会一课”记录不规范。",
                    [
                        (
                            "制定党支部“三会一课”记录规范，每季度检查一次。",
                            "cj_shuji",
                            "江北管理所",
                            "cj_suozhang",
                            date(2023, 9, 30),
                            1,
                            closure(
                                date(2023, 7, 1), "记录规范已印发，三季度检查完成。", today=today
                            ),
                        ),
                        (
                            "开展党支部书记轮训。",
                            "cj_shuji",
                            "办公室",
                            "cj_dangban",
                            today - timedelta(days=20),
                            0,
                            [("progress", today - timedelta(days=60), "已制定轮训计划。")],
                        ),
                    ],
                ),
            ],
        ),
        (
            "工程管理和作风建设方面",
            [
                (
                    2,
                    "堤防巡查记录不完整，日常维养项目验收把关不严。",
                    [
                        (
                            "完善堤防巡查和维养项目验收制度。",
                            "cj_fenguan",
                            "江北管理所",
                            "cj_suozhang",
                            today + timedelta(days=12),
                            1,
                            [
                                (
                                    "request",
                                    today - timedelta(days=2),
                                    "验收制度已修订，附制度文本。",
                                )
                            ],
                        ),
                        (
                            "坚持每月开展堤防巡查质量抽查。",
                            "cj_fenguan",
                            "江北管理所",
                            "cj_suozhang",
                            None,
                            0,
                            [],
                        ),
                    ],
                ),
            ],
        ),
    ]
    add_findings(inspection, findings, p, units, registered_by=p["cj_dangban"])
