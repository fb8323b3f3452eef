"""Statistics: periods, indicators, targets, summaries and reports."""
