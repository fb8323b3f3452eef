"""The campaigns app's data, one module per area; import from here."""

from .crackdown import (
    COMPUTED_RESULTS,
    REPORTED_RESULTS,
    Campaign,
    CampaignQuerySet,
    CampaignResult,
    CampaignTarget,
    ResultKind,
)
from .hotspots import Hotspot, HotspotEvent, HotspotQuerySet
from .practice import GoodPracticeModel, GoodPracticeModelQuerySet, ModelEvaluation, ModelReplication
from .propaganda import ActivityFormat, PropagandaActivity, PropagandaProgram, Topic

__all__ = [
    "COMPUTED_RESULTS",
    "REPORTED_RESULTS",
    "ActivityFormat",
    "Campaign",
    "CampaignQuerySet",
    "CampaignResult",
    "CampaignTarget",
    "GoodPracticeModel",
    "GoodPracticeModelQuerySet",
    "Hotspot",
    "HotspotEvent",
    "HotspotQuerySet",
    "ModelEvaluation",
    "ModelReplication",
    "PropagandaActivity",
    "PropagandaProgram",
    "ResultKind",
    "Topic",
]
