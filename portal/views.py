"""Portal-wide pages: the home page is the statistics dashboard (portal.reports.views), and the 403 (a form
refused by the CSRF check), 404 and 500 answers."""

from django.http import JsonResponse
from django.middleware import csrf
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

from portal.reports.views import DashboardView

__all__ = ["DashboardView", "csrf_failure", "page_not_found", "server_error"]


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


def csrf_failure(request, reason: str = ""):
    """A form sent without a valid CSRF token (CSRF_FAILURE_VIEW): most often one opened before its user
    signed in again or out (in another tab, or after the session ran out), or a browser refusing the portal's
    cookie. Nothing was saved; the page says so in the reader's language, in the portal's layout, with a link
    that opens the page again (Django's own page is English-worded developer text). The middleware has already
    logged the refusal (django.security.csrf). DRF checks the API's own requests and answers them in JSON."""
    came_from = request.headers.get("referer", "")
    same_site = url_has_allowed_host_and_scheme(came_from, {request.get_host()}, require_https=request.is_secure())
    context = {
        "no_cookie": reason == csrf.REASON_NO_CSRF_COOKIE,
        # The page that held the form; without one, the address the form went to (most forms post to their page).
        "retry_url": came_from if came_from and same_site else request.get_full_path(),
    }
    return render(request, "403_csrf.html", context, status=403)
