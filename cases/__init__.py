"""Criminal cases: categories, the procedure workflow, deadlines, parties (issue 3)."""
