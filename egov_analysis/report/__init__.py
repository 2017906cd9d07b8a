"""Report content: the sections the report notebooks display, built from data/processed."""

from .overview import OverviewReport
from .province import ProvinceReport

__all__ = ["OverviewReport", "ProvinceReport"]
