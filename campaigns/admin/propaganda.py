"""Admin for the propaganda area (filled in by its slice)."""
