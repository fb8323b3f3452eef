"""The report document's pages: preview in the browser; the PDF and XLSX files, built in the background."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import cache_control

from portal.accounts.permissions import has_capability
from portal.accounts.roles import C
from portal.jobs.services import job_start

from . import jobs as report_jobs
from .document import report_html
from .periods import Period, PeriodError, period_from_params
from .views import period_from_picker, unit_from_params

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A file sent in the response (the API's document endpoints, which stay synchronous for API clients)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def document_period(params: QueryDict) -> Period:
    """?period= (or start/end) as the dashboard's links, or the picker's own fields (kind=…)."""
    if params.get("kind"):
        return period_from_picker(params)
    return period_from_params(params, timezone.localdate())


def request_params(request) -> QueryDict:
    """The query string, and a form's fields on top of it (the form that starts a file carries none but its token)."""
    params = request.GET.copy()
    for name, values in request.POST.lists():
        if name != "csrfmiddlewaretoken":
            params.setlist(name, values)
    return params


@method_decorator(cache_control(private=True, max_age=0), name="dispatch")
class ReportDocumentView(LoginRequiredMixin, View):
    """The report of a unit in the user's scope (404 outside it) for a period (400 when it cannot be read).

    The preview is HTML, built in the request. The PDF (seconds for a province at national scale) and the XLSX
    are built by the worker: GET asks to confirm (old links keep working), POST starts the job.
    """

    fmt = "html"

    def get(self, request):
        return self.answer(request, start=False)

    def post(self, request):
        if self.fmt == "html":
            return HttpResponse(status=405)
        return self.answer(request, start=True)

    def answer(self, request, *, start: bool):
        if request.user.unit_id is None:
            raise Http404
        if not has_capability(request.user, C.VIEW_DASHBOARD):  # every role today; the dashboard's own rule
            raise PermissionDenied
        params = request_params(request)
        unit = unit_from_params(user=request.user, params=params)
        try:
            period = document_period(params)
        except PeriodError as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
        if self.fmt == "html":
            return HttpResponse(
                report_html(user=request.user, unit=unit, period=period, language=translation.get_language())
            )
        job_params = report_jobs.report_params(unit=unit, period=period, fmt=self.fmt)
        if start:
            job = job_start(kind=report_jobs.REPORT, owner=request.user, params=job_params)
            return redirect(job.get_absolute_url())
        return render(
            request,
            "jobs/confirm.html",
            {
                "title": report_jobs.report_label(job_params),
                "action": request.get_full_path(),
                "fields": {},
                "button": _("Prepare the file"),
                "back": "",
            },
        )


urlpatterns = [
    path("document/", ReportDocumentView.as_view(), name="document"),
    path("document.pdf", ReportDocumentView.as_view(fmt="pdf"), name="document-pdf"),
    path("document.xlsx", ReportDocumentView.as_view(fmt="xlsx"), name="document-xlsx"),
]
