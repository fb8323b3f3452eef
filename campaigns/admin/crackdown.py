"""Admin for crackdown campaigns: scoped, with planned figures and reported results inline (read-only).

Campaigns are planned and their results recorded on the portal's pages and the API, which check the area,
window and scope; here names and descriptions can be corrected through the same service and version check.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import ScopedAdminMixin

from ..models import Campaign, CampaignResult, CampaignTarget
from ..services import CAMPAIGN_EDITABLE, CampaignError, campaign_update
from .practice import ReadOnlyInline, versioned_form

CAMPAIGN_ADMIN_EDITABLE = ["name", "description"]
assert set(CAMPAIGN_ADMIN_EDITABLE) <= CAMPAIGN_EDITABLE


class CampaignTargetInline(ReadOnlyInline):
    model = CampaignTarget
    fields = ["kind", "value"]


class CampaignResultInline(ReadOnlyInline):
    model = CampaignResult
    fields = ["on", "unit", "kind", "quantity", "note", "created_by"]


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = versioned_form(Campaign, CAMPAIGN_ADMIN_EDITABLE)
    list_display = ["name", "lead_unit", "starts_on", "ends_on"]
    list_select_related = ["lead_unit"]
    search_fields = ["name"]
    date_hierarchy = "starts_on"
    readonly_fields = ["lead_unit", "starts_on", "ends_on", "focus_lines", "version"]
    fieldsets = [
        (None, {"fields": ["name", "lead_unit", ("starts_on", "ends_on"), "description"]}),
        (_("Focus"), {"fields": ["focus_lines", "version"]}),
        (None, {"fields": ["expected_version"]}),
    ]
    inlines = [CampaignTargetInline, CampaignResultInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        original = Campaign.objects.get(pk=obj.pk)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in CAMPAIGN_ADMIN_EDITABLE}
        try:
            campaign_update(
                campaign=original, actor=request.user, version=form.cleaned_data["expected_version"], **changes
            )
        except CampaignError as exc:
            messages.error(request, " ".join(exc.messages))


@admin.register(CampaignResult)
class CampaignResultAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Results reported by units in the user's scope; read-only here (recorded on the campaign page)."""

    list_display = ["on", "campaign", "unit", "kind", "quantity"]
    list_filter = ["kind"]
    list_select_related = ["campaign", "unit"]
    date_hierarchy = "on"
    readonly_fields = ["campaign", "unit", "on", "kind", "quantity", "note", "created_by", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
