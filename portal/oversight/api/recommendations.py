"""REST API of recommendations: scoped, filtered list, raising one, the chain of steps, review, forward, answer.

Reading: whoever reads oversight or answers recommendations (admin, leader, standing officer, inspector), for
recommendations raised in their subtree, addressed to it or passed through it on the way up. Raising: a
committee (admin, leader, standing officer) or an inspector, for a unit of their subtree. Taking up, forwarding,
answering and declining: only the addressed unit's own committee — a visible recommendation addressed
elsewhere answers 403, one outside the scope 404.
"""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
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
    ReadOnly,
    UnitInScopeField,
    named_choice_field,
    refusals,
)
from portal.units.api import UnitRefSerializer
from portal.units.models import Unit

from ..filters.recommendations import RecommendationFilter
from ..models import Inspection, Recommendation, RecommendationStep
from ..permissions import can_answer_recommendation
from ..selectors.recommendations import recommendation_detail, recommendation_get, recommendation_list
from ..services.recommendations import (
    recommendation_answer,
    recommendation_decline,
    recommendation_forward,
    recommendation_raise,
    recommendation_review,
)

READERS = requires(C.VIEW_OVERSIGHT) | requires(C.ANSWER_RECOMMENDATIONS)
RAISERS = requires(C.ANSWER_RECOMMENDATIONS) | requires(C.EDIT_OVERSIGHT)
LIST_ACCESS = [READERS, ReadOnly | RAISERS]
ANSWER_ACCESS = [requires(C.ANSWER_RECOMMENDATIONS)]


def _today():
    return timezone.localdate()  # looked up at call time, so a test's frozen clock applies


RecommendationStatusField = named_choice_field(Recommendation.Status, "RecommendationStatus")
RecommendationStepKindField = named_choice_field(RecommendationStep.Kind, "RecommendationStepKind")


class RecommendationSerializer(serializers.ModelSerializer):
    raised_by_unit = UnitRefSerializer()
    addressed_to = UnitRefSerializer()
    status = RecommendationStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display")
    is_overdue = serializers.SerializerMethodField()
    inspection = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "title",
            "raised_by_unit",
            "addressed_to",
            "raised_on",
            "due_on",
            "status",
            "status_label",
            "is_overdue",
            "answered_on",
            "inspection",
            "version",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, obj: Recommendation) -> bool:
        return obj.is_overdue_on(_today())


class RecommendationStepSerializer(serializers.ModelSerializer):
    kind = RecommendationStepKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")
    from_unit = UnitRefSerializer(allow_null=True)
    to_unit = UnitRefSerializer(allow_null=True)
    actor = OfficerSerializer(allow_null=True)

    class Meta:
        model = RecommendationStep
        fields = ["id", "kind", "kind_label", "on", "at", "from_unit", "to_unit", "actor", "note"]


