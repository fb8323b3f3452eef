"""Forms of the oversight pages, one module per area (inspections and directives, recommendations)."""
