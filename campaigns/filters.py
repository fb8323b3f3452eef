"""The list filters of the campaigns app, shared by the API and the list pages."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CrimeLine
from portal.filters import IdFilter
from portal.units.models import Unit

from .models import Campaign, GoodPracticeModel, Hotspot


class UnitSubtreeFilterSet(django_filters.FilterSet):
    """`unit`: a unit code with everything under it, as cases.filters.CaseFilter reads it."""

    unit = django_filters.CharFilter(method="filter_unit", label=_("Unit code (with everything under it)"))
    unit_edition = django_filters.ChoiceFilter(
        choices=Unit.Edition.choices, method="filter_noop", label=_("Unit list of that code")
    )

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


class HotspotFilter(UnitSubtreeFilterSet):
    kind = django_filters.ChoiceFilter(choices=Hotspot.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=Hotspot.Status.choices, label=_("Status"))
    identified_after = django_filters.DateFilter(
        field_name="identified_on",
        lookup_expr="gte",
        label=_("Identified from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    identified_before = django_filters.DateFilter(
        field_name="identified_on",
        lookup_expr="lte",
        label=_("Identified until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Hotspot
        fields = ["unit", "kind", "status", "identified_after", "identified_before"]


class GoodPracticeModelFilter(UnitSubtreeFilterSet):
    field = django_filters.ChoiceFilter(choices=GoodPracticeModel.Field.choices, label=_("Field"))
    status = django_filters.ChoiceFilter(choices=GoodPracticeModel.Status.choices, label=_("Status"))

    class Meta:
        model = GoodPracticeModel
        fields = ["unit", "field", "status"]


class CampaignFilter(UnitSubtreeFilterSet):
    """Campaigns led in a unit's subtree, active on some day of a window, or in a phase today."""

    active_from = django_filters.DateFilter(
        field_name="ends_on",
        lookup_expr="gte",
        label=_("Active from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    active_until = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="lte",
        label=_("Active until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    phase = django_filters.ChoiceFilter(choices=Campaign.Phase.choices, method="filter_phase", label=_("Phase"))
    line = django_filters.ChoiceFilter(choices=CrimeLine.choices, method="filter_line", label=_("Focus crime line"))

    class Meta:
        model = Campaign
        fields = ["unit", "active_from", "active_until", "phase", "line"]

    def filter_phase(self, queryset, name, value):
        today = timezone.localdate()
        if value == Campaign.Phase.PLANNED:
            return queryset.filter(starts_on__gt=today)
        if value == Campaign.Phase.ENDED:
            return queryset.filter(ends_on__lt=today)
        return queryset.filter(starts_on__lte=today, ends_on__gte=today)

    def filter_line(self, queryset, name, value):
        # A JSON list holds the focus lines; an empty list means every line. A LIKE on the JSON text works the
        # same on SQLite and PostgreSQL (the values are fixed identifiers, so no false match is possible).
        return queryset.filter(Q(focus_lines=[]) | Q(focus_lines__icontains=f'"{value}"'))


# --- Propaganda programs and activities ----------------------------------------------------------

from django.db.models import Exists, OuterRef  # noqa: E402

from .models import ActivityFormat, PropagandaActivity, PropagandaProgram, Topic  # noqa: E402


class PropagandaProgramFilter(UnitSubtreeFilterSet):
    """Programs run in a unit's subtree, active on some day of a window, on a topic, or with activities of a format."""

    active_from = django_filters.DateFilter(
        field_name="ends_on",
        lookup_expr="gte",
        label=_("Active from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    active_until = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="lte",
        label=_("Active until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    topic = django_filters.ChoiceFilter(choices=Topic.choices, method="filter_topic", label=_("Topic"))
    # Not "format": DRF reads ?format= as the response format (json, api).
    activity_format = django_filters.ChoiceFilter(
        choices=ActivityFormat.choices, method="filter_format", label=_("Activity format")
    )

    class Meta:
        model = PropagandaProgram
        fields = ["unit", "active_from", "active_until", "topic", "activity_format"]

    def filter_topic(self, queryset, name, value):
        # The topics are a JSON list of fixed identifiers: a LIKE on its text, as filter_line does for campaigns.
        return queryset.filter(topics__icontains=f'"{value}"')

    def filter_format(self, queryset, name, value):
        held = PropagandaActivity.objects.filter(program=OuterRef("pk"), format=value)
        return queryset.filter(Exists(held))


class PropagandaActivityFilter(UnitSubtreeFilterSet):
    """Activities held in a unit's subtree, between two dates, of a program, topic or format."""

    program = IdFilter(field_name="program_id", label=_("Program"))
    on_after = django_filters.DateFilter(
        field_name="on",
        lookup_expr="gte",
        label=_("Held from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    on_before = django_filters.DateFilter(
        field_name="on",
        lookup_expr="lte",
        label=_("Held until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    topic = django_filters.ChoiceFilter(choices=Topic.choices, label=_("Topic"))
    activity_format = django_filters.ChoiceFilter(
        field_name="format", choices=ActivityFormat.choices, label=_("Format")
    )

    class Meta:
        model = PropagandaActivity
        fields = ["unit", "program", "on_after", "on_before", "topic", "activity_format"]
