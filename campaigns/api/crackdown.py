"""REST API for crackdown campaigns: scoped list and detail, planning and edits, results and result entries."""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from cases.models import Category, CrimeLine
from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import (
    FORBIDDEN,
    NOT_FOUND,
    READ_ERRORS,
    REFUSED,
    WRITE_ERRORS,
    DateField,
    SlugRelatedField,
    UnitInScopeField,
    named_choice_field,
    refusals,
)
from portal.units.api import UnitRefSerializer

from ..filters import CampaignFilter
from ..models import REPORTED_RESULTS, Campaign, CampaignResult, CampaignTarget, Hotspot, ResultKind
from ..selectors import campaign_detail, campaign_get, campaign_list, campaign_result_list, campaign_results
from ..selectors.crackdown import change_pct
from ..selectors.hotspots import hotspot_list
from ..services import campaign_create, campaign_result_delete, campaign_result_record, campaign_update
from .common import HOTSPOT_ACCESS, PartialInputMixin

CAMPAIGN_ACCESS = HOTSPOT_ACCESS  # DESIGN §4: campaigns and hotspots share one row of the role table

PhaseField = named_choice_field(Campaign.Phase, "CampaignPhase")
ResultKindField = named_choice_field(ResultKind, "CampaignResultKind")
ReportedKindField = named_choice_field(
    type(
        "ReportedKind",
        (),
        {"values": [k.value for k in REPORTED_RESULTS], "choices": [(k.value, k.label) for k in REPORTED_RESULTS]},
    ),
    "CampaignReportedResultKind",
)
LineField = named_choice_field(CrimeLine, "CrimeLine")


def _today():
    return timezone.localdate()  # looked up at call time, so a test's frozen clock applies


# --- Output ------------------------------------------------------------------------------------


class CampaignTargetSerializer(serializers.ModelSerializer):
    kind = ResultKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = CampaignTarget
        fields = ["kind", "kind_label", "value"]


class CampaignSerializer(serializers.ModelSerializer):
    lead_unit = UnitRefSerializer()
    phase = serializers.SerializerMethodField()
    phase_label = serializers.SerializerMethodField()
    focus_lines = serializers.ListField(child=LineField(), read_only=True)
    targets = CampaignTargetSerializer(many=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "lead_unit",
            "starts_on",
            "ends_on",
            "phase",
            "phase_label",
            "focus_lines",
            "targets",
            "version",
        ]

    @extend_schema_field(PhaseField())
    def get_phase(self, campaign: Campaign) -> str:
        return campaign.phase_on(_today())

    def get_phase_label(self, campaign: Campaign) -> str:
        return str(Campaign.Phase(campaign.phase_on(_today())).label)


class CampaignCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["article", "name"]


class CampaignHotspotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hotspot
        fields = ["id", "name", "status"]


class CampaignDetailSerializer(CampaignSerializer):
    scope_units = UnitRefSerializer(many=True, help_text=_("Empty: the lead unit's whole area."))
    focus_categories = CampaignCategorySerializer(many=True)
    focus_hotspots = CampaignHotspotSerializer(many=True)

    class Meta(CampaignSerializer.Meta):
        fields = [
            *CampaignSerializer.Meta.fields,
            "description",
            "scope_units",
            "focus_categories",
            "focus_hotspots",
            "created_at",
            "updated_at",
        ]


class ResultEntrySerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    kind = ReportedKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = CampaignResult
        fields = ["id", "unit", "on", "kind", "kind_label", "quantity", "note", "created_at"]


