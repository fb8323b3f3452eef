"""Services of the oversight app, one module per area (inspections and directives, recommendations)."""
