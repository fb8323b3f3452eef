"""Admin for units: read-only (load_units owns them), scoped, searchable without diacritics."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import ScopedAdminMixin

from .models import Unit
from .text import search_key


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "level", "edition", "parent", "successor"]
    list_filter = ["edition", "level", "kind"]
    list_select_related = ["parent", "successor"]
    search_fields = ["search_name", "=code"]
    readonly_fields = [
        "code",
        "name",
        "kind",
        "level",
        "edition",
        "parent",
        "successor",
        "path",
        "rollup_path",
    ]
    fields = readonly_fields
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # "thai nguyen" finds "Thái Nguyên": the search runs on the diacritic-free key.
        return super().get_search_results(request, queryset, search_key(search_term))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
