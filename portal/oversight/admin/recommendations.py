"""Admin of the oversight recommendations area."""
