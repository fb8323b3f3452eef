"""Admin for propaganda programs and activities: scoped, with totals; corrections go through the services.

Programs and activities are recorded on the portal's pages, by file import and through the API; here the
descriptive fields can be corrected, with the same version check, and a mistaken activity deleted.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import ScopedAdminMixin

from ..models import PropagandaActivity, PropagandaProgram, Topic
from ..selectors.propaganda import with_totals
from ..services import (
    ACTIVITY_EDITABLE,
    PROGRAM_EDITABLE,
    CampaignError,
    activity_delete,
    activity_update,
    program_update,
)
from .practice import versioned_form

PROGRAM_ADMIN_EDITABLE = ["title", "audience", "planned_activities", "planned_reach", "description"]
ACTIVITY_ADMIN_EDITABLE = ["audience", "materials", "note"]
assert set(PROGRAM_ADMIN_EDITABLE) <= PROGRAM_EDITABLE
assert set(ACTIVITY_ADMIN_EDITABLE) <= ACTIVITY_EDITABLE


@admin.register(PropagandaProgram)
class PropagandaProgramAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = versioned_form(PropagandaProgram, PROGRAM_ADMIN_EDITABLE)
    list_display = ["title", "unit", "starts_on", "ends_on", "activities_held", "people_reached"]
    list_select_related = ["unit"]
    search_fields = ["title"]
    date_hierarchy = "starts_on"
    readonly_fields = ["unit", "starts_on", "ends_on", "topic_list", "activities_held", "people_reached", "version"]
    fieldsets = [
        (None, {"fields": ["title", "unit", ("starts_on", "ends_on"), "topic_list", "audience", "description"]}),
        (
            _("Plan and results"),
            {"fields": [("planned_activities", "activities_held"), ("planned_reach", "people_reached")]},
        ),
        (None, {"fields": ["version", "expected_version"]}),
    ]

    def get_queryset(self, request):
        return with_totals(super().get_queryset(request))

    @admin.display(description=_("topics"))
    def topic_list(self, obj: PropagandaProgram) -> str:
        labels = dict(Topic.choices)
        return "; ".join(str(labels.get(t, t)) for t in obj.topics)

    @admin.display(description=_("activities held"), ordering="activity_count")
    def activities_held(self, obj: PropagandaProgram) -> int:
        return obj.activity_count

    @admin.display(description=_("audience reached"), ordering="audience_reached")
    def people_reached(self, obj: PropagandaProgram) -> int:
        return obj.audience_reached

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        original = PropagandaProgram.objects.select_related("unit").get(pk=obj.pk)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in PROGRAM_ADMIN_EDITABLE}
        try:
            program_update(
                program=original, actor=request.user, version=form.cleaned_data["expected_version"], **changes
            )
        except CampaignError as exc:
            messages.error(request, " ".join(exc.messages))


@admin.register(PropagandaActivity)
class PropagandaActivityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = versioned_form(PropagandaActivity, ACTIVITY_ADMIN_EDITABLE)
    list_display = ["on", "program", "unit", "format", "topic", "audience", "materials"]
    list_filter = ["format", "topic"]  # no program filter: its choices would list programs outside the scope
    list_select_related = ["program", "unit"]
    search_fields = ["program__title", "note"]
    date_hierarchy = "on"
    readonly_fields = ["program", "on", "unit", "format", "topic", "version"]
    fieldsets = [
        (None, {"fields": ["program", "on", "unit", "format", "topic"]}),
        (None, {"fields": ["audience", "materials", "note", "version", "expected_version"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        original = PropagandaActivity.objects.select_related("program__unit", "unit").get(pk=obj.pk)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in ACTIVITY_ADMIN_EDITABLE}
        try:
            activity_update(
                activity=original, actor=request.user, version=form.cleaned_data["expected_version"], **changes
            )
        except CampaignError as exc:
            messages.error(request, " ".join(exc.messages))

    def delete_model(self, request, obj) -> None:
        try:
            activity_delete(activity=obj, actor=request.user)
        except CampaignError as exc:
            messages.error(request, " ".join(exc.messages))

    def delete_queryset(self, request, queryset) -> None:
        for activity in queryset.select_related("unit"):
            self.delete_model(request, activity)
