"""Every write in the campaigns app, one module per area; import from here."""

from .common import CampaignError, StaleVersionError
from .crackdown import (
    CAMPAIGN_EDITABLE,
    campaign_create,
    campaign_result_delete,
    campaign_result_record,
    campaign_update,
    covers,
)
from .hotspots import HOTSPOT_EDITABLE, hotspot_create, hotspot_transition, hotspot_update
from .practice import (
    MODEL_EDITABLE,
    model_create,
    model_evaluate,
    model_replicate,
    model_transition,
    model_update,
)
from .propaganda import (
    ACTIVITY_EDITABLE,
    PROGRAM_EDITABLE,
    RowsRefused,
    activities_bulk_create,
    activities_check,
    activity_create,
    activity_delete,
    activity_errors,
    activity_update,
    program_create,
    program_update,
)

__all__ = [
    "CAMPAIGN_EDITABLE",
    "campaign_create",
    "campaign_result_delete",
    "campaign_result_record",
    "campaign_update",
    "covers",
    "HOTSPOT_EDITABLE",
    "MODEL_EDITABLE",
    "CampaignError",
    "StaleVersionError",
    "hotspot_create",
    "hotspot_transition",
    "hotspot_update",
    "model_create",
    "model_evaluate",
    "model_replicate",
    "model_transition",
    "model_update",
    "ACTIVITY_EDITABLE",
    "PROGRAM_EDITABLE",
    "RowsRefused",
    "activities_bulk_create",
    "activities_check",
    "activity_create",
    "activity_delete",
    "activity_errors",
    "activity_update",
    "program_create",
    "program_update",
]