class RecommendationDetailSerializer(RecommendationSerializer):
    answered_by = OfficerSerializer(allow_null=True)
    created_by = OfficerSerializer(allow_null=True)
    steps = RecommendationStepSerializer(many=True)
    can_answer = serializers.SerializerMethodField(
        help_text=gettext_lazy("Whether you may take up, forward, answer or decline it now.")
    )

    class Meta(RecommendationSerializer.Meta):
        fields = [
            *RecommendationSerializer.Meta.fields,
            "text",
            "answer",
            "answered_by",
            "created_by",
            "created_at",
            "updated_at",
            "can_answer",
            "steps",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_answer(self, obj: Recommendation) -> bool:
        return obj.is_open and can_answer_recommendation(self.context["request"].user, obj.addressed_to)


def recommendation_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    recommendation = recommendation_detail(user=request.user, recommendation_id=pk)
    data = RecommendationDetailSerializer(recommendation, context={"request": request}).data
    return Response(data, status=status_code, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class UnitAboveField(serializers.PrimaryKeyRelatedField):
    """A unit id among those the user may see (their subtree and the units above it)."""

    default_error_messages = {"does_not_exist": gettext_lazy("Unit not found, or outside your unit's scope.")}

    def get_queryset(self):
        return Unit.objects.visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class InspectionInScopeField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": gettext_lazy("Inspection not found, or outside your unit's scope.")}

    def get_queryset(self):
        return Inspection.objects.visible_to(self.context["request"].user)


class RecommendationRaiseInputSerializer(serializers.Serializer):
    raising_unit = UnitInScopeField(help_text=gettext_lazy("The unit that raises it (in your subtree)."))
    addressed_to = UnitAboveField(help_text=gettext_lazy("A unit above the raising unit, e.g. the national root."))
    title = serializers.CharField(max_length=255)
    text = serializers.CharField()
    raised_on = DateField(required=False, help_text=gettext_lazy("Defaults to today."))
    due_on = DateField(
        required=False, help_text=gettext_lazy("Reply due on; defaults to OVERSIGHT_REPLY_DAYS after raised_on.")
    )
    inspection = InspectionInScopeField(required=False, allow_null=True)


class RecommendationVersionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=gettext_lazy("The version you last read."))
    on = DateField(required=False, help_text=gettext_lazy("Date of the step; defaults to today."))


class RecommendationReviewInputSerializer(RecommendationVersionInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RecommendationForwardInputSerializer(RecommendationVersionInputSerializer):
    to_unit = UnitAboveField(help_text=gettext_lazy("A unit above the current addressee."))
    note = serializers.CharField(required=False, allow_blank=True, default="")
    due_on = DateField(
        required=False, help_text=gettext_lazy("A later reply date; by default the original one is kept.")
    )


class RecommendationAnswerInputSerializer(RecommendationVersionInputSerializer):
    answer = serializers.CharField()


class RecommendationDeclineInputSerializer(RecommendationVersionInputSerializer):
    reason = serializers.CharField()


# --- Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(responses={200: RecommendationSerializer(many=True), 400: REFUSED, 403: FORBIDDEN})
)
class RecommendationListApi(generics.ListAPIView):
    """Recommendations in scope, filtered and paginated (GET); raising a new one (POST)."""

    permission_classes = LIST_ACCESS
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self):
        return recommendation_list(user=self.request.user)

    @extend_schema(
        request=RecommendationRaiseInputSerializer,
        responses={201: RecommendationDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        data = RecommendationRaiseInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            recommendation = recommendation_raise(actor=request.user, **data.validated_data)
        location = reverse("api:recommendation-detail", kwargs={"pk": recommendation.pk})
        return recommendation_response(
            request, recommendation.pk, status.HTTP_201_CREATED, headers={"Location": location}
        )


@extend_schema_view(get=extend_schema(responses={200: RecommendationDetailSerializer, **READ_ERRORS}))
class RecommendationDetailApi(generics.RetrieveAPIView):
    """One recommendation in scope with its chain of steps."""

    permission_classes = [READERS]
    serializer_class = RecommendationDetailSerializer
    filter_backends: list = []

    def get_queryset(self):
        return recommendation_list(user=self.request.user)

    def get_object(self) -> Recommendation:
        return recommendation_detail(user=self.request.user, recommendation_id=self.kwargs["pk"])


class _RecommendationActionApi(generics.GenericAPIView):
    """Base of the addressee's actions: 404 outside the scope, 403 unless the user's unit is the addressee."""

    permission_classes = ANSWER_ACCESS
    serializer_class = RecommendationDetailSerializer
    input_serializer: type[serializers.Serializer]

    def get_queryset(self):
        return recommendation_list(user=self.request.user)

    def act(self, recommendation: Recommendation, actor, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        recommendation = recommendation_get(user=request.user, recommendation_id=pk)
        if not can_answer_recommendation(request.user, recommendation.addressed_to):
            raise exceptions.PermissionDenied(
                _("Only the committee of %(unit)s may act on this recommendation.")
                % {"unit": recommendation.addressed_to}
            )
        data = self.input_serializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            self.act(recommendation, request.user, dict(data.validated_data))
        return recommendation_response(request, recommendation.pk)


@extend_schema_view(
    post=extend_schema(
        request=RecommendationReviewInputSerializer, responses={200: RecommendationDetailSerializer, **WRITE_ERRORS}
    )
)
class RecommendationReviewApi(_RecommendationActionApi):
    """Take the recommendation up for review (submitted → under review)."""

    input_serializer = RecommendationReviewInputSerializer

    def act(self, recommendation, actor, data):
        recommendation_review(actor=actor, recommendation=recommendation, **data)


@extend_schema_view(
    post=extend_schema(
        request=RecommendationForwardInputSerializer, responses={200: RecommendationDetailSerializer, **WRITE_ERRORS}
    )
)
class RecommendationForwardApi(_RecommendationActionApi):
    """Forward it to a unit above the addressee; the chain is kept and the reply date unless a later one is given."""

    input_serializer = RecommendationForwardInputSerializer

    def act(self, recommendation, actor, data):
        recommendation_forward(actor=actor, recommendation=recommendation, **data)


@extend_schema_view(
    post=extend_schema(
        request=RecommendationAnswerInputSerializer, responses={200: RecommendationDetailSerializer, **WRITE_ERRORS}
    )
)
class RecommendationAnswerApi(_RecommendationActionApi):
    """Answer it; the raising unit is told by mail."""

    input_serializer = RecommendationAnswerInputSerializer

    def act(self, recommendation, actor, data):
        recommendation_answer(actor=actor, recommendation=recommendation, **data)


@extend_schema_view(
    post=extend_schema(
        request=RecommendationDeclineInputSerializer, responses={200: RecommendationDetailSerializer, **WRITE_ERRORS}
    )
)
class RecommendationDeclineApi(_RecommendationActionApi):
    """Decline it, with the reason; the raising unit is told by mail."""

    input_serializer = RecommendationDeclineInputSerializer

    def act(self, recommendation, actor, data):
        recommendation_decline(actor=actor, recommendation=recommendation, **data)


urlpatterns = [
    path("recommendations/", RecommendationListApi.as_view(), name="recommendation-list"),
    path("recommendations/<int:pk>/", RecommendationDetailApi.as_view(), name="recommendation-detail"),
    path("recommendations/<int:pk>/review/", RecommendationReviewApi.as_view(), name="recommendation-review"),
    path("recommendations/<int:pk>/forward/", RecommendationForwardApi.as_view(), name="recommendation-forward"),
    path("recommendations/<int:pk>/answer/", RecommendationAnswerApi.as_view(), name="recommendation-answer"),
    path("recommendations/<int:pk>/decline/", RecommendationDeclineApi.as_view(), name="recommendation-decline"),
]
