"""Admin for the crackdown area (filled in by its slice)."""