WINDOW = inline_serializer(
    "CampaignWindow",
    {"start": DateField(), "end": DateField(), "days": serializers.IntegerField()},
)
COMPARISON = inline_serializer(
    "CampaignComparison",
    {
        "kind": ResultKindField(),
        "label": serializers.CharField(),
        "during": serializers.IntegerField(),
        "before": serializers.IntegerField(),
        "change_vs_before_pct": serializers.FloatField(allow_null=True),
        "year_earlier": serializers.IntegerField(),
        "change_vs_year_earlier_pct": serializers.FloatField(allow_null=True),
    },
)
ACHIEVEMENT = inline_serializer(
    "CampaignAchievement",
    {
        "kind": ResultKindField(),
        "label": serializers.CharField(),
        "planned": serializers.DecimalField(max_digits=14, decimal_places=2),
        "achieved": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
        "percent": serializers.FloatField(allow_null=True),
        "met": serializers.BooleanField(),
    },
)
RESULTS = inline_serializer(
    "CampaignResults",
    {
        "campaign": serializers.IntegerField(),
        "phase": PhaseField(),
        "restricted_to": UnitRefSerializer(allow_null=True),
        "windows": serializers.DictField(child=WINDOW, allow_null=True),
        "comparison": serializers.ListField(child=COMPARISON),
        "achievements": serializers.ListField(child=ACHIEVEMENT),
        "reported": serializers.DictField(child=serializers.DecimalField(max_digits=16, decimal_places=2)),
        "by_unit": serializers.ListField(child=serializers.DictField()),
        "linked_cases": serializers.IntegerField(),
        "entries": ResultEntrySerializer(many=True),
    },
)


def results_data(request, campaign: Campaign) -> dict:
    """The campaign's results as the API answers them (the campaign page shows the same numbers)."""
    today = _today()
    results = campaign_results(user=request.user, campaign=campaign, today=today)
    comparison = []
    if results.windows:
        for kind in (ResultKind.CASES_RECORDED, ResultKind.CASES_CLEARED, ResultKind.SUSPECTS_ARRESTED):
            during, before, earlier = (results.figures[w][kind] for w in ("during", "before", "year_earlier"))
            comparison.append(
                {
                    "kind": kind.value,
                    "label": str(kind.label),
                    "during": during,
                    "before": before,
                    "change_vs_before_pct": change_pct(during, before),
                    "year_earlier": earlier,
                    "change_vs_year_earlier_pct": change_pct(during, earlier),
                }
            )
    decimal = serializers.DecimalField(max_digits=16, decimal_places=2)
    return {
        "campaign": campaign.pk,
        "phase": campaign.phase_on(today),
        "restricted_to": UnitRefSerializer(results.restricted_to).data if results.restricted_to else None,
        "windows": {
            name: {"start": w.start.isoformat(), "end": w.end.isoformat(), "days": w.days}
            for name, w in results.windows.items()
        }
        if results.windows
        else None,
        "comparison": comparison,
        "achievements": [
            {
                **row,
                "label": str(row["label"]),
                "planned": decimal.to_representation(row["planned"]),
                "achieved": None if row["achieved"] is None else decimal.to_representation(row["achieved"]),
            }
            for row in results.achievements
        ],
        "reported": {kind: decimal.to_representation(value) for kind, value in results.reported.items()},
        "by_unit": [
            {key: (decimal.to_representation(v) if key != "unit" else v) for key, v in row.items()}
            for row in results.by_unit
        ],
        "linked_cases": results.linked_cases,
        "entries": ResultEntrySerializer(campaign_result_list(user=request.user, campaign=campaign), many=True).data,
    }


def campaign_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    campaign = campaign_detail(user=request.user, campaign_id=pk)
    return Response(CampaignDetailSerializer(campaign, context={"request": request}).data, status=status_code, **kwargs)


# --- Input -------------------------------------------------------------------------------------


class ArticleField(SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="article", queryset=Category.objects.all(), **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class HotspotInScopeField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("Hotspot not found, or outside your unit's scope.")}

    def get_queryset(self):
        return hotspot_list(user=self.context["request"].user)


class CampaignFieldsInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    lead_unit = UnitInScopeField()
    starts_on = DateField()
    ends_on = DateField()
    description = serializers.CharField(required=False, allow_blank=True)
    scope_units = serializers.ListField(
        child=UnitInScopeField(), required=False, help_text=_("Unit ids of the area; empty: the lead unit's area.")
    )
    focus_lines = serializers.ListField(child=LineField(), required=False)
    focus_categories = serializers.ListField(
        child=ArticleField(), required=False, help_text=_('Penal Code articles, e.g. "173".')
    )
    focus_hotspots = serializers.ListField(child=HotspotInScopeField(), required=False)
    targets = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        required=False,
        help_text=_('Planned figures by result kind, e.g. {"cases_cleared": 120, "wanted_caught": 15}.'),
    )

    def validate_targets(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(ResultKind.values))
        if unknown:
            raise serializers.ValidationError(_("Unknown result: %(k)s.") % {"k": ", ".join(unknown)})
        return value


