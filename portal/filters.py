"""Filters the apps' FilterSets share, for the API and the list pages alike."""

import django_filters
from django import forms
from drf_spectacular.drainage import set_override

# Ids are BigAutoFields: a larger number names no row, and SQLite cannot even compare it (OverflowError).
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """The id of a related row: a whole number a row can have (django-filter's NumberFilter takes any decimal)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)
        # The schema states the bounds; an override replaces the description drf-spectacular takes from the label.
        set_override(self, "field", {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": self.label})
