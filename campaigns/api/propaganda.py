"""REST API for propaganda programs and their activities: scoped, filtered lists, detail with totals, edits.

Its URLs are listed in `urlpatterns` and included by campaigns/api_urls.py under /api/v1/.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from portal.api import (
    FORBIDDEN,
    READ_ERRORS,
    REFUSED,
    WRITE_ERRORS,
    DateField,
    UnitInScopeField,
    column_bounds,
    named_choice_field,
    refusals,
)
from portal.units.api import UnitRefSerializer

from ..filters import PropagandaActivityFilter, PropagandaProgramFilter
from ..models import ActivityFormat, PropagandaActivity, PropagandaProgram, Topic
from ..selectors import activity_get, activity_list, program_detail, program_get, program_list
from ..services import activity_create, activity_delete, activity_update, program_create, program_update
from .common import MODEL_ACCESS, PartialInputMixin

# Propaganda and good-practice models share their capabilities (DESIGN §4): read VIEW_PROPAGANDA, write EDIT_PROPAGANDA.
PROPAGANDA_ACCESS = MODEL_ACCESS

TopicField = named_choice_field(Topic, "PropagandaTopic")
FormatField = named_choice_field(ActivityFormat, "ActivityFormat")


class PropagandaProgramRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PropagandaProgram
        fields = ["id", "title"]


class PropagandaProgramSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    topics = serializers.ListField(child=TopicField(), read_only=True)
    topic_labels = serializers.SerializerMethodField()
    activity_count = serializers.IntegerField(read_only=True, help_text=_("Activities held."))
    audience_reached = serializers.IntegerField(read_only=True, help_text=_("People reached by its activities."))
    materials_distributed = serializers.IntegerField(
        read_only=True, help_text=_("Materials its activities handed out.")
    )

    class Meta:
        model = PropagandaProgram
        fields = [
            "id",
            "title",
            "unit",
            "starts_on",
            "ends_on",
            "topics",
            "topic_labels",
            "audience",
            "planned_activities",
            "planned_reach",
            "description",
            "version",
            "activity_count",
            "audience_reached",
            "materials_distributed",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_topic_labels(self, program: PropagandaProgram) -> list[str]:
        return [str(Topic(t).label) for t in program.topics if t in Topic.values]


class PropagandaBreakdownSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("The format or topic code."))
    label = serializers.CharField()
    activities = serializers.IntegerField()
    audience = serializers.IntegerField()
    materials = serializers.IntegerField()


class PropagandaProgramDetailSerializer(PropagandaProgramSerializer):
    by_format = PropagandaBreakdownSerializer(many=True, read_only=True)
    by_topic = PropagandaBreakdownSerializer(many=True, read_only=True)

    class Meta(PropagandaProgramSerializer.Meta):
        fields = [*PropagandaProgramSerializer.Meta.fields, "created_at", "updated_at", "by_format", "by_topic"]


class PropagandaActivitySerializer(serializers.ModelSerializer):
    program = PropagandaProgramRefSerializer()
    unit = UnitRefSerializer()
    format = FormatField(read_only=True)
    format_label = serializers.CharField(source="get_format_display")
    topic = TopicField(read_only=True)
    topic_label = serializers.CharField(source="get_topic_display")

    class Meta:
        model = PropagandaActivity
        fields = [
            "id",
            "program",
            "on",
            "unit",
            "format",
            "format_label",
            "topic",
            "topic_label",
            "audience",
            "materials",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]


def program_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    program = program_detail(user=request.user, program_id=pk)
    return Response(
        PropagandaProgramDetailSerializer(program, context={"request": request}).data, status=status_code, **kwargs
    )


def activity_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    activity = activity_get(user=request.user, activity_id=pk)
    return Response(
        PropagandaActivitySerializer(activity, context={"request": request}).data, status=status_code, **kwargs
    )


# --- Inputs ----------------------------------------------------------------------------------------


class PropagandaProgramInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    unit = UnitInScopeField(help_text=_("Id of the unit that runs the program (a unit of the current list)."))
    starts_on = DateField()
    ends_on = DateField()
    topics = serializers.ListField(child=TopicField(), allow_empty=False)
    audience = serializers.CharField(max_length=255, required=False, allow_blank=True, help_text=_("Who it is for."))
    planned_activities = serializers.IntegerField(
        **column_bounds(PropagandaProgram, "planned_activities"), required=False, allow_null=True
    )
    planned_reach = serializers.IntegerField(
        **column_bounds(PropagandaProgram, "planned_reach"), required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True)


class PropagandaProgramUpdateInputSerializer(PartialInputMixin, PropagandaProgramInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


@extend_schema_field(OpenApiTypes.INT)
class ProgramInScopeField(serializers.PrimaryKeyRelatedField):
    """A program id among the programs the user sees."""

    default_error_messages = {"does_not_exist": _("Program not found, or outside your unit's scope.")}

    def get_queryset(self):
        return program_list(user=self.context["request"].user)


class PropagandaActivityFieldsInputSerializer(serializers.Serializer):
    on = DateField(help_text=_("The day it was held: within the program's window, not in the future."))
    unit = UnitInScopeField(help_text=_("Id of the commune (or other unit) where it was held, in the program's area."))
    format = FormatField()
    topic = TopicField(help_text=_("One of the program's topics."))
    audience = serializers.IntegerField(
        **column_bounds(PropagandaActivity, "audience"), required=False, help_text=_("People reached; 0 if omitted.")
    )
    materials = serializers.IntegerField(
        **column_bounds(PropagandaActivity, "materials"),
        required=False,
        help_text=_("Materials handed out; 0 if omitted."),
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class PropagandaActivityInputSerializer(PropagandaActivityFieldsInputSerializer):
    program = ProgramInScopeField()


class PropagandaActivityUpdateInputSerializer(PartialInputMixin, PropagandaActivityFieldsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


class PropagandaDeleteInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)


# --- Programs --------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(responses={200: PropagandaProgramSerializer(many=True), 400: REFUSED, 403: FORBIDDEN})
)
class ProgramListApi(generics.ListAPIView):
    """Propaganda programs in scope with their totals, filtered and paginated (GET); recording a program (POST)."""

    permission_classes = PROPAGANDA_ACCESS
    serializer_class = PropagandaProgramSerializer
    filterset_class = PropagandaProgramFilter

    def get_queryset(self):
        return program_list(user=self.request.user)

    @extend_schema(
        request=PropagandaProgramInputSerializer, responses={201: PropagandaProgramDetailSerializer, 400: REFUSED}
    )
    def post(self, request):
        data = PropagandaProgramInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            program = program_create(actor=request.user, **data.validated_data)
        location = reverse("api:program-detail", kwargs={"pk": program.pk})
        return program_response(request, program.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(get=extend_schema(responses={200: PropagandaProgramDetailSerializer, **READ_ERRORS}))
class ProgramDetailApi(generics.RetrieveAPIView):
    """One program in scope with its totals and breakdowns by format and topic (GET); editing it (PATCH)."""

    permission_classes = PROPAGANDA_ACCESS
    serializer_class = PropagandaProgramDetailSerializer

    filter_backends: list = []

    def get_queryset(self):
        return program_list(user=self.request.user)

    def get_object(self) -> PropagandaProgram:
        return program_detail(user=self.request.user, program_id=self.kwargs["pk"])

    @extend_schema(
        request=PropagandaProgramUpdateInputSerializer,
        responses={200: PropagandaProgramDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk: int):
        program = program_get(user=request.user, program_id=pk)
        data = PropagandaProgramUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            program_update(program=program, actor=request.user, **data.validated_data)
        return program_response(request, program.pk)


# --- Activities ------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(responses={200: PropagandaActivitySerializer(many=True), 400: REFUSED, 403: FORBIDDEN})
)
class ActivityListApi(generics.ListAPIView):
    """Propaganda activities in scope, filtered (program, unit, dates, topic, format) and paginated (GET);
    recording one activity (POST)."""

    permission_classes = PROPAGANDA_ACCESS
    serializer_class = PropagandaActivitySerializer
    filterset_class = PropagandaActivityFilter

    def get_queryset(self):
        return activity_list(user=self.request.user)

    @extend_schema(
        request=PropagandaActivityInputSerializer, responses={201: PropagandaActivitySerializer, 400: REFUSED}
    )
    def post(self, request):
        data = PropagandaActivityInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            activity = activity_create(actor=request.user, **data.validated_data)
        location = reverse("api:activity-detail", kwargs={"pk": activity.pk})
        return activity_response(request, activity.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(get=extend_schema(responses={200: PropagandaActivitySerializer, **READ_ERRORS}))
class ActivityDetailApi(generics.RetrieveAPIView):
    """One activity in scope (GET); correcting it with the version read (PATCH); deleting it (DELETE)."""

    permission_classes = PROPAGANDA_ACCESS
    serializer_class = PropagandaActivitySerializer

    filter_backends: list = []

    def get_queryset(self):
        return activity_list(user=self.request.user)

    def get_object(self) -> PropagandaActivity:
        return activity_get(user=self.request.user, activity_id=self.kwargs["pk"])

    @extend_schema(
        request=PropagandaActivityUpdateInputSerializer, responses={200: PropagandaActivitySerializer, **WRITE_ERRORS}
    )
    def patch(self, request, pk: int):
        activity = activity_get(user=request.user, activity_id=pk)
        data = PropagandaActivityUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            activity_update(activity=activity, actor=request.user, **data.validated_data)
        return activity_response(request, activity.pk)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "version",
                OpenApiTypes.INT,
                required=False,
                description=_("The version you last read: the deletion is refused (409) if it changed since."),
            )
        ],
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request, pk: int):
        activity = activity_get(user=request.user, activity_id=pk)
        body = request.data if hasattr(request.data, "get") else {}
        version = request.query_params.get("version", body.get("version"))
        data = PropagandaDeleteInputSerializer(data={} if version in (None, "") else {"version": version})
        data.is_valid(raise_exception=True)
        with refusals():
            activity_delete(activity=activity, actor=request.user, version=data.validated_data.get("version"))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("propaganda-programs/", ProgramListApi.as_view(), name="program-list"),
    path("propaganda-programs/<int:pk>/", ProgramDetailApi.as_view(), name="program-detail"),
    path("propaganda-activities/", ActivityListApi.as_view(), name="activity-list"),
    path("propaganda-activities/<int:pk>/", ActivityDetailApi.as_view(), name="activity-detail"),
]
