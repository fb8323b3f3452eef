"""Admin of the campaigns app, one module per area; importing them registers them with the portal's admin site."""

from . import crackdown, practice, propaganda  # noqa: F401
