"""Admin for hotspots and good-practice models: scoped, with timelines, replications and evaluations inline.

Hotspots are recorded and moved through the portal and the API (which keep the timeline); here their
descriptive fields can be corrected through the same service and version check as everywhere else.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import ScopedAdminMixin

from ..models import GoodPracticeModel, Hotspot, HotspotEvent, ModelEvaluation, ModelReplication
from ..services import HOTSPOT_EDITABLE, MODEL_EDITABLE, CampaignError, hotspot_update, model_update

HOTSPOT_ADMIN_EDITABLE = ["kind", "name", "description", "latitude", "longitude"]
MODEL_ADMIN_EDITABLE = ["name", "field", "description"]
assert set(HOTSPOT_ADMIN_EDITABLE) <= HOTSPOT_EDITABLE
assert set(MODEL_ADMIN_EDITABLE) <= MODEL_EDITABLE


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class HotspotEventInline(ReadOnlyInline):
    model = HotspotEvent
    fields = ["on", "kind", "from_status", "to_status", "actor", "note", "at"]


class ModelReplicationInline(ReadOnlyInline):
    model = ModelReplication
    fields = ["unit", "replicated_on", "actor"]


STALE_MESSAGE = _("This record was changed by someone else after you opened it. Reload the page; nothing was saved.")


class ModelEvaluationInline(admin.TabularInline):
    model = ModelEvaluation
    extra = 0
    fields = ["on", "evaluator", "evaluator_unit", "text", "rating"]
    autocomplete_fields: list = []
    raw_id_fields = ["evaluator_unit"]


def versioned_form(model_class, editable: list[str]) -> type[forms.ModelForm]:
    class VersionedForm(forms.ModelForm):
        expected_version = forms.IntegerField(widget=forms.HiddenInput)

        class Meta:
            model = model_class
            fields = editable

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.fields["expected_version"].initial = self.instance.version

        def clean(self):
            cleaned = super().clean()
            expected = cleaned.get("expected_version")
            current = model_class.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if expected is not None and current != expected:
                raise ValidationError(STALE_MESSAGE)
            return cleaned

    return VersionedForm


@admin.register(Hotspot)
class HotspotAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = versioned_form(Hotspot, HOTSPOT_ADMIN_EDITABLE)
    list_display = ["name", "kind", "status", "unit", "identified_on", "resolved_on"]
    list_filter = ["status", "kind"]
    list_select_related = ["unit"]
    search_fields = ["name"]
    date_hierarchy = "identified_on"
    readonly_fields = ["unit", "status", "identified_on", "remediation_started_on", "resolved_on", "version"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "unit", "description", ("latitude", "longitude")]}),
        (_("Lifecycle"), {"fields": readonly_fields[1:]}),
        (None, {"fields": ["expected_version"]}),
    ]
    inlines = [HotspotEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        original = Hotspot.objects.get(pk=obj.pk)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in HOTSPOT_ADMIN_EDITABLE}
        try:
            hotspot_update(
                hotspot=original, actor=request.user, version=form.cleaned_data["expected_version"], **changes
            )
        except CampaignError as exc:
            messages.error(request, " ".join(exc.messages))


@admin.register(GoodPracticeModel)
class GoodPracticeModelAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = versioned_form(GoodPracticeModel, MODEL_ADMIN_EDITABLE)
    list_display = ["name", "field", "status", "unit", "started_on"]
    list_filter = ["status", "field"]
    list_select_related = ["unit"]
    search_fields = ["name"]
    readonly_fields = ["unit", "started_on", "status", "effective_on", "replicated_on", "version"]
    fieldsets = [
        (None, {"fields": ["name", "field", "unit", "started_on", "description"]}),
        (_("Status"), {"fields": ["status", "effective_on", "replicated_on", "version"]}),
        (None, {"fields": ["expected_version"]}),
    ]
    inlines = [ModelReplicationInline, ModelEvaluationInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        original = GoodPracticeModel.objects.get(pk=obj.pk)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in MODEL_ADMIN_EDITABLE}
        try:
            model_update(model=original, actor=request.user, version=form.cleaned_data["expected_version"], **changes)
        except CampaignError as exc:
            messages.error(request, " ".join(exc.messages))
