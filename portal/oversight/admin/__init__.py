"""Admin of the oversight app, one module per area; importing them registers them with the portal admin site."""

from . import inspections, recommendations  # noqa: F401
