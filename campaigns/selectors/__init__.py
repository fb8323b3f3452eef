"""Every read of the campaigns app, one module per area, each through the scoping rule; import from here."""

from .crackdown import (
    CampaignResults,
    campaign_detail,
    campaign_get,
    campaign_list,
    campaign_result_list,
    campaign_results,
)
from .hotspots import hotspot_detail, hotspot_get, hotspot_list
from .practice import model_detail, model_get, model_list
from .propaganda import activity_get, activity_list, program_detail, program_get, program_list

__all__ = [
    "CampaignResults",
    "campaign_detail",
    "campaign_get",
    "campaign_list",
    "campaign_result_list",
    "campaign_results",
    "hotspot_detail",
    "hotspot_get",
    "hotspot_list",
    "model_detail",
    "model_get",
    "model_list",
    "activity_get",
    "activity_list",
    "program_detail",
    "program_get",
    "program_list",
]
