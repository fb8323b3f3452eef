"""Every write in the campaigns app, one module per area; import from here."""

from .common import CampaignError, StaleVersionError
from .hotspots import HOTSPOT_EDITABLE, hotspot_create, hotspot_transition, hotspot_update
from .practice import (
    MODEL_EDITABLE,
    model_create,
    model_evaluate,
    model_replicate,
    model_transition,
    model_update,
)

__all__ = [
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
]
