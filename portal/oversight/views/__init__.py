"""Pages of the oversight app, one module per area (overview, inspections and directives, recommendations)."""
