"""Admin of the oversight inspections area."""
