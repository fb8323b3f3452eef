"""App config for campaigns, hotspots and propaganda."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns and propaganda")

    def ready(self) -> None:
        # The campaign, hotspot, propaganda and model figures join the statistics registry.
        from . import indicators

        indicators.register_all()
