"""REST API for hotspots: scoped, filtered list, detail, edits and lifecycle moves."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import (
    FORBIDDEN,
    READ_ERRORS,
    REFUSED,
    WRITE_ERRORS,
    DateField,
    OfficerSerializer,
    UnitInScopeField,
    named_choice_field,
    refusals,
)
from portal.units.api import UnitRefSerializer

from ..filters import HotspotFilter
from ..models import Hotspot, HotspotEvent
from ..selectors import hotspot_detail, hotspot_get, hotspot_list
from ..services import hotspot_create, hotspot_transition, hotspot_update
from .common import HOTSPOT_ACCESS, PartialInputMixin, TransitionInputSerializer

HotspotStatusField = named_choice_field(Hotspot.Status, "HotspotStatus")
HotspotKindField = named_choice_field(Hotspot.Kind, "HotspotKind")


class HotspotSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    kind = HotspotKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")
    status = HotspotStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display")
    allowed_moves = serializers.ListField(child=HotspotStatusField(), read_only=True)

    class Meta:
        model = Hotspot
        fields = [
            "id",
            "unit",
            "kind",
            "kind_label",
            "name",
            "description",
            "latitude",
            "longitude",
            "status",
            "status_label",
            "identified_on",
            "remediation_started_on",
            "resolved_on",
            "version",
            "allowed_moves",
        ]


class HotspotEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    from_status = HotspotStatusField(read_only=True, allow_null=True)
    to_status = HotspotStatusField(read_only=True, allow_null=True)
    actor = OfficerSerializer(allow_null=True)

    class Meta:
        model = HotspotEvent
        fields = ["id", "kind", "kind_label", "from_status", "to_status", "on", "at", "actor", "note"]


class HotspotDetailSerializer(HotspotSerializer):
    events = HotspotEventSerializer(many=True)

    class Meta(HotspotSerializer.Meta):
        fields = [*HotspotSerializer.Meta.fields, "created_at", "updated_at", "events"]


def hotspot_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    hotspot = hotspot_detail(user=request.user, hotspot_id=pk)
    return Response(HotspotDetailSerializer(hotspot, context={"request": request}).data, status=status_code, **kwargs)


class HotspotFieldsInputSerializer(serializers.Serializer):
    unit = UnitInScopeField()
    kind = HotspotKindField()
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, allow_null=True
    )
    identified_on = DateField()


class HotspotCreateInputSerializer(HotspotFieldsInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True)


class HotspotUpdateInputSerializer(PartialInputMixin, HotspotFieldsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


class HotspotTransitionInputSerializer(TransitionInputSerializer):
    to = HotspotStatusField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Hotspot views -----------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(responses={200: HotspotSerializer(many=True), 400: REFUSED, 403: FORBIDDEN}))
class HotspotListApi(generics.ListAPIView):
    """Hotspots in scope, filtered and paginated (GET); recording a new hotspot (POST)."""

    permission_classes = HOTSPOT_ACCESS
    serializer_class = HotspotSerializer
    filterset_class = HotspotFilter

    def get_queryset(self):
        return hotspot_list(user=self.request.user)

    @extend_schema(request=HotspotCreateInputSerializer, responses={201: HotspotDetailSerializer, 400: REFUSED})
    def post(self, request):
        data = HotspotCreateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            hotspot = hotspot_create(actor=request.user, **data.validated_data)
        location = reverse("api:hotspot-detail", kwargs={"pk": hotspot.pk})
        return hotspot_response(request, hotspot.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(get=extend_schema(responses={200: HotspotDetailSerializer, **READ_ERRORS}))
class HotspotDetailApi(generics.RetrieveAPIView):
    """One hotspot in scope with its timeline (GET); editing its fields with the version read (PATCH)."""

    permission_classes = HOTSPOT_ACCESS
    serializer_class = HotspotDetailSerializer

    filter_backends: list = []

    def get_queryset(self):
        return hotspot_list(user=self.request.user)

    def get_object(self) -> Hotspot:
        return hotspot_detail(user=self.request.user, hotspot_id=self.kwargs["pk"])

    @extend_schema(request=HotspotUpdateInputSerializer, responses={200: HotspotDetailSerializer, **WRITE_ERRORS})
    def patch(self, request, pk: int):
        hotspot = hotspot_get(user=request.user, hotspot_id=pk)
        data = HotspotUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            hotspot_update(hotspot=hotspot, actor=request.user, **data.validated_data)
        return hotspot_response(request, hotspot.pk)


class HotspotTransitionApi(generics.GenericAPIView):
    """Move a hotspot identified → under remediation → resolved; an illegal move is a 400 naming the allowed ones."""

    permission_classes = [requires(C.EDIT_CAMPAIGNS)]
    serializer_class = HotspotDetailSerializer

    def get_queryset(self):
        return hotspot_list(user=self.request.user)

    @extend_schema(request=HotspotTransitionInputSerializer, responses={200: HotspotDetailSerializer, **WRITE_ERRORS})
    def post(self, request, pk: int):
        hotspot = hotspot_get(user=request.user, hotspot_id=pk)
        data = HotspotTransitionInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals(allowed_moves=hotspot.allowed_moves()):
            hotspot_transition(hotspot=hotspot, actor=request.user, **data.validated_data)
        return hotspot_response(request, hotspot.pk)
