"""accountability's models: the organisation tree and people, then the year's records."""

from .organisation import Organisation, PortalUserManager, Role, RoleAssignment, Unit, User
from .records import (
    DutyLetter,
    DutyLetterScan,
    ResponsibilityItem,
    ResponsibilityList,
    RiskPoint,
    WorkRecord,
    WorkRecordEvidence,
    WorkRecordKind,
)

__all__ = [
    "DutyLetter",
    "DutyLetterScan",
    "Organisation",
    "PortalUserManager",
    "ResponsibilityItem",
    "ResponsibilityList",
    "RiskPoint",
    "Role",
    "RoleAssignment",
    "Unit",
    "User",
    "WorkRecord",
    "WorkRecordEvidence",
    "WorkRecordKind",
]
