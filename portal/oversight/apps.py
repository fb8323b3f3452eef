"""App config for oversight: inspections, the directives they leave, recommendations sent upward."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "portal.oversight"
    label = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        # The inspection, directive and recommendation figures join the statistics registry.
        from . import indicators

        indicators.register_all()
