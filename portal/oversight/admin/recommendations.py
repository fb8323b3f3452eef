"""Admin of recommendations: scoped, read-only, with the chain of steps inline.

Raising, forwarding and answering go through the portal and the API (the services keep the chain, the
version and the mail); here the committee looks things up and reads the history.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import ScopedAdminMixin

from ..models import Recommendation, RecommendationStep


class RecommendationStepInline(admin.TabularInline):
    model = RecommendationStep
    extra = 0
    can_delete = False
    fields = ["on", "kind", "from_unit", "to_unit", "actor", "note", "at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_unit", "to_unit", "actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "raised_by_unit", "addressed_to", "raised_on", "due_on", "status", "answered_on"]
    list_filter = ["status"]
    list_select_related = ["raised_by_unit", "addressed_to"]
    search_fields = ["title", "text"]
    date_hierarchy = "raised_on"
    fieldsets = [
        (None, {"fields": ["title", "text", "inspection", "raised_by_unit", "raised_on"]}),
        (_("Reply"), {"fields": ["addressed_to", "due_on", "status", "answer", "answered_on", "answered_by"]}),
        (None, {"fields": ["version", "created_by", "created_at", "updated_at"]}),
    ]
    readonly_fields = [f for _name, opts in fieldsets for f in opts["fields"]]
    inlines = [RecommendationStepInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
