"""Demo report outlines and drafts (see seed_demo). Idempotent: existing rows are kept."""

from django.utils import timezone

from accountability.models import WorkRecordKind

from .services import outline_apply_preset, report_generate_draft

# organisation code -> (preset, years to draft)
DEMO_REPORTS = {
    "sw": ("seven_areas", [2021, None]),  # None: the current year
    "cjhd": ("three_parts", [2023]),
}


def seed(organisations):
    """``organisations``: accountability.demo.seed()'s result, by code."""
    for code, (preset, years) in DEMO_REPORTS.items():
        demo = organisations.get(code)
        if demo is None:
            continue
        organisation = demo.organisation
        WorkRecordKind.ensure_presets(organisation)  # the drafts' figures name these kinds
        for key in ("seven_areas", "three_parts"):
            outline = outline_apply_preset(organisation=organisation, preset=key)
            if key == preset:
                chosen = outline
        for year in years:
            report_generate_draft(
                organisation=organisation, year=year or timezone.localdate().year, outline=chosen
            )
