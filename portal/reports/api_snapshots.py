"""REST API for approving (locking) the summary of a finished period."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import FORBIDDEN, NOT_FOUND, REFUSED, DateField
from portal.units.api import UnitRefSerializer
from portal.units.models import Unit

from .api import period_from
from .models import Summary
from .selectors import stats_unit_get
from .snapshots import summary_approve


class SummaryApproveInputSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, help_text="Unit code (default: your unit).")
    edition = serializers.ChoiceField(choices=Unit.Edition.choices, required=False)
    period = serializers.CharField(required=False, help_text="2021, 2021-Q3, 2021-H1, 2021-9M, 2021-09, …")
    start = DateField(required=False, help_text="With end: a custom window instead of period.")
    end = DateField(required=False)


class SummarySnapshotSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = Summary
        fields = ["id", "unit", "period_spec", "start", "end", "version", "is_current", "built_at"]
        fields += ["approved_by", "approved_at"]

    def get_approved_by(self, summary: Summary) -> dict | None:
        user = summary.approved_by
        return None if user is None else {"id": user.pk, "name": str(user)}


class SummaryApproveApi(APIView):
    """Approve the current summary of a unit for a finished period, once the units below are approved."""

    permission_classes = [requires(C.APPROVE_SUMMARIES)]

    @extend_schema(
        request=SummaryApproveInputSerializer,
        responses={200: SummarySnapshotSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request):
        data = SummaryApproveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not values.get("period") and not (values.get("start") and values.get("end")):
            raise ValidationError({"period": [_("Say which period to approve: a period, or start and end.")]})
        period = period_from({k: str(values[k]) for k in ("period", "start", "end") if values.get(k)})
        if values.get("unit"):
            unit = stats_unit_get(
                user=request.user, code=values["unit"], edition=values.get("edition") or Unit.Edition.CURRENT
            )
        else:
            unit = request.user.unit
        try:
            summary = summary_approve(unit=unit, period=period, actor=request.user)
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(SummarySnapshotSerializer(summary).data)
