"""Forms of the campaigns pages, one module per area (crackdown, practice: hotspots and models, propaganda)."""
