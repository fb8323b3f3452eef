"""The admin site: only the roles of DESIGN §4 may enter, and every ModelAdmin is scoped."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Portal 138 administration")
    site_title = _("Portal 138")
    index_title = _("Administration")

    def has_permission(self, request) -> bool:
        from portal.accounts.permissions import can_use_admin_site

        return can_use_admin_site(request.user)


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"


class ScopedAdminMixin:
    """Every ModelAdmin of the portal starts from the model's `visible_to(user)` queryset."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user).select_related(*self.list_select_related or ())
