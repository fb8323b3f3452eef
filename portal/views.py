"""Portal-wide pages: the home page is the statistics dashboard (portal.reports.views)."""

from portal.reports.views import DashboardView

__all__ = ["DashboardView"]
