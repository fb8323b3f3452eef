"""REST API of the report document: GET /api/v1/reports/?unit=&period=&format=pdf|xlsx."""

from types import SimpleNamespace

from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.audit.services import audit_record

from .api import PERIOD_PARAMETERS, period_from, unit_from
from .document import report_filename, report_pdf, report_xlsx
from .document_views import PDF, XLSX, attachment

FORMATS = {"pdf": (report_pdf, PDF), "xlsx": (report_xlsx, XLSX)}


class FileFormatNegotiation(DefaultContentNegotiation):
    """?format= names the file asked for here, not DRF's renderer: errors still answer in JSON."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


class ReportDocumentApi(APIView):
    """The official report of a unit for a period, as the caller sees it: PDF, or its figures as XLSX."""

    permission_classes = [requires(C.VIEW_DASHBOARD)]
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("format", str, enum=list(FORMATS), description="pdf (default) or xlsx."),
        ],
        responses={
            (200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="The report (Decree 128/2017 layout)."),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The report's figures, one sheet per table."),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A period or format that cannot be read."),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="A unit outside your scope, or no such unit."),
        },
    )
    def get(self, request):
        fmt = request.query_params.get("format") or "pdf"
        if fmt not in FORMATS:
            raise ValidationError({"format": [_("Choose one of: %(v)s.") % {"v": ", ".join(FORMATS)}]})
        unit = unit_from(request)
        period = period_from(request.query_params)
        build, content_type = FORMATS[fmt]
        audit_record(action="download", request=request._request, obj=unit, detail=f"report {period.spec} {fmt}")
        content = build(user=request.user, unit=unit, period=period, language=get_language())
        return attachment(
            content, content_type=content_type, filename=report_filename(unit=unit, period=period, ext=fmt)
        )


urlpatterns = [
    path("reports/", ReportDocumentApi.as_view(), name="report-document"),
]