class CampaignUpdateInputSerializer(PartialInputMixin, CampaignFieldsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


class ResultInputSerializer(serializers.Serializer):
    unit = UnitInScopeField(help_text=_("The reporting unit, in the campaign's area and your scope."))
    on = DateField(default=_today, help_text=_("Defaults to today."))
    kind = ReportedKindField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Views -------------------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(responses={200: CampaignSerializer(many=True), 400: REFUSED, 403: FORBIDDEN}))
class CampaignListApi(generics.ListAPIView):
    """Crackdown campaigns in scope, filtered and paginated (GET); planning a new one (POST)."""

    permission_classes = CAMPAIGN_ACCESS
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def get_queryset(self):
        return campaign_list(user=self.request.user)

    @extend_schema(request=CampaignFieldsInputSerializer, responses={201: CampaignDetailSerializer, 400: REFUSED})
    def post(self, request):
        data = CampaignFieldsInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            campaign = campaign_create(actor=request.user, **data.validated_data)
        location = reverse("api:campaign-detail", kwargs={"pk": campaign.pk})
        return campaign_response(request, campaign.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(get=extend_schema(responses={200: CampaignDetailSerializer, **READ_ERRORS}))
class CampaignDetailApi(generics.RetrieveAPIView):
    """One campaign in scope with its area, focus and targets (GET); changing its plan with the version (PATCH)."""

    permission_classes = CAMPAIGN_ACCESS
    serializer_class = CampaignDetailSerializer
    filter_backends: list = []

    def get_queryset(self):
        return campaign_list(user=self.request.user)

    def get_object(self) -> Campaign:
        return campaign_detail(user=self.request.user, campaign_id=self.kwargs["pk"])

    @extend_schema(request=CampaignUpdateInputSerializer, responses={200: CampaignDetailSerializer, **WRITE_ERRORS})
    def patch(self, request, pk: int):
        campaign = campaign_get(user=request.user, campaign_id=pk)
        data = CampaignUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            campaign_update(campaign=campaign, actor=request.user, **data.validated_data)
        return campaign_response(request, campaign.pk)


class CampaignResultsApi(generics.GenericAPIView):
    """The campaign's results over your part of its area: planned against achieved, before and after (GET);
    a unit's reported result — wanted persons caught, drugs in grams, weapons, gangs, gambling dens (POST)."""

    permission_classes = CAMPAIGN_ACCESS
    serializer_class = ResultEntrySerializer
    filter_backends: list = []

    def get_queryset(self):
        return campaign_list(user=self.request.user)

    @extend_schema(responses={200: RESULTS, **READ_ERRORS})
    def get(self, request, pk: int):
        campaign = campaign_detail(user=request.user, campaign_id=pk)
        return Response(results_data(request, campaign))

    @extend_schema(request=ResultInputSerializer, responses={201: ResultEntrySerializer, **WRITE_ERRORS})
    def post(self, request, pk: int):
        campaign = campaign_get(user=request.user, campaign_id=pk)
        data = ResultInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            entry = campaign_result_record(campaign=campaign, actor=request.user, **data.validated_data)
        return Response(ResultEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class CampaignResultDetailApi(generics.GenericAPIView):
    """Withdraw a result entered by mistake (the history keeps it)."""

    permission_classes = [requires(C.EDIT_CAMPAIGNS)]
    serializer_class = ResultEntrySerializer
    filter_backends: list = []

    def get_queryset(self):
        return campaign_list(user=self.request.user)

    @extend_schema(responses={204: None, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND})
    def delete(self, request, pk: int, result_pk: int):
        campaign = campaign_get(user=request.user, campaign_id=pk)
        entry = get_object_or_404(campaign_result_list(user=request.user, campaign=campaign), pk=result_pk)
        with refusals():
            campaign_result_delete(result=entry, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("campaigns/", CampaignListApi.as_view(), name="campaign-list"),
    path("campaigns/<int:pk>/", CampaignDetailApi.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/results/", CampaignResultsApi.as_view(), name="campaign-results"),
    path(
        "campaigns/<int:pk>/results/<int:result_pk>/", CampaignResultDetailApi.as_view(), name="campaign-result-detail"
    ),
]
