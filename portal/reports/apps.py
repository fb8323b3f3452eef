"""App config for statistics, targets, summaries, dashboards and e-mailed reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        # Saving a case, a target, a unit or a snapshot drops the cached figures (portal.reports.cache).
        from . import cache, indicators

        indicators.watch(indicators.FAMILIES["cases"])
        cache.connect(["reports.Target", "reports.Summary", "units.Unit"])
