"""Every read of the campaigns app, one module per area, each through the scoping rule; import from here."""

from .hotspots import hotspot_detail, hotspot_get, hotspot_list
from .practice import model_detail, model_get, model_list

__all__ = ["hotspot_detail", "hotspot_get", "hotspot_list", "model_detail", "model_get", "model_list"]
