"""REST API for hotspots and good-practice models: scoped, filtered lists, detail, edits and lifecycle moves."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import (
    FORBIDDEN,
    NOT_FOUND,
    READ_ERRORS,
    REFUSED,
    WRITE_ERRORS,
    OfficerSerializer,
    ReadOnly,
    UnitInScopeField,
    refusals,
)
from portal.units.api import UnitRefSerializer
from portal.units.models import Unit

from .filters import GoodPracticeModelFilter, HotspotFilter
from .models import GoodPracticeModel, Hotspot, HotspotEvent, ModelEvaluation, ModelReplication
from .selectors import hotspot_detail, hotspot_get, hotspot_list, model_detail, model_get, model_list
from .services import (
    hotspot_create,
    hotspot_transition,
    hotspot_update,
    model_create,
    model_replicate,
    model_transition,
    model_update,
)

# --- Permissions -------------------------------------------------------------------------------


HOTSPOT_ACCESS = [requires(C.VIEW_CAMPAIGNS), ReadOnly | requires(C.EDIT_CAMPAIGNS)]
MODEL_ACCESS = [requires(C.VIEW_PROPAGANDA), ReadOnly | requires(C.EDIT_PROPAGANDA)]


def _today():
    return timezone.localdate()  # looked up at call time, so a test's frozen clock applies


# --- Output ------------------------------------------------------------------------------------


def named_choice_field(choices: type, component_name: str) -> type[serializers.ChoiceField]:
    """A ChoiceField whose enum is one named schema component wherever it appears."""

    @extend_schema_field({"type": "string", "enum": choices.values}, component_name=component_name)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

        def to_representation(self, value):
            return super().to_representation(value) or None  # an event without a status change: null

    Field.__name__ = f"{component_name}Field"
    return Field


HotspotStatusField = named_choice_field(Hotspot.Status, "HotspotStatus")
HotspotKindField = named_choice_field(Hotspot.Kind, "HotspotKind")
ModelStatusField = named_choice_field(GoodPracticeModel.Status, "GoodPracticeModelStatus")
ModelFieldField = named_choice_field(GoodPracticeModel.Field, "GoodPracticeModelField")


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


class ReplicationSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = ModelReplication
        fields = ["id", "unit", "replicated_on"]


class EvaluationSerializer(serializers.ModelSerializer):
    evaluator_unit = UnitRefSerializer(allow_null=True)

    class Meta:
        model = ModelEvaluation
        fields = ["id", "on", "evaluator", "evaluator_unit", "text", "rating"]


class GoodPracticeModelSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    field = ModelFieldField(read_only=True)
    field_label = serializers.CharField(source="get_field_display")
    status_label = serializers.CharField(source="get_status_display")
    status = ModelStatusField(read_only=True)
    replications = ReplicationSerializer(many=True)
    allowed_moves = serializers.ListField(child=ModelStatusField(), read_only=True)

    class Meta:
        model = GoodPracticeModel
        fields = [
            "id",
            "unit",
            "name",
            "field",
            "field_label",
            "started_on",
            "description",
            "status",
            "status_label",
            "effective_on",
            "replicated_on",
            "replications",
            "version",
            "allowed_moves",
        ]


class GoodPracticeModelDetailSerializer(GoodPracticeModelSerializer):
    evaluations = EvaluationSerializer(many=True)

    class Meta(GoodPracticeModelSerializer.Meta):
        fields = [*GoodPracticeModelSerializer.Meta.fields, "created_at", "updated_at", "evaluations"]


def hotspot_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    hotspot = hotspot_detail(user=request.user, hotspot_id=pk)
    return Response(HotspotDetailSerializer(hotspot, context={"request": request}).data, status=status_code, **kwargs)


def model_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    model = model_detail(user=request.user, model_id=pk)
    data = GoodPracticeModelDetailSerializer(model, context={"request": request}).data
    return Response(data, status=status_code, **kwargs)


# --- Input -------------------------------------------------------------------------------------


class PartialInputMixin:
    """Every field optional except `version`; unknown fields are refused rather than ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
        return attrs


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
    identified_on = serializers.DateField()


class HotspotCreateInputSerializer(HotspotFieldsInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True)


class HotspotUpdateInputSerializer(PartialInputMixin, HotspotFieldsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


class TransitionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_("The version you last read."))
    on = serializers.DateField(default=_today, help_text=_("Date of the move; defaults to today."))


