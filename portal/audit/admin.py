"""The audit trail in the admin: searched by user, record and date; never added to, changed or deleted."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_site import ScopedAdminMixin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "record_link", "detail", "ip_address", "path"]
    list_filter = ["action", "object_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "object_repr", "object_id", "ip_address", "detail"]
    search_help_text = _("Username, record (its name or id), address or detail.")
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False  # counting millions of rows on every page is not worth it
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("record"))
    def record_link(self, obj: AuditEvent):
        """The record's history page (what changed), where the admin has one."""
        if not obj.object_id or "." not in obj.object_type:
            return obj.object_repr
        app_label, model_name = obj.object_type.split(".", 1)
        try:
            url = reverse(f"admin:{app_label}_{model_name}_history", args=[obj.object_id])
        except NoReverseMatch:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr or obj.object_id)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
