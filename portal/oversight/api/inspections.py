"""REST API of inspections (with their documents) and directives (with progress): scoped, filtered, versioned."""

from django.http import FileResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
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
    OfficerSerializer,
    ReadOnly,
    UnitInScopeField,
    named_choice_field,
    refusals,
)
from portal.audit.services import audit_record
from portal.filters import MAX_ID
from portal.units.api import UnitRefSerializer

from ..filters.inspections import DirectiveFilter, InspectionFilter
from ..models import Directive, DirectiveUpdate, InspectedUnit, Inspection, InspectionDocument, Topic
from ..selectors import (
    directive_detail,
    directive_get,
    directive_list,
    document_get,
    inspection_detail,
    inspection_get,
    inspection_list,
)
from ..services import (
    DOCUMENT_TYPES,
    directive_create,
    directive_progress,
    directive_update,
    document_attach,
    document_delete,
    inspection_create,
    inspection_update,
)

OVERSIGHT_ACCESS = [requires(C.VIEW_OVERSIGHT), ReadOnly | requires(C.EDIT_OVERSIGHT)]


def today():
    return timezone.localdate()  # looked up at call time, so a test's frozen clock applies


InspectionTopicField = named_choice_field(Topic, "InspectionTopic")
InspectionRatingField = named_choice_field(Inspection.Rating, "InspectionRating")
DirectiveStatusField = named_choice_field(Directive.Status, "DirectiveStatus")


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


# --- Output ----------------------------------------------------------------------------------------


class InspectedUnitSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="unit.id")
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    edition = serializers.CharField(source="unit.edition")

    class Meta:
        model = InspectedUnit
        fields = ["id", "code", "name", "edition"]


class InspectionSerializer(serializers.ModelSerializer):
    inspecting_unit = UnitRefSerializer()
    inspected_units = InspectedUnitSerializer(source="inspected", many=True)
    topics = serializers.ListField(child=InspectionTopicField(), read_only=True)
    rating = InspectionRatingField(read_only=True, allow_null=True)
    rating_label = serializers.CharField(source="get_rating_display")
    documents_count = serializers.IntegerField(read_only=True)
    directives_count = serializers.IntegerField(read_only=True)
    directives_open = serializers.IntegerField(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "inspecting_body",
            "inspecting_unit",
            "inspected_units",
            "starts_on",
            "ends_on",
            "topics",
            "rating",
            "rating_label",
            "documents_count",
            "directives_count",
            "directives_open",
            "version",
        ]


class InspectionDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionDocument
        fields = ["id", "name", "size", "content_type", "uploaded_at", "download_url"]

    def get_download_url(self, document: InspectionDocument) -> str:
        # The scoped download view only: the storage path never leaves the server.
        url = reverse("api:inspection-document", kwargs={"pk": document.inspection_id, "doc_id": document.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class DirectiveSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="inspection_id", read_only=True)
    inspecting_body = serializers.CharField(source="inspection.inspecting_body", read_only=True)
    responsible_unit = UnitRefSerializer()
    status = DirectiveStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display")
    is_overdue = serializers.SerializerMethodField()
    allowed_moves = serializers.ListField(child=DirectiveStatusField(), read_only=True)

    class Meta:
        model = Directive
        fields = [
            "id",
            "inspection",
            "inspecting_body",
            "text",
            "responsible_unit",
            "due_on",
            "status",
            "status_label",
            "started_on",
            "done_on",
            "is_overdue",
            "allowed_moves",
            "version",
        ]

    def get_is_overdue(self, directive: Directive) -> bool:
        return directive.is_overdue_on(today())


class InspectionDirectiveSerializer(DirectiveSerializer):
    """A directive as its inspection lists it (the inspection itself is the parent)."""

    class Meta(DirectiveSerializer.Meta):
        fields = [f for f in DirectiveSerializer.Meta.fields if f not in {"inspection", "inspecting_body"}]


class InspectionDetailSerializer(InspectionSerializer):
    documents = InspectionDocumentSerializer(many=True)
    directives = InspectionDirectiveSerializer(many=True)
    created_by = OfficerSerializer(allow_null=True)

    class Meta(InspectionSerializer.Meta):
        fields = [
            *InspectionSerializer.Meta.fields,
            "assessment",
            "findings",
            "created_by",
            "created_at",
            "updated_at",
            "documents",
            "directives",
        ]


class DirectiveUpdateSerializer(serializers.ModelSerializer):
    from_status = DirectiveStatusField(read_only=True, allow_null=True)
    to_status = DirectiveStatusField(read_only=True, allow_null=True)
    actor = OfficerSerializer(allow_null=True)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = DirectiveUpdate
        fields = ["id", "on", "at", "actor", "note", "from_status", "to_status", "has_evidence"]

    def get_has_evidence(self, update: DirectiveUpdate) -> bool:
        return bool(update.evidence)


class DirectiveDetailSerializer(DirectiveSerializer):
    updates = DirectiveUpdateSerializer(many=True)

    class Meta(DirectiveSerializer.Meta):
        fields = [*DirectiveSerializer.Meta.fields, "created_at", "updated_at", "updates"]


def inspection_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    inspection = inspection_detail(user=request.user, inspection_id=pk)
    data = InspectionDetailSerializer(inspection, context={"request": request}).data
    return Response(data, status=status_code, **kwargs)


def directive_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    directive = directive_detail(user=request.user, directive_id=pk)
    return Response(
        DirectiveDetailSerializer(directive, context={"request": request}).data, status=status_code, **kwargs
    )


# --- Input -----------------------------------------------------------------------------------------


class InspectionFieldsInputSerializer(serializers.Serializer):
    inspecting_body = serializers.CharField(max_length=255)
    inspecting_unit = UnitInScopeField()
    inspected_units = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        help_text=_("Ids of the inspected units."),
    )
    starts_on = DateField()
    ends_on = DateField()
    topics = serializers.ListField(child=InspectionTopicField(), allow_empty=False)
    assessment = serializers.CharField(required=False, allow_blank=True)
    findings = serializers.CharField(required=False, allow_blank=True)
    rating = InspectionRatingField(required=False, allow_blank=True)

    def validate_inspected_units(self, ids: list[int]):
        from portal.units.models import Unit

        units = list(Unit.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {u.pk for u in units})
        if missing:
            raise ValidationError(_("Units not found: %(ids)s.") % {"ids": ", ".join(map(str, missing))})
        order = {pk: i for i, pk in enumerate(ids)}
        return sorted(units, key=lambda u: order[u.pk])


class InspectionUpdateInputSerializer(PartialInputMixin, InspectionFieldsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


class InspectionDocumentInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("PDF, DOCX, DOC, XLSX, JPEG or PNG."))


class DirectiveFieldsInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    responsible_unit = UnitInScopeField()
    due_on = DateField()


class DirectiveCreateInputSerializer(DirectiveFieldsInputSerializer):
    inspection = serializers.IntegerField(help_text=_("Id of the inspection that asks for it."))


class DirectiveUpdateInputSerializer(PartialInputMixin, DirectiveFieldsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=_("Required: the version you last read."))


class DirectiveProgressInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_("The version you last read."))
    note = serializers.CharField(required=False, allow_blank=True, default="")
    to = DirectiveStatusField(required=False, allow_null=True, default=None)
    on = DateField(default=today, help_text=_("Date of the progress; defaults to today."))
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


