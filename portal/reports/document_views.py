"""The report document's pages: preview in the browser, PDF and XLSX downloads."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control

from portal.accounts.permissions import has_capability
from portal.accounts.roles import C
from portal.audit.services import audit_record

from .document import report_filename, report_html, report_pdf, report_xlsx
from .periods import PeriodError, period_from_params
from .views import dashboard_unit, period_from_picker

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@method_decorator(cache_control(private=True, max_age=0), name="dispatch")
class ReportDocumentView(LoginRequiredMixin, View):
    """The report of a unit in the user's scope (404 outside it) for a period (400 when it cannot be read).

    ?unit=&edition=&period= (or start/end) as the dashboard's links, or the picker's own fields (kind=…).
    """

    fmt = "html"

    def get(self, request):
        if request.user.unit_id is None:
            raise Http404
        if not has_capability(request.user, C.VIEW_DASHBOARD):  # every role today; the dashboard's own rule
            raise PermissionDenied
        unit = dashboard_unit(request)
        try:
            if request.GET.get("kind"):
                period = period_from_picker(request.GET)
            else:
                period = period_from_params(request.GET, timezone.localdate())
        except PeriodError as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
        args = {"user": request.user, "unit": unit, "period": period, "language": translation.get_language()}
        if self.fmt in {"pdf", "xlsx"}:
            audit_record(action="download", request=request, obj=unit, detail=f"report {period.spec} {self.fmt}")
        if self.fmt == "pdf":
            return attachment(
                report_pdf(**args), content_type=PDF, filename=report_filename(unit=unit, period=period, ext="pdf")
            )
        if self.fmt == "xlsx":
            return attachment(
                report_xlsx(**args), content_type=XLSX, filename=report_filename(unit=unit, period=period, ext="xlsx")
            )
        return HttpResponse(report_html(**args))


urlpatterns = [
    path("document/", ReportDocumentView.as_view(), name="document"),
    path("document.pdf", ReportDocumentView.as_view(fmt="pdf"), name="document-pdf"),
    path("document.xlsx", ReportDocumentView.as_view(fmt="xlsx"), name="document-xlsx"),
]
