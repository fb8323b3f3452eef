"""Admin of inspections and directives: scoped, with inspected units, documents, directives and progress inline.

Inspections and directives are recorded through the portal and the API (which check units, dates and files);
here their descriptive fields can be corrected through the same services and version check.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import ScopedAdminMixin

from ..models import Directive, DirectiveUpdate, InspectedUnit, Inspection, InspectionDocument
from ..selectors import directive_list, inspection_list
from ..services import DIRECTIVE_EDITABLE, INSPECTION_EDITABLE, InspectionError, directive_update, inspection_update

INSPECTION_ADMIN_EDITABLE = ["inspecting_body", "assessment", "findings", "rating"]
DIRECTIVE_ADMIN_EDITABLE = ["text", "due_on"]
assert set(INSPECTION_ADMIN_EDITABLE) <= INSPECTION_EDITABLE
assert set(DIRECTIVE_ADMIN_EDITABLE) <= DIRECTIVE_EDITABLE

STALE_MESSAGE = _("This record was changed by someone else after you opened it. Reload the page; nothing was saved.")


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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class InspectedUnitInline(ReadOnlyInline):
    model = InspectedUnit
    fields = ["unit"]


class InspectionDocumentInline(ReadOnlyInline):
    model = InspectionDocument
    # Name, type and size only: the stored file is reachable through the scoped API download, never a media URL.
    fields = ["name", "content_type", "size", "uploaded_at", "uploaded_by"]


class DirectiveInline(ReadOnlyInline):
    model = Directive
    fields = ["text", "responsible_unit", "due_on", "status", "started_on", "done_on"]


class DirectiveUpdateInline(ReadOnlyInline):
    model = DirectiveUpdate
    fields = ["on", "from_status", "to_status", "actor", "note", "at"]


class _ScopedBySelector(ScopedAdminMixin):
    """Inspections and directives are scoped by their own rule (inspecting or inspected side): the selector's."""

    selector = staticmethod(inspection_list)

    def get_queryset(self, request):
        return self.selector(user=request.user)


@admin.register(Inspection)
class InspectionAdmin(_ScopedBySelector, SimpleHistoryAdmin):
    selector = staticmethod(inspection_list)
    form = versioned_form(Inspection, INSPECTION_ADMIN_EDITABLE)
    list_display = ["inspecting_body", "inspecting_unit", "starts_on", "ends_on", "rating"]
    list_filter = ["rating"]
    list_select_related = ["inspecting_unit"]
    search_fields = ["inspecting_body"]
    date_hierarchy = "starts_on"
    readonly_fields = ["inspecting_unit", "starts_on", "ends_on", "topics", "version"]
    fieldsets = [
        (None, {"fields": ["inspecting_body", "inspecting_unit", ("starts_on", "ends_on"), "topics"]}),
        (_("Findings"), {"fields": ["assessment", "findings", "rating", "version"]}),
        (None, {"fields": ["expected_version"]}),
    ]
    inlines = [InspectedUnitInline, InspectionDocumentInline, DirectiveInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        original = Inspection.objects.get(pk=obj.pk)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in INSPECTION_ADMIN_EDITABLE}
        try:
            inspection_update(
                inspection=original, actor=request.user, version=form.cleaned_data["expected_version"], **changes
            )
        except InspectionError as exc:
            messages.error(request, " ".join(exc.messages))

    def save_related(self, request, form, formsets, change) -> None:
        pass  # every inline is read-only; the service wrote the row


@admin.register(Directive)
class DirectiveAdmin(_ScopedBySelector, SimpleHistoryAdmin):
    selector = staticmethod(directive_list)
    form = versioned_form(Directive, DIRECTIVE_ADMIN_EDITABLE)
    list_display = ["__str__", "responsible_unit", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["responsible_unit", "inspection"]
    search_fields = ["text"]
    date_hierarchy = "due_on"
    readonly_fields = ["inspection", "responsible_unit", "status", "started_on", "done_on", "version"]
    fieldsets = [
        (None, {"fields": ["inspection", "text", "responsible_unit", "due_on"]}),
        (_("Status"), {"fields": ["status", "started_on", "done_on", "version"]}),
        (None, {"fields": ["expected_version"]}),
    ]
    inlines = [DirectiveUpdateInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        original = Directive.objects.get(pk=obj.pk)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in DIRECTIVE_ADMIN_EDITABLE}
        try:
            directive_update(
                directive=original, actor=request.user, version=form.cleaned_data["expected_version"], **changes
            )
        except InspectionError as exc:
            messages.error(request, " ".join(exc.messages))

    def save_related(self, request, form, formsets, change) -> None:
        pass
