"""Admin for cases: scoped, with the timeline, parties and extensions inline and history kept.

Only admin, leader and standing-officer roles reach the admin, and all three may see party
identities (DESIGN §4), so nothing is masked here. Cases are recorded through the portal, the
API or the import (which number them and start the timeline); here they can be corrected,
through the same service and with the same version check as everywhere else.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import ScopedAdminMixin

from .models import Case, CaseEvent, Category, DeadlineExtension, Party
from .permissions import can_edit_case
from .services import EDITABLE, CaseError, case_update

ADMIN_EDITABLE = ["title", "summary", "category", "severity", "handling_unit", "damage_amount", "recovered_amount"]
assert set(ADMIN_EDITABLE) <= EDITABLE


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["on", "kind", "from_status", "to_status", "actor", "note", "at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    fields = ["kind", "granted_on", "previous_due_on", "new_due_on", "reason", "actor"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PartyInline(admin.StackedInline):
    model = Party
    extra = 0
    fields = [("role", "custody"), ("full_name", "birth_year", "gender"), ("id_number", "residence")]


class CaseAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = ADMIN_EDITABLE

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if (
            expected is not None
            and Case.objects.filter(pk=self.instance.pk).values_list("version", flat=True)[0] != expected
        ):
            raise ValidationError(
                _("This case was changed by someone else after you opened it. Reload the page; nothing was saved.")
            )
        return cleaned


@admin.register(Case)
class CaseAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = CaseAdminForm
    list_display = ["reference", "title", "category", "severity", "status", "unit", "recorded_on", "due_on"]
    list_filter = ["status", "line", "severity"]
    list_select_related = ["category", "unit"]
    search_fields = ["reference", "search_title"]
    date_hierarchy = "recorded_on"
    show_full_result_count = False
    readonly_fields = [
        "reference",
        "unit",
        "status",
        "received_on",
        "recorded_on",
        "occurred_on",
        "verification_started_on",
        "investigation_started_on",
        "suspended_on",
        "cleared_on",
        "indicted_on",
        "tried_on",
        "closed_on",
        "due_on",
        "version",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "title", "summary", "category", "severity", "unit", "handling_unit"]}),
        (_("Procedure"), {"fields": readonly_fields[2:]}),
        (_("Amounts (VND)"), {"fields": ["damage_amount", "recovered_amount"]}),
        (None, {"fields": ["expected_version"]}),
    ]
    inlines = [PartyInline, DeadlineExtensionInline, CaseEventInline]

    def get_search_results(self, request, queryset, search_term):
        from portal.units.text import search_key

        return super().get_search_results(request, queryset, search_key(search_term) or search_term)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_case(request.user, obj))

    def save_model(self, request, obj, form, change) -> None:
        original = Case.objects.get(pk=obj.pk)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in ADMIN_EDITABLE}
        try:
            case_update(case=original, actor=request.user, version=form.cleaned_data["expected_version"], **changes)
        except CaseError as exc:
            messages.error(request, " ".join(exc.messages))


@admin.register(Category)
class CategoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["article", "name", "line"]
    list_filter = ["line"]
    search_fields = ["=article", "name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
