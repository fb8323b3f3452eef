"""App config for statistics, targets, summaries, dashboards and e-mailed reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = _("Statistics and reports")
