"""The case list filters, shared by the API, the list page and the exports."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filters import IdFilter
from portal.units.models import Unit
from portal.units.text import search_key

from .models import Case, Category, CrimeLine, DeadlineStatus, Severity
from .selectors import case_list


class CaseFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(method="filter_unit", label=_("Unit code (with everything under it)"))
    unit_edition = django_filters.ChoiceFilter(
        choices=Unit.Edition.choices, method="filter_noop", label=_("Unit list of that code")
    )
    recorded_after = django_filters.DateFilter(
        field_name="recorded_on",
        lookup_expr="gte",
        label=_("Recorded from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recorded_before = django_filters.DateFilter(
        field_name="recorded_on",
        lookup_expr="lte",
        label=_("Recorded until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.order_by("sort_key"), to_field_name="article", label=_("Offence (article)")
    )
    line = django_filters.ChoiceFilter(choices=CrimeLine.choices, label=_("Crime line"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("Severity"))
    status = django_filters.ChoiceFilter(choices=Case.Status.choices, label=_("Status"))
    deadline = django_filters.ChoiceFilter(
        choices=DeadlineStatus.choices, method="filter_deadline", label=_("Deadline")
    )
    assigned = django_filters.ChoiceFilter(
        choices=[("me", _("Assigned to me"))], method="filter_assigned", label=_("Assigned officer")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search (reference, title)"))
    campaign = IdFilter(field_name="campaign", label=_("Crackdown campaign (id)"))
    hotspot = IdFilter(field_name="hotspot", label=_("Hotspot (id)"))
    ordering = django_filters.OrderingFilter(
        fields=[("recorded_on", "recorded_on"), ("reference", "reference"), ("due_on", "due_on"), ("status", "status")],
        label=_("Sort by"),
    )

    class Meta:
        model = Case
        fields = [
            "unit",
            "recorded_after",
            "recorded_before",
            "category",
            "line",
            "severity",
            "status",
            "deadline",
            "assigned",
            "q",
            "campaign",
            "hotspot",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Whose "me": the caller's (the API passes the request; the page and the export job, the user).
        self.user = user if user is not None else getattr(self.request, "user", None)

    def filter_unit(self, queryset, name, value):
        """A current unit covers its subtree and the legacy units rolling into it; a legacy code, its own subtree."""
        code = value.strip()
        edition = self.data.get("unit_edition")
        units = list(Unit.objects.filter(code=code, **({"edition": edition} if edition else {})))
        current = next((u for u in units if u.edition == Unit.Edition.CURRENT), None)
        if current is not None:
            return queryset.filter(unit_path__startswith=current.path)
        if units:
            return queryset.filter(unit__path__startswith=units[0].path)
        return queryset.none()

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_unit

    def filter_deadline(self, queryset, name, value):
        return queryset.deadline(value, timezone.localdate())

    def filter_assigned(self, queryset, name, value):
        """The cases the caller is one of the assigned officers of, within what they may see."""
        if self.user is None or not self.user.is_authenticated:
            return queryset.none()
        return queryset.filter(officers=self.user)

    def filter_text(self, queryset, name, value):
        """Reference, or words of the title with or without diacritics."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(search_title__contains=search_key(value)))


def case_list_filtered(*, user, params) -> tuple[CaseFilter, QuerySet[Case]]:
    """The list page's and the exports' one query: the user's scope, then the filters and sorting asked for.

    The export job calls it again as its owner when it runs, so the scope is the owner's at that moment."""
    from .forms import use_portal_dates

    filterset = CaseFilter(params, queryset=case_list(user=user), user=user)
    for name in ("recorded_after", "recorded_before"):
        use_portal_dates(filterset.form.fields[name])
    queryset = filterset.qs
    order = list(queryset.query.order_by)
    # Then the newest first: a stable order whatever the column, so pages neither repeat nor skip rows.
    tie_breakers = [f for f in ("-recorded_on", "-id") if f.lstrip("-") not in {o.lstrip("-") for o in order}]
    return filterset, queryset.order_by(*order, *tie_breakers)
