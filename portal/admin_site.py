"""The admin site: only the roles of DESIGN §4 may enter, and every ModelAdmin is scoped."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Portal 138 administration")
    site_title = _("Portal 138")
    index_title = _("Administration")

    def has_permission(self, request) -> bool:
        from portal.accounts import two_factor
        from portal.accounts.permissions import can_use_admin_site

        # The second step is also enforced by SecondStepMiddleware for /admin/; checked here again so
        # the admin stays closed if the middleware were ever left out.
        return can_use_admin_site(request.user) and two_factor.passed(request)

    def login(self, request, extra_context=None):
        """One log-in for the whole portal (password, then the code): the admin's own form has no second step."""
        from urllib.parse import urlencode

        from django.shortcuts import redirect, render
        from django.urls import reverse

        if request.user.is_authenticated:
            # Signed in (and past the second step: the middleware sees to that) but not a role that
            # may enter: sending them to the log-in page would only bounce them back here.
            return render(request, "403.html", status=403)
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"


class ScopedAdminMixin:
    """Every ModelAdmin of the portal starts from the model's `visible_to(user)` queryset."""

    def get_queryset(self, request):
        queryset = self.model.objects.visible_to(request.user)
        # select_related() with no field follows every foreign key (and is deprecated): only name some.
        if self.list_select_related and not isinstance(self.list_select_related, bool):
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def _require_in_scope(self, request, object_id) -> None:
        # simple_history falls back to the historical rows of objects it cannot find, which would
        # show an out-of-scope object's history: answer 404 as for a missing object instead.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
