"""Portal-wide pages: the home page is the statistics dashboard (portal.reports.views), and the 404 and 500 answers."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from portal.reports.views import DashboardView

__all__ = ["DashboardView", "page_not_found", "server_error"]


def _api_error(request, detail: str, status: int) -> JsonResponse | None:
    """The JSON answer of an error under /api/, as every API error is; None for a page."""
    if not request.path_info.startswith("/api/"):
        return None
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request, exception):
    """A URL no route matches (/api/v1/cases/-1/ too): JSON under /api/; the page elsewhere."""
    answer = _api_error(request, _("Not found, or outside your unit's scope."), 404)
    return defaults.page_not_found(request, exception) if answer is None else answer


def server_error(request):
    """An unexpected failure: JSON under /api/, so a client reads an error it can show, not the HTML page; the
    page elsewhere. It says no more than the page: the cause goes to the log (django.request)."""
    detail = _("The portal could not finish this request. Nothing was saved in part; try again later.")
    answer = _api_error(request, detail, 500)
    return defaults.server_error(request) if answer is None else answer
