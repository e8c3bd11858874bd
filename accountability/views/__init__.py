"""accountability's views: the organisation tree, then the year's records (see urls.py)."""

from .units import UnitListView

__all__ = ["UnitListView"]
