"""FilterSets for units, shared by the API and pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Unit
from .text import search_key


class UnitFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent__code", label=_("Parent unit code"))
    level = django_filters.ChoiceFilter(choices=Unit.Level.choices, label=_("Level"))
    edition = django_filters.ChoiceFilter(choices=Unit.Edition.choices, label=_("Edition"))
    q = django_filters.CharFilter(method="search", label=_("Name or code (diacritics optional)"))

    class Meta:
        model = Unit
        fields = ["parent", "level", "edition", "q"]

    def search(self, queryset, name, value):
        key = search_key(value)
        if not key:
            return queryset
        return queryset.filter(Q(search_name__contains=key) | Q(code__startswith=value.strip()))