class HotspotTransitionInputSerializer(TransitionInputSerializer):
    to = HotspotStatusField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ModelFieldsInputSerializer(serializers.Serializer):
    unit = UnitInScopeField()
    name = serializers.CharField(max_length=255)
    field = ModelFieldField()
    started_on = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True)


class ModelUpdateInputSerializer(PartialInputMixin, ModelFieldsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


class ModelTransitionInputSerializer(TransitionInputSerializer):
    to = ModelStatusField()


class UnitCodeInScopeField(serializers.CharField):
    """A unit code among the units rolling up to the user's unit; a current unit wins over a legacy one."""

    default_error_messages = {"does_not_exist": _("Unit “{value}” not found, or outside your unit's scope.")}

    def to_internal_value(self, data) -> Unit:
        code = super().to_internal_value(data).strip()
        unit = self.context["request"].user.unit
        units = [] if unit is None else list(Unit.objects.rolling_up_to(unit).filter(code=code))
        if not units:
            self.fail("does_not_exist", value=code)
        return next((u for u in units if u.edition == Unit.Edition.CURRENT), units[0])


class ReplicationInputSerializer(serializers.Serializer):
    unit = UnitCodeInScopeField(help_text=_("Code of the unit the model was replicated to."))
    replicated_on = serializers.DateField(default=_today, help_text=_("Defaults to today."))


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


# --- Good-practice model views -----------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(responses={200: GoodPracticeModelSerializer(many=True), 400: REFUSED, 403: FORBIDDEN})
)
class ModelListApi(generics.ListAPIView):
    """Good-practice models in scope, filtered and paginated (GET); recording a new one (POST)."""

    permission_classes = MODEL_ACCESS
    serializer_class = GoodPracticeModelSerializer
    filterset_class = GoodPracticeModelFilter

    def get_queryset(self):
        return model_list(user=self.request.user)

    @extend_schema(request=ModelFieldsInputSerializer, responses={201: GoodPracticeModelDetailSerializer, 400: REFUSED})
    def post(self, request):
        data = ModelFieldsInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            model = model_create(actor=request.user, **data.validated_data)
        location = reverse("api:model-detail", kwargs={"pk": model.pk})
        return model_response(request, model.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(get=extend_schema(responses={200: GoodPracticeModelDetailSerializer, **READ_ERRORS}))
class ModelDetailApi(generics.RetrieveAPIView):
    """One model in scope with replications and evaluations (GET); editing its fields (PATCH)."""

    permission_classes = MODEL_ACCESS
    serializer_class = GoodPracticeModelDetailSerializer

    filter_backends: list = []

    def get_queryset(self):
        return model_list(user=self.request.user)

    def get_object(self) -> GoodPracticeModel:
        return model_detail(user=self.request.user, model_id=self.kwargs["pk"])

    @extend_schema(
        request=ModelUpdateInputSerializer, responses={200: GoodPracticeModelDetailSerializer, **WRITE_ERRORS}
    )
    def patch(self, request, pk: int):
        model = model_get(user=request.user, model_id=pk)
        data = ModelUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            model_update(model=model, actor=request.user, **data.validated_data)
        return model_response(request, model.pk)


class ModelTransitionApi(generics.GenericAPIView):
    """Move a model pilot → effective → replicated (replicated needs a recorded replication)."""

    permission_classes = [requires(C.VIEW_PROPAGANDA), requires(C.EDIT_PROPAGANDA)]
    serializer_class = GoodPracticeModelDetailSerializer

    def get_queryset(self):
        return model_list(user=self.request.user)

    @extend_schema(
        request=ModelTransitionInputSerializer, responses={200: GoodPracticeModelDetailSerializer, **WRITE_ERRORS}
    )
    def post(self, request, pk: int):
        model = model_get(user=request.user, model_id=pk)
        data = ModelTransitionInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals(allowed_moves=model.allowed_moves()):
            model_transition(model=model, actor=request.user, **data.validated_data)
        return model_response(request, model.pk)


class ModelReplicationApi(generics.GenericAPIView):
    """Record a unit (by code, in the user's scope) the model was replicated to."""

    permission_classes = [requires(C.VIEW_PROPAGANDA), requires(C.EDIT_PROPAGANDA)]
    serializer_class = GoodPracticeModelDetailSerializer

    def get_queryset(self):
        return model_list(user=self.request.user)

    @extend_schema(
        request=ReplicationInputSerializer,
        responses={201: GoodPracticeModelDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        model = model_get(user=request.user, model_id=pk)
        data = ReplicationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            model_replicate(model=model, actor=request.user, **data.validated_data)
        return model_response(request, model.pk, status.HTTP_201_CREATED)
