"""REST API for good-practice models: scoped, filtered list, detail, edits, moves, replications, evaluations."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import (
    FORBIDDEN,
    NOT_FOUND,
    READ_ERRORS,
    REFUSED,
    WRITE_ERRORS,
    DateField,
    UnitInScopeField,
    named_choice_field,
    refusals,
)
from portal.units.api import UnitRefSerializer
from portal.units.models import Unit

from ..filters import GoodPracticeModelFilter
from ..models import GoodPracticeModel, ModelEvaluation, ModelReplication
from ..selectors import model_detail, model_get, model_list
from ..services import model_create, model_evaluate, model_replicate, model_transition, model_update
from .common import (
    MODEL_ACCESS,
    PartialInputMixin,
    TransitionInputSerializer,
    UnitCodeInScopeField,
    today,
)

ModelStatusField = named_choice_field(GoodPracticeModel.Status, "GoodPracticeModelStatus")
ModelFieldField = named_choice_field(GoodPracticeModel.Field, "GoodPracticeModelField")


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


def model_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    model = model_detail(user=request.user, model_id=pk)
    data = GoodPracticeModelDetailSerializer(model, context={"request": request}).data
    return Response(data, status=status_code, **kwargs)


class ModelFieldsInputSerializer(serializers.Serializer):
    unit = UnitInScopeField()
    name = serializers.CharField(max_length=255)
    field = ModelFieldField()
    started_on = DateField()
    description = serializers.CharField(required=False, allow_blank=True)


class ModelUpdateInputSerializer(PartialInputMixin, ModelFieldsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


class ModelTransitionInputSerializer(TransitionInputSerializer):
    to = ModelStatusField()


class ReplicationInputSerializer(serializers.Serializer):
    unit = UnitCodeInScopeField(help_text=_("Code of the unit the model was replicated to."))
    replicated_on = DateField(default=today, help_text=_("Defaults to today."))


class VisibleUnitCodeField(serializers.CharField):
    """A unit code among the units the user sees (their subtree and the units above it); current wins over legacy.

    An evaluation may come from above: the provincial committee evaluating a commune's model.
    """

    default_error_messages = {"does_not_exist": _("Unit “{value}” not found among the units you can see.")}

    def to_internal_value(self, data) -> Unit:
        code = super().to_internal_value(data).strip()
        # NUL: no unit has it, and PostgreSQL refuses to compare it (DRF checks for it only after this lookup).
        units = [] if "\x00" in code else list(Unit.objects.visible_to(self.context["request"].user).filter(code=code))
        if not units:
            self.fail("does_not_exist", value=code)
        return next((u for u in units if u.edition == Unit.Edition.CURRENT), units[0])


class EvaluationInputSerializer(serializers.Serializer):
    on = DateField(default=today, help_text=_("Date of the evaluation; defaults to today."))
    evaluator = serializers.CharField(max_length=255, help_text=_("Who evaluated: a person, team or committee."))
    evaluator_unit = VisibleUnitCodeField(
        required=False, allow_null=True, default=None, help_text=_("Optional code of the evaluator's unit.")
    )
    text = serializers.CharField(help_text=_("What the evaluation found."))
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None)


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


class ModelEvaluationApi(generics.GenericAPIView):
    """Record an evaluation of a model in scope: date, evaluator (and their unit), findings, an optional 1–5 rating."""

    permission_classes = [requires(C.VIEW_PROPAGANDA), requires(C.EDIT_PROPAGANDA)]
    serializer_class = GoodPracticeModelDetailSerializer

    def get_queryset(self):
        return model_list(user=self.request.user)

    @extend_schema(
        request=EvaluationInputSerializer,
        responses={201: GoodPracticeModelDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        model = model_get(user=request.user, model_id=pk)
        data = EvaluationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            model_evaluate(model=model, actor=request.user, **data.validated_data)
        return model_response(request, model.pk, status.HTTP_201_CREATED)