# --- Inspection views ------------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(responses={200: InspectionSerializer(many=True), 403: FORBIDDEN}))
class InspectionListApi(generics.ListAPIView):
    """Inspections in scope (by or of a unit of the user's subtree), filtered and paginated; recording one (POST)."""

    permission_classes = OVERSIGHT_ACCESS
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter

    def get_queryset(self):
        return inspection_list(user=self.request.user)

    @extend_schema(request=InspectionFieldsInputSerializer, responses={201: InspectionDetailSerializer, 400: REFUSED})
    def post(self, request):
        data = InspectionFieldsInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            inspection = inspection_create(actor=request.user, **data.validated_data)
        location = reverse("api:inspection-detail", kwargs={"pk": inspection.pk})
        return inspection_response(request, inspection.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(get=extend_schema(responses={200: InspectionDetailSerializer, **READ_ERRORS}))
class InspectionDetailApi(generics.RetrieveAPIView):
    """One inspection with its inspected units, documents and directives (GET); editing it with the version (PATCH)."""

    permission_classes = OVERSIGHT_ACCESS
    serializer_class = InspectionDetailSerializer
    filter_backends: list = []

    def get_queryset(self):
        return inspection_list(user=self.request.user)

    def get_object(self) -> Inspection:
        return inspection_detail(user=self.request.user, inspection_id=self.kwargs["pk"])

    @extend_schema(request=InspectionUpdateInputSerializer, responses={200: InspectionDetailSerializer, **WRITE_ERRORS})
    def patch(self, request, pk: int):
        inspection = inspection_get(user=request.user, inspection_id=pk)
        data = InspectionUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            inspection_update(inspection=inspection, actor=request.user, **data.validated_data)
        return inspection_response(request, inspection.pk)


class InspectionDocumentListApi(generics.GenericAPIView):
    """Attach a document to an inspection (multipart upload); the type is checked by name and by content."""

    permission_classes = [requires(C.EDIT_OVERSIGHT)]
    serializer_class = InspectionDocumentSerializer
    # JSON too, so a request without a file is answered "no file was submitted" rather than 415.
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return inspection_list(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": InspectionDocumentInputSerializer},
        responses={201: InspectionDocumentSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        inspection = inspection_get(user=request.user, inspection_id=pk)
        data = InspectionDocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with refusals():
            document = document_attach(
                inspection=inspection, actor=request.user, uploaded_file=data.validated_data["file"]
            )
        location = reverse("api:inspection-document", kwargs={"pk": inspection.pk, "doc_id": document.pk})
        body = InspectionDocumentSerializer(document, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class _ReadsOrEdits(BasePermission):
    def has_permission(self, request, view) -> bool:
        from portal.accounts.permissions import has_capability

        needed = C.VIEW_OVERSIGHT if request.method in ("GET", "HEAD", "OPTIONS") else C.EDIT_OVERSIGHT
        return has_capability(request.user, needed)


DOCUMENT_FILE = OpenApiResponse(OpenApiTypes.BINARY, description=_("The file."))
DOCUMENT_MEDIA_TYPES = sorted({media_type for media_type, *_sniffers in DOCUMENT_TYPES.values()})


class InspectionDocumentApi(generics.GenericAPIView):
    """Download a document of an inspection in scope (GET, as an attachment); removing it (DELETE, writers)."""

    permission_classes = [_ReadsOrEdits]
    serializer_class = InspectionDocumentSerializer

    def get_queryset(self):
        return inspection_list(user=self.request.user)

    @extend_schema(
        responses={
            # Served with the type its extension and first bytes were checked against at upload.
            **{(200, media_type): DOCUMENT_FILE for media_type in DOCUMENT_MEDIA_TYPES},
            403: FORBIDDEN,
            404: NOT_FOUND,
        }
    )
    def get(self, request, pk: int, doc_id: int):
        document = document_get(user=request.user, inspection_id=pk, document_id=doc_id)
        audit_record(action="download", request=request._request, obj=document, object_repr=document.name)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            from django.http import Http404

            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=document.name, content_type=document.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(request=None, responses={204: None, **WRITE_ERRORS})
    def delete(self, request, pk: int, doc_id: int):
        document = document_get(user=request.user, inspection_id=pk, document_id=doc_id)
        with refusals():
            document_delete(document=document, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Directive views -------------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(responses={200: DirectiveSerializer(many=True), 403: FORBIDDEN}))
class DirectiveListApi(generics.ListAPIView):
    """Directives in scope, filtered (unit, status, overdue, due window, inspection) and paginated; recording one."""

    permission_classes = OVERSIGHT_ACCESS
    serializer_class = DirectiveSerializer
    filterset_class = DirectiveFilter

    def get_queryset(self):
        return directive_list(user=self.request.user)

    @extend_schema(request=DirectiveCreateInputSerializer, responses={201: DirectiveDetailSerializer, 400: REFUSED})
    def post(self, request):
        data = DirectiveCreateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        inspection_id = fields.pop("inspection")
        inspection = inspection_list(user=request.user).filter(pk=inspection_id).first()
        if inspection is None:
            raise ValidationError({"inspection": [_("Inspection not found, or outside your unit's scope.")]})
        with refusals():
            directive = directive_create(inspection=inspection, actor=request.user, **fields)
        location = reverse("api:directive-detail", kwargs={"pk": directive.pk})
        return directive_response(request, directive.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(get=extend_schema(responses={200: DirectiveDetailSerializer, **READ_ERRORS}))
class DirectiveDetailApi(generics.RetrieveAPIView):
    """One directive with its progress updates and whether it is overdue (GET); editing it (PATCH)."""

    permission_classes = OVERSIGHT_ACCESS
    serializer_class = DirectiveDetailSerializer
    filter_backends: list = []

    def get_queryset(self):
        return directive_list(user=self.request.user)

    def get_object(self) -> Directive:
        return directive_detail(user=self.request.user, directive_id=self.kwargs["pk"])

    @extend_schema(request=DirectiveUpdateInputSerializer, responses={200: DirectiveDetailSerializer, **WRITE_ERRORS})
    def patch(self, request, pk: int):
        directive = directive_get(user=request.user, directive_id=pk)
        data = DirectiveUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            directive_update(directive=directive, actor=request.user, **data.validated_data)
        return directive_response(request, directive.pk)


class DirectiveProgressApi(generics.GenericAPIView):
    """A progress note on a directive, optionally moving it open → in progress → done, with optional evidence.

    Readers of oversight post progress only for directives their unit's subtree carries out (leaders and
    standing officers) or, for inspectors and admins, in their scope; an illegal move names the allowed ones.
    """

    permission_classes = [requires(C.VIEW_OVERSIGHT)]
    serializer_class = DirectiveDetailSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return directive_list(user=self.request.user)

    @extend_schema(
        request={
            "application/json": DirectiveProgressInputSerializer,
            "multipart/form-data": DirectiveProgressInputSerializer,
        },
        responses={200: DirectiveDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        from ..permissions import can_report_directive_progress

        directive = directive_get(user=request.user, directive_id=pk)
        if not can_report_directive_progress(request.user, directive.responsible_unit):
            self.permission_denied(request, message=_("Your role or unit does not allow reporting progress here."))
        data = DirectiveProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with refusals(allowed_moves=directive.allowed_moves()):
            directive_progress(directive=directive, actor=request.user, **data.validated_data)
        return directive_response(request, directive.pk)


urlpatterns = [
    path("inspections/", InspectionListApi.as_view(), name="inspection-list"),
    path("inspections/<int:pk>/", InspectionDetailApi.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/documents/", InspectionDocumentListApi.as_view(), name="inspection-documents"),
    path("inspections/<int:pk>/documents/<int:doc_id>/", InspectionDocumentApi.as_view(), name="inspection-document"),
    path("directives/", DirectiveListApi.as_view(), name="directive-list"),
    path("directives/<int:pk>/", DirectiveDetailApi.as_view(), name="directive-detail"),
    path("directives/<int:pk>/progress/", DirectiveProgressApi.as_view(), name="directive-progress"),
]
