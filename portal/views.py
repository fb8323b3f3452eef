"""Portal-wide pages: the home page is the statistics dashboard (portal.reports.views), and the 404 answer."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from portal.reports.views import DashboardView

__all__ = ["DashboardView", "page_not_found"]


def page_not_found(request, exception):
    """A URL no route matches (/api/v1/cases/-1/ too): JSON under /api/, as every API error is; the page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Not found, or outside your unit's scope.")},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.page_not_found(request, exception)
