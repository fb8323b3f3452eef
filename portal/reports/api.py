"""REST API for statistics: summaries, breakdowns and targets."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import FORBIDDEN, NOT_FOUND, READ_ERRORS, REFUSED
from portal.units.api import UnitRefSerializer
from portal.units.models import Unit

from . import indicators
from .models import Target, TargetIndicator
from .periods import PeriodError, period_from_params
from .selectors import stats_unit_get, summary_get, target_list
from .services import target_create, target_update

PERIOD_PARAMETERS = [
    OpenApiParameter("unit", str, description="Unit code (default: your unit)."),
    OpenApiParameter("edition", str, enum=["2025", "legacy"], description="Unit list of the code (default 2025)."),
    OpenApiParameter(
        "period", str, description="2021, 2021-Q3, 2021-H1, 2021-9M, 2021-09, 2021-YTD-09 (default: this year to date)."
    ),
    OpenApiParameter("start", OpenApiTypes.DATE, description="With end: a custom window instead of period."),
    OpenApiParameter("end", OpenApiTypes.DATE),
]
# A period that cannot be read; a unit code outside the caller's scope, or no such code.
SUMMARY_ERRORS = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND}


def period_from(params) -> object:
    """The period a request asks for; a clear 400 when it cannot be read."""
    try:
        return period_from_params(params, timezone.localdate())
    except PeriodError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc


def unit_from(request) -> Unit:
    code = request.query_params.get("unit") or request.user.unit.code
    edition = request.query_params.get("edition") or Unit.Edition.CURRENT
    if not request.query_params.get("unit"):
        edition = request.user.unit.edition
    return stats_unit_get(user=request.user, code=code, edition=edition)


class SummaryApi(APIView):
    """A unit's indicators for a period, against the same period last year and the targets."""

    permission_classes = [requires(C.VIEW_DASHBOARD)]

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: OpenApiTypes.OBJECT, **SUMMARY_ERRORS})
    def get(self, request):
        unit = unit_from(request)
        return Response(summary_get(unit=unit, period=period_from(request.query_params)))


class SummaryBreakdownApi(APIView):
    """One row per child unit, crime line, severity or offence, with the same indicators."""

    permission_classes = [requires(C.VIEW_DASHBOARD)]

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("by", str, enum=list(indicators.BREAKDOWNS), description="Default: children."),
        ],
        responses={200: OpenApiTypes.OBJECT, **SUMMARY_ERRORS},
    )
    def get(self, request):
        unit = unit_from(request)
        period = period_from(request.query_params)
        by = request.query_params.get("by") or "children"
        if by not in indicators.BREAKDOWNS:
            raise ValidationError({"by": [_("Choose one of: %(v)s.") % {"v": ", ".join(indicators.BREAKDOWNS)}]})
        rows = indicators.breakdown(unit=unit, period=period, by=by)
        return Response(
            {
                "unit": {"id": unit.pk, "code": unit.code, "name": unit.name, "edition": unit.edition},
                "period": {"start": period.start, "end": period.end, "label": period.label, "spec": period.spec},
                "by": by,
                "results": rows,
            }
        )


class TargetSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    indicator_label = serializers.CharField(source="get_indicator_display")

    class Meta:
        model = Target
        fields = ["id", "indicator", "indicator_label", "unit", "year_from", "year_to", "value", "source"]


class TargetInputSerializer(serializers.Serializer):
    indicator = serializers.ChoiceField(choices=TargetIndicator.choices)
    unit = serializers.CharField(help_text="Unit code (2025 list).")
    year_from = serializers.IntegerField(min_value=2000, max_value=2100)
    year_to = serializers.IntegerField(min_value=2000, max_value=2100)
    value = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    source = serializers.CharField(max_length=255, required=False, allow_blank=True)


def _unit_for_target(request, code: str) -> Unit:
    unit = Unit.objects.current().filter(code=code).first()
    if unit is None or not request.user.unit.contains(unit):
        raise ValidationError({"unit": [_("Unit not found, or outside your unit's scope.")]})
    return unit


def _refusal(exc: DjangoValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    raise ValidationError(detail) from exc


@extend_schema_view(get=extend_schema(responses={200: TargetSerializer(many=True), 403: FORBIDDEN}))
class TargetListApi(generics.ListAPIView):
    """Targets that apply in the caller's scope (GET); setting one (POST, admins and leaders)."""

    serializer_class = TargetSerializer
    filterset_fields = ["indicator", "year_from", "year_to"]

    def get_permissions(self):
        capability = C.SET_TARGETS if self.request.method == "POST" else C.VIEW_DASHBOARD
        return [requires(capability)()]

    def get_queryset(self):
        return target_list(user=self.request.user)

    @extend_schema(request=TargetInputSerializer, responses={201: TargetSerializer, 400: REFUSED, 403: FORBIDDEN})
    def post(self, request):
        data = TargetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["unit"] = _unit_for_target(request, values["unit"])
        try:
            target = target_create(actor=request.user, **values)
        except DjangoValidationError as exc:
            _refusal(exc)
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(responses={200: TargetSerializer, **READ_ERRORS}))
class TargetDetailApi(generics.RetrieveAPIView):
    """One target (GET); changing its value, years or source (PATCH, admins and leaders)."""

    serializer_class = TargetSerializer

    def get_permissions(self):
        capability = C.SET_TARGETS if self.request.method == "PATCH" else C.VIEW_DASHBOARD
        return [requires(capability)()]

    def get_queryset(self):
        return target_list(user=self.request.user)

    @extend_schema(request=TargetInputSerializer, responses={200: TargetSerializer, 400: REFUSED, **READ_ERRORS})
    def patch(self, request, pk: int):
        target = self.get_object()
        if not request.user.unit.contains(target.unit):
            # Visible because it applies to the caller's units, but set above them.
            raise PermissionDenied(
                _("This target is set by %(unit)s; you cannot change it.") % {"unit": target.unit.name}
            )
        data = TargetInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "unit" in values:
            values["unit"] = _unit_for_target(request, values["unit"])
        try:
            target = target_update(actor=request.user, target=target, **values)
        except DjangoValidationError as exc:
            _refusal(exc)
        return Response(TargetSerializer(target).data)
