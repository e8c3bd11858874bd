"""Demo inspections, findings and measures (see reports' seed_demo).

For 市水利局 ("sw"): the 市委第三巡察组 feedback the 2021 report describes ("四个方面" of findings,
measures with lead leaders, units, people and deadlines, closed one by one), dated relative to
today so that the demo always shows a live mix: most measures closed, some overdue, one returned
with a reason, one waiting for review, one follow-up check due. And the 省委巡视 round of 2021 with
the 马关围涂工程串通投标 case, closed and followed up. For 长江河道管理局 ("cjhd"): a small 2023
round. Every step goes through the services (so timelines and history are real), then is dated
back to when it "happened". Idempotent: rows are found by natural keys; steps run only for new
measures.
"""

from django.utils import timezone

from .river import seed_river_bureau
from .water import seed_water_bureau


def seed(organisations, today=None):
    """``organisations``: accountability.demo.seed()'s result, by code."""
    today = today or timezone.localdate()
    if "sw" in organisations:
        seed_water_bureau(organisations["sw"], today)
    if "cjhd" in organisations:
        seed_river_bureau(organisations["cjhd"], today)
