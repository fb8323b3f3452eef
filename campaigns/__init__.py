"""Crackdown campaigns, hotspots, propaganda programs and good-practice models (issue 5)."""
