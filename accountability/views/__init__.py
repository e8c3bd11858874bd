"""accountability's views: the organisation tree, then the year's records."""

from .units import UnitListView

__all__ = ["UnitListView"]
