"""Inspections, their findings, and the rectification measures tracked until truly fixed."""

from .inspections import (
    Finding,
    FindingImport,
    FindingQuerySet,
    Inspection,
    RectificationError,
    WarningPolicy,
    default_followup_days,
    default_green_days,
    default_yellow_days,
)
from .measures import (
    COLOUR_RANK,
    Colour,
    DaysLeft,
    Measure,
    MeasureEvidence,
    MeasureQuerySet,
    ProgressUpdate,
)

__all__ = [
    "COLOUR_RANK",
    "Colour",
    "DaysLeft",
    "Finding",
    "FindingImport",
    "FindingQuerySet",
    "Inspection",
    "Measure",
    "MeasureEvidence",
    "MeasureQuerySet",
    "ProgressUpdate",
    "RectificationError",
    "WarningPolicy",
    "default_followup_days",
    "default_green_days",
    "default_yellow_days",
]
